"""Every list workspace: from the search box into the results (Down, Enter), Tab leaves the
table, and the accounts filters are never truncated."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QWidget
from pytestqt.qtbot import QtBot

from sfa_desktop.i18n import set_language
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.accounts import AccountsWorkspace
from sfa_desktop.ui.workspaces.contacts import ContactsWorkspace
from sfa_desktop.ui.workspaces.list_workspace import ListWorkspace
from sfa_desktop.ui.workspaces.quotes import QuotesWorkspace

from .conftest import WAIT_MS
from .fixed_clock import NOW
from .shown_workspace import shown_when_ready

LISTS: dict[str, Callable[[TaskRunner], ListWorkspace[Any]]] = {
    "accounts": lambda runner: AccountsWorkspace(runner, now=lambda: NOW),
    "contacts": ContactsWorkspace,
    "quotes": lambda runner: QuotesWorkspace(runner, now=lambda: NOW),
}


@pytest.fixture(params=sorted(LISTS))
def workspace(
    request: pytest.FixtureRequest, qtbot: QtBot, demo_runner: TaskRunner
) -> ListWorkspace[Any]:
    workspace = shown_when_ready(qtbot, LISTS[request.param](demo_runner))
    workspace.activateWindow()
    qtbot.waitUntil(lambda: workspace.model.rowCount() > 0, timeout=WAIT_MS)
    return workspace


@pytest.mark.parametrize("key", [Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_down_or_enter_in_the_search_box_moves_into_the_results(
    qtbot: QtBot, workspace: ListWorkspace[Any], key: Qt.Key
) -> None:
    workspace.focus_search()
    qtbot.waitUntil(workspace.search_box.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(workspace.search_box, key)
    qtbot.waitUntil(workspace.table.hasFocus, timeout=WAIT_MS)
    assert workspace.table.selectionModel().selectedRows()[0].row() == 0


def test_tab_leaves_the_table_instead_of_walking_its_cells(
    qtbot: QtBot, workspace: ListWorkspace[Any]
) -> None:
    table = workspace.table
    assert not table.tabKeyNavigation()
    table.setFocus()
    qtbot.waitUntil(table.hasFocus, timeout=WAIT_MS)
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    focused = workspace.focusWidget()
    assert focused is not table and isinstance(focused, QWidget)
    assert table.currentIndex().row() == 0


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_accounts_filters_show_their_whole_text_at_1280_pixels(
    qtbot: QtBot, demo_runner: TaskRunner, language: str
) -> None:
    set_language(language)
    try:
        workspace = shown_when_ready(
            qtbot, AccountsWorkspace(demo_runner, now=lambda: NOW), width=1280, height=720
        )
        workspace.retranslate()
        bar = workspace.filter_bar
        qtbot.waitUntil(lambda: bar.owner.count() > 1 and bar.region.count() > 1, timeout=WAIT_MS)
        for combo in bar.findChildren(QComboBox):
            qtbot.waitUntil(lambda c=combo: _whole_text_fits(c), timeout=WAIT_MS)
    finally:
        set_language("en")


def _whole_text_fits(combo: QComboBox) -> bool:
    """Every choice fits the combo box's text field (none would show "…")."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    metrics = combo.fontMetrics()
    texts = [combo.itemText(i) for i in range(combo.count())]
    return combo.isVisible() and all(metrics.horizontalAdvance(t) <= field.width() for t in texts)
