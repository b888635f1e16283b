"""One profile's link to its sync server, as the desktop app uses it. No Qt.

:class:`SyncSession` bundles what signing in, syncing and probing the server need (the
profile's database, the keyring, one HTTP client, the retry policies) so that the app's
``SyncController`` only decides *when* to call them. Every method does network and/or SQLite
work and may block for seconds: call them off the UI thread (the app runs them in its
network pool). The ``sfa`` CLI builds the same pieces from its own environment.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import httpx

from sfa_desktop.store.database import Database
from sfa_desktop.sync.engine import ProgressCallback
from sfa_desktop.sync.errors import SyncBusy, SyncError
from sfa_desktop.sync.report import SyncProgress, SyncReport
from sfa_desktop.sync.tokens import TokenStore
from sfa_desktop.sync.transport import API_PREFIX, NO_RETRY, RetryPolicy, new_http_client
from sfa_desktop.sync.trust import checked_ca_file

from .sync_account import (
    Identity,
    SignInResult,
    connect,
    load_identity,
    normalize_server_address,
    sign_in,
    sign_out,
)

#: How long the health probe waits for an answer (it runs while the server seems down).
PROBE_TIMEOUT_S = 5.0
#: Sign-in answers the person waiting in the dialog: a short retry, then the error.
SIGN_IN_RETRY = RetryPolicy(attempts=2, base_delay=0.5, max_delay=2.0)


class SyncCancelled(SyncError):
    """The app is closing: the sync stopped after the last page it saved."""

    code = "sync_cancelled"


def looks_like_email(text: str) -> bool:
    """A light check before asking the server (which has the final word)."""
    local, at, domain = text.strip().rpartition("@")
    return bool(at and local and domain) and not any(c.isspace() for c in text.strip())


@dataclass(frozen=True)
class AccountState:
    """Who the profile syncs as, and whether this run can sync without asking for a password."""

    identity: Identity | None
    has_token: bool
    #: False when no keyring exists: a token lives in memory for this run only
    keyring_available: bool

    @property
    def signed_in(self) -> bool:
        return self.identity is not None and self.has_token


class SyncSession:
    """Sign-in, sign-out, sync and health probe for one open profile (thread safe)."""

    def __init__(
        self,
        database: Database,
        *,
        tokens: TokenStore,
        http: httpx.Client | None = None,
        retry: RetryPolicy | None = None,
        sign_in_retry: RetryPolicy = SIGN_IN_RETRY,
        pull_page: int | None = None,
        probe_timeout: float = PROBE_TIMEOUT_S,
    ) -> None:
        self.database = database
        self.tokens = tokens
        self._owns_http = http is None
        self.http = http if http is not None else new_http_client()
        #: the certificate authority file the owned client trusts (it is made again for
        #: another one: trust is fixed when an ``httpx.Client`` is made)
        self._http_ca_file: str | None = None
        self._http_lock = threading.Lock()
        self.retry = retry
        self.sign_in_retry = sign_in_retry
        self.pull_page = pull_page
        self.probe_timeout = probe_timeout
        self._syncing = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._cancelled = threading.Event()

    def account_state(self) -> AccountState:
        """Reads the profile's identity (SQLite) and looks for its token (the keyring)."""
        with self.database.session() as session:
            identity = load_identity(session)
        has_token = identity is not None and bool(
            self.tokens.load(identity.server_url, identity.email)
        )
        return AccountState(identity, has_token, self.tokens.persistent)

    def _client(self, ca_file: str | None) -> httpx.Client:
        """The HTTP client that trusts ``ca_file`` besides the usual authorities (an injected
        client is used as it is)."""
        if not self._owns_http:
            return self.http
        with self._http_lock:
            if ca_file != self._http_ca_file:
                replacement = new_http_client(ca_file)  # CaFileUnusable before anything closes
                self.http.close()
                self.http, self._http_ca_file = replacement, ca_file
            return self.http

    def _profile_client(self) -> httpx.Client:
        with self.database.session() as session:
            identity = load_identity(session)
        return self._client(identity.ca_file if identity else None)

    def sign_in(
        self, *, server_url: str, email: str, password: str, ca_file: str | None = None
    ) -> SignInResult:
        """``ca_file``: the company's certificate authority, trusted besides the usual ones."""
        ca_file = checked_ca_file(ca_file) if ca_file else None
        return sign_in(
            self.database,
            server_url=normalize_server_address(server_url),
            email=email.strip(),
            password=password,
            tokens=self.tokens,
            http=self._client(ca_file),
            retry=self.sign_in_retry,
            ca_file=ca_file,
        )

    def sign_out(self) -> Identity:
        """Revokes the token on the server (best effort) and forgets it here."""
        return sign_out(
            self.database, tokens=self.tokens, http=self._profile_client(), retry=NO_RETRY
        )

    def sync(self, progress: ProgressCallback | None = None) -> SyncReport:
        """Push, then pull (raises :class:`~sfa_desktop.sync.errors.SyncError`)."""
        if not self._syncing.acquire(blocking=False):
            raise SyncBusy("a sync of this profile is already running")
        self._idle.clear()
        try:
            if self._cancelled.is_set():
                raise SyncCancelled("the app is closing")
            http = self._profile_client()
            engine = connect(self.database, tokens=self.tokens, http=http, retry=self.retry)
            if self.pull_page is not None:
                engine.pull_page = self.pull_page

            def report(step: SyncProgress) -> None:
                if self._cancelled.is_set():  # between two saved batches: nothing half-done
                    raise SyncCancelled("the app is closing")
                if progress is not None:
                    progress(step)

            try:
                return engine.sync(report)
            finally:
                engine.api.close()
        finally:
            self._syncing.release()
            self._idle.set()

    def server_reachable(self, server_url: str) -> bool:
        """``GET /api/v1/health`` answers 200 (one quick try, no retries)."""
        url = normalize_server_address(server_url) + API_PREFIX + "/health"
        try:
            http = self._profile_client()
            request = http.build_request("GET", url, timeout=self.probe_timeout)
            response = http.send(request)
        except httpx.HTTPError:
            return False
        return response.status_code == httpx.codes.OK

    def cancel(self, *, wait: float = 0.0) -> bool:
        """Stop a running sync at its next batch and refuse new ones (the app is closing).

        Closes the HTTP client if this session made it, which ends a request in flight.
        Waits up to ``wait`` seconds; returns whether no sync is running any more.
        """
        self._cancelled.set()
        self.close()
        return self._idle.wait(wait)

    def close(self) -> None:
        """Closes the HTTP client if this session made it."""
        if self._owns_http:
            self.http.close()
