"""One write lock for the app's writers: each transaction that writes takes it first, in turn.

The app writes the profile's SQLite file from more than one thread: the database thread (the
UI's edits) and the thread running a sync (each acknowledged batch, each pulled page). SQLite in
WAL mode lets readers run beside a writer, so serializing the *writers* is what matters; this
module does it, first come, first served, with SQLite's busy timeout behind it for other
processes (see the README and :mod:`sfa_desktop.ui.tasks`).
"""

from __future__ import annotations

import threading
import weakref
from collections import deque

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, SessionTransaction

from sfa_desktop.store.database import BUSY_TIMEOUT_MS


def take_write_lock(session: Session) -> None:
    """Start the transaction as a writer, before it reads anything.

    SQLite (WAL) refuses to upgrade a transaction that has read an older snapshot to a writer
    once another connection has written; taking the write lock first (waiting up to the busy
    timeout) lets sync and the UI's edits run side by side. Writers of this process take it in
    turn (:class:`WriteTurns`), so an edit made during a first sync waits for one page at most.
    """
    _take_turn(session)
    session.execute(text("UPDATE app_meta SET value = value WHERE key = 'schema_version'"))


class WriteTurns:
    """First come, first served turns at one database's write lock, among this process's threads.

    SQLite makes a writer that finds the lock taken poll for it, sleeping up to 100 ms between
    tries; a sync applying page after page takes the lock again within a millisecond of each
    commit, so an edit could wait many pages. Here the writers of this process queue instead
    and each is woken as soon as the one before it ends its transaction. Other processes still
    meet SQLite's own busy wait.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._queue: deque[object] = deque()
        self._holder: int | None = None

    @property
    def held(self) -> bool:
        return self._holder is not None

    @property
    def held_here(self) -> bool:
        """Whether the calling thread holds the turn."""
        return self._holder == threading.get_ident()

    @property
    def waiting(self) -> int:
        return len(self._queue)

    def acquire(self, timeout: float) -> bool:
        """Wait for this thread's turn; False if it did not come in ``timeout`` seconds (the
        caller then goes on and SQLite's busy timeout decides) or if the thread already holds
        the turn through another session."""
        me = threading.get_ident()
        with self._condition:
            if self._holder == me:
                return False
            ticket = object()
            self._queue.append(ticket)
            came = self._condition.wait_for(
                lambda: self._holder is None and self._queue[0] is ticket, timeout
            )
            self._queue.remove(ticket)
            if came:
                self._holder = me
            self._condition.notify_all()
            return came

    def release(self) -> None:
        with self._condition:
            self._holder = None
            self._condition.notify_all()


_TURNS: weakref.WeakKeyDictionary[Engine, WriteTurns] = weakref.WeakKeyDictionary()
_TURNS_LOCK = threading.Lock()
#: ``Session.info`` key: this session's transaction holds the turn
_HOLDS_TURN = "sfa_holds_write_turn"
_RELEASES_TURN = "sfa_releases_write_turn"


def write_turns(engine: Engine) -> WriteTurns:
    """The turns at ``engine``'s database (one per engine, made on first use)."""
    with _TURNS_LOCK:
        turns = _TURNS.get(engine)
        if turns is None:
            turns = _TURNS[engine] = WriteTurns()
        return turns


def _take_turn(session: Session) -> None:
    if session.info.get(_HOLDS_TURN):
        return
    bind = session.get_bind()
    turns = write_turns(bind.engine)
    if not turns.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
        return
    session.info[_HOLDS_TURN] = turns
    if not session.info.get(_RELEASES_TURN):
        session.info[_RELEASES_TURN] = True
        event.listen(session, "after_transaction_end", _end_turn)


def _end_turn(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        turns = session.info.pop(_HOLDS_TURN, None)
        if turns is not None:
            turns.release()
