"""The Visits workspace on the demo data: day/week navigation by keyboard, planning with inline
errors, check-in, outcome with follow-up, cancel, no-show, iCalendar export, the model tester."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from icalendar import Calendar
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sfa_desktop.domain.agenda import day_bounds, week_bounds
from sfa_desktop.i18n import set_language
from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import MetaKey, get_meta
from sfa_desktop.store.models import Account, Contact, Visit
from sfa_desktop.store.repositories.records import get_record, update_record
from sfa_desktop.store.repositories.visits import count_agenda
from sfa_desktop.ui.forms.reference_picker import ReferencePicker
from sfa_desktop.ui.language import LanguageSwitcher
from sfa_desktop.ui.main_window import MainWindow
from sfa_desktop.ui.profile import Profile
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.visits.agenda_model import PAST_COLOR
from sfa_desktop.ui.visits.links import connect_visit_links
from sfa_desktop.ui.visits.outcome_dialog import OutcomeDialog
from sfa_desktop.ui.visits.plan_dialog import PlanVisitDialog
from sfa_desktop.ui.workspaces import AccountsWorkspace, create_workspaces
from sfa_desktop.ui.workspaces.base import Workspace
from sfa_desktop.ui.workspaces.today import TodayWorkspace
from sfa_desktop.ui.workspaces.visits import VisitsWorkspace

from .conftest import WAIT_MS
from .fixed_clock import CLOCK, MADRID, NOW, TODAY
from .locale_text import full_day, week_range


@pytest.fixture
def workspace(qtbot: QtBot, demo_runner: TaskRunner) -> VisitsWorkspace:
    workspace = VisitsWorkspace(demo_runner, clock=CLOCK, native_dialogs=False)
    qtbot.addWidget(workspace)
    workspace.resize(1200, 700)
    workspace.show()
    qtbot.waitExposed(workspace)
    workspace.activateWindow()
    workspace.table.setFocus()
    qtbot.waitUntil(workspace.is_ready, timeout=WAIT_MS)
    return workspace


def expected_count(demo_db: Database, start: dt.datetime, end: dt.datetime) -> int:
    with demo_db.session() as session:
        return count_agenda(
            session, start=start, end=end, owner_id=get_meta(session, MetaKey.USER_ID)
        )


def press(
    qtbot: QtBot, workspace: VisitsWorkspace, key: Qt.Key, modifiers: Qt.KeyboardModifier
) -> None:
    loaded = workspace.model.loaded
    with qtbot.waitSignal(loaded, timeout=WAIT_MS):
        QTest.keyClick(workspace.table, key, modifiers)


def test_day_and_week_navigation_by_keyboard(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database
) -> None:
    model = workspace.model
    assert workspace.range_text() == full_day(TODAY, "en")
    assert model.total_count == expected_count(demo_db, *day_bounds(TODAY, MADRID)) > 0
    alt, ctrl = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
    shift = Qt.KeyboardModifier.ShiftModifier
    press(qtbot, workspace, Qt.Key.Key_Right, alt)
    assert workspace.shown_day == TODAY + dt.timedelta(days=1)
    assert model.total_count == expected_count(demo_db, *day_bounds(workspace.shown_day, MADRID))
    press(qtbot, workspace, Qt.Key.Key_W, ctrl | shift)
    assert workspace.showing_week and workspace.range_text() == week_range(
        dt.date(2026, 11, 23), dt.date(2026, 11, 29), "en"
    )
    assert model.total_count == expected_count(demo_db, *week_bounds(TODAY, MADRID))
    assert model.index(0, 0).data().startswith("Mon 23")
    press(qtbot, workspace, Qt.Key.Key_Left, alt)
    assert workspace.range_text() == week_range(dt.date(2026, 11, 16), dt.date(2026, 11, 22), "en")
    press(qtbot, workspace, Qt.Key.Key_T, ctrl)
    assert workspace.shown_day == TODAY
    press(qtbot, workspace, Qt.Key.Key_D, ctrl | shift)
    assert not workspace.showing_week
    assert model.index(0, 0).data()[:2].isdigit()
    set_language("es")
    workspace.retranslate()
    assert workspace.range_text() == full_day(TODAY, "es")
    assert workspace.button("plan").toolTip() == "Planificar una visita u otra actividad (Ctrl+N)"


def test_the_agenda_passes_the_model_tester(
    workspace: VisitsWorkspace, qtmodeltester: ModelTester
) -> None:
    assert workspace.model.rowCount() > 0
    qtmodeltester.check(workspace.model)


def pick_account(demo_db: Database) -> tuple[Account, Contact]:
    with demo_db.session() as session:
        contact = session.execute(select(Contact).order_by(Contact.id)).scalars().first()
        assert contact is not None
        account = session.get(Account, contact.account_id)
        assert account is not None
        return account, contact


def test_plan_a_visit_with_the_account_preselected(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database
) -> None:
    account, contact = pick_account(demo_db)
    QTest.keyClick(workspace.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(workspace.open_dialog, PlanVisitDialog)
    workspace.open_dialog.reject()
    dialog = workspace.plan_visit(account.id)
    form = dialog.form
    qtbot.waitUntil(lambda: form.editor("account_id").value() == account.id, timeout=WAIT_MS)
    start = dt.datetime(2026, 11, 25, 15, 0, tzinfo=MADRID)
    form.editor("planned_start").set_value(start)
    form.editor("planned_end").set_value(start - dt.timedelta(hours=1))
    with qtbot.waitSignal(dialog.save_finished, timeout=WAIT_MS) as finished:
        dialog.save()
    assert finished.args == [False]
    assert form.error_text("planned_end") == "The end must not be before the start."
    set_language("es")
    dialog.retranslate()
    assert form.error_text("planned_end") == "El final no puede ser anterior al inicio."
    set_language("en")
    dialog.retranslate()

    contacts = form.editor("contact_id")
    assert isinstance(contacts, ReferencePicker)
    with qtbot.waitSignal(contacts.choices_loaded, timeout=WAIT_MS):
        contacts.search("")
    assert contact.id in [choice.id for choice in contacts.choices]
    contacts.choose(next(choice for choice in contacts.choices if choice.id == contact.id))
    form.editor("planned_end").set_value(start + dt.timedelta(minutes=45))
    form.editor("subject").set_value("Revisar pedido")
    before = workspace.model.total_count or 0
    with qtbot.waitSignal(dialog.warned, timeout=WAIT_MS):
        dialog.save()  # the demo rep has a visit then: a warning, nothing planned yet
    assert dialog.warning_text().splitlines() == [
        "It overlaps your planned visits:",
        "• 14:45–15:30 · Hotel Las Fuentes S.L.",
        "Plan it anyway? Save again to confirm.",
    ]
    assert dialog.save_button().text() == "Save &anyway"
    assert workspace.model.total_count == before
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        dialog.save()  # planned anyway
    qtbot.waitUntil(lambda: workspace.model.total_count == before + 1, timeout=WAIT_MS)
    with demo_db.session() as session:
        created = session.execute(
            select(Visit).where(Visit.subject == "Revisar pedido")
        ).scalar_one()
    assert (created.account_id, created.contact_id, created.status) == (
        account.id,
        contact.id,
        "planned",
    )
    assert created.planned_start == start.astimezone(dt.UTC)
    assert workspace.notice_text() == "Visit planned."


def test_planning_a_time_that_has_passed_warns(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database
) -> None:
    account, _contact = pick_account(demo_db)
    dialog = workspace.plan_visit(account.id)
    form = dialog.form
    qtbot.waitUntil(lambda: form.editor("account_id").value() == account.id, timeout=WAIT_MS)
    start = dt.datetime(2026, 11, 24, 6, 0, tzinfo=MADRID)  # yesterday, before any visit
    form.editor("planned_start").set_value(start)
    form.editor("planned_end").set_value(start + dt.timedelta(minutes=30))
    with qtbot.waitSignal(dialog.warned, timeout=WAIT_MS):
        dialog.save()
    assert dialog.warning_text().splitlines() == [
        "This time has already passed.",
        "Plan it anyway? Save again to confirm.",
    ]
    set_language("es")
    dialog.retranslate()
    assert dialog.warning_text().splitlines()[0] == "Esta hora ya ha pasado."
    assert dialog.save_button().text() == "&Guardar de todos modos"
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        dialog.save()


def select_planned(qtbot: QtBot, workspace: VisitsWorkspace, skip: int = 0) -> str:
    rows = [row for row in workspace.model.loaded_rows() if row.status == "planned"]
    visit_id = rows[skip].id
    assert workspace.select_visit(visit_id)
    return visit_id


def test_check_in_log_outcome_and_the_follow_up(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database
) -> None:
    visit_id = select_planned(qtbot, workspace)
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        QTest.keyClick(workspace.table, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    with demo_db.session() as session:
        assert get_record(session, "visit", visit_id)["checked_in_at"] == NOW  # type: ignore[index]
    qtbot.waitUntil(
        lambda: (
            workspace.select_visit(visit_id) and workspace.selected_visit().checked_in_at == NOW
        ),
        timeout=WAIT_MS,
    )  # type: ignore[union-attr]
    row = workspace.model.row_of(visit_id)
    assert workspace.model.index(row, 5).data() == "Checked in at 08:00"

    dialog = workspace.log_outcome_selected()
    assert isinstance(dialog, OutcomeDialog)
    qtbot.waitUntil(lambda: dialog.visit is not None, timeout=WAIT_MS)
    with qtbot.waitSignal(dialog.save_finished, timeout=WAIT_MS):
        dialog.save()
    assert dialog.form.error_text("outcome") == "A value is required."
    dialog.form.editor("outcome").set_value("Quieren una demo")
    dialog.form.editor("next_step").set_value("Preparar la demo")
    dialog.form.editor("follow_up_date").set_value(dt.date(2026, 12, 2))
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        dialog.save()
    with demo_db.session() as session:
        visit = get_record(session, "visit", visit_id)
        follow_up = session.execute(
            select(Visit).where(Visit.follow_up_of_id == visit_id)
        ).scalar_one()
    assert visit is not None and (visit["status"], visit["next_step"]) == (
        "done",
        "Preparar la demo",
    )
    assert (follow_up.subject, follow_up.status) == ("Preparar la demo", "planned")
    assert follow_up.kind == "task"  # due that day, not a visit at 09:00
    assert follow_up.planned_start == dt.datetime(2026, 12, 1, 23, 0, tzinfo=dt.UTC)  # 0:00 Madrid


@pytest.mark.parametrize(
    ("key", "status"),
    [(Qt.Key.Key_X, "cancelled"), (Qt.Key.Key_N, "no_show")],
)
def test_cancel_and_no_show(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database, key: Qt.Key, status: str
) -> None:
    visit_id = select_planned(qtbot, workspace, skip=1)
    assert workspace.button("cancel").isEnabled()
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    with qtbot.waitSignal(workspace.visits_changed, timeout=WAIT_MS):
        QTest.keyClick(workspace.table, key, modifiers)
    with demo_db.session() as session:
        assert get_record(session, "visit", visit_id)["status"] == status  # type: ignore[index]
    qtbot.waitUntil(
        lambda: workspace.select_visit(visit_id) and not workspace.button("cancel").isEnabled(),
        timeout=WAIT_MS,
    )


def test_export_the_planned_visits_shown_as_icalendar(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database, tmp_path: Path
) -> None:
    planned = [row for row in workspace.model.loaded_rows() if row.status == "planned"]
    target = tmp_path / "agenda.ics"
    QTest.keyClick(workspace.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    dialog = workspace.file_dialog
    assert isinstance(dialog, QFileDialog)
    with qtbot.waitSignal(workspace.notice_shown, timeout=WAIT_MS) as shown:
        dialog.selectFile(str(target))
        dialog.accept()
    assert shown.args == [f"{len(planned)} planned visits exported to agenda.ics."]
    calendar = Calendar.from_ical(target.read_bytes())
    events = [component for component in calendar.walk("VEVENT")]
    assert sorted(str(event["uid"]) for event in events) == sorted(
        f"{row.id}@sfa-desktop" for row in planned
    )
    first = next(event for event in events if str(event["uid"]).startswith(planned[0].id))
    assert first.decoded("dtstart") == planned[0].planned_start
    assert planned[0].account_name in str(first["summary"])


@pytest.mark.parametrize(
    ("language", "file_name", "cancel"), [("en", "visits", "Cancel"), ("es", "visitas", "Cancelar")]
)
def test_the_save_dialog_speaks_the_app_language_and_suggests_a_localized_name(
    qtbot: QtBot, workspace: VisitsWorkspace, language: str, file_name: str, cancel: str
) -> None:
    switcher = LanguageSwitcher()
    switcher.apply(language)
    try:
        QTest.keyClick(workspace.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
        dialog = workspace.file_dialog
        assert isinstance(dialog, QFileDialog)
        suggested = Path(dialog.selectedFiles()[0]).name
        assert suggested == f"{file_name}-{TODAY.isoformat()}.ics"
        buttons = {b.text().replace("&", "") for b in dialog.findChildren(QPushButton)}
        assert cancel in buttons  # Qt's own strings, from qtbase_es
        dialog.reject()
    finally:
        switcher.apply("en")
        switcher.uninstall()


class _FakeAccounts(Workspace):
    view_id = "accounts"
    plan_visit_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[str] = []

    def open_account(self, account_id: str, **back: object) -> None:
        self.opened.append(account_id)


class _Shell(QObject):
    def __init__(self, workspaces: list[Workspace]) -> None:
        super().__init__()
        self._workspaces = {w.view_id: w for w in workspaces}
        self.shown: list[str] = []

    @property
    def view_ids(self) -> tuple[str, ...]:
        return tuple(self._workspaces)

    def workspace(self, view_id: str) -> Workspace:
        return self._workspaces[view_id]

    def show_view(self, view_id: str) -> None:
        self.shown.append(view_id)

    def current_view(self) -> str:
        return self.shown[-1] if self.shown else next(iter(self._workspaces))


def test_an_account_page_asks_visits_to_plan_and_visits_open_accounts(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database
) -> None:
    account, _contact = pick_account(demo_db)
    accounts = _FakeAccounts()
    qtbot.addWidget(accounts)
    shell = _Shell([accounts, workspace])
    connect_visit_links(shell)
    accounts.plan_visit_requested.emit(account.id)
    dialog = workspace.open_dialog
    assert isinstance(dialog, PlanVisitDialog) and shell.shown == ["visits"]
    qtbot.waitUntil(lambda: dialog.form.editor("account_id").value() == account.id, timeout=WAIT_MS)
    dialog.reject()
    workspace.table.setCurrentIndex(workspace.model.index(0, 2))
    QTest.keyClick(workspace.table, Qt.Key.Key_Return)
    assert accounts.opened == [workspace.model.activity_at(0).account_id]
    assert shell.shown == ["visits", "accounts"]


def test_an_empty_day_says_how_to_plan(qtbot: QtBot, workspace: VisitsWorkspace) -> None:
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        workspace.show_day(dt.date(2027, 6, 6))
    assert workspace.showing_empty_state()
    assert workspace.empty_state.title() == "No visits planned on this day"
    assert workspace.empty_state.message() == "Plan one with Ctrl+N or from an account's page."
    assert not workspace.button("check_in").isEnabled()
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        workspace.go_today()
    assert not workspace.showing_empty_state()


def test_in_the_main_window_shortcuts_act_on_the_visible_workspace(
    qtbot: QtBot, demo_runner: TaskRunner, tmp_path: Path
) -> None:
    language = LanguageSwitcher()
    language.apply("en")
    window = MainWindow(
        workspaces=create_workspaces(demo_runner, clock=CLOCK),
        profile=Profile(tmp_path, is_demo=True, user_name="Ana"),
        language=language,
    )
    qtbot.addWidget(window)
    connect_visit_links(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    today, visits = window.workspace("today"), window.workspace("visits")
    assert isinstance(today, TodayWorkspace) and isinstance(visits, VisitsWorkspace)
    qtbot.waitUntil(lambda: today.is_ready() and visits.is_ready(), timeout=WAIT_MS)
    asked: list[object] = []
    today.plan_visit_requested.connect(lambda *args: asked.append(args))

    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked == [("", "")] and window.current_view() == "visits"
    dialog = visits.open_dialog
    assert isinstance(dialog, PlanVisitDialog)
    dialog.reject()
    qtbot.waitUntil(lambda: visits.open_dialog is None, timeout=WAIT_MS)
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert asked == [("", "")] and isinstance(visits.open_dialog, PlanVisitDialog)
    visits.open_dialog.reject()

    window.show_view("today")
    stop = today.sections.model("route").row_at(0).stop
    today.account_requested.emit(stop.account_id)
    accounts = window.workspace("accounts")
    assert window.current_view() == "accounts"
    assert isinstance(accounts, AccountsWorkspace) and accounts.showing_account_page()
    language.uninstall()


def test_a_conflict_opens_its_account_page(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database, tmp_path: Path
) -> None:
    language = LanguageSwitcher()
    language.apply("en")
    window = MainWindow(
        workspaces=create_workspaces(demo_runner, clock=CLOCK),
        profile=Profile(tmp_path, is_demo=True, user_name="Ana"),
        language=language,
    )
    qtbot.addWidget(window)
    connect_visit_links(window)
    with demo_db.session() as session:
        account_id = session.scalars(select(Account.id).limit(1)).one()
    window.workspace("conflicts").account_requested.emit(account_id)  # type: ignore[attr-defined]
    accounts = window.workspace("accounts")
    assert isinstance(accounts, AccountsWorkspace)
    assert window.current_view() == "accounts" and accounts.showing_account_page()
    assert accounts.account_page.account_id == account_id
    language.uninstall()


def test_planned_visits_whose_time_has_passed_are_marked_past(
    qtbot: QtBot, workspace: VisitsWorkspace, demo_db: Database
) -> None:
    model = workspace.model
    first = next(
        model.activity_at(r)
        for r in range(model.rowCount())
        if model.activity_at(r).status == "planned"
    )
    early = dt.datetime.combine(TODAY, dt.time(6, 30), tzinfo=MADRID)  # before NOW (08:00)
    changes = {"planned_start": early, "planned_end": early + dt.timedelta(minutes=30)}
    with demo_db.session() as session:
        update_record(session, "visit", first.id, changes, now=NOW)
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.refresh()
    status = next(i for i, c in enumerate(model.columns) if c.attribute == "status")
    seen = {True: 0, False: 0}
    for row in range(model.rowCount()):
        activity = model.activity_at(row)
        if activity.status != "planned" or activity.planned_start is None:
            continue
        past = activity.planned_start < NOW
        seen[past] += 1
        cell = model.index(row, status)
        text = model.data(cell, Qt.ItemDataRole.DisplayRole)
        colour = model.data(cell, Qt.ItemDataRole.ForegroundRole)
        assert text == ("Planned · past" if past else "Planned"), activity
        assert (colour is not None and colour.name() == PAST_COLOR) is past
    assert seen[True] and seen[False], seen  # the demo day has both
    set_language("es")
    workspace.retranslate()
    texts = [model.data(model.index(r, status)) for r in range(model.rowCount())]
    assert "Planificada · pasada" in texts
