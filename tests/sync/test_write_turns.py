"""Writers of one process take the write lock in turn: a UI edit waits for the page being
applied, never for the pages after it (a first sync applies pages back to back)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from sfa_desktop.store.database import open_database
from sfa_desktop.store.meta import get_meta, set_meta
from sfa_desktop.sync.state import take_write_lock, write_turns

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
