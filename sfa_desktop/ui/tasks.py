"""The task runner: database and network work off the UI thread, results back by signal.

* **One database thread for the UI's own work.** Every SQLite call the UI makes goes through
  :meth:`TaskRunner.run_db` (gets a session) or :meth:`TaskRunner.run_db_call` (no session:
  opening the file, loading demo data). Tasks run one at a time in submission order.
* **A small network pool** (:meth:`TaskRunner.run_network`) for sync and other HTTP calls, so a
  slow server never delays a local query.
* **The sync writes from the network pool, by design.** A sync mixes minutes of HTTP with short
  transactions (a batch acknowledged, a page applied); on the database thread each of them
  would hold up every list, search and edit queued behind it. So the engine runs whole in the
  network pool, on its own sessions of the same :class:`~sfa_desktop.store.database.Database`.
  SQLite in WAL mode lets reads run beside a writer; what must happen one at a time is the
  writing, and every writer, the UI's edits and the sync's steps alike, first takes the write
  turn (:mod:`sfa_desktop.sync.write_turns`, first come, first served). An edit made during a
  sync waits at most for the page being applied; reads never wait
  (``tests/ui/test_sync_threads.py``).
* **Callbacks run on the UI thread**, delivered through a queued signal; a worker never
  touches a widget.
* **Stale results are dropped.** Tasks submitted with the same ``key`` supersede each other: only
  the newest one's callbacks run, and older ones that have not started yet are skipped. Use a
  key per requester and purpose, e.g. ``(id(model), "page")``. :meth:`Task.cancel` drops one task.
* **Owner lifetime.** Pass ``owner=widget`` and the callbacks are skipped if that object has
  been deleted by the time the result arrives.
* :meth:`TaskRunner.shutdown` (called once by the composition root) drops pending results,
  runs a last database call (closing the database), and joins the threads.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypedDict, TypeVar, Unpack

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal, Slot

_log = logging.getLogger(__name__)

T = TypeVar("T")


class SessionSource(Protocol):
    """What the runner needs of a database: a transactional session context."""

    def session(self) -> AbstractContextManager[Any]: ...


class TaskHooks(TypedDict, Generic[T], total=False):
    """What a submitted task may be given besides its work (all optional): ``on_done(result)``
    and ``on_error(exception)``, run on the UI thread; ``key``, a newer task with the same key
    supersedes it; ``owner``, its callbacks are skipped once that object is deleted."""

    on_done: Callable[[T], None] | None
    on_error: Callable[[BaseException], None] | None
    key: Hashable | None
    owner: QObject | None


@dataclass(eq=False)
class Task:
    """A handle on a submitted task (created and used on the UI thread)."""

    task_id: int
    key: Hashable | None
    on_done: Callable[[Any], None] | None
    on_error: Callable[[BaseException], None] | None
    owner: QObject | None
    _cancelled: threading.Event = field(default_factory=threading.Event, repr=False)

    def cancel(self) -> None:
        """Drop this task: skip it if it has not started, ignore its result if it has."""
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()


class TaskRunner(QObject):
    """Runs work on a serialized database thread and a network pool (see module docstring)."""

    #: A task without an ``on_error`` callback failed; the window shows it in the status bar.
    task_failed = Signal(object)
    #: Internal: a worker finished (task id, succeeded?, result or exception).
    _finished = Signal(int, bool, object)

    def __init__(self, *, network_workers: int = 2, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sfa-db")
        self._net_executor = ThreadPoolExecutor(
            max_workers=network_workers, thread_name_prefix="sfa-net"
        )
        self._database: SessionSource | None = None
        self._tasks: dict[int, Task] = {}
        self._latest_by_key: dict[Hashable, int] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._finished.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    # --- configuration -------------------------------------------------------------------

    def attach_database(self, database: SessionSource | None) -> None:
        """Use ``database`` for later :meth:`run_db` tasks (call once it has been opened)."""
        self._database = database

    @property
    def database(self) -> SessionSource | None:
        return self._database

    @property
    def pending_count(self) -> int:
        """Tasks submitted whose result has not been delivered or dropped yet."""
        return len(self._tasks)

    # --- submitting work -------------------------------------------------------------------

    def run_db(self, fn: Callable[[Any], T], **hooks: Unpack[TaskHooks[T]]) -> Task:
        """Run ``fn(session)`` on the database thread inside one ``database.session()``."""

        def with_session() -> T:
            database = self._database
            if database is None:
                raise RuntimeError("no database is open")
            with database.session() as session:
                return fn(session)

        return self._submit(self._db_executor, with_session, hooks)

    def run_db_call(self, fn: Callable[[], T], **hooks: Unpack[TaskHooks[T]]) -> Task:
        """Run ``fn()`` on the database thread without a session (open, migrate, load demo)."""
        return self._submit(self._db_executor, fn, hooks)

    def run_network(self, fn: Callable[[], T], **hooks: Unpack[TaskHooks[T]]) -> Task:
        """Run ``fn()`` in the network pool (never for database work)."""
        return self._submit(self._net_executor, fn, hooks)

    def _submit(
        self, executor: ThreadPoolExecutor, fn: Callable[[], T], hooks: TaskHooks[T]
    ) -> Task:
        if self._closed:
            raise RuntimeError("the task runner has been shut down")
        key = hooks.get("key")
        task = Task(
            next(self._ids), key, hooks.get("on_done"), hooks.get("on_error"), hooks.get("owner")
        )
        if key is not None:
            previous = self._tasks.get(self._latest_by_key.get(key, 0))
            if previous is not None:
                previous.cancel()
            self._latest_by_key[key] = task.task_id
        self._tasks[task.task_id] = task
        # The worker gets the id and the cancel flag, never the Task: its callbacks hold
        # widgets, and the last reference to a widget must not be dropped on a worker thread
        # (that would destroy it there).
        executor.submit(self._execute, task.task_id, task._cancelled, fn)
        return task

    def _execute(self, task_id: int, cancelled: threading.Event, fn: Callable[[], Any]) -> None:
        """Worker side: run ``fn`` unless cancelled, then post the outcome to the UI thread."""
        if cancelled.is_set() or self._closed:
            self._finished.emit(task_id, False, None)
            return
        try:
            result = fn()
        except BaseException as exc:  # delivered to on_error on the UI thread
            self._finished.emit(task_id, False, exc)
        else:
            self._finished.emit(task_id, True, result)

    @Slot(int, bool, object)
    def _deliver(self, task_id: int, succeeded: bool, payload: object) -> None:
        """UI side: call the task's callback unless it is stale, cancelled or orphaned."""
        task = self._tasks.pop(task_id, None)
        if task is None:
            return
        if task.key is not None and self._latest_by_key.get(task.key) == task_id:
            del self._latest_by_key[task.key]
        if self._closed or task.cancelled:
            return
        if task.owner is not None and not shiboken6.isValid(task.owner):
            return
        if succeeded:
            if task.on_done is not None:
                task.on_done(payload)
            return
        if payload is None:  # skipped before it ran
            return
        assert isinstance(payload, BaseException)
        if task.on_error is not None:
            task.on_error(payload)
        else:
            _log.error("background task failed", exc_info=payload)
            self.task_failed.emit(payload)

    # --- shutting down ---------------------------------------------------------------------

    def shutdown(self, final_db_call: Callable[[], None] | None = None) -> None:
        """Drop pending results, run ``final_db_call`` on the database thread, join threads."""
        if self._closed:
            return
        self._closed = True
        for task in self._tasks.values():
            task.cancel()
        if final_db_call is not None:
            self._db_executor.submit(_log_failures, final_db_call)
        self._net_executor.shutdown(wait=True, cancel_futures=True)
        self._db_executor.shutdown(wait=True)
        self._tasks.clear()
        self._latest_by_key.clear()

    @property
    def is_shut_down(self) -> bool:
        return self._closed


def _log_failures(fn: Callable[[], None]) -> None:
    try:
        fn()
    except Exception:
        _log.exception("final database call failed")


class ProgressRelay(QObject):
    """Forwards progress reports from a worker thread to the UI thread.

    Pass :meth:`report` as a worker's progress callback and connect :attr:`progressed`.
    """

    progressed = Signal(object)

    def report(self, *values: object) -> None:
        """Thread-safe: emit ``progressed`` (queued to the UI thread) with the values."""
        self.progressed.emit(values[0] if len(values) == 1 else values)
