"""The sync engine: push the outbox, then pull pages of changes (SPEC §4). No Qt.

``SyncEngine.sync()`` is what the CLI and the app's background sync call. Every step is one
SQLite transaction (a pushed batch is acknowledged in one, each pulled page is applied together
with its cursor in one), so a crash, a kill or a lost connection at any moment loses nothing:
the next sync pushes what was not acknowledged (the server answers replays with the same
results) and resumes pulling after the last page saved.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from sqlalchemy.orm import Session

from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import MetaKey, get_meta
from sync_server.protocol.hlc import HybridLogicalClock, InvalidStamp, Stamp
from sync_server.protocol.wire import MAX_PULL_LIMIT, MAX_PUSH_MUTATIONS, PullResponse

from . import outbox, restore_check, state
from .errors import SyncBusy, SyncError
from .pull_apply import apply_page, drop_deferred
from .push_ack import acknowledge
from .report import LastSync, SyncPhase, SyncProgress, SyncReport, load_last_sync, save_last_sync
from .transport import SyncApi

PUSH_BATCH = 1000
PULL_PAGE = 2000

ProgressCallback = Callable[[SyncProgress], None]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class SyncEngine:
    """Syncs one profile's database with one server. One sync at a time (thread safe)."""

    def __init__(
        self,
        database: Database,
        api: SyncApi,
        *,
        clock: HybridLogicalClock | None = None,
        now: Callable[[], dt.datetime] = _utc_now,
        push_batch: int = PUSH_BATCH,
        pull_page: int = PULL_PAGE,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.database = database
        self.api = api
        self._clock = clock
        self._now = now
        self.push_batch = max(1, min(push_batch, MAX_PUSH_MUTATIONS))
        self.pull_page = max(1, min(pull_page, MAX_PULL_LIMIT))
        self._timer = timer
        self._running = threading.Lock()

    def sync(self, progress: ProgressCallback | None = None) -> SyncReport:
        """Push every pending change, then pull everything new. Raises :class:`SyncError`."""
        if not self._running.acquire(blocking=False):
            raise SyncBusy("a sync of this profile is already running")
        try:
            return self._sync(progress)
        finally:
            self._running.release()

    # --- the steps ------------------------------------------------------------------------------

    def _sync(self, progress: ProgressCallback | None) -> SyncReport:
        started = self._timer()
        tally = _Tally()
        sent0, received0 = self.api.traffic.sent, self.api.traffic.received
        try:
            if not self._restore_check_running():
                try:
                    self._push_all(tally, progress)
                except SyncError as error:
                    if error.code != "epoch_changed":
                        raise
                    self._begin_restore_check()
            with self.database.session() as session:
                state.take_write_lock(session)
                tally.dropped += drop_deferred(session)
            self._pull_all(tally, progress)
            if self._finish_restore_check():  # send back what the server lacked, pull the answers
                self._push_all(tally, progress)
                self._pull_all(tally, progress)
        except SyncError as error:
            self._record(tally, started, error)
            raise
        except Exception as error:
            self._record(tally, started, SyncError(str(error) or type(error).__name__))
            raise
        self._record(tally, started, None)
        return SyncReport(
            pushed=tally.pushed,
            pulled=tally.pulled,
            conflicts=tally.conflicts,
            rejected=tally.rejected,
            duration=self._timer() - started,
            dropped=tally.dropped,
            bytes_sent=self.api.traffic.sent - sent0,
            bytes_received=self.api.traffic.received - received0,
        )

    def _push_all(self, tally: _Tally, progress: ProgressCallback | None) -> None:
        with self.database.session() as session:
            total = outbox.pending_count(session)
        while True:
            with self.database.session() as session:
                state.take_write_lock(session)
                batch = outbox.next_batch(session, self.push_batch)
                outbox.count_attempt(session, [e.mutation_id for e in batch])
            if not batch:
                return
            response = self.api.push([entry.to_mutation() for entry in batch])
            with self.database.session() as session:
                state.take_write_lock(session)
                result = acknowledge(session, batch, response.results, now=self._now())
                self._observe(session, response.server_hlc)
            tally.pushed += result.pushed
            tally.rejected += result.rejected
            if progress is not None:
                progress(SyncProgress(SyncPhase.PUSH, tally.pushed, max(total, tally.pushed)))

    def _pull_all(self, tally: _Tally, progress: ProgressCallback | None) -> None:
        """Pull pages until the server has no more; the next page is fetched while the
        current one is written (the server and the client work at the same time)."""
        with self.database.session() as session:
            cursor = state.get_cursor(session)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sfa-pull") as fetcher:
            page = self._first_page(fetcher, cursor)
            while True:
                following: Future[PullResponse] | None = None
                if page.has_more:
                    following = fetcher.submit(self.api.pull, page.next_cursor, self.pull_page)
                try:
                    self._apply(page, tally, progress)
                except BaseException:
                    if following is not None:
                        following.cancel()
                    raise
                if following is None:
                    return
                page = following.result()

    def _first_page(self, fetcher: ThreadPoolExecutor, cursor: str) -> PullResponse:
        try:
            return fetcher.submit(self.api.pull, cursor, self.pull_page).result()
        except SyncError as error:
            if error.code not in ("cursor_ahead", "epoch_changed"):
                raise
        # the server was restored from a backup: pull everything again and send back what
        # it no longer has
        self._begin_restore_check()
        return fetcher.submit(self.api.pull, "0", self.pull_page).result()

    def _apply(self, page: PullResponse, tally: _Tally, progress: ProgressCallback | None) -> None:
        with self.database.session() as session:
            state.take_write_lock(session)
            check = restore_check.current(session)
            if check is not None:
                restore_check.compare(session, page.changes, check, now=self._now())
            result = apply_page(session, page.changes)
            state.set_cursor(session, page.next_cursor)
            self._adopt_epoch(session)
            self._observe(session, page.server_hlc)
        tally.pulled += len(page.changes)
        tally.conflicts += result.conflicts
        tally.dropped += result.dropped
        if progress is not None:
            total = tally.pulled + page.remaining if page.remaining is not None else None
            progress(SyncProgress(SyncPhase.PULL, tally.pulled, total))

    # --- a server restored from a backup (see :mod:`.restore_check`) ----------------------------

    def _restore_check_running(self) -> bool:
        """Load the epoch this device synced with; whether a restore check is unfinished (then
        nothing is pushed before the full pull has compared every record)."""
        with self.database.session() as session:
            self.api.epoch = state.get_epoch(session)
            return restore_check.current(session) is not None

    def _adopt_epoch(self, session: Session) -> None:
        """The first epoch this device hears of (a first sync, or after an update)."""
        seen = self.api.server_epoch
        if self.api.epoch is None and seen:
            state.set_epoch(session, seen)
            self.api.epoch = seen

    def _begin_restore_check(self) -> None:
        info = self.api.epoch_info()
        # a device that never stored an epoch (updated from protocol 1) cannot tell a rotation
        rotated = self.api.epoch is not None and info.epoch != self.api.epoch
        restored_ms = (
            restore_check.restored_at_ms(info.started_at)
            if rotated
            else int(self._now().timestamp() * 1000)
        )
        with self.database.session() as session:
            state.take_write_lock(session)
            restore_check.begin(
                session,
                epoch=info.epoch,
                floor=info.version_floor if rotated else None,
                restored_at_ms=restored_ms,
                node=get_meta(session, MetaKey.DEVICE_ID) or "restore",
            )
        self.api.epoch = info.epoch

    def _finish_restore_check(self) -> bool:
        """After the full pull: queue the records the server never showed; True if a check ran."""
        with self.database.session() as session:
            state.take_write_lock(session)
            check = restore_check.current(session)
            if check is None:
                return False
            restore_check.finish(session, check, now=self._now())
        return True

    # --- helpers --------------------------------------------------------------------------------

    def _observe(self, session: Session, server_hlc: str) -> None:
        """Keep this device's clock after the server's (so later edits sort after it)."""
        try:
            remote = Stamp.parse(server_hlc)
        except InvalidStamp:
            return
        clock = self._clock or self._stored_clock(session)
        if clock is not None:
            state.set_meta_stamp(session, clock.observe(remote))

    def _stored_clock(self, session: Session) -> HybridLogicalClock | None:
        device_id = get_meta(session, MetaKey.DEVICE_ID)
        if not device_id:
            return None
        now = self._now
        return HybridLogicalClock(
            device_id,
            wall=lambda: int(now().timestamp() * 1000),
            last=state.get_meta_stamp(session),
        )

    def _record(self, tally: _Tally, started: float, error: SyncError | None) -> None:
        """Remember how this sync ended (best effort: never hides the real error)."""
        try:
            with self.database.session() as session:
                previous = load_last_sync(session)
                now = self._now()
                last_success = previous.last_success_at if previous else None
                save_last_sync(
                    session,
                    LastSync(
                        at=now,
                        ok=error is None,
                        code=error.code if error else None,
                        message=error.message if error else None,
                        pushed=tally.pushed,
                        pulled=tally.pulled,
                        conflicts=tally.conflicts,
                        rejected=tally.rejected,
                        duration=round(self._timer() - started, 3),
                        last_success_at=now if error is None else last_success,
                    ),
                )
        except Exception:  # pragma: no cover - the database itself is failing
            if error is None:
                raise


class _Tally:
    def __init__(self) -> None:
        self.pushed = 0
        self.pulled = 0
        self.conflicts = 0
        self.rejected = 0
        self.dropped = 0
