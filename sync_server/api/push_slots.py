"""One push at a time in a worker process, and crowded connections sent elsewhere.

Applying a push is Python work that holds the interpreter lock nearly all the time, so two
pushes in one worker process never run in parallel: they take turns, each switch costs, and
the one holding the change-feed counter (see ``records.allocate_sequence``) is slowed by the
other while every other worker's push waits for that counter. A worker therefore applies one
push at a time (:meth:`PushSlots.taken`); the others wait their turn in its thread pool.

Clients keep their connection open, and which worker accepted it is luck: with few clients,
one worker may hold several while another holds none. A push that finishes while another
waits for this worker answers with ``Connection: close`` (:attr:`Slot.crowded`), so that
client's next request opens a new connection, which any worker may accept: an idle worker
is the likeliest to accept it first. A client notices nothing (HTTP clients reconnect).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class Slot:
    """A push's turn; :attr:`crowded` says whether another push waited during it."""

    crowded: bool = False


class PushSlots:
    """The pushes of one worker process, applied one at a time."""

    def __init__(self) -> None:
        self._turn = threading.Lock()
        self._count = threading.Condition()
        self._waiting = 0

    @property
    def waiting(self) -> int:
        """Pushes waiting for their turn now."""
        return self._waiting

    def wait_until_waiting(self, count: int, timeout: float) -> bool:
        """Block until ``count`` pushes wait for their turn (monitoring and tests); whether
        that happened within ``timeout`` seconds."""
        with self._count:
            return self._count.wait_for(lambda: self._waiting == count, timeout)

    @contextmanager
    def taken(self) -> Iterator[Slot]:
        """Wait for this worker's turn and hold it for the block."""
        self._count_waiting(+1)
        try:
            self._turn.acquire()
        finally:
            self._count_waiting(-1)
        slot = Slot()
        try:
            yield slot
        finally:
            slot.crowded = self._waiting > 0
            self._turn.release()

    def _count_waiting(self, change: int) -> None:
        with self._count:
            self._waiting += change
            self._count.notify_all()
