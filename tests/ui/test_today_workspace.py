"""The Today workspace on the demo data: route order, unlocated stops, one-click actions, start
point, the lists' models, empty state and the dated header in both languages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sfa_desktop.domain.day_route import TimedStop, plan_day
from sfa_desktop.i18n import set_language
from sfa_desktop.services.today import StartPoint, TaskDue
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.store.database import Database
from sfa_desktop.store.models import Account, Visit
from sfa_desktop.store.repositories.records import get_record, update_record
from sfa_desktop.ui.forms import ReferenceChoice
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.today.lists import ACCOUNT, ACTION
from sfa_desktop.ui.today.start_point_dialog import StartPointDialog
from sfa_desktop.ui.visits.outcome_dialog import OutcomeDialog
from sfa_desktop.ui.workspaces.today import TodayWorkspace

from .conftest import WAIT_MS
from .fixed_clock import CLOCK, MADRID, NOW, TODAY
from .locale_text import full_day
from .shown_workspace import shown_when_ready


def make_workspace(qtbot: QtBot, demo_runner: TaskRunner, **options: Any) -> TodayWorkspace:
    workspace = TodayWorkspace(demo_runner, clock=CLOCK, **options)
    return shown_when_ready(qtbot, workspace, height=800)


def click_cell(
    qtbot: QtBot, workspace: TodayWorkspace, section: str, row: int, column: str
) -> None:
    table = workspace.sections.table(section)
    model = workspace.sections.model(section)
    index = model.index(row, model.column_of(column))
    table.scrollTo(index)
    center: QPoint = table.visualRect(index).center()
    QTest.mouseClick(
        table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, center
    )


def stop_rows(demo_db: Database, workspace: TodayWorkspace) -> list[TimedStop]:
    """The stops shown as route stops at their times, in time order (to recompute the route)."""
    ids = [stop.stop.visit_id for stop in workspace.sections.model("route").rows()]
    midnight = dt.datetime.combine(TODAY, dt.time(), tzinfo=MADRID)
    with demo_db.session() as session:
        rows = session.execute(
            select(
                Visit.id,
                Account.latitude,
                Account.longitude,
                Visit.planned_start,
                Visit.planned_end,
            )
            .join(Account, Account.id == Visit.account_id)
            .where(Visit.id.in_(ids))
            .order_by(Visit.planned_start, Visit.id)
        ).all()
    return [
        TimedStop(
            str(r[0]),
            r[1],
            r[2],
            (r[4] - r[3]).total_seconds() / 60,
            at=(r[3] - midnight).total_seconds() / 60,
        )
        for r in rows
    ]


def test_the_route_keeps_appointment_times_and_shows_arrivals(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database
) -> None:
    workspace = make_workspace(qtbot, demo_runner)
    model = workspace.sections.model("route")
    stops = stop_rows(demo_db, workspace)
    assert len(stops) >= 5
    first = next(stop.point for stop in stops if stop.point is not None)
    plan = plan_day(first, stops)
    assert [stop.stop.visit_id for stop in model.rows()] == [p.stop.key for p in plan.stops]
    starts = [stop.stop.planned_start for stop in model.rows()]
    assert starts == sorted(starts)  # appointments in time order
    assert model.index(1, model.column_of("position")).data() == "2"
    assert model.index(1, model.column_of("leg")).data().endswith(" km")
    arrival_column = model.column_of("arrival")
    for row, planned in enumerate(plan.stops):
        text = model.index(row, arrival_column).data()
        assert text.startswith("≈ ")
        assert ("min late" in text) == planned.late
        assert model.is_flagged(row, arrival_column) == planned.late
    summary = workspace.sections.section("route").summary.text()
    assert summary.startswith(f"{len(stops)} visits") and "starting at the first visit" in summary


def test_accounts_without_coordinates_go_last_and_say_so(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database
) -> None:
    with demo_db.session() as session:
        first_visit = (
            session.execute(
                select(Visit)
                .where(Visit.status == "planned", Visit.planned_start >= NOW)
                .order_by(Visit.planned_start)
            )
            .scalars()
            .first()
        )
        assert first_visit is not None
        moved, account_id = first_visit.id, first_visit.account_id
        update_record(
            session, "account", account_id, {"latitude": None, "longitude": None}, now=NOW
        )
    workspace = make_workspace(qtbot, demo_runner)
    model = workspace.sections.model("route")
    ids = [stop.stop.visit_id for stop in model.rows()]
    if moved not in ids:
        pytest.skip("the demo's first plan is not an on-site visit of the user")
    last = model.rowCount() - 1
    assert ids[-1] == moved
    assert model.index(last, model.column_of("leg")).data() == "No location — not in the route"
    assert model.index(last, model.column_of("position")).data() == "—"
    assert "1 without a location" in workspace.sections.section("route").summary.text()
    set_language("es")
    workspace.retranslate()
    assert model.index(last, model.column_of("leg")).data() == "Sin ubicación: fuera de la ruta"


def test_every_list_passes_the_model_tester(
    qtbot: QtBot, demo_runner: TaskRunner, qtmodeltester: ModelTester
) -> None:
    workspace = make_workspace(qtbot, demo_runner)
    for name in ("route", "follow_ups", "overdue"):
        assert workspace.sections.model(name).rowCount() > 0, name
        qtmodeltester.check(workspace.sections.model(name))


def test_one_click_opens_the_account_and_checks_in_then_logs_the_outcome(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database
) -> None:
    workspace = make_workspace(qtbot, demo_runner)
    stop = workspace.sections.model("route").row_at(0).stop
    with qtbot.waitSignal(workspace.account_requested, timeout=WAIT_MS) as opened:
        click_cell(qtbot, workspace, "route", 0, ACCOUNT)
    assert opened.args == [stop.account_id]

    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        click_cell(qtbot, workspace, "route", 0, ACTION)
    with demo_db.session() as session:
        assert get_record(session, "visit", stop.visit_id)["checked_in_at"] == NOW  # type: ignore[index]
    qtbot.waitUntil(
        lambda: workspace.sections.model("route").row_at(0).stop.checked_in_at == NOW,
        timeout=WAIT_MS,
    )
    assert workspace.notice_text() == "Checked in."
    model = workspace.sections.model("route")
    assert model.index(0, model.column_of(ACTION)).data() == "Log outcome…"

    click_cell(qtbot, workspace, "route", 0, ACTION)
    dialog = workspace.open_dialog
    assert isinstance(dialog, OutcomeDialog)
    qtbot.waitUntil(lambda: dialog.visit is not None, timeout=WAIT_MS)
    dialog.form.editor("outcome").set_value("Pedido de prueba")
    dialog.form.editor("follow_up_date").set_value(TODAY + dt.timedelta(days=7))
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        dialog.save()
    with demo_db.session() as session:
        closed = get_record(session, "visit", stop.visit_id)
        follow_up = session.execute(
            select(Visit).where(Visit.follow_up_of_id == stop.visit_id)
        ).scalar_one()
    assert closed is not None and (closed["status"], closed["outcome"]) == (
        "done",
        "Pedido de prueba",
    )
    assert follow_up.planned_start.astimezone(MADRID).date() == TODAY + dt.timedelta(days=7)
    assert follow_up.kind == "task"
    # the visit stays in Today, ticked, out of the route; the summary counts it
    qtbot.waitUntil(lambda: model.row_at(0).done, timeout=WAIT_MS)
    assert model.row_at(0).stop.visit_id == stop.visit_id
    assert model.index(0, model.column_of("position")).data() == "✓"
    assert model.index(0, model.column_of(ACTION)).data() == ""
    total = model.rowCount()
    summary = workspace.sections.section("route").summary.text()
    assert summary.startswith(f"1 of {total} done")


def test_plan_links_ask_for_a_visit_or_the_follow_up(qtbot: QtBot, demo_runner: TaskRunner) -> None:
    workspace = make_workspace(qtbot, demo_runner)
    overdue = workspace.sections.model("overdue").row_at(0)
    with qtbot.waitSignal(workspace.plan_visit_requested, timeout=WAIT_MS) as asked:
        click_cell(qtbot, workspace, "overdue", 0, ACTION)
    assert asked.args == [overdue.account_id, ""]
    follow_ups = workspace.sections.model("follow_ups").rows()
    row = next(n for n, r in enumerate(follow_ups) if not isinstance(r, TaskDue))
    follow_up = follow_ups[row]
    with qtbot.waitSignal(workspace.plan_visit_requested, timeout=WAIT_MS) as asked:
        click_cell(qtbot, workspace, "follow_ups", row, ACTION)
    assert asked.args == [follow_up.account_id, follow_up.visit_id]
    values = [row.value for row in workspace.sections.model("overdue").rows()]
    assert values == sorted(values, reverse=True)


def test_the_start_point_dialog_checks_and_remembers_the_place(
    qtbot: QtBot, demo_runner: TaskRunner
) -> None:
    remembered: list[StartPoint | None] = []
    workspace = make_workspace(qtbot, demo_runner, remember_start_point=remembered.append)
    dialog = workspace.set_start_point()
    assert isinstance(dialog, StartPointDialog)
    dialog.enter_place("", "95,5", "abc")
    dialog.apply()
    assert dialog.error_text("label") == "A value is required."
    assert dialog.error_text("lat") == "The value must be between -90 and 90."
    assert dialog.error_text("lon") == "“abc” is not a valid number."
    assert remembered == []
    dialog.enter_place("Oficina", "40,4168", "-3.7038")
    with qtbot.waitSignal(workspace.ready, timeout=100, raising=False):
        dialog.apply()
    assert remembered == [StartPoint("Oficina", 40.4168, -3.7038)]
    qtbot.waitUntil(
        lambda: "starting from Oficina" in workspace.sections.section("route").summary.text(),
        timeout=WAIT_MS,
    )
    assert workspace.data is not None and workspace.data.start == remembered[0]


def test_an_account_without_location_cannot_be_the_start(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database
) -> None:
    workspace = make_workspace(qtbot, demo_runner, start_point=StartPoint("Casa", 40.0, -3.0))
    with demo_db.session() as session:
        account = (
            session.execute(select(Account).where(Account.latitude.is_(None))).scalars().first()
        )
        located = (
            session.execute(select(Account).where(Account.latitude.is_not(None))).scalars().first()
        )
    assert account is not None and located is not None
    dialog = workspace.set_start_point()
    dialog.choose_account(ReferenceChoice(account.id, account.name))
    dialog.apply()
    qtbot.waitUntil(lambda: dialog.error_text("account") != "", timeout=WAIT_MS)
    assert "no location" in dialog.error_text("account")
    chosen: list[object] = []
    dialog.chosen.connect(chosen.append)
    dialog.choose_account(ReferenceChoice(located.id, located.name))
    dialog.apply()
    qtbot.waitUntil(lambda: chosen != [], timeout=WAIT_MS)
    assert chosen == [StartPoint(located.name, located.latitude, located.longitude)]  # type: ignore[arg-type]
    assert workspace.start_point == chosen[0]


def test_no_visits_today_says_what_to_do(qtbot: QtBot, demo_runner: TaskRunner) -> None:
    quiet = AgendaClock.fixed(dt.datetime(2027, 6, 6, 8, 0, tzinfo=dt.UTC), MADRID)
    workspace = TodayWorkspace(demo_runner, clock=quiet)
    qtbot.addWidget(workspace)
    qtbot.waitUntil(workspace.is_ready, timeout=WAIT_MS)
    assert workspace.sections.showing_message("route")
    assert workspace.sections.message_text("route") == (
        "No visits planned today Plan one with Ctrl+N or from an account's page."
    )
    assert workspace.date_text() == full_day(dt.date(2027, 6, 6), "en")


def test_the_date_header_and_texts_in_spanish(qtbot: QtBot, demo_runner: TaskRunner) -> None:
    set_language("es")
    workspace = make_workspace(qtbot, demo_runner)
    assert workspace.date_text() == full_day(dt.date(2026, 11, 25), "es")
    assert workspace.title() == "Hoy"
    assert workspace.button("start").toolTip().endswith("(Ctrl+Mayús+S)")
    assert workspace.sections.section("route").title.text() == "Ruta de hoy"


def test_follow_up_tasks_due_are_listed_overdue_flagged_and_ticked_off(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database
) -> None:
    from sfa_desktop.domain.agenda import task_due_times
    from sfa_desktop.services.editing import load_edit_context
    from sfa_desktop.services.visits import VisitPlan, plan_visit

    with demo_db.session() as session:
        account = session.execute(select(Account.id).order_by(Account.name)).scalars().first()
        ctx = load_edit_context(session, now=CLOCK.now)
        ids = {}
        for name, day in (("late", TODAY - dt.timedelta(days=3)), ("today", TODAY)):
            start, end = task_due_times(day, MADRID)
            ids[name] = plan_visit(
                session,
                ctx,
                VisitPlan(account, start, end, kind="task", subject=f"Llamar ({name})"),
            )
        session.commit()
    workspace = make_workspace(qtbot, demo_runner)
    model = workspace.sections.model("follow_ups")
    tasks = [r for r in model.rows() if isinstance(r, TaskDue)]
    assert [t.visit_id for t in tasks if t.visit_id in ids.values()] == [ids["late"], ids["today"]]
    late_row = next(n for n, r in enumerate(model.rows()) if r.visit_id == ids["late"])
    today_row = next(n for n, r in enumerate(model.rows()) if r.visit_id == ids["today"])
    due = model.column_of("due")
    assert model.index(late_row, due).data().endswith("· overdue")
    assert model.is_flagged(late_row, due) and not model.is_flagged(today_row, due)
    assert model.index(late_row, model.column_of(ACTION)).data() == "Mark done"
    assert model.index(late_row, model.column_of("next_step")).data() == "Llamar (late)"
    assert "overdue" in workspace.sections.section("follow_ups").summary.text()
    # no task joins the route
    assert not set(ids.values()) & {
        s.stop.visit_id for s in workspace.sections.model("route").rows()
    }

    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        click_cell(qtbot, workspace, "follow_ups", late_row, ACTION)
    with demo_db.session() as session:
        assert get_record(session, "visit", ids["late"])["status"] == "done"  # type: ignore[index]
    qtbot.waitUntil(lambda: ids["late"] not in [r.visit_id for r in model.rows()], timeout=WAIT_MS)
    assert workspace.notice_text() == "Task done."
