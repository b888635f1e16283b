"""Background sync for the open profile: when to sync, and what the window should show.

:class:`SyncController` syncs on a timer (every few minutes), on demand (*Sync now*), right
after signing in and when the server answers again after an outage (a cheap health probe on a
backoff timer). Only one sync runs at a time; a request during a sync runs one more sync
right after it (so a conflict resolved meanwhile is sent).

**Where the sync runs.** ``SyncEngine.sync`` mixes HTTP calls (seconds to minutes for a first
sync) with short SQLite transactions. It runs in the task runner's *network pool*, database
steps included, not on the database thread: there it would hold up every list, search and edit
of the UI (see :mod:`sfa_desktop.ui.tasks`). The engine opens its own sessions on the profile's
``Database``, whose connections are not tied to a thread (``check_same_thread=False``) and run
in WAL mode: the UI's reads never wait for the engine, and writers (a pulled page, a UI edit)
each take the write turn first (:mod:`sfa_desktop.sync.write_turns`), first come, first served,
holding it only for one short transaction, so neither side can deadlock the other. Sign-in and
sign-out, which write a few ``app_meta`` rows, run in the network pool for the same reason.

Counts for the status bar (pending changes, open conflicts) are re-read through the database
thread on a short timer and after every sync, so an edit shows up within seconds.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from sfa_desktop.services.errors import (
    NotSignedIn,
    ServerUnreachable,
    SignInRequired,
)
from sfa_desktop.services.sync_account import SignInResult
from sfa_desktop.services.sync_session import AccountState, SyncSession
from sfa_desktop.services.sync_status import SyncStatus, sync_status
from sfa_desktop.services.sync_types import SyncPhase, SyncProgress, SyncReport
from sfa_desktop.ui.tasks import ProgressRelay, Task, TaskRunner

from .status_bar_state import SyncCounts, SyncState, SyncStateKind

_log = logging.getLogger(__name__)

MINUTE_MS = 60_000


@dataclass(frozen=True)
class SyncSchedule:
    """The controller's timings (tests pass their own)."""

    #: a sync every … while signed in and reachable
    every_ms: int = 5 * MINUTE_MS
    #: first health probe after the server stopped answering; doubles up to ``probe_max_ms``
    probe_first_ms: int = 5_000
    probe_max_ms: int = 5 * MINUTE_MS
    #: how often pending changes and conflicts are recounted
    recount_ms: int = 3_000


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SyncController(QObject):
    """Runs syncs in the background and reports state, counts and progress by signal."""

    #: :class:`SyncState` — what the status bar says
    state_changed = Signal(object)
    #: :class:`SyncCounts` — pending changes, open conflicts, rejected changes
    counts_changed = Signal(object)
    #: :class:`AccountState` — signed in or out, as whom
    account_changed = Signal(object)
    #: :class:`SyncProgress` of the running sync
    progressed = Signal(object)
    #: a sync (or sign-in) changed local records: views should reload
    data_changed = Signal()
    #: a sync cannot run without a password (no token, e.g. no keyring): ask for it
    sign_in_needed = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        session: SyncSession,
        *,
        schedule: SyncSchedule | None = None,
        now: Callable[[], dt.datetime] = utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._session = session
        self._schedule = schedule or SyncSchedule()
        self._now = now
        self._state = SyncState()
        self._counts = SyncCounts()
        self._account = AccountState(None, False, True)
        self._running = False
        self._again = False
        self._progress_seen = False
        self._pull_total: int | None = None
        self._probe_delay = self._schedule.probe_first_ms
        self._relay = ProgressRelay(self)
        self._relay.progressed.connect(self._on_progress)
        self._periodic = self._timer(self._schedule.every_ms, self._on_periodic, single=False)
        self._probe = self._timer(self._schedule.probe_first_ms, self.probe_server, single=True)
        self._recount = self._timer(self._schedule.recount_ms, self.recount, single=False)

    def _timer(self, interval: int, slot: Callable[[], None], *, single: bool) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(interval)
        timer.setSingleShot(single)
        timer.timeout.connect(slot)
        return timer

    # --- what the window reads ---------------------------------------------------------------

    @property
    def state(self) -> SyncState:
        return self._state

    @property
    def counts(self) -> SyncCounts:
        return self._counts

    @property
    def account(self) -> AccountState:
        return self._account

    @property
    def is_syncing(self) -> bool:
        return self._running

    @property
    def session(self) -> SyncSession:
        return self._session

    @property
    def periodic_timer(self) -> QTimer:
        return self._periodic

    @property
    def probe_timer(self) -> QTimer:
        return self._probe

    # --- life cycle ------------------------------------------------------------------------------

    def start(self) -> None:
        """Read the counts and the account; sync at once when signed in."""
        self.recount()
        self._recount.start()
        self._runner.run_network(
            self._session.account_state,
            on_done=self._on_account_loaded,
            on_error=self._on_account_failed,
            owner=self,
        )

    def stop(self) -> None:
        """Stop the timers."""
        for timer in (self._periodic, self._probe, self._recount):
            timer.stop()

    def shutdown(self, *, wait: float = 10.0) -> None:
        """The app is closing: stop the timers and a running sync (at its next saved batch),
        waiting up to ``wait`` seconds so it ends before the database closes."""
        self.stop()
        if not self._session.cancel(wait=wait):
            _log.warning("the running sync did not stop within %s s", wait)

    def _on_account_loaded(self, account: AccountState) -> None:
        unchanged = account == self._account
        self._set_account(account)
        if unchanged:
            self.account_changed.emit(account)  # listeners learn it was read
        if account.signed_in:
            self.sync_now()
        elif account.identity is not None and not account.keyring_available:
            self.sign_in_needed.emit()  # no keyring: the token died with the last run

    def _on_account_failed(self, error: BaseException) -> None:
        _log.warning("cannot read the sync account: %s", error)
        self._set_state(SyncState(SyncStateKind.ERROR, error=error))

    # --- syncing -------------------------------------------------------------------------------

    def sync_now(self) -> None:
        """Sync now (or right after the running sync); asks for a sign-in if there is none."""
        if not self._account.signed_in:
            self.sign_in_needed.emit()
            return
        if self._running:
            self._again = True
            return
        self._running, self._again, self._progress_seen = True, False, False
        self._pull_total = None
        self._probe.stop()
        self._set_state(replace(self._state, kind=SyncStateKind.SYNCING, progress=None))
        self._runner.run_network(
            lambda: self._session.sync(self._relay.report),
            on_done=self._on_synced,
            on_error=self._on_sync_failed,
            owner=self,
        )

    def sync_soon(self) -> None:
        """Sync now if signed in (after a local change worth sending); never asks to sign in."""
        if self._account.signed_in:
            self.sync_now()

    def _on_progress(self, progress: object) -> None:
        if not isinstance(progress, SyncProgress) or not self._running:
            return
        self._progress_seen = True
        if progress.phase is SyncPhase.PULL:
            # The server estimates the total with the first page only: keep it for the rest.
            if progress.total is not None:
                self._pull_total = progress.total
            elif self._pull_total is not None:
                progress = replace(progress, total=max(self._pull_total, progress.done))
        self._set_state(replace(self._state, progress=progress))
        self.progressed.emit(progress)

    def _on_synced(self, report: SyncReport) -> None:
        self._running = False
        self._probe_delay = self._schedule.probe_first_ms
        self._set_state(SyncState(SyncStateKind.UP_TO_DATE, last_success_at=self._now()))
        self._periodic.start()
        if report.pulled or report.pushed or report.conflicts or report.dropped:
            self.data_changed.emit()
        self.recount()
        self._run_again_if_asked()

    def _on_sync_failed(self, error: BaseException) -> None:
        self._running = False
        if self._progress_seen:
            self.data_changed.emit()  # pages applied before the failure are kept
        last = self._state.last_success_at
        if isinstance(error, ServerUnreachable):
            self._set_state(SyncState(SyncStateKind.UNREACHABLE, last_success_at=last, error=error))
            self._schedule_probe()
        elif isinstance(error, NotSignedIn):
            self._periodic.stop()
            self._set_account(replace(self._account, has_token=False))
            self._set_state(SyncState(SyncStateKind.NOT_SIGNED_IN, last_success_at=last))
        else:
            if isinstance(error, SignInRequired):  # revoked or expired: sign in again
                self._periodic.stop()
                self._set_account(replace(self._account, has_token=False))
            else:
                self._periodic.start()
            _log.info("sync failed: %s", error)
            self._set_state(SyncState(SyncStateKind.ERROR, last_success_at=last, error=error))
        self.recount()
        self._run_again_if_asked()

    def _run_again_if_asked(self) -> None:
        again, self._again = self._again, False
        if again and self._state.kind is not SyncStateKind.UNREACHABLE:
            self.sync_soon()

    def _on_periodic(self) -> None:
        if self._state.kind is not SyncStateKind.UNREACHABLE:
            self.sync_now()

    # --- waiting for the server ----------------------------------------------------------------

    def _schedule_probe(self) -> None:
        self._probe.start(self._probe_delay)
        self._probe_delay = min(self._probe_delay * 2, self._schedule.probe_max_ms)

    def probe_server(self) -> None:
        """While the server is unreachable: ask it for its health; sync as soon as it answers."""
        identity = self._account.identity
        if self._state.kind is not SyncStateKind.UNREACHABLE or self._running or not identity:
            return
        server = identity.server_url
        self._runner.run_network(
            lambda: self._session.server_reachable(server),
            on_done=self._on_probed,
            on_error=lambda _error: self._on_probed(False),
            key=(id(self), "probe"),
            owner=self,
        )

    def _on_probed(self, reachable: bool) -> None:
        if self._state.kind is not SyncStateKind.UNREACHABLE or self._running:
            return
        if reachable:
            self.sync_now()
        else:
            self._schedule_probe()

    # --- counts ----------------------------------------------------------------------------------

    def recount(self) -> None:
        """Re-read pending changes and open conflicts (database thread)."""
        if self._runner.is_shut_down or self._runner.database is None:
            return
        self._runner.run_db(
            sync_status,
            on_done=self._on_status,
            on_error=lambda error: _log.warning("cannot count pending changes: %s", error),
            key=(id(self), "counts"),
            owner=self,
        )

    def _on_status(self, status: SyncStatus) -> None:
        counts = SyncCounts(status.pending_changes, status.open_conflicts, status.rejected)
        if self._state.last_success_at is None and status.last_sync is not None:
            success = status.last_sync.last_success_at
            if success is not None:
                self._set_state(replace(self._state, last_success_at=success))
        if counts != self._counts:
            self._counts = counts
            self.counts_changed.emit(counts)

    # --- signing in and out ----------------------------------------------------------------------

    def sign_in(
        self,
        *,
        server_url: str,
        email: str,
        password: str,
        on_done: Callable[[SignInResult], None],
        on_error: Callable[[BaseException], None],
        owner: QObject,
        ca_file: str | None = None,
    ) -> Task:
        """Sign in (network pool); on success the first sync starts at once. ``ca_file``: the
        company's certificate authority, trusted besides the usual ones."""

        def done(result: SignInResult) -> None:
            self._set_account(AccountState(result.identity, True, result.token_saved))
            if result.profile_reset:
                self.data_changed.emit()
            if shiboken6.isValid(owner):
                on_done(result)
            self.sync_now()

        def failed(error: BaseException) -> None:
            if shiboken6.isValid(owner):
                on_error(error)

        return self._runner.run_network(
            lambda: self._session.sign_in(
                server_url=server_url, email=email, password=password, ca_file=ca_file
            ),
            on_done=done,
            on_error=failed,
            owner=self,
        )

    def sign_out(self, *, on_error: Callable[[BaseException], None] | None = None) -> None:
        """Revoke the token and forget it; local data and pending changes stay."""
        if self._running or not self._account.signed_in:
            return
        self._periodic.stop()
        self._probe.stop()

        def finished() -> None:
            self._set_account(replace(self._account, has_token=False))
            self._set_state(
                SyncState(SyncStateKind.NOT_SIGNED_IN, last_success_at=self._state.last_success_at)
            )

        def failed(error: BaseException) -> None:
            finished()  # the token is forgotten here even when the server did not answer
            if on_error is not None and not isinstance(error, ServerUnreachable):
                on_error(error)

        self._runner.run_network(
            self._session.sign_out,
            on_done=lambda _identity: finished(),
            on_error=failed,
            owner=self,
        )

    # --- helpers -------------------------------------------------------------------------------

    def _set_state(self, state: SyncState) -> None:
        if state != self._state:
            self._state = state
            self.state_changed.emit(state)

    def _set_account(self, account: AccountState) -> None:
        if account != self._account:
            self._account = account
            self.account_changed.emit(account)
        if not account.signed_in and self._state.kind is not SyncStateKind.NOT_SIGNED_IN:
            self._set_state(
                SyncState(SyncStateKind.NOT_SIGNED_IN, last_success_at=self._state.last_success_at)
            )
