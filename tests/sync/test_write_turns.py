"""Writers of one process take the write lock in turn: a UI edit waits for the page being
applied, never for the pages after it (a first sync applies pages back to back)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from sfa_desktop.store.database import open_database
from sfa_desktop.store.meta import get_meta, set_meta
from sfa_desktop.sync import engine as engine_module
from sfa_desktop.sync.report import LastSync
from sfa_desktop.sync.write_turns import take_write_lock, write_turns

from .harness import Fleet

DEADLINE_S = 10.0


def _until(condition: Callable[[], bool]) -> None:
    """Wait (bounded) until another thread reaches a known state."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert time.monotonic() < deadline, "the other thread never got there"
        threading.Event().wait(0.001)


def test_a_waiting_edit_goes_before_the_next_page(tmp_path: Path) -> None:
    database = open_database(tmp_path / "sfa.sqlite3")
    turns = write_turns(database.engine)
    order: list[str] = []

    def ui_edit() -> None:
        with database.session() as session:
            take_write_lock(session)
            set_meta(session, "edited_by_ui", "yes")
            order.append("ui edit")

    edit = threading.Thread(target=ui_edit)
    try:
        with database.session() as page_one:  # the sync applies a page
            take_write_lock(page_one)
            edit.start()
            _until(lambda: turns.waiting == 1)  # the edit waits for the write lock
            set_meta(page_one, "page", "1")
            order.append("page 1")
        with database.session() as page_two:  # …and wants it again at once for the next
            take_write_lock(page_two)
            order.append("page 2")
            assert get_meta(page_two, "edited_by_ui") == "yes"
        edit.join(DEADLINE_S)
    finally:
        database.close()
    assert order == ["page 1", "ui edit", "page 2"]


def test_turns_are_released_by_rollback_and_taken_again_by_the_same_session(
    tmp_path: Path,
) -> None:
    database = open_database(tmp_path / "sfa.sqlite3")
    turns = write_turns(database.engine)
    try:
        try:
            with database.session() as session:
                take_write_lock(session)
                assert turns.held
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
        assert not turns.held
        with database.session() as session:
            take_write_lock(session)
            take_write_lock(session)  # twice in one transaction: one turn
            session.commit()
            assert not turns.held
            take_write_lock(session)  # the session's next transaction
            assert turns.held
        assert not turns.held
    finally:
        database.close()


def test_an_edit_made_as_the_sync_ends_does_not_fail_it(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sync notes how it ended in a last transaction that read before it wrote: an edit
    committed in between made SQLite refuse the write ("database is locked") and the whole
    sync fail after every page was in."""
    ana = fleet.profile("ana", fleet.team.rep_a)
    ana.sync()
    account = ana.create("account", name="Uno")
    turns = write_turns(ana.database.engine)
    edit = threading.Thread(target=lambda: ana.edit("account", account, city="Soria"))
    original = engine_module.load_last_sync

    def edited_meanwhile(session: Session) -> LastSync | None:
        found = original(session)
        edit.start()  # the user saves an edit right then
        _until(lambda: not edit.is_alive() or turns.waiting == 1)
        return found

    monkeypatch.setattr(engine_module, "load_last_sync", edited_meanwhile)
    report = ana.sync()
    edit.join(DEADLINE_S)
    assert report.pushed == 1
    assert ana.get("account", account)["city"] == "Soria"
    assert ana.pending() == 1  # the edit waits for the next sync


def test_every_write_of_a_sync_is_made_in_turn_on_the_thread_running_it(fleet: Fleet) -> None:
    """The design the app relies on (``ui/tasks.py``): the sync's database steps run on the
    thread that calls ``sync()`` (in the app a network-pool thread, in ``sfa sync`` the
    command's), never on the thread fetching the next page; and every statement that writes
    runs while that thread holds the write turn, so the sync and the UI's edits write one after
    the other while reads go on beside them."""
    ana = fleet.profile("ana", fleet.team.rep_a, pull_page=2)
    laptop = fleet.profile("laptop", fleet.team.rep_a)  # her other computer
    ana.sync()
    laptop.sync()
    for n in range(5):  # several pages for ana to pull
        laptop.create("account", name=f"Cliente {n}", city="Soria")
    laptop.sync()
    mine = ana.create("account", name="Uno")
    ana.edit("account", mine, city="Soria")  # and a batch to push
    turns = write_turns(ana.database.engine)
    seen: list[tuple[str, str, bool]] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        seen.append((threading.current_thread().name, verb, turns.held_here))

    event.listen(ana.database.engine, "before_cursor_execute", record)
    try:
        report = ana.sync()
    finally:
        event.remove(ana.database.engine, "before_cursor_execute", record)
    assert report.pushed == 2 and report.pulled >= 5
    assert {thread for thread, _verb, _held in seen} == {threading.current_thread().name}
    writes = [(verb, held) for _thread, verb, held in seen if verb in _WRITES]
    assert len(writes) > 5 and all(held for _verb, held in writes), writes


_WRITES = {"INSERT", "UPDATE", "DELETE", "REPLACE"}
