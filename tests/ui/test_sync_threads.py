"""Where the background sync does its database work (see ``ui/tasks.py``): on the network-pool
thread running it, not on the database thread. Its writes take the write turn, so an edit
waits for the page being applied, while the database thread goes on serving reads."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot
from server.helpers import PASSWORD
from sqlalchemy.orm import Session

from sfa_desktop.services.editing import create_record, load_edit_context
from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import get_meta, set_meta
from sfa_desktop.sync import faults
from sfa_desktop.sync.write_turns import take_write_lock, write_turns
from sfa_desktop.ui.sync.controller import SyncController
from sfa_desktop.ui.sync.status_bar_state import SyncStateKind
from sfa_desktop.ui.tasks import TaskRunner

from .desktop_sync import SERVER_URL, SyncServer, desktop_session

#: fault points the engine reaches inside one of its write transactions
IN_TRANSACTION = {
    "push.before_ack_commit",
    "pull.mid_page",
    "pull.before_cursor",
    "pull.before_page_commit",
}
WAIT_S = 10.0


class SyncSteps:
    """Records on which thread each step of the sync runs; holds it inside its first page's
    transaction until :meth:`resume`."""

    def __init__(self, database: Database) -> None:
        self.turns = write_turns(database.engine)
        #: (fault point, thread name, holds the write turn)
        self.steps: list[tuple[str, str, bool]] = []
        self.inside_page = threading.Event()
        self._resume = threading.Event()

    def reached(self, point: str) -> None:
        self.steps.append((point, threading.current_thread().name, self.turns.held_here))
        if point == "pull.before_page_commit" and not self.inside_page.is_set():
            self.inside_page.set()
            assert self._resume.wait(WAIT_S), "the test never let the sync go on"

    def resume(self) -> None:
        self._resume.set()


def test_the_sync_writes_on_its_network_thread_in_turn_and_the_database_thread_stays_free(
    qtbot: QtBot,
    sync_server: SyncServer,
    desktop_database: Database,
    desktop_runner: TaskRunner,
    make_controller: Callable[..., SyncController],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    session = desktop_session(sync_server, desktop_database)
    session.sign_in(server_url=SERVER_URL, email=sync_server.team.rep_a.email, password=PASSWORD)
    session.sync()  # the first sync brings the user's own record: she can create accounts
    with desktop_database.session() as db:  # a change to push: the sync acknowledges it
        create_record(db, load_edit_context(db), "account", {"name": "Talleres Ruiz"})
    steps = SyncSteps(desktop_database)
    monkeypatch.setattr(faults, "reached", steps.reached)
    controller = make_controller(session)
    controller.start()
    qtbot.waitUntil(steps.inside_page.is_set, timeout=15_000)

    try:
        # the sync holds its page transaction and the write turn: a read on the database thread
        # goes through, an edit waits for its turn
        read: list[str] = []
        desktop_runner.run_db(
            lambda db: f"{threading.current_thread().name} {get_meta(db, 'sync_cursor')}",
            on_done=read.append,
        )
        qtbot.waitUntil(lambda: bool(read), timeout=5_000)
        assert read[0].startswith("sfa-db")

        def edit(db: Session) -> str:
            take_write_lock(db)
            set_meta(db, "edited_during_sync", "yes")
            return threading.current_thread().name

        edited: list[str] = []
        desktop_runner.run_db(edit, on_done=edited.append)
        qtbot.waitUntil(lambda: steps.turns.waiting == 1, timeout=5_000)
        assert not edited and controller.is_syncing
    finally:
        steps.resume()
    qtbot.waitUntil(lambda: bool(edited), timeout=15_000)
    qtbot.waitUntil(
        lambda: controller.state.kind is SyncStateKind.UP_TO_DATE and not controller.is_syncing,
        timeout=15_000,
    )

    points = {point for point, _thread, _held in steps.steps}
    assert {"push.before_ack_commit", "pull.before_page_commit"} <= points
    threads = {thread for _point, thread, _held in steps.steps}
    assert len(threads) == 1 and threads.pop().startswith("sfa-net")  # not sfa-db, not sfa-pull
    assert all(held for point, _thread, held in steps.steps if point in IN_TRANSACTION)
    assert edited[0].startswith("sfa-db")
