"""The sync engine: push the outbox, then pull pages of changes (SPEC §4). No Qt.

A failed push does not stop the pull; the push's error is raised after it. A change the server
fails on every time is found and, after a few syncs, set aside (see :mod:`.push_failures`).

Pulled pages are fetched ahead of the one being written, each requested as soon as the page
before it is parsed (see :mod:`.page_feed`); plain ones (a first sync's) arrive as ready-made
rows, written in bulk (see :mod:`.pulled_pages`).

``SyncEngine.sync()`` is what the CLI and the app's background sync call. Every step is one
SQLite transaction (a pushed batch is acknowledged in one, pulled pages are applied together
with their cursor in one — a page, or a few when they arrive faster than they are written),
so a crash, a kill or a lost connection at any moment loses nothing: the next sync pushes what was not acknowledged (the server answers replays with the same
results) and resumes pulling after the last page saved.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from sfa_desktop.store.bulk_insert import BulkInsert
from sfa_desktop.store.collector import collect_young, collector_paused
from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import MetaKey, get_meta
from sync_server.protocol.hlc import HybridLogicalClock, InvalidStamp, Stamp
from sync_server.protocol.wire import MAX_PULL_LIMIT, MAX_PUSH_MUTATIONS, Mutation

from . import bookkeeping, faults, number_blocks, outbox, restore_check, write_turns
from .errors import SyncBusy, SyncError
from .outbox import PendingEntry
from .page_feed import PageFeed
from .pull_apply import PageResult, apply_pulled, drop_deferred
from .pulled_pages import PulledPage
from .push_ack import acknowledge
from .push_failures import UNSENDABLE, blames_the_batch, charge, sendable_prefix, set_aside
from .report import LastSync, SyncPhase, SyncProgress, SyncReport, load_last_sync, save_last_sync
from .transport import NO_RETRY, RetryPolicy, SyncApi

PUSH_BATCH = 1000
PULL_PAGE = 2000
#: A pulled transaction commits after this many records at most (see ``_pull_transaction``) …
PULL_COMMIT_RECORDS = 10_000
#: … or after this long (other programs' writers meet SQLite's 5 s busy timeout)
PULL_COMMIT_SECONDS = 1.0
#: how long an open transaction waits for the next page before it commits without it
NEXT_PAGE_WAIT_S = 0.1
#: pages fetched and made ready ahead of the one being written (see :mod:`.page_feed`)
PULL_AHEAD = 2

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
        pull_commit_records: int = PULL_COMMIT_RECORDS,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self.database = database
        self.api = api
        self._clock = clock
        self._now = now
        self.push_batch = max(1, min(push_batch, MAX_PUSH_MUTATIONS))
        self.pull_page = max(1, min(pull_page, MAX_PULL_LIMIT))
        #: 1 (or the page size): one transaction per page
        self.pull_commit_records = max(1, pull_commit_records)
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
            push_error: SyncError | None = None
            if not self._restore_check_running():  # else: compare everything before pushing
                push_error = self._push_all(tally, progress)
                if push_error is not None and push_error.code == "epoch_changed":
                    push_error = None  # nothing was written: check what the server lost first
                    self._begin_restore_check()
            with self.database.session() as session:
                write_turns.take_write_lock(session)
                tally.dropped += drop_deferred(session)
            faults.reached("sync.before_pull")
            self._pull_all(tally, progress)  # even when the push failed (push_failures)
            if push_error is None and self._finish_restore_check():
                push_error = self._push_all(tally, progress)  # what the server lacked
                self._pull_all(tally, progress)  # and the answers (conflicts)
            if tally.suspects:
                with self.database.session() as session:
                    write_turns.take_write_lock(session)
                    tally.rejected += charge(session, tally.suspects, now=self._now()).rejected
            lease_error = self._top_up_numbers()
            if push_error is not None:
                raise push_error
            if lease_error is not None:
                raise lease_error
        except SyncError as error:
            self._record(tally, started, error)
            raise
        except Exception as error:
            self._record(tally, started, SyncError(str(error) or type(error).__name__))
            raise
        faults.reached("sync.before_record")
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

    def _push_all(self, tally: _Tally, progress: ProgressCallback | None) -> SyncError | None:
        """Push batches until the outbox is empty or one fails; returns that failure."""
        with self.database.session() as session:
            total = outbox.pending_count(session)
        while True:
            with self.database.session() as session:
                batch = outbox.next_batch(session, self.push_batch)
            if not batch:
                return None
            if batch[0].attempts:  # refused alone before: alone again, ahead of the rest
                batch = batch[:1]
            mutations, unsendable = sendable_prefix(batch)
            if not mutations and unsendable is not None:
                with self.database.session() as session:
                    write_turns.take_write_lock(session)
                    done = set_aside(session, batch[0], UNSENDABLE, unsendable, now=self._now())
                tally.rejected += done.rejected
                continue
            error = self._push(batch[: len(mutations)], mutations, tally, self.api.retry)
            if progress is not None:
                progress(SyncProgress(SyncPhase.PUSH, tally.pushed, max(total, tally.pushed)))
            if error is not None:
                return error

    def _push(
        self,
        batch: list[PendingEntry],
        mutations: list[Mutation],
        tally: _Tally,
        retry: RetryPolicy,
    ) -> SyncError | None:
        """Send one batch and store the answers; a blamed batch is split (push_failures)."""
        faults.reached("push.before_send")
        try:
            response = self.api.push(mutations, retry=retry)
        except SyncError as error:
            if not blames_the_batch(error):
                return error
            if len(batch) == 1:
                tally.suspects.append((batch[0].mutation_id, error))
                return error
            half = len(batch) // 2
            first = self._push(batch[:half], mutations[:half], tally, NO_RETRY)
            return first or self._push(batch[half:], mutations[half:], tally, NO_RETRY)
        faults.reached("push.after_send")
        with self.database.session() as session:
            write_turns.take_write_lock(session)
            result = acknowledge(session, batch, response.results, now=self._now())
            self._observe(session, response.server_hlc)
            faults.reached("push.before_ack_commit")
        faults.reached("push.after_ack")
        tally.pushed += result.pushed
        tally.rejected += result.rejected
        return None

    def _pull_all(self, tally: _Tally, progress: ProgressCallback | None) -> None:
        """Pull pages until the server has no more; the pages after the one being written are
        fetched meanwhile, each requested as soon as the one before it is read (the server and
        the client work at the same time, see :mod:`.page_feed`)."""
        with self.database.session() as session:
            cursor = bookkeeping.get_cursor(session)
        page: PulledPage | None = self._first_page(cursor)
        assert page is not None
        # parsing pages into rows makes objects by the hundred thousand, none in a cycle
        with collector_paused(), PageFeed(self.api, self.pull_page, page, ahead=PULL_AHEAD) as feed:
            while page is not None:
                page = self._pull_transaction(feed, page, tally, progress)
                collect_young()  # the few cycles of a transaction's pages, not the whole heap

    def _first_page(self, cursor: str) -> PulledPage:
        try:
            return self.api.pull_page(cursor, self.pull_page)
        except SyncError as error:
            if error.code not in ("cursor_ahead", "epoch_changed"):
                raise
        # the server was restored from a backup: pull everything again and send back what
        # it no longer has
        self._begin_restore_check()
        return self.api.pull_page("0", self.pull_page)

    def _pull_transaction(
        self,
        feed: PageFeed,
        page: PulledPage,
        tally: _Tally,
        progress: ProgressCallback | None,
    ) -> PulledPage | None:
        """Apply ``page``, and the pages after it while :meth:`_keep_open` allows, in one
        transaction with the cursor of the last; return the next page (None: no more).

        A commit rewrites every index page the transaction touched and, now and then, copies
        the WAL back into the database: one commit per page made a first sync of 100,000
        records spend a third of its time there. So pages already fetched go into the same
        transaction — but it commits as soon as another writer of this process waits for its
        turn (an edit waits for one page at most, as before), when the next page is not here
        within :data:`NEXT_PAGE_WAIT_S` (the lock is not held while waiting for the network),
        after ``pull_commit_records`` records or :data:`PULL_COMMIT_SECONDS`.
        """
        records, result = 0, PageResult()
        started = self._timer()
        turns = write_turns.write_turns(self.database.engine)
        with self.database.session() as session:
            write_turns.take_write_lock(session)
            # new records go in as plain inserts, their derived tables brought up to date once
            bulk = BulkInsert(session)
            feed.start()  # the next pages come while this one is written
            while True:
                result.add(self._apply(session, page, bulk))
                records += page.size
                if not page.has_more or not self._keep_open(feed, turns, records, started):
                    break
                page = feed.take()
            bulk.settle()
            faults.reached("pull.before_page_commit")
        faults.reached("pull.after_page")
        tally.pulled += records
        tally.conflicts += result.conflicts
        tally.dropped += result.dropped
        if progress is not None:
            total = tally.pulled + page.remaining if page.remaining is not None else None
            progress(SyncProgress(SyncPhase.PULL, tally.pulled, total))
        # a failed fetch: what was applied is committed, then its error is raised here
        return feed.take() if page.has_more else None

    def _keep_open(
        self, feed: PageFeed, turns: write_turns.WriteTurns, records: int, started: float
    ) -> bool:
        """Whether the next page goes into the open transaction (see :meth:`_pull_transaction`)."""
        if records >= self.pull_commit_records or self._timer() >= started + PULL_COMMIT_SECONDS:
            return False
        if turns.waiting:
            return False
        here = feed.wait(NEXT_PAGE_WAIT_S)  # a page nearly here is worth it
        # a failed fetch: what is applied is committed first, then the error is raised
        return here and not feed.failed and not turns.waiting

    def _apply(self, session: Session, page: PulledPage, bulk: BulkInsert) -> PageResult:
        """One page and its cursor, in the open transaction."""
        faults.reached("pull.after_fetch")
        check = restore_check.current(session)
        if check is not None:
            restore_check.compare(session, page.changes, check, now=self._now())
        result = apply_pulled(session, page, bulk)
        faults.reached("pull.before_cursor")
        bookkeeping.set_cursor(session, page.next_cursor)
        self._adopt_epoch(session)
        self._observe(session, page.server_hlc)
        return result

    def _top_up_numbers(self) -> SyncError | None:
        """Lease quote numbers when few are left (:mod:`.number_blocks`); its failure is
        returned, to be raised after the push's own."""
        try:
            number_blocks.top_up(self.database, self.api, today=self._now().date())
        except SyncError as error:
            return error
        return None

    # --- a server restored from a backup (see :mod:`.restore_check`) ----------------------------

    def _restore_check_running(self) -> bool:
        """Load the epoch this device synced with; whether a restore check is unfinished (then
        nothing is pushed before the full pull has compared every record)."""
        with self.database.session() as session:
            self.api.epoch = bookkeeping.get_epoch(session)
            return restore_check.current(session) is not None

    def _adopt_epoch(self, session: Session) -> None:
        """The first epoch this device hears of (a first sync, or after an update)."""
        seen = self.api.server_epoch
        if self.api.epoch is None and seen:
            bookkeeping.set_epoch(session, seen)
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
            write_turns.take_write_lock(session)
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
            write_turns.take_write_lock(session)
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
            bookkeeping.set_meta_stamp(session, clock.observe(remote))

    def _stored_clock(self, session: Session) -> HybridLogicalClock | None:
        device_id = get_meta(session, MetaKey.DEVICE_ID)
        if not device_id:
            return None
        now = self._now
        return HybridLogicalClock(
            device_id,
            wall=lambda: int(now().timestamp() * 1000),
            last=bookkeeping.get_meta_stamp(session),
        )

    def _record(self, tally: _Tally, started: float, error: SyncError | None) -> None:
        """Remember how this sync ended (best effort: never hides the real error)."""
        try:
            with self.database.session() as session:
                write_turns.take_write_lock(session)  # it reads, then writes: an edit in between
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
        #: entries refused when sent alone, with the error (charged if the pull succeeds)
        self.suspects: list[tuple[str, SyncError]] = []
