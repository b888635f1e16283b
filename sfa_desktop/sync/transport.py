"""The sync server's HTTP API, as seen by the client (httpx; the client is injectable).

Tests pass the server's in-process ``TestClient`` (an ``httpx.Client``); the app and the CLI
use a plain ``httpx.Client``. Every request carries the protocol and schema versions.
Network errors, 5xx and 429 answers are retried with exponential backoff and full jitter;
pushing again is safe because the server applies each mutation once. Three answers are not
retried, so that nobody waits for nothing:

* a server certificate that does not verify is raised at once as
  :class:`CertificateNotTrusted` (see :mod:`.trust` for which authorities are trusted);

* a 429 that says how long to wait (``Retry-After``, as the server's sign-in rate limit does)
  is raised at once as :class:`RateLimited` carrying that wait;
* a timeout (:data:`DEFAULT_TIMEOUT`: :data:`CONNECT_TIMEOUT_S` to connect,
  :data:`READ_TIMEOUT_S` for each wait on the answer) is raised at once as
  :class:`ServerTimedOut`: a server that accepts the connection and never answers costs one
  read timeout, 30 s, not one per retry.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from sync_server.protocol.versions import (
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SCHEMA_HEADER,
    SCHEMA_VERSION,
)
from sync_server.protocol.wire import (
    EPOCH_HEADER,
    ClientOutdatedDetails,
    EpochInfo,
    LoginRequest,
    LoginResponse,
    Mutation,
    NumberBlocksRequest,
    NumberBlocksResponse,
    PullResponse,
    PushRequest,
    PushResponse,
    UserInfo,
)

from .errors import (
    CertificateNotTrusted,
    ClientOutdated,
    InvalidCredentials,
    ProtocolMismatch,
    RateLimited,
    ServerFailed,
    ServerOutdated,
    ServerTimedOut,
    ServerUnreachable,
    SignInRequired,
    SyncError,
)
from .pulled_pages import PulledPage, read_page
from .trust import certificate_problem, tls_context

API_PREFIX = "/api/v1"
VERSION_HEADERS = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), SCHEMA_HEADER: str(SCHEMA_VERSION)}
#: Seconds to open the connection (DNS, TCP and TLS).
CONNECT_TIMEOUT_S = 10.0
#: Seconds without a byte of the answer before giving up (a pull page or a push answer of the
#: largest batch arrives well within it; a port that accepts and never answers fails here).
READ_TIMEOUT_S = 30.0
#: Seconds a request body may stall while being sent.
WRITE_TIMEOUT_S = 30.0
#: Seconds to wait for a free connection of the client's pool.
POOL_TIMEOUT_S = 10.0
DEFAULT_TIMEOUT = httpx.Timeout(
    connect=CONNECT_TIMEOUT_S, read=READ_TIMEOUT_S, write=WRITE_TIMEOUT_S, pool=POOL_TIMEOUT_S
)

_M = TypeVar("_M", bound=BaseModel)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with full jitter: attempt n waits ``uniform(0, min(cap, base·2ⁿ))``."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = field(default_factory=lambda: random.Random().random)

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        ceiling = min(self.max_delay, self.base_delay * (2**attempt))
        wait = ceiling * self.random()
        if retry_after is not None:
            wait = max(wait, min(retry_after, self.max_delay))
        return float(wait)


NO_RETRY = RetryPolicy(attempts=1)


def new_http_client(ca_file: str | None = None) -> httpx.Client:
    """An HTTP client for the sync server: the default timeouts, and certificates verified
    against the usual authorities plus ``ca_file``'s (see :mod:`.trust`)."""
    return httpx.Client(timeout=DEFAULT_TIMEOUT, verify=tls_context(ca_file))


@dataclass
class TrafficCounter:
    """Bytes sent and received (on the wire, compressed), for reports and benchmarks."""

    sent: int = 0
    received: int = 0


class SyncApi:
    """One server, one token. Thread safe as far as the underlying ``httpx.Client`` is."""

    def __init__(
        self,
        server_url: str,
        *,
        http: httpx.Client | None = None,
        token: str | None = None,
        retry: RetryPolicy | None = None,
        ca_file: str | None = None,
    ) -> None:
        """``ca_file``: an authority trusted besides the usual ones, for the client this
        makes when ``http`` is not given."""
        self.server_url = normalize_server_url(server_url)
        self._owns_http = http is None
        self.http = http if http is not None else new_http_client(ca_file)
        self.token = token
        self.retry = retry or RetryPolicy()
        self.traffic = TrafficCounter()
        #: the server epoch this device last synced with, sent with push and pull (the server
        #: answers 409 ``epoch_changed`` when it was restored since); None: not known yet
        self.epoch: str | None = None
        #: the epoch the server last answered with (its ``X-SFA-Epoch`` header)
        self.server_epoch: str | None = None

    def close(self) -> None:
        if self._owns_http:
            self.http.close()

    # --- endpoints ------------------------------------------------------------------------------

    def login(self, *, email: str, password: str, device_name: str) -> LoginResponse:
        body = LoginRequest(email=email, password=password, device_name=device_name)
        response = self._request("POST", "/auth/login", json=body.model_dump(), auth=False)
        return _parse(LoginResponse, response)

    def logout(self) -> None:
        self._request("POST", "/auth/logout")

    def me(self) -> UserInfo:
        return _parse(_Me, self._request("GET", "/me")).user

    def push(
        self, mutations: Sequence[Mutation], *, retry: RetryPolicy | None = None
    ) -> PushResponse:
        """Send a batch (``retry`` replaces the policy for this request)."""
        body = PushRequest(mutations=list(mutations))
        content = body.model_dump_json().encode()
        response = self._request(
            "POST",
            "/sync/push",
            content=content,
            headers={"Content-Type": "application/json", **self._epoch_header()},
            retry=retry,
        )
        return _parse(PushResponse, response)

    def pull(self, cursor: str, limit: int) -> PullResponse:
        return _parse(PullResponse, self._pull(cursor, limit))

    def pull_page(self, cursor: str, limit: int) -> PulledPage:
        """:meth:`pull`, read into ready-made rows where it can be written in bulk (see
        :mod:`.pulled_pages`); decoded by the wire models otherwise."""
        return read_page(*self.pull_answer(cursor, limit))

    def pull_answer(self, cursor: str, limit: int) -> tuple[bytes, str]:
        """A pull page's body as it came in, and where it came from (to be read by
        :func:`.pulled_pages.read_page` or in two steps)."""
        response = self._pull(cursor, limit)
        return response.content, str(response.url)

    def _pull(self, cursor: str, limit: int) -> httpx.Response:
        return self._request(
            "GET",
            "/sync/pull",
            params={"cursor": cursor, "limit": limit},
            headers=self._epoch_header(),
        )

    def epoch_info(self) -> EpochInfo:
        """The server's current epoch (a new one starts when it is restored from a backup)."""
        return _parse(EpochInfo, self._request("GET", "/sync/epoch"))

    def number_blocks(self, years: Sequence[int]) -> NumberBlocksResponse:
        """Lease a new block of quote numbers for each of ``years``, and learn this device's
        code (protocol 3; see ``sync_server/protocol/quote_numbers.py``)."""
        body = NumberBlocksRequest(years=list(years))
        response = self._request("POST", "/sync/number-blocks", json=body.model_dump())
        return _parse(NumberBlocksResponse, response)

    def _epoch_header(self) -> dict[str, str]:
        epoch = self.epoch
        return {EPOCH_HEADER: epoch} if epoch else {}

    # --- plumbing --------------------------------------------------------------------------------

    def _request(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        headers: dict[str, str] | None = None,
        retry: RetryPolicy | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        all_headers = dict(VERSION_HEADERS)
        all_headers.update(headers or {})
        if auth:
            if not self.token:
                raise SignInRequired("no token: sign in first", status=401)
            all_headers["Authorization"] = f"Bearer {self.token}"
        url = self.server_url + API_PREFIX + path
        return self._send_with_retries(method, url, all_headers, kwargs, retry or self.retry)

    def _send_with_retries(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        kwargs: dict[str, Any],
        policy: RetryPolicy,
    ) -> httpx.Response:
        last_error: SyncError | None = None
        for attempt in range(max(1, policy.attempts)):
            if attempt:
                retry_after = last_error.retry_after if last_error else None
                policy.sleep(policy.delay(attempt - 1, retry_after))
            try:
                response = self.http.request(method, url, headers=headers, **kwargs)
            except httpx.TimeoutException as error:
                raise _timed_out(self.server_url, error) from None
            except httpx.TransportError as error:
                untrusted: CertificateNotTrusted | None = certificate_problem(error)
                if untrusted is not None:
                    raise untrusted from None
                last_error = ServerUnreachable(
                    f"cannot reach the server at {self.server_url}: {error or type(error).__name__}"
                )
                continue
            self._count(response)
            if response.status_code < 400:
                self.server_epoch = response.headers.get(EPOCH_HEADER) or self.server_epoch
                return response
            failure = _error_for(response)
            if not _retryable(response.status_code) or _told_to_wait(failure):
                raise failure
            last_error = failure
        assert last_error is not None
        raise last_error

    def _count(self, response: httpx.Response) -> None:
        request = response.request
        body = request.content if request is not None else b""
        self.traffic.sent += len(body) + 200
        self.traffic.received += response.num_bytes_downloaded + 200


class _Me(BaseModel):
    user: UserInfo


def _parse(model: type[_M], response: httpx.Response) -> _M:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as error:
        raise ProtocolMismatch(
            f"unexpected answer from {response.url}: {str(error).splitlines()[0]}"
        ) from None


def normalize_server_url(url: str) -> str:
    """``https://sfa.example.com/`` → ``https://sfa.example.com`` (the API path is added)."""
    text = url.strip().rstrip("/")
    if text.endswith(API_PREFIX):
        text = text[: -len(API_PREFIX)]
    if not text.startswith(("http://", "https://")):
        text = "https://" + text
    return text


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def _told_to_wait(failure: SyncError) -> bool:
    """A 429 saying how long to wait: the person (or the next sync) waits, not this request."""
    return isinstance(failure, RateLimited) and failure.retry_after is not None


def _error_for(response: httpx.Response) -> SyncError:
    status = response.status_code
    code, message = f"http_{status}", response.reason_phrase or "error"
    details: object = None
    try:
        body = response.json()
        if isinstance(body, dict):
            code = str(body.get("code") or code)
            message = str(body.get("message") or message)
            details = body.get("details")
    except ValueError:
        pass
    if status == 426 or code == "client_outdated":
        return _client_outdated(message, status, details)
    if code == "server_outdated":
        return ServerOutdated(message, status=status)
    if status == 401:
        if code == "invalid_credentials":
            return InvalidCredentials(message, status=status)
        return SignInRequired(message, status=status)
    if status == 429:
        error: SyncError = RateLimited(message, status=status)
        error.retry_after = _retry_after(response)
        return error
    if status >= 500:
        return ServerFailed(message, status=status)
    return SyncError(message, code=code, status=status)


def _client_outdated(message: str, status: int, details: object) -> ClientOutdated:
    """426, with the protocol the server needs and its download address when it sent them (an
    address that is not one plain http(s) URL is dropped: the user sees it as text)."""
    error = ClientOutdated(message, status=status)
    if not isinstance(details, dict):
        return error
    for candidate in (details, {"required_protocol": details.get("required_protocol")}):
        try:
            parsed = ClientOutdatedDetails.model_validate(candidate)
        except ValidationError:
            continue
        error.required_protocol = parsed.required_protocol
        error.download_url = parsed.download_url
        break
    return error


def _timed_out(server_url: str, error: httpx.TimeoutException) -> ServerTimedOut:
    kind = {
        httpx.ConnectTimeout: "connect",
        httpx.WriteTimeout: "write",
        httpx.PoolTimeout: "pool",
    }.get(type(error), "read")
    try:
        limits = error.request.extensions.get("timeout", {})
    except RuntimeError:  # no request attached
        limits = {}
    seconds = limits.get(kind)
    failure = ServerTimedOut(
        f"no answer from the server at {server_url} within {seconds} s ({kind} timeout)"
    )
    failure.timeout_seconds = float(seconds) if seconds is not None else None
    return failure


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.strip().isdigit() else None
