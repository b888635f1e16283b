"""The Customers workspace on the demo data: charts drawn when shown, summary, the list (sorted,
searched, paged), criteria, saved segments (saved to SQLite and the outbox, renamed,
deleted), the CSV export and the Accounts list filtered by a saved segment."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from sfa_desktop.domain.name_order import sorted_names
from sfa_desktop.domain.segments import SegmentDefinition, rfm_class
from sfa_desktop.i18n import set_language
from sfa_desktop.store.database import Database
from sfa_desktop.ui.customers.accounts_table import PAGE_SIZE
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.accounts import AccountsWorkspace
from sfa_desktop.ui.workspaces.customers import CustomersWorkspace

from .conftest import WAIT_MS
from .fixed_clock import CLOCK, TODAY
from .shown_workspace import shown_when_ready


@pytest.fixture
def workspace(qtbot: QtBot, demo_runner: TaskRunner) -> Iterator[CustomersWorkspace]:
    made = CustomersWorkspace(demo_runner, clock=CLOCK)
    assert made.page is None  # nothing is read before the workspace is shown
    shown = shown_when_ready(qtbot, made, 1280, 800)
    qtbot.waitUntil(lambda: len(shown.segments) == 3, timeout=WAIT_MS)
    yield shown


def _wait_page(qtbot: QtBot, workspace: CustomersWorkspace, definition: SegmentDefinition) -> None:
    qtbot.waitUntil(
        lambda: workspace.page is not None and workspace.page.definition == definition,
        timeout=WAIT_MS,
    )


def test_shown_it_draws_both_charts_and_lists_every_account(
    qtbot: QtBot, workspace: CustomersWorkspace, demo_db: Database
) -> None:
    page = workspace.page
    assert page is not None
    assert workspace.pareto.canvas is not None and workspace.pareto.draws == 1
    assert workspace.quadrant.canvas is not None and workspace.quadrant.draws == 1
    axes = page.pareto.axes[0]
    assert axes.get_title(loc="left") == "Share of value by share of accounts"
    assert any(line.get_ydata()[0] == 0.8 for line in axes.get_lines())  # the 80 % line
    with demo_db.session() as session:
        live = session.execute(text("SELECT count(*) FROM accounts WHERE deleted_at IS NULL"))
        assert page.analysis.scope_count == live.scalar_one()
    model = workspace.model
    ModelTester(None).check(model)
    assert model.rowCount() == min(PAGE_SIZE, page.analysis.scope_count)
    values = [model.row_at(row).value for row in range(model.rowCount())]
    assert values == sorted(values, reverse=True)  # most valuable first
    assert workspace._count.text() == f"{page.analysis.scope_count} accounts"


def test_the_list_sorts_searches_and_pages(qtbot: QtBot, workspace: CustomersWorkspace) -> None:
    model = workspace.model
    total = len(workspace.model.shown_accounts())
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == total
    city = model.column_of("city")
    workspace.table.sortByColumn(city, Qt.SortOrder.AscendingOrder)
    cities = [model.row_at(r).city or "" for r in range(model.rowCount())]
    assert cities == sorted_names(cities)  # Spanish order, as every list of names
    names = model.column_of("name")
    workspace.table.sortByColumn(names, Qt.SortOrder.DescendingOrder)
    listed = [model.row_at(r).name for r in range(model.rowCount())]
    assert listed == sorted_names(listed)[::-1]
    name = model.row_at(0).name
    workspace.search.setText(name)
    workspace.search.search_now()
    assert 1 <= model.rowCount() < total
    assert all(name.casefold() in model.row_at(r).name.casefold() for r in range(model.rowCount()))


def test_criteria_narrow_the_segment(qtbot: QtBot, workspace: CustomersWorkspace) -> None:
    workspace.criteria.select(workspace.criteria.abc, "A")
    _wait_page(qtbot, workspace, SegmentDefinition(abc=("A",)))
    page = workspace.page
    assert page is not None and page.analysis.accounts
    assert {f.abc for f in page.analysis.accounts} == {"A"}
    assert workspace._save.isEnabled() and not workspace._rename.isEnabled()
    workspace.criteria.select(workspace.criteria.rfm, "new")
    wanted = SegmentDefinition(abc=("A",), rfm=("new",))
    _wait_page(qtbot, workspace, wanted)
    page = workspace.page
    assert page is not None
    assert all(rfm_class(f, TODAY) == "new" for f in page.analysis.accounts)
    workspace.criteria.clear()
    _wait_page(qtbot, workspace, SegmentDefinition())


def test_choosing_a_saved_segment_shows_its_criteria(
    qtbot: QtBot, workspace: CustomersWorkspace
) -> None:
    at_risk = next(row for row in workspace.segments if row.name == "En riesgo")
    assert workspace.choose_segment(at_risk.id)
    _wait_page(qtbot, workspace, at_risk.definition)
    assert workspace.criteria.rfm.currentText() == "2 chosen"
    assert workspace._rename.isEnabled() and workspace._delete.isEnabled()
    page = workspace.page
    assert page is not None
    assert {rfm_class(f, TODAY) for f in page.analysis.accounts} <= {"at_risk", "lapsed"}
    workspace.criteria.select(workspace.criteria.abc, "B")  # edited: no longer the saved one
    assert workspace.selected_segment() is None


def _outbox_ops(db: Database, record_id: str) -> list[str]:
    with db.session() as session:
        rows = session.execute(
            text("SELECT op FROM sync_outbox WHERE record_id = :id ORDER BY seq"), {"id": record_id}
        )
        return [row[0] for row in rows]


def test_save_rename_and_delete_a_segment(
    qtbot: QtBot, workspace: CustomersWorkspace, demo_db: Database
) -> None:
    workspace.criteria.select(workspace.criteria.abc, "B")
    _wait_page(qtbot, workspace, SegmentDefinition(abc=("B",)))
    dialog = workspace.save_segment()
    assert isinstance(dialog, QInputDialog)
    dialog.setTextValue("Tier B")
    with qtbot.waitSignal(workspace.segment_stored, timeout=WAIT_MS) as stored:
        dialog.accept()
    segment_id = stored.args[0]
    qtbot.waitUntil(lambda: workspace.selected_segment() is not None, timeout=WAIT_MS)
    selected = workspace.selected_segment()
    assert selected is not None and selected.name == "Tier B"
    with demo_db.session() as session:
        row = session.execute(
            text("SELECT name, definition FROM saved_segments WHERE id = :id"), {"id": segment_id}
        ).one()
    assert row[0] == "Tier B" and '"abc": ["B"]' in row[1]
    assert _outbox_ops(demo_db, segment_id) == ["create"]
    assert "saved" in workspace.notice_text()

    rename = workspace.rename_segment()
    assert isinstance(rename, QInputDialog) and rename.textValue() == "Tier B"
    rename.setTextValue("Segunda fila")
    with qtbot.waitSignal(workspace.segment_stored, timeout=WAIT_MS):
        rename.accept()
    qtbot.waitUntil(
        lambda: any(r.name == "Segunda fila" for r in workspace.segments), timeout=WAIT_MS
    )
    assert _outbox_ops(demo_db, segment_id) == ["create", "set"]

    box = workspace.delete_segment()
    assert isinstance(box, QMessageBox)
    with qtbot.waitSignal(workspace.segment_stored, timeout=WAIT_MS):
        box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: len(workspace.segments) == 3, timeout=WAIT_MS)
    assert _outbox_ops(demo_db, segment_id) == ["create", "set", "delete"]


def test_a_taken_name_is_refused(qtbot: QtBot, workspace: CustomersWorkspace) -> None:
    workspace.criteria.select(workspace.criteria.abc, "C")
    _wait_page(qtbot, workspace, SegmentDefinition(abc=("C",)))
    dialog = workspace.save_segment()
    assert isinstance(dialog, QInputDialog)
    dialog.setTextValue("clientes a")
    dialog.accept()
    qtbot.waitUntil(lambda: "already" in workspace.notice_text(), timeout=WAIT_MS)
    assert len(workspace.segments) == 3


def test_export_writes_the_list_as_shown(
    qtbot: QtBot, workspace: CustomersWorkspace, tmp_path: Path
) -> None:
    target = tmp_path / "customers.csv"
    with qtbot.waitSignal(workspace.exported, timeout=WAIT_MS):
        workspace.export_to(target)
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8-sig"))))
    shown = workspace.model.shown_accounts()
    assert len(rows) == len(shown) + 1
    assert [row[-1] for row in rows[1:]] == [f.account_id for f in shown]


def test_spanish(qtbot: QtBot, workspace: CustomersWorkspace) -> None:
    set_language("es")
    workspace.retranslate()
    assert workspace.title() == "Clientes"
    assert workspace.criteria.rfm.itemText(0) == "Afinidad: todas"
    qtbot.waitUntil(
        lambda: (
            workspace.page is not None
            and workspace.page.pareto.axes[0].get_title(loc="left")
            == "Parte del valor según la parte de las cuentas"
        ),
        timeout=WAIT_MS,
    )


def test_the_accounts_list_filters_by_a_saved_segment(
    qtbot: QtBot, demo_runner: TaskRunner
) -> None:
    accounts = shown_when_ready(qtbot, AccountsWorkspace(demo_runner, now=CLOCK.now))
    bar = accounts.filter_bar
    qtbot.waitUntil(lambda: bar.segment.count() == 4, timeout=WAIT_MS)
    assert bar.segment.isVisibleTo(accounts)
    total = accounts.model.total_count
    with qtbot.waitSignal(bar.filters_changed, timeout=WAIT_MS) as changed:
        bar.segment.setCurrentIndex(bar.segment.findText("Clientes A"))
    ids = changed.args[0]["account_ids"]
    assert ids and len(ids) < total
    qtbot.waitUntil(lambda: accounts.model.total_count == len(ids), timeout=WAIT_MS)
    bar.clear()
    assert bar.filters()["account_ids"] is None
    qtbot.waitUntil(lambda: accounts.model.total_count == total, timeout=WAIT_MS)


def test_the_list_sorts_names_and_places_in_spanish_order(qtbot: QtBot) -> None:
    """ñ is a letter after n: Munuera before Muñoz, Penedés before Peñalba (a list sorted
    without accents had them the other way round), as in every other list of names."""
    from sfa_desktop.domain.segments import AccountFacts
    from sfa_desktop.ui.customers.accounts_table import CustomersTableModel

    model = CustomersTableModel()
    facts = [
        AccountFacts(f"0190-{n}", name, city=city)
        for n, (name, city) in enumerate(
            [("Muñoz Hermanos", "Peñalba"), ("Munuera S.A.", "Penedés"), ("Mora", "Pamplona")]
        )
    ]
    model.set_accounts(facts, currency="EUR", today=TODAY)
    model.sort(model.column_of("name"))
    assert [f.name for f in model.shown_accounts()] == ["Mora", "Munuera S.A.", "Muñoz Hermanos"]
    model.sort(model.column_of("city"), Qt.SortOrder.DescendingOrder)
    assert [f.city for f in model.shown_accounts()] == ["Peñalba", "Penedés", "Pamplona"]
