"""The Accounts workspace: search-as-you-type, header sorting, empty states, activation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from pytestqt.qtbot import QtBot

from sfa_desktop.i18n import set_language
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.accounts import AccountsWorkspace

from .conftest import ACCOUNT_COUNT, CITIES, WAIT_MS
from .shown_workspace import shown_when_ready


def _open(qtbot: QtBot, runner: TaskRunner) -> AccountsWorkspace:
    return shown_when_ready(qtbot, AccountsWorkspace(runner), width=1100)


@pytest.fixture
def workspace(qtbot: QtBot, db_runner: TaskRunner) -> Iterator[AccountsWorkspace]:
    yield _open(qtbot, db_runner)


def test_shows_the_accounts_and_their_count(workspace: AccountsWorkspace) -> None:
    assert not workspace.showing_empty_state()
    assert workspace.table.model() is workspace.model
    assert workspace.model.rowCount() == 200
    assert workspace.count_label.text() == "450 accounts"


def test_typing_searches_once_after_a_pause(qtbot: QtBot, workspace: AccountsWorkspace) -> None:
    loads: list[str] = []
    workspace.model.loaded.connect(lambda: loads.append(workspace.model.query.search))
    with qtbot.waitSignal(workspace.model.loaded, timeout=5000):
        qtbot.keyClicks(workspace.search_box, "Bilbao")
    assert loads == ["Bilbao"]  # one query for six keystrokes
    model = workspace.model
    assert model.total_count == ACCOUNT_COUNT // len(CITIES)
    assert {model.account_at(row).city for row in range(model.rowCount())} == {"Bilbao"}


def test_a_search_without_matches_says_so(qtbot: QtBot, workspace: AccountsWorkspace) -> None:
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        qtbot.keyClicks(workspace.search_box, "xyzzy")
    assert workspace.showing_empty_state()
    assert workspace.empty_state.title() == "No accounts match “xyzzy”"
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        workspace.search_box.clear()
    assert not workspace.showing_empty_state()
    assert workspace.model.total_count == ACCOUNT_COUNT


def test_an_empty_profile_explains_where_accounts_come_from(
    qtbot: QtBot, empty_db_runner: TaskRunner
) -> None:
    workspace = _open(qtbot, empty_db_runner)
    assert workspace.showing_empty_state()
    assert workspace.empty_state.title() == "No accounts yet"
    assert "--demo" in workspace.empty_state.message()
    set_language("es")
    workspace.retranslate()
    assert workspace.empty_state.title() == "Todavía no hay cuentas"


def test_clicking_a_header_sorts_by_that_column(qtbot: QtBot, workspace: AccountsWorkspace) -> None:
    header = workspace.table.horizontalHeader()
    city = 2

    def click(column: int) -> None:
        x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        click(city)
    assert (workspace.model.query.sort, workspace.model.query.descending) == ("city", False)
    first_city = workspace.model.account_at(0).city
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        click(city)
    assert workspace.model.query.descending
    assert workspace.model.account_at(0).city != first_city
    assert header.sortIndicatorSection() == city


def test_a_column_the_store_cannot_sort_keeps_the_arrow_where_it_was(
    qtbot: QtBot, workspace: AccountsWorkspace
) -> None:
    header = workspace.table.horizontalHeader()
    phone = 6
    x = header.sectionViewportPosition(phone) + 5
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == 0
    assert not workspace.model.is_loading


def test_scrolling_to_the_end_fetches_the_next_page(
    qtbot: QtBot, workspace: AccountsWorkspace
) -> None:
    with qtbot.waitSignal(workspace.model.rowsInserted, timeout=WAIT_MS):
        workspace.table.scrollToBottom()
    assert workspace.model.rowCount() == 400


def test_activating_a_row_emits_the_account_id(qtbot: QtBot, workspace: AccountsWorkspace) -> None:
    table = workspace.table
    center = table.visualRect(workspace.model.index(3, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)
    with qtbot.waitSignal(workspace.account_activated, timeout=WAIT_MS) as by_mouse:
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=center)
    assert by_mouse.args == [workspace.model.account_at(3).id]
    table.setCurrentIndex(workspace.model.index(5, 1))
    with qtbot.waitSignal(workspace.account_activated, timeout=WAIT_MS) as by_keyboard:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert by_keyboard.args == [workspace.model.account_at(5).id]


def test_a_failure_shows_the_message_instead_of_the_table(qtbot: QtBot, runner: TaskRunner) -> None:
    workspace = _open(qtbot, runner)  # no database: the query fails
    assert workspace.showing_empty_state()
    assert workspace.empty_state.title() == "The accounts could not be loaded"
    assert not workspace.model.canFetchMore(QModelIndex())
