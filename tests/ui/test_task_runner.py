"""The task runner: serialized database thread, network pool, callbacks on the UI thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import QCoreApplication, QObject
from pytestqt.qtbot import QtBot

from sfa_desktop.ui.tasks import ProgressRelay, TaskRunner

from .conftest import WAIT_MS


class FakeDatabase:
    """Counts sessions; the "session" is just a marker string."""

    def __init__(self) -> None:
        self.sessions = 0

    @contextmanager
    def session(self) -> Iterator[str]:
        self.sessions += 1
        yield "session"


def test_database_work_runs_in_one_background_thread_and_reports_on_the_ui_thread(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    runner.attach_database(FakeDatabase())
    ui_thread = threading.get_ident()
    worker_threads: list[int] = []
    results: list[tuple[str, int]] = []

    def work(session: str) -> str:
        worker_threads.append(threading.get_ident())
        return session

    for _ in range(5):
        runner.run_db(work, on_done=lambda value: results.append((value, threading.get_ident())))
    qtbot.waitUntil(lambda: len(results) == 5, timeout=WAIT_MS)
    assert len(set(worker_threads)) == 1 and worker_threads[0] != ui_thread
    assert results == [("session", ui_thread)] * 5
    assert runner.pending_count == 0


def test_database_tasks_run_one_at_a_time_in_order(qtbot: QtBot, runner: TaskRunner) -> None:
    order: list[int] = []
    active = []

    def work(number: int) -> int:
        active.append(number)
        assert len(active) == 1, "two database tasks overlapped"
        order.append(number)
        active.pop()
        return number

    done: list[int] = []
    for number in range(20):
        runner.run_db_call(lambda n=number: work(n), on_done=done.append)
    qtbot.waitUntil(lambda: len(done) == 20, timeout=WAIT_MS)
    assert order == done == list(range(20))


def test_network_work_does_not_wait_for_the_database_thread(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    release = threading.Event()
    db_done: list[bool] = []
    runner.run_db_call(lambda: release.wait(10), on_done=db_done.append)
    net_done: list[str] = []
    runner.run_network(lambda: threading.current_thread().name, on_done=net_done.append)
    qtbot.waitUntil(lambda: bool(net_done), timeout=WAIT_MS)
    assert net_done[0].startswith("sfa-net") and not db_done
    release.set()
    qtbot.waitUntil(lambda: db_done == [True], timeout=WAIT_MS)


def test_a_newer_task_with_the_same_key_makes_older_results_stale(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    started, release = threading.Event(), threading.Event()
    ran: list[str] = []
    delivered: list[str] = []

    def slow_search() -> str:
        started.set()
        release.wait(10)
        ran.append("a")
        return "a"

    runner.run_db_call(slow_search, on_done=delivered.append, key="search")
    assert started.wait(10)
    runner.run_db_call(lambda: ran.append("ab") or "ab", on_done=delivered.append, key="search")
    runner.run_db_call(lambda: ran.append("abc") or "abc", on_done=delivered.append, key="search")
    release.set()
    qtbot.waitUntil(lambda: runner.pending_count == 0, timeout=WAIT_MS)
    # "a" was already running: it finished, but its result was discarded; "ab" never ran.
    assert ran == ["a", "abc"]
    assert delivered == ["abc"]


def test_different_keys_do_not_interfere(qtbot: QtBot, runner: TaskRunner) -> None:
    delivered: list[str] = []
    runner.run_db_call(lambda: "one", on_done=delivered.append, key="first")
    runner.run_db_call(lambda: "two", on_done=delivered.append, key="second")
    qtbot.waitUntil(lambda: len(delivered) == 2, timeout=WAIT_MS)
    assert delivered == ["one", "two"]


def test_a_cancelled_task_reports_nothing(qtbot: QtBot, runner: TaskRunner) -> None:
    delivered: list[str] = []
    task = runner.run_db_call(lambda: "late", on_done=delivered.append)
    task.cancel()
    runner.run_db_call(lambda: "next", on_done=delivered.append)
    qtbot.waitUntil(lambda: runner.pending_count == 0, timeout=WAIT_MS)
    assert delivered == ["next"]


def test_errors_go_to_on_error_or_to_the_task_failed_signal(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    errors: list[BaseException] = []
    runner.run_db_call(lambda: 1 / 0, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=WAIT_MS)
    assert isinstance(errors[0], ZeroDivisionError)
    with qtbot.waitSignal(runner.task_failed, timeout=WAIT_MS) as blocker:
        runner.run_db_call(lambda: [][1])
    assert isinstance(blocker.args[0], IndexError)


def test_run_db_without_a_database_fails_cleanly(qtbot: QtBot, runner: TaskRunner) -> None:
    errors: list[BaseException] = []
    runner.run_db(lambda session: session, on_error=errors.append)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=WAIT_MS)
    assert "no database" in str(errors[0])


def test_results_for_a_deleted_owner_are_dropped(qtbot: QtBot, runner: TaskRunner) -> None:
    owner = QObject()
    release = threading.Event()
    delivered: list[str] = []
    runner.run_db_call(lambda: release.wait(10) and "x", on_done=delivered.append, owner=owner)
    with qtbot.waitSignal(owner.destroyed, timeout=WAIT_MS):
        owner.deleteLater()
    release.set()
    qtbot.waitUntil(lambda: runner.pending_count == 0, timeout=WAIT_MS)
    assert delivered == []


def test_shutdown_runs_the_final_call_on_the_database_thread_and_drops_results(
    qtbot: QtBot,
) -> None:
    runner = TaskRunner()
    release = threading.Event()
    delivered: list[object] = []
    threads: dict[str, int] = {}

    def first() -> str:
        threads["task"] = threading.get_ident()
        release.wait(10)
        return "first"

    runner.run_db_call(first, on_done=delivered.append)
    runner.run_db_call(lambda: "second", on_done=delivered.append)
    release.set()
    runner.shutdown(final_db_call=lambda: threads.__setitem__("final", threading.get_ident()))
    assert threads["final"] == threads["task"]
    assert runner.is_shut_down
    with pytest.raises(RuntimeError, match="shut down"):
        runner.run_db_call(lambda: None)
    QCoreApplication.processEvents()  # any queued delivery arrives now, and is dropped
    assert delivered == []
    runner.shutdown()  # a second call is harmless


def test_progress_reports_reach_the_ui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    relay = ProgressRelay()
    seen: list[tuple[object, int]] = []
    relay.progressed.connect(lambda value: seen.append((value, threading.get_ident())))

    def work() -> None:
        relay.report(1, 4)
        relay.report(0.5)

    runner.run_db_call(work)
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=WAIT_MS)
    assert seen == [((1, 4), threading.get_ident()), (0.5, threading.get_ident())]
