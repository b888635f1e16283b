"""The Quotes workspace on the demo data: the list, its filters, its search and its keys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from sfa_desktop.i18n import set_language
from sfa_desktop.services.quotes import count_quotes
from sfa_desktop.store.database import Database
from sfa_desktop.ui.models.quotes_model import column_titles
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.quotes import QuotesWorkspace

from .conftest import WAIT_MS
from .fixed_clock import CLOCK, TODAY
from .shown_workspace import shown_when_ready


@pytest.fixture
def workspace(qtbot: QtBot, demo_runner: TaskRunner) -> Iterator[QuotesWorkspace]:
    yield shown_when_ready(qtbot, QuotesWorkspace(demo_runner, now=CLOCK.now), width=1280)


def _count(database: Database, **filters: object) -> int:
    with database.session() as session:
        return count_quotes(session, today=TODAY, **filters)  # type: ignore[arg-type]


def _shown_statuses(workspace: QuotesWorkspace) -> set[str]:
    return {row.shown_status for row in workspace.model.loaded_rows()}


def _search(qtbot: QtBot, workspace: QuotesWorkspace, text: str) -> None:
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        workspace.search_box.setText(text)
        workspace.search_box.search_now()


def test_the_list_shows_the_quotes_with_their_totals(
    workspace: QuotesWorkspace, demo_db: Database, qtmodeltester: ModelTester
) -> None:
    model = workspace.model
    qtmodeltester.check(model)
    total = _count(demo_db)
    assert total > 20 and not workspace.showing_empty_state()
    assert (model.total_count, model.rowCount()) == (total, total)
    assert workspace.count_label.text() == f"{total} quotes"
    assert column_titles() == (
        "Number",
        "Rev.",
        "Account",
        "Contact",
        "Status",
        "Total",
        "Valid until",
        "Owner",
    )
    first = model.quote_at(0)
    assert model.data(model.index(0, 0)) == first.number
    assert model.data(model.index(0, 2)) == first.account_name
    assert "€" in model.data(model.index(0, 5))
    dates = [row.issue_date for row in model.loaded_rows() if row.issue_date]
    assert dates == sorted(dates, reverse=True)  # newest first
    # quotes are made and changed in the quote editor: New quote is the list's one button
    assert [b.objectName() for b in workspace.findChildren(QPushButton)] == ["newQuote"]


def test_the_status_and_expired_filters(
    qtbot: QtBot, workspace: QuotesWorkspace, demo_db: Database
) -> None:
    bar = workspace.filter_bar
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        assert bar.select(bar.status, "expired")
    expired = _count(demo_db, status="expired")
    assert expired > 0 and workspace.model.total_count == expired
    assert _shown_statuses(workspace) == {"expired"}
    assert workspace.model.data(workspace.model.index(0, 4)) == "Expired"
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        assert bar.select(bar.status, "accepted")
    assert _shown_statuses(workspace) == {"accepted"}
    assert workspace.count_label.text() == f"{_count(demo_db, status='accepted')} quotes"
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        bar.clear()
    assert workspace.model.total_count == _count(demo_db)


def test_expiring_mine_and_awaiting_approval(
    qtbot: QtBot, workspace: QuotesWorkspace, demo_db: Database
) -> None:
    bar = workspace.filter_bar
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        bar.expiring.setChecked(True)
    assert workspace.model.total_count == _count(demo_db, expiring=True)
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        bar.clear()
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        assert bar.select(bar.owner, "mine")
    mine = _count(demo_db, owner="mine")
    assert 0 < mine < _count(demo_db) and workspace.model.total_count == mine
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        bar.awaiting.setChecked(True)  # the demo user is a rep: nobody reports to them
    assert workspace.showing_empty_state()
    assert workspace.empty_state.title() == "No quotes match these filters"


def test_search_by_number_or_account(qtbot: QtBot, workspace: QuotesWorkspace) -> None:
    sample = workspace.model.quote_at(4)
    _search(qtbot, workspace, sample.number.lower())
    assert [row.id for row in workspace.model.loaded_rows()] == [sample.id]
    assert workspace.count_label.text() == "1 quote"
    word = sample.account_name.split()[0]
    unaccented = word.translate(str.maketrans("áéíóúÁÉÍÓÚ", "aeiouAEIOU")).upper()
    _search(qtbot, workspace, unaccented)
    rows = workspace.model.loaded_rows()
    assert sample.id in {row.id for row in rows}
    assert all(word.lower() in row.account_name.lower() for row in rows)
    _search(qtbot, workspace, "zzzz-nothing")
    assert workspace.showing_empty_state()
    assert workspace.empty_state.title() == "No quotes match “zzzz-nothing”"


def test_ctrl_f_then_down_moves_into_the_list(qtbot: QtBot, workspace: QuotesWorkspace) -> None:
    workspace.activateWindow()
    assert workspace.focus_search()
    qtbot.waitUntil(workspace.search_box.hasFocus, timeout=WAIT_MS)
    qtbot.keyClick(workspace.search_box, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is workspace.table, timeout=WAIT_MS)
    assert workspace.table.currentIndex().row() == 0
    assert workspace.table.selectionModel().isRowSelected(0, QModelIndex())


def test_spanish_labels(workspace: QuotesWorkspace) -> None:
    set_language("es")
    workspace.retranslate()
    assert column_titles()[:2] == ("Número", "Rev.")
    assert workspace.count_label.text().endswith("presupuestos")
    assert workspace.filter_bar.status.itemText(0) == "Todos los estados"
    model = workspace.model
    statuses = {model.data(model.index(row, 4)) for row in range(model.rowCount())}
    assert "Caducado" in statuses
    assert any(text.endswith("€") for text in (model.data(model.index(0, 5)),))


def test_statuses_are_never_cut_at_1280_wide(qtbot: QtBot, workspace: QuotesWorkspace) -> None:
    """'Pendiente de aprobación' whole in a 1280-px window (the names give way instead)."""
    set_language("es")
    workspace.retranslate()
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        assert workspace.filter_bar.select(workspace.filter_bar.status, "pending_approval")
    table, model = workspace.table, workspace.model
    assert model.rowCount() > 0
    metrics = table.fontMetrics()
    for column in (0, 4, 5, 6):  # number, status, total, valid until
        widest = max(
            metrics.horizontalAdvance(model.data(model.index(row, column)))
            for row in range(min(model.rowCount(), 40))
        )
        assert table.columnWidth(column) > widest, model.headerData(
            column, Qt.Orientation.Horizontal
        )
    assert model.data(model.index(0, 4)) == "Pendiente de aprobación"
