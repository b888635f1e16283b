"""The Visits week calendar on a copy of the demo file: blocks in their day column and hour row,
overlaps side by side, the all-day strip, an empty week, dragging and Ctrl+arrows reschedule
(persisted in the SQLite file), closed visits stay put, warnings ask first, keyboard use."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from sfa_desktop.domain.agenda import task_due_times
from sfa_desktop.i18n import set_language
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.visits import (
    VisitOutcome,
    VisitPlan,
    cancel_visit,
    log_outcome,
    plan_visit,
)
from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.records import get_record
from sfa_desktop.store.repositories.visits import list_agenda
from sfa_desktop.ui.models.paged_model import PagedTableModel
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.visits.week_areas import GUTTER, HOUR_HEIGHT, BlockArea
from sfa_desktop.ui.workspaces.visits import VisitsWorkspace

from .conftest import WAIT_MS
from .fixed_clock import CLOCK, MADRID
from .test_visits_workspace import pick_account

#: A week of the demo with nothing planned (the demo lies around November 2026).
MONDAY = dt.date(2027, 2, 1)
CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Local time on the ``day``-th day of the test week, as aware UTC."""
    when = dt.datetime.combine(MONDAY + dt.timedelta(days=day), dt.time(hour, minute), MADRID)
    return when.astimezone(dt.UTC)


def plan(
    demo_db: Database, start: dt.datetime, end: dt.datetime, subject: str, kind: str = "visit"
) -> str:
    account, _contact = pick_account(demo_db)
    with demo_db.session() as session:
        context = load_edit_context(session, now=CLOCK.now)
        plan_ = VisitPlan(account_id=account.id, start=start, end=end, subject=subject, kind=kind)
        return plan_visit(session, context, plan_)


def close(demo_db: Database, visit_id: str, status: str) -> None:
    with demo_db.session() as session:
        context = load_edit_context(session, now=CLOCK.now)
        if status == "cancelled":
            cancel_visit(session, context, visit_id)
        else:
            log_outcome(session, context, visit_id, VisitOutcome(outcome="Pedido cerrado"))


def stored(demo_db: Database, visit_id: str) -> dict[str, Any]:
    with demo_db.session() as session:
        record = get_record(session, "visit", visit_id)
    assert record is not None
    return record


@pytest.fixture
def week_visits(demo_db: Database) -> dict[str, str]:
    """Monday 09:00-10:00 and 09:30-10:30 (overlapping), Wednesday 15:00-15:45, a task all
    Thursday, a done visit on Tuesday 11:00; nothing at the weekend."""
    ids = {
        "mon9": plan(demo_db, at(0, 9), at(0, 10), "Primera"),
        "mon930": plan(demo_db, at(0, 9, 30), at(0, 10, 30), "Segunda"),
        "wed15": plan(demo_db, at(2, 15), at(2, 15, 45), "Tercera"),
        "tue11": plan(demo_db, at(1, 11), at(1, 12), "Hecha"),
    }
    thursday = MONDAY + dt.timedelta(days=3)
    ids["task"] = plan(demo_db, *task_due_times(thursday, MADRID), "Llamar", kind="task")
    close(demo_db, ids["tue11"], "done")
    return ids


def open_week(qtbot: QtBot, runner: TaskRunner, day: dt.date) -> VisitsWorkspace:
    workspace = VisitsWorkspace(runner, clock=CLOCK, native_dialogs=False)
    qtbot.addWidget(workspace)
    workspace.resize(1200, 800)
    workspace.show()
    qtbot.waitExposed(workspace)
    qtbot.waitUntil(workspace.is_ready, timeout=WAIT_MS)
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        workspace.show_week(True)
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        workspace.show_day(day)
    return workspace


@pytest.fixture
def workspace(
    qtbot: QtBot, demo_runner: TaskRunner, week_visits: dict[str, str]
) -> VisitsWorkspace:
    return open_week(qtbot, demo_runner, MONDAY + dt.timedelta(days=2))


def block(workspace: VisitsWorkspace, visit_id: str) -> QRectF:
    rect = workspace.calendar.block_rect(visit_id)
    assert rect is not None
    return rect


def column_of(workspace: VisitsWorkspace, rect: QRectF) -> int:
    grid = workspace.calendar.grid
    return int((rect.center().x() - GUTTER) // grid.column_width())


def test_blocks_sit_in_their_day_column_and_hour_rows(
    workspace: VisitsWorkspace, week_visits: dict[str, str]
) -> None:
    calendar = workspace.calendar
    assert workspace.showing_empty_state() is False
    assert calendar.days() == [MONDAY + dt.timedelta(days=n) for n in range(7)]
    wed = block(workspace, week_visits["wed15"])
    assert column_of(workspace, wed) == 2
    assert wed.top() == pytest.approx(15 * HOUR_HEIGHT + 1)
    assert wed.height() == pytest.approx(0.75 * HOUR_HEIGHT - 2)
    # overlapping Monday visits: side by side, half the column each
    first, second = block(workspace, week_visits["mon9"]), block(workspace, week_visits["mon930"])
    assert column_of(workspace, first) == column_of(workspace, second) == 0
    assert first.right() <= second.left()
    assert first.width() == pytest.approx(calendar.grid.column_width() / 2 - 4)
    assert not first.intersects(second)
    # the task is in the all-day strip, on Thursday; the weekend columns are there, empty
    assert calendar.area_of(week_visits["task"]) is calendar.top
    assert column_of(workspace, block(workspace, week_visits["task"])) == 3
    assert {p.item.day for p in calendar.timed_blocks()} == {0, 1, 2}
    # opened at the working day (08:00) and the today column is not in this week
    assert calendar.scroll_area.verticalScrollBar().value() == 8 * HOUR_HEIGHT - HOUR_HEIGHT // 2
    assert calendar.today_index() is None


def test_an_empty_week_shows_its_seven_days(qtbot: QtBot, demo_runner: TaskRunner) -> None:
    workspace = open_week(qtbot, demo_runner, MONDAY + dt.timedelta(days=7))
    assert workspace.model.total_count == 0
    assert not workspace.showing_empty_state()
    assert workspace.calendar.isVisible() and len(workspace.calendar.days()) == 7
    assert workspace.calendar.timed_blocks() == [] == workspace.calendar.strip_blocks()
    assert workspace.calendar.empty_text() == "No visits planned this week"
    set_language("es")
    workspace.retranslate()
    assert workspace.calendar.empty_text() == "No hay visitas planificadas esta semana"
    assert workspace.calendar.grid.accessibleName() == "Calendario de la semana"


def drag(area: BlockArea, start: QPoint, end: QPoint) -> None:
    QTest.mousePress(area, LEFT, NONE, start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    QTest.mouseMove(area, middle)
    QTest.mouseMove(area, end)
    QTest.mouseRelease(area, LEFT, NONE, end)


def test_dragging_a_block_reschedules_it_in_the_file(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database, week_visits: dict[str, str]
) -> None:
    grid = workspace.calendar.grid
    visit_id = week_visits["wed15"]
    rect = block(workspace, visit_id)
    grab = QPoint(int(rect.center().x()), int(rect.top()) + 5)  # 5 px below the top
    # to Friday, 16:30 (+ a few pixels: snapped to the quarter)
    target = QPoint(int(GUTTER + 4.5 * grid.column_width()), int(16.5 * HOUR_HEIGHT) + 5 + 3)
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        drag(grid, grab, target)
        assert workspace.calendar.item(visit_id).day == 4  # shown there while it is written
    record = stored(demo_db, visit_id)
    assert record["planned_start"] == at(4, 16, 30)
    assert record["planned_end"] == at(4, 17, 15)  # the duration is kept
    qtbot.waitUntil(lambda: column_of(workspace, block(workspace, visit_id)) == 4, timeout=WAIT_MS)
    assert workspace.notice_text().startswith("Visit moved: Friday, 5 February 2027, 16:30")


def test_a_done_visit_cannot_be_dragged(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database, week_visits: dict[str, str]
) -> None:
    grid = workspace.calendar.grid
    visit_id = week_visits["tue11"]
    rect = block(workspace, visit_id)
    start = rect.center().toPoint()
    drag(grid, start, start + QPoint(int(grid.column_width()), 2 * HOUR_HEIGHT))
    assert workspace.notice_text() == "Only planned visits can be moved."
    assert grid.drag_target() is None
    assert block(workspace, visit_id) == rect
    assert stored(demo_db, visit_id)["planned_start"] == at(1, 11)
    assert workspace.calendar.selected_id() == visit_id
    assert not workspace.button("check_in").isEnabled()  # closed: no visit actions


def press(qtbot: QtBot, workspace: VisitsWorkspace, key: Qt.Key, modifiers: Any = NONE) -> None:
    QTest.keyClick(workspace.calendar.grid, key, modifiers)


def test_keyboard_selects_moves_and_opens(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database, week_visits: dict[str, str]
) -> None:
    calendar = workspace.calendar
    calendar.grid.setFocus()
    press(qtbot, workspace, Qt.Key.Key_Down)
    assert calendar.selected_id() == week_visits["mon9"]  # the first of the week
    press(qtbot, workspace, Qt.Key.Key_Right)
    assert calendar.selected_id() == week_visits["tue11"]
    press(qtbot, workspace, Qt.Key.Key_Right)
    assert calendar.selected_id() == week_visits["wed15"]
    assert workspace.selected_visit() is not None
    assert "Tercera" in calendar.grid.accessibleDescription()
    assert workspace.button("check_in").isEnabled()
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        press(qtbot, workspace, Qt.Key.Key_Down, CTRL)  # 15 minutes later
    assert stored(demo_db, week_visits["wed15"])["planned_start"] == at(2, 15, 15)
    qtbot.waitUntil(lambda: workspace.model.total_count is not None, timeout=WAIT_MS)
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        press(qtbot, workspace, Qt.Key.Key_Left, CTRL)  # a day earlier
    record = stored(demo_db, week_visits["wed15"])
    assert (record["planned_start"], record["planned_end"]) == (at(1, 15, 15), at(1, 16))
    qtbot.waitUntil(
        lambda: (
            calendar.item(week_visits["wed15"]) is not None
            and calendar.item(week_visits["wed15"]).start == 15 * 60 + 15
        ),  # type: ignore[union-attr]
        timeout=WAIT_MS,
    )
    assert calendar.selected_id() == week_visits["wed15"]  # still selected after the reload
    with qtbot.waitSignal(workspace.account_requested, timeout=WAIT_MS) as opened:
        press(qtbot, workspace, Qt.Key.Key_Return)
    assert opened.args == [calendar.row(week_visits["wed15"]).account_id]
    # the visit actions work on the selected block: check in
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        QTest.keyClick(calendar.grid, Qt.Key.Key_I, CTRL)
    assert stored(demo_db, week_visits["wed15"])["checked_in_at"] is not None


def test_the_task_moves_a_day_in_the_strip_and_stays_all_day(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database, week_visits: dict[str, str]
) -> None:
    calendar = workspace.calendar
    calendar.select(week_visits["task"])
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        press(qtbot, workspace, Qt.Key.Key_Right, CTRL)
    record = stored(demo_db, week_visits["task"])
    friday = MONDAY + dt.timedelta(days=4)
    assert (record["planned_start"], record["planned_end"]) == task_due_times(friday, MADRID)
    press(qtbot, workspace, Qt.Key.Key_Down, CTRL)  # no time to change: nothing happens
    assert calendar.item(week_visits["task"]).all_day  # type: ignore[union-attr]


def test_an_overlap_asks_and_keeping_puts_the_block_back(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database, week_visits: dict[str, str]
) -> None:
    calendar = workspace.calendar
    visit_id = week_visits["wed15"]
    before = calendar.item(visit_id)
    calendar.select(visit_id)
    # onto Monday 09:00 (two planned visits): the question comes first
    calendar.request_move(visit_id, 0, 9 * 60)
    qtbot.waitUntil(lambda: workspace.mover.question is not None, timeout=WAIT_MS)
    question = workspace.mover.question
    assert question is not None
    assert question.text().splitlines()[0] == "It overlaps your planned visits:"
    assert len(question.text().splitlines()) == 3
    assert calendar.item(visit_id).day == 0  # type: ignore[union-attr]
    question.button(QMessageBox.StandardButton.No).click()
    assert calendar.item(visit_id) == before
    assert stored(demo_db, visit_id)["planned_start"] == at(2, 15)
    # again, and move it anyway
    calendar.request_move(visit_id, 0, 9 * 60)
    qtbot.waitUntil(lambda: workspace.mover.question is not None, timeout=WAIT_MS)
    question = workspace.mover.question
    assert question is not None
    assert question.button(QMessageBox.StandardButton.Yes).text() == "Move anyway"
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        question.button(QMessageBox.StandardButton.Yes).click()
    assert stored(demo_db, visit_id)["planned_start"] == at(0, 9)
    qtbot.waitUntil(
        lambda: {p.lanes for p in calendar.timed_blocks() if p.item.day == 0} == {3},
        timeout=WAIT_MS,
    )


def test_a_refused_move_puts_the_block_back_with_the_message(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database, week_visits: dict[str, str]
) -> None:
    calendar = workspace.calendar
    visit_id = week_visits["wed15"]
    before = calendar.item(visit_id)
    close(demo_db, visit_id, "cancelled")  # behind the calendar's back (a sync, say)
    with qtbot.waitSignal(workspace.notice_shown, timeout=WAIT_MS):
        calendar.request_move(visit_id, 5, 10 * 60)
    assert workspace.notice_text() == (
        "This activity is already closed (done, cancelled or no-show); it cannot change."
    )
    assert calendar.item(visit_id) == before
    assert stored(demo_db, visit_id)["planned_start"] == at(2, 15)


def test_spanish_texts(workspace: VisitsWorkspace, week_visits: dict[str, str]) -> None:
    set_language("es")
    workspace.retranslate()
    calendar = workspace.calendar
    assert calendar.top.accessibleName() == "Actividades de la semana sin hora fijada"
    assert calendar.help_text().startswith("Flechas: pasar de una visita a otra.")
    calendar.select(week_visits["task"])
    assert "todo el día" in calendar.top.accessibleDescription()
    assert calendar.top.accessibleDescription().startswith("Jue 4 todo el día, Tarea")


def test_nothing_of_the_week_is_missing(
    workspace: VisitsWorkspace, demo_db: Database, week_visits: dict[str, str]
) -> None:
    with demo_db.session() as session:
        rows = list_agenda(session, start=at(0, 0), end=at(7, 0))
    assert {row.id for row in rows} == set(week_visits.values())
    assert {row.id for row in workspace.calendar.rows()} == set(week_visits.values())


def test_the_week_key_brings_the_calendar_with_the_focus(
    qtbot: QtBot, demo_runner: TaskRunner, week_visits: dict[str, str]
) -> None:
    workspace = VisitsWorkspace(demo_runner, clock=CLOCK, native_dialogs=False)
    qtbot.addWidget(workspace)
    workspace.resize(1200, 800)
    workspace.show()
    qtbot.waitExposed(workspace)
    workspace.activateWindow()
    qtbot.waitUntil(workspace.is_ready, timeout=WAIT_MS)
    workspace.table.setFocus()
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        QTest.keyClick(workspace.table, Qt.Key.Key_W, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert workspace.calendar.isVisible()
    qtbot.waitUntil(workspace.calendar.grid.hasFocus, timeout=WAIT_MS)
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        QTest.keyClick(
            workspace.calendar.grid, Qt.Key.Key_D, CTRL | Qt.KeyboardModifier.ShiftModifier
        )
    assert workspace.table.isVisible() and workspace.table.hasFocus()


def test_dragging_the_task_along_the_strip_moves_its_day(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database, week_visits: dict[str, str]
) -> None:
    top = workspace.calendar.top
    rect = block(workspace, week_visits["task"])
    start = rect.center().toPoint()
    end = QPoint(int(GUTTER + 0.5 * top.column_width()), start.y() + 3)  # Monday
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        drag(top, start, end)
    record = stored(demo_db, week_visits["task"])
    assert (record["planned_start"], record["planned_end"]) == task_due_times(MONDAY, MADRID)


def test_escape_calls_a_drag_off(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database, week_visits: dict[str, str]
) -> None:
    grid = workspace.calendar.grid
    visit_id = week_visits["wed15"]
    start = block(workspace, visit_id).center().toPoint()
    end = start + QPoint(int(grid.column_width()), HOUR_HEIGHT)
    QTest.mousePress(grid, LEFT, NONE, start)
    QTest.mouseMove(grid, end)
    assert grid.drag_target() == (visit_id, 3, 16 * 60)
    QTest.keyClick(grid, Qt.Key.Key_Escape)
    assert grid.drag_target() is None
    QTest.mouseRelease(grid, LEFT, NONE, end)
    assert workspace.calendar.item(visit_id).day == 2  # type: ignore[union-attr]
    assert workspace.mover.question is None
    assert stored(demo_db, visit_id)["planned_start"] == at(2, 15)


def test_a_week_longer_than_a_page_is_shown_whole(
    qtbot: QtBot,
    demo_runner: TaskRunner,
    week_visits: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    defaults = dict(PagedTableModel.__init__.__kwdefaults__ or {})
    monkeypatch.setattr(PagedTableModel.__init__, "__kwdefaults__", {**defaults, "page_size": 2})
    workspace = open_week(qtbot, demo_runner, MONDAY)
    qtbot.waitUntil(
        lambda: {row.id for row in workspace.calendar.rows()} == set(week_visits.values()),
        timeout=WAIT_MS,
    )
