"""The Forecast workspace on a real SQLite team: period navigation, the figure cards, Submit
(a confirmation, a stored snapshot, nothing stored twice), the manager's team tree against the
rules' roll-up, the drill-down to deals and accounts, the adjustment dialog, the charts drawn,
the empty state and Spanish."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sfa_desktop.i18n import set_language
from sfa_desktop.services.forecasts import team_review
from sfa_desktop.store.database import Database
from sfa_desktop.store.models.sales import ForecastAdjustment, ForecastSubmission
from sfa_desktop.ui.forecast.adjust_dialog import AdjustDialog
from sfa_desktop.ui.forecast.deals_dialog import DealsDialog
from sfa_desktop.ui.forecast.display import show_money
from sfa_desktop.ui.forecast.team_model import KIND_ROLE
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.forecast import ForecastWorkspace
from sync_server.protocol.forecast_rules import Person, parse_period, roll_up

from .conftest import WAIT_MS
from .fixed_clock import CLOCK, TODAY
from .forecast_fixtures import team_database, uid
from .screenshots import assert_real_screenshot, run_app, screenshot_args

NOVEMBER = parse_period("2026-11")


@pytest.fixture
def open_as(
    qapp: object, tmp_path: Path
) -> Iterator[Callable[[str | None], tuple[Database, TaskRunner]]]:
    opened: list[tuple[Database, TaskRunner]] = []

    def open_it(me: str | None) -> tuple[Database, TaskRunner]:
        folder = tmp_path / f"profile{len(opened)}"
        folder.mkdir()
        database = team_database(folder, me)
        runner = TaskRunner()
        runner.attach_database(database)
        opened.append((database, runner))
        return database, runner

    yield open_it
    for database, runner in opened:
        runner.shutdown()
        database.close()


def shown(qtbot: QtBot, runner: TaskRunner) -> ForecastWorkspace:
    workspace = ForecastWorkspace(runner, clock=CLOCK)
    qtbot.addWidget(workspace)
    workspace.resize(1200, 800)
    workspace.show()
    qtbot.waitUntil(workspace.is_ready, timeout=WAIT_MS)
    return workspace


def reload(qtbot: QtBot, workspace: ForecastWorkspace, action: Callable[[], object]) -> None:
    """Run ``action`` and wait for the page it loads."""
    before = workspace.page
    action()
    qtbot.waitUntil(lambda: workspace.page is not before, timeout=WAIT_MS)


def eur(minor: int) -> str:
    return show_money(minor, "EUR")


# --- the rep --------------------------------------------------------------------------------------


def test_period_navigation_changes_the_figures(qtbot: QtBot, open_as: Callable) -> None:
    _database, runner = open_as("r1")
    workspace = shown(qtbot, runner)
    cards = workspace.mine.cards
    assert workspace.period == NOVEMBER and workspace.picker.label_text() == "November 2026"
    assert cards.text("closed") == eur(1_000_000)
    assert cards.text("commit") == eur(1_500_000)
    assert cards.text("best_case") == eur(1_800_000)
    assert cards.text("pipeline") == eur(800_000)
    assert cards.text("quota") == eur(2_000_000)
    assert cards.text("attainment") == "50%"
    assert cards.text("gap") == eur(1_000_000)
    # Alt+Right: December, only an open pipeline deal and a bigger quota
    reload(
        qtbot,
        workspace,
        lambda: QTest.keyClick(workspace, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier),
    )
    assert str(workspace.period) == "2026-12"
    assert cards.text("closed") == eur(0) and cards.text("pipeline") == eur(200_000)
    assert cards.text("quota") == eur(3_000_000) and cards.text("attainment") == "0%"
    assert workspace.mine.submitted_text() == "Not submitted for this period yet."
    # no submissions: the chart says so rather than plotting nothing
    assert workspace.mine.chart.canvas.figure.axes[0].get_lines() == []
    # the quarter holds both months
    reload(qtbot, workspace, lambda: workspace.picker.set_kind("quarter"))
    assert str(workspace.period) == "2026-Q4" and workspace.picker.label_text() == "Q4 2026"
    assert cards.text("closed") == eur(1_000_000) and cards.text("pipeline") == eur(1_000_000)
    assert cards.text("quota") == "\u2014"  # no quarterly quota record
    reload(qtbot, workspace, lambda: workspace.picker.step(-1))
    assert str(workspace.period) == "2026-Q3" and cards.text("closed") == "\u2014"  # no deals
    reload(qtbot, workspace, workspace.picker.go_current)
    assert str(workspace.period) == "2026-Q4"


def test_the_history_chart_draws_the_submissions(qtbot: QtBot, open_as: Callable) -> None:
    _database, runner = open_as("r1")
    workspace = shown(qtbot, runner)
    chart = workspace.mine.chart
    assert chart.canvas is not None and chart.draws == 1
    axes = chart.canvas.figure.axes[0]
    call, best = axes.get_lines()[:2]
    # the submitted commit and best case, as steps through the month
    assert list(call.get_ydata())[:2] == [1_200_000, 1_500_000]
    assert list(best.get_ydata())[:2] == [1_300_000, 1_600_000]
    assert chart.canvas.isVisible()
    image = chart.canvas.grab().toImage()
    assert (
        len(
            {
                image.pixel(x, y)
                for x in range(0, image.width(), 7)
                for y in range(0, image.height(), 7)
            }
        )
        > 5
    )
    assert workspace.mine.submitted_text().startswith("Submitted on 17 Nov 2026")
    # a rep has no team
    assert not workspace.tabs.isTabVisible(1) and not workspace.show_team()


def _confirm(qtbot: QtBot, workspace: ForecastWorkspace) -> QMessageBox:
    box = workspace.submit()
    assert isinstance(box, QMessageBox)
    return box


def _submissions(database: Database, owner: str) -> list[ForecastSubmission]:
    with database.session() as session:
        rows = session.scalars(
            select(ForecastSubmission)
            .where(ForecastSubmission.owner_id == uid(owner))
            .order_by(ForecastSubmission.submitted_at)
        ).all()
        session.expunge_all()
        return list(rows)


def test_submit_confirms_and_stores_a_snapshot_once(qtbot: QtBot, open_as: Callable) -> None:
    database, runner = open_as("r1")
    workspace = shown(qtbot, runner)
    workspace.mine.amount.setText("-2,500.50")
    workspace.mine.note.setText("Una firma se retrasa")
    box = _confirm(qtbot, workspace)
    text = box.text()
    assert "November 2026" in text and eur(1_500_000) in text
    assert "\u2212€2,500.50" in text and "Una firma se retrasa" in text
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert len(_submissions(database, "r1")) == 2  # cancelled: nothing stored
    box = _confirm(qtbot, workspace)
    with qtbot.waitSignal(workspace.stored, timeout=WAIT_MS):
        box.button(QMessageBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: "25 Nov 2026" in workspace.mine.submitted_text(), timeout=WAIT_MS)
    stored = _submissions(database, "r1")[-1]
    assert (stored.period, stored.commit_amount, stored.best_case_amount) == (
        "2026-11",
        1_500_000,
        1_800_000,
    )
    assert (stored.pipeline_amount, stored.closed_amount) == (800_000, 1_000_000)
    assert (stored.rep_adjustment, stored.rep_note) == (-250_050, "Una firma se retrasa")
    assert stored.submitted_at.replace(tzinfo=None) == CLOCK.now().replace(tzinfo=None)
    assert workspace.mine.amount.text() == "" and "next sync" in workspace.notice_text()
    assert workspace.mine.chart.draws == 2  # redrawn with the new submission
    # the same again: refused, nothing stored
    workspace.mine.amount.setText("-2,500.50")
    workspace.mine.note.setText("Una firma se retrasa")
    assert workspace.submit() is None
    assert "Nothing has changed" in workspace.mine.message.text()
    assert len(_submissions(database, "r1")) == 3


def test_bad_adjustment_is_explained_and_nothing_opens(qtbot: QtBot, open_as: Callable) -> None:
    database, runner = open_as("r1")
    workspace = shown(qtbot, runner)
    workspace.mine.amount.setText("mucho")
    assert workspace.submit() is None and workspace.dialog is None
    assert "mucho" in workspace.mine.message.text()
    assert len(_submissions(database, "r1")) == 2


def test_nobody_signed_in_shows_the_empty_state(qtbot: QtBot, open_as: Callable) -> None:
    _database, runner = open_as(None)
    workspace = shown(qtbot, runner)
    assert workspace.empty_state.isVisible() and not workspace.tabs.isVisible()
    assert workspace.empty_state.title() == "Nobody is signed in"
    assert workspace.submit() is None


# --- the manager ----------------------------------------------------------------------------------


def _index(workspace: ForecastWorkspace, key: str, kind: str) -> QModelIndex:
    assert workspace.team.select(uid(key), kind)
    return workspace.team.tree.currentIndex()


def _cell(workspace: ForecastWorkspace, key: str, kind: str, column: str) -> str:
    index = _index(workspace, key, kind)
    model = workspace.team.model
    return str(model.index(index.row(), model.column_of(column), index.parent()).data())


def test_the_manager_sees_the_tree_rolled_up_as_the_rules_say(
    qtbot: QtBot, open_as: Callable
) -> None:
    database, runner = open_as("vp")
    workspace = shown(qtbot, runner)
    assert workspace.show_team()
    tree, model = workspace.team.tree, workspace.team.model
    # the tree: the VP's team, then Mario's, then Marta's (own deals first), reps by name
    top = model.index(0, 0)
    assert model.rowCount() == 1 and top.data(KIND_ROLE) == "team"
    names = [model.index(r, 0, top).data() for r in range(model.rowCount(top))]
    assert names == ["Mario Dos · team", "Marta Uno · team"]
    assert _cell(workspace, "m1", "team", "submitted") == "1/3 submitted"
    marta = model.index(1, 0, top)
    assert [model.index(r, 0, marta).data() for r in range(model.rowCount(marta))] == [
        "Marta Uno (own deals)",
        "Raúl Dos",
        "Rosa Uno",
    ]
    assert tree.isExpanded(marta)
    # the numbers: the rules' roll-up over the same people
    with database.session() as session:
        review = team_review(session, NOVEMBER, TODAY)
    by_id = {row.user_id: row for row in review.rows}
    people = [
        Person(
            row.user_id,
            row.manager_id,
            row.name,
            {line.currency: line.figures for line in row.own},
            {line.currency: line.quota for line in row.own if line.quota is not None},
            call={line.currency: line.call for line in row.own if line.call is not None},
        )
        for row in review.rows
    ]
    (root,) = roll_up(people, [uid("vp")])
    for node in root.walk():
        key = next(k for k in ("vp", "m1", "m2", "r1", "r2", "r3") if uid(k) == node.person.user_id)
        kind = "team" if node.is_manager else "person"
        figures = node.figures["EUR"]
        assert _cell(workspace, key, kind, "closed") == eur(figures.closed)
        assert _cell(workspace, key, kind, "commit") == eur(figures.commit)
        assert _cell(workspace, key, kind, "best_case") == eur(figures.best_case)
        quota = node.quota.get("EUR")
        assert _cell(workspace, key, kind, "quota") == (eur(quota) if quota else "")
        assert (node.members, node.submitted) == (
            by_id[node.person.user_id].members,
            by_id[node.person.user_id].submitted,
        )
    assert _cell(workspace, "vp", "team", "closed") == eur(1_750_000)
    assert _cell(workspace, "vp", "team", "quota") == eur(4_300_000)
    assert _cell(workspace, "m1", "team", "attainment") == "42.9%"
    assert _cell(workspace, "vp", "team", "call") == eur(1_550_000 + 200_000)
    # a manager adjustment, direct or indirect
    assert _cell(workspace, "r3", "person", "adjustment") == "\u2212€500.00 (indirect)"
    index = _index(workspace, "r3", "person")
    tip = model.index(index.row(), model.column_of("adjustment"), index.parent()).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert tip == "\u2212€500.00 by Vera Pons: Prudencia"
    assert _cell(workspace, "r1", "person", "submitted") == "17 Nov 2026"
    # accuracy only once the period has ended
    assert tree.isColumnHidden(model.column_of("accuracy"))
    reload(qtbot, workspace, lambda: workspace.picker.step(-1))
    assert str(workspace.period) == "2026-10"
    assert not tree.isColumnHidden(model.column_of("accuracy"))


def test_the_accuracy_of_an_ended_period(qtbot: QtBot, open_as: Callable) -> None:
    _database, runner = open_as("vp")
    workspace = shown(qtbot, runner)
    clock_later = type(CLOCK).fixed(CLOCK.now().replace(year=2027, month=1), CLOCK.tz)
    later = ForecastWorkspace(runner, clock=clock_later)
    qtbot.addWidget(later)
    qtbot.waitUntil(later.is_ready, timeout=WAIT_MS)
    reload(qtbot, later, lambda: later.picker.set_period(NOVEMBER))
    model = later.team.model
    assert not later.team.tree.isColumnHidden(model.column_of("accuracy"))
    # Rosa: called 1,550,000, closed 1,000,000 → 45.0 %
    assert _cell(later, "r1", "person", "accuracy") == "45%"
    # Rita: called 200,000, closed 250,000 → 80 %
    assert _cell(later, "r3", "person", "accuracy") == "80%"
    assert workspace.is_ready()


def test_the_trend_chart_draws_the_teams_call(qtbot: QtBot, open_as: Callable) -> None:
    _database, runner = open_as("vp")
    workspace = shown(qtbot, runner)
    chart = workspace.team.chart
    assert chart.canvas is not None and chart.draws == 1
    call = chart.canvas.figure.axes[0].get_lines()[0]
    # 3 Nov: Rosa 1,200,000 + Rita 200,000; 17 Nov: Rosa's later call replaces her first
    assert list(call.get_ydata())[:2] == [1_400_000, 1_750_000]


def test_enter_drills_down_to_the_deals_and_the_account(qtbot: QtBot, open_as: Callable) -> None:
    _database, runner = open_as("vp")
    workspace = shown(qtbot, runner)
    workspace.show_team()
    _index(workspace, "r1", "person")
    workspace.team.tree.setFocus()
    QTest.keyClick(workspace.team.tree, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(workspace.dialog, DealsDialog), timeout=WAIT_MS)
    dialog = workspace.dialog
    assert isinstance(dialog, DealsDialog)
    assert dialog.model.rowCount() == 3  # November's three; December's is not shown
    assert dialog.model.index(0, 4).data() == "Closed won"
    assert dialog.model.index(2, 5).data() == eur(500_000)
    assert dialog.model.index(2, 7).data() == eur(400_000)  # weighted at 80 %
    with qtbot.waitSignal(workspace.account_requested, timeout=WAIT_MS) as opened:
        QTest.keyClick(dialog.table, Qt.Key.Key_Return)
    assert opened.args == [uid("account-r1")]


def test_the_adjustment_dialog_says_direct_or_indirect_and_needs_a_note(
    qtbot: QtBot, open_as: Callable
) -> None:
    _database, runner = open_as("m1")
    workspace = shown(qtbot, runner)
    workspace.show_team()
    workspace.team.select(uid("r1"))
    QTest.keyClick(workspace, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    dialog = workspace.dialog
    assert isinstance(dialog, AdjustDialog)
    assert dialog.relation.text() == "Direct adjustment: you are Rosa Uno's manager."
    assert not dialog.team_choice.isVisible()
    dialog.amount.setText("-1,000")
    dialog.buttons.accepted.emit()
    assert dialog.error.text() and dialog.isVisible()
    # the manager's own row is adjusted on their own submission, not here
    assert workspace.adjust(uid("m1"), False) is None
    team = workspace.adjust(uid("m1"), True)
    assert team is not None and team.team_choice.isChecked()


def test_the_indirect_adjustment_names_the_reps_manager(qtbot: QtBot, open_as: Callable) -> None:
    _database, runner = open_as("vp")
    workspace = shown(qtbot, runner)
    dialog = workspace.adjust(uid("r2"), False)
    assert dialog is not None
    assert dialog.relation.text() == (
        "Indirect adjustment: you are above Raúl Dos's manager (Marta Uno)."
    )


def test_spanish(qtbot: QtBot, open_as: Callable) -> None:
    set_language("es")
    _database, runner = open_as("vp")
    workspace = shown(qtbot, runner)
    assert workspace.picker.label_text() == "Noviembre de 2026"
    assert workspace.tabs.tabText(1) == "Revisión del equipo"
    assert workspace.mine.cards.text("attainment") == "\u2014"  # Vera has no deals
    assert _cell(workspace, "m1", "team", "attainment") == "42,9\xa0%"
    assert _cell(workspace, "m1", "team", "person") == "Marta Uno · equipo"
    assert _cell(workspace, "m1", "team", "submitted") == "1/3 enviadas"
    assert _cell(workspace, "r1", "person", "closed") == "10.000,00\xa0€"
    reload(qtbot, workspace, lambda: workspace.picker.set_kind("quarter"))
    assert workspace.picker.label_text() == "T4 2026"


def _adjustments(database: Database) -> list[ForecastAdjustment]:
    with database.session() as session:
        rows = session.scalars(
            select(ForecastAdjustment).order_by(ForecastAdjustment.adjusted_at)
        ).all()
        session.expunge_all()
        return list(rows)


def test_a_direct_adjustment_is_stored_with_its_note(qtbot: QtBot, open_as: Callable) -> None:
    database, runner = open_as("m1")
    workspace = shown(qtbot, runner)
    dialog = workspace.adjust(uid("r1"), False)
    assert dialog is not None and not dialog.history.isVisible()
    dialog.amount.setText("-1,000")
    dialog.note.setPlainText("El cliente pide otro trimestre")
    with qtbot.waitSignal(workspace.stored, timeout=WAIT_MS):
        dialog.buttons.accepted.emit()
    qtbot.waitUntil(
        lambda: "direct" in _cell(workspace, "r1", "person", "adjustment"), timeout=WAIT_MS
    )
    (stored,) = _adjustments(database)
    assert (stored.owner_id, stored.scope, stored.amount, stored.currency) == (
        uid("r1"),
        "rep",
        -100_000,
        "EUR",
    )
    assert stored.note == "El cliente pide otro trimestre" and stored.adjusted_by_id == uid("m1")
    assert _cell(workspace, "r1", "person", "adjustment") == "\u2212€1,000.00 (direct)"
    # Rosa's call: 1,550,000 − 100,000, and Marta's team call with it
    assert _cell(workspace, "r1", "person", "call") == eur(1_450_000)
    assert "stored with its note" in workspace.notice_text()
    # a second one keeps the first: the history is shown in the next dialog
    again = workspace.adjust(uid("r1"), False)
    assert again is not None and "El cliente pide otro trimestre" in again.history.text()


def test_an_indirect_team_adjustment(qtbot: QtBot, open_as: Callable) -> None:
    database, runner = open_as("vp")
    workspace = shown(qtbot, runner)
    workspace.show_team()
    before = _cell(workspace, "m1", "team", "call")
    dialog = workspace.adjust(uid("m1"), True)
    assert dialog is not None and dialog.team_choice.isChecked()
    assert dialog.relation.text() == "Direct adjustment: you are Marta Uno's manager."
    dialog.amount.setText("2,000")
    dialog.note.setPlainText("Hay margen")
    with qtbot.waitSignal(workspace.stored, timeout=WAIT_MS):
        dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: _cell(workspace, "m1", "team", "call") != before, timeout=WAIT_MS)
    (stored,) = _adjustments(database)
    assert (stored.owner_id, stored.scope, stored.amount) == (uid("m1"), "team", 200_000)
    assert _cell(workspace, "m1", "team", "adjustment") == "+€2,000.00 (direct)"
    assert _cell(workspace, "m1", "team", "call") == eur(1_550_000 + 200_000)


def test_a_refused_adjustment_keeps_the_dialog_open(qtbot: QtBot, open_as: Callable) -> None:
    database, runner = open_as("m1")
    workspace = shown(qtbot, runner)
    dialog = workspace.adjust(uid("r2"), False)  # Raúl has not submitted: nothing to adjust
    assert dialog is not None
    dialog.amount.setText("500")
    dialog.note.setPlainText("Por si acaso")
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=WAIT_MS)
    assert "has not submitted" in dialog.error.text() and dialog.isVisible()
    assert _adjustments(database) == []


def test_export_writes_the_team_review(qtbot: QtBot, open_as: Callable, tmp_path: Path) -> None:
    _database, runner = open_as("vp")
    workspace = shown(qtbot, runner)
    dialog = workspace.export()
    assert dialog.isVisible() and dialog.selectedFiles()[0].endswith("forecast-2026-11.xlsx")
    dialog.reject()
    target = tmp_path / "review.xlsx"
    with qtbot.waitSignal(workspace.exported, timeout=WAIT_MS):
        workspace.export_to(target)
    sheet = openpyxl.load_workbook(target).worksheets[0]
    people = {cell.value for cell in sheet["C"]}
    assert {"Vera Pons", "Marta Uno", "Rosa Uno", "Rita Tres"} <= people
    assert "review.xlsx" in workspace.notice_text()
    bad = tmp_path / "review.txt"
    workspace.export_to(bad)
    qtbot.waitUntil(
        lambda: "review.txt" in workspace.notice_text() and "saved" not in workspace.notice_text(),
        timeout=WAIT_MS,
    )
    assert not bad.exists()


def test_the_app_opens_a_manager_on_the_team_review(tmp_path: Path, qapp: object) -> None:
    """``sfa-desktop --view forecast --screenshot`` on the team's profile, as the VP."""
    folder = tmp_path / "profile"
    folder.mkdir()
    team_database(folder, "vp").close()
    shot = tmp_path / "forecast.png"
    assert run_app(screenshot_args(folder, shot, "--view", "forecast", "--lang", "es")) == 0
    assert_real_screenshot(shot)


def test_a_manager_lands_on_the_team_review_a_rep_on_their_own(
    qtbot: QtBot, open_as: Callable
) -> None:
    _database, runner = open_as("vp")
    assert shown(qtbot, runner).tabs.currentIndex() == 1
    _database, runner = open_as("r1")
    assert shown(qtbot, runner).tabs.currentIndex() == 0


def test_a_later_team_adjustment_replaces_the_managers_earlier_one(
    qtbot: QtBot, open_as: Callable
) -> None:
    database, runner = open_as("vp")
    workspace = shown(qtbot, runner)
    for amount, note in (("2,000", "Hay margen"), ("1,000", "Menos margen")):
        dialog = workspace.adjust(uid("m1"), True)
        assert dialog is not None
        dialog.amount.setText(amount)
        dialog.note.setPlainText(note)
        with qtbot.waitSignal(workspace.stored, timeout=WAIT_MS):
            dialog.buttons.accepted.emit()
        qtbot.waitUntil(
            lambda amount=amount: amount in _cell(workspace, "m1", "team", "adjustment"),
            timeout=WAIT_MS,
        )
    assert len(_adjustments(database)) == 2  # both kept
    assert _cell(workspace, "m1", "team", "adjustment") == "+€1,000.00 (direct)"
    assert _cell(workspace, "m1", "team", "call") == eur(1_550_000 + 100_000)
    history = workspace.adjust(uid("m1"), True)
    assert history is not None
    assert "Hay margen" in history.history.text() and "Menos margen" in history.history.text()
