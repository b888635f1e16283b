"""The Visits workspace: the agenda by day or by week, and what a rep does with a visit.

Keyboard: Alt+Left / Alt+Right previous / next day or week, Ctrl+T today, Ctrl+Shift+D day
view, Ctrl+Shift+W week view, Ctrl+N plan a visit, Ctrl+I check in, Ctrl+L log the outcome,
Ctrl+Shift+X cancel, Ctrl+Shift+N no-show, Ctrl+E export the planned visits as iCalendar,
Enter opens the visit's account, F5 reloads.

The week is a calendar (:class:`~sfa_desktop.ui.visits.week_calendar.WeekCalendar`): arrows
move between visits, Ctrl+arrows move the selected one by 15 minutes or a day, dragging moves it
to another day and time (:class:`~sfa_desktop.ui.visits.week_moves.VisitMover` writes).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.agenda import day_bounds, week_bounds, week_start
from sfa_desktop.i18n import _, format_count, ngettext
from sfa_desktop.services.agenda import AgendaRow
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.visits.agenda_buttons import ACTIONS, MODES, NAVIGATION, AgendaButtons
from sfa_desktop.ui.visits.agenda_model import AgendaModel
from sfa_desktop.ui.visits.calendar_file import CalendarExport, CalendarWritten
from sfa_desktop.ui.visits.changes import change_done_message, run_visit_change
from sfa_desktop.ui.visits.display import day_heading, week_heading
from sfa_desktop.ui.visits.outcome_dialog import OutcomeDialog
from sfa_desktop.ui.visits.plan_dialog import PlanVisitDialog
from sfa_desktop.ui.visits.week_calendar import WeekCalendar
from sfa_desktop.ui.visits.week_moves import VisitMover
from sfa_desktop.ui.widgets.empty_state import EmptyState
from sfa_desktop.ui.widgets.paged_table_view import PagedTableView, muted_label
from sfa_desktop.ui.workspaces.base import Workspace, header_label


class VisitsWorkspace(Workspace):
    """Your agenda: a day or a week of activities, planned, done or cancelled."""

    view_id = "visits"
    #: The user asked to open an account (argument: its id).
    account_requested = Signal(str)
    #: Visits were planned or changed here (Today reloads).
    visits_changed = Signal()
    #: A one-line message for the user ("Checked in.").
    notice_shown = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        clock: AgendaClock | None = None,
        native_dialogs: bool = True,
        working_hours: tuple[int, int] | None = None,
    ) -> None:
        """``working_hours``: the working day in minutes since midnight (the week opens at its
        start; 08:00-18:00 by default)."""
        super().__init__(parent)
        self._runner = runner
        self._clock = clock or AgendaClock()
        self._day = self._clock.today()
        self._week = False
        self._error: str | None = None
        self._dialog: PlanVisitDialog | OutcomeDialog | None = None
        self._export = CalendarExport(
            runner, self, now=self._clock.now, native_dialogs=native_dialogs
        )
        self._export.written.connect(self._calendar_written)
        self._export.failed.connect(self._action_failed)
        self._model = AgendaModel(runner, tz=self._clock.tz, now=self._clock.now, parent=self)
        self._model.loaded.connect(self._on_loaded)
        self._model.load_failed.connect(self._on_failed)
        self._model.rowsInserted.connect(self._feed_calendar)
        self._mover = VisitMover(runner, self._clock, self)
        self._mover.moved.connect(self._changed)
        self._mover.kept.connect(self._move_kept)

        self._build_widgets(working_hours or (8 * 60, 18 * 60))
        self._buttons = self._build_buttons()
        QShortcut(QKeySequence("F5"), self).activated.connect(self.refresh)
        self._lay_out()
        self.retranslate()
        self._load()

    def _build_widgets(self, working_hours: tuple[int, int]) -> None:
        """The title, the range and counts, the agenda table (a day), the calendar (a week)
        or the empty state."""
        self._title_label = header_label(self)
        self._range_label = QLabel(self)
        self._range_label.setObjectName("visitsRange")
        font = self._range_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._range_label.setFont(font)
        self._count_label = muted_label(self, "visitsCount")
        self._notice = muted_label(self, "visitsNotice")
        self._table = PagedTableView(self._model, name="agendaTable", stretch_column=4)
        self._table.setSortingEnabled(False)
        self._table.activated.connect(self._on_activated)
        self._table.selectionModel().selectionChanged.connect(self._update_actions)
        self._empty_state = EmptyState(self)
        self._empty_state.set_icon(self.icon())
        self._calendar = WeekCalendar(
            tz=self._clock.tz, now=self._clock.now, working_hours=working_hours, parent=self
        )
        self._calendar.selection_changed.connect(self._update_actions)
        self._calendar.activated.connect(self._open_account_of)
        self._calendar.move_requested.connect(self._move_visit)
        self._calendar.refused.connect(self._show_notice)
        self._pages = QStackedWidget(self)
        self._pages.addWidget(self._table)
        self._pages.addWidget(self._empty_state)
        self._pages.addWidget(self._calendar)

    def _build_buttons(self) -> AgendaButtons:
        return AgendaButtons(
            self,
            {
                "previous": self.go_previous,
                "today": self.go_today,
                "next": self.go_next,
                "day": lambda: self.show_week(False),
                "week": lambda: self.show_week(True),
                "plan": lambda: self.plan_visit(),
                "check_in": self.check_in_selected,
                "outcome": self.log_outcome_selected,
                "cancel": self.cancel_selected,
                "no_show": self.no_show_selected,
                "export": self.export_calendar,
            },
        )

    def _lay_out(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self._title_label)
        header.addSpacing(16)
        header.addWidget(self._range_label, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addLayout(self._buttons.row(NAVIGATION))
        header.addSpacing(12)
        header.addLayout(self._buttons.row(MODES))
        toolbar = QHBoxLayout()
        toolbar.addLayout(self._buttons.row(ACTIONS))
        toolbar.addSpacing(12)
        toolbar.addWidget(self._notice, 1)
        toolbar.addWidget(self._count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addLayout(header)
        layout.addLayout(toolbar)
        layout.addWidget(self._pages, 1)

    # --- public API ----------------------------------------------------------------------------

    @property
    def model(self) -> AgendaModel:
        return self._model

    @property
    def table(self) -> PagedTableView:
        return self._table

    @property
    def calendar(self) -> WeekCalendar:
        return self._calendar

    @property
    def mover(self) -> VisitMover:
        return self._mover

    @property
    def empty_state(self) -> EmptyState:
        return self._empty_state

    @property
    def open_dialog(self) -> PlanVisitDialog | OutcomeDialog | None:
        return self._dialog

    @property
    def file_dialog(self) -> QFileDialog | None:
        return self._export.dialog

    @property
    def shown_day(self) -> dt.date:
        return self._day

    @property
    def showing_week(self) -> bool:
        return self._week

    def button(self, name: str) -> QPushButton:
        return self._buttons.button(name)

    def showing_empty_state(self) -> bool:
        return self._pages.currentWidget() is self._empty_state

    def title(self) -> str:
        return _("Visits")

    def description(self) -> str:
        return _("Your agenda: plan visits, check in and log how they went.")

    def range_text(self) -> str:
        return self._range_label.text()

    def notice_text(self) -> str:
        return self._notice.text()

    def show_day(self, day: dt.date) -> None:
        self._day = day
        self._load()

    def show_week(self, week: bool) -> None:
        self._week = week
        self._buttons.show_week(week)
        self._load()

    def go_previous(self) -> None:
        self.show_day(self._day - dt.timedelta(days=7 if self._week else 1))

    def go_next(self) -> None:
        self.show_day(self._day + dt.timedelta(days=7 if self._week else 1))

    def go_today(self) -> None:
        self.show_day(self._clock.today())

    def refresh(self) -> None:
        self._model.refresh()

    def selected_visit(self) -> AgendaRow | None:
        if self._week:
            selected = self._calendar.selected_id()
            return self._calendar.row(selected) if selected is not None else None
        rows = self._table.selectionModel().selectedRows()
        return self._model.activity_at(rows[0].row()) if rows else None

    def select_visit(self, visit_id: str) -> bool:
        if self._week:
            self._calendar.select(visit_id)
            return self._calendar.selected_id() == visit_id
        row = self._model.row_of(visit_id)
        if row >= 0:
            self._table.selectRow(row)
        return row >= 0

    # --- the range -----------------------------------------------------------------------------

    def range_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """UTC ``[start, end)`` of the day or week shown."""
        if self._week:
            return week_bounds(self._day, self._clock.tz)
        return day_bounds(self._day, self._clock.tz)

    def _load(self) -> None:
        start, end = self.range_bounds()
        if self._week:
            self._calendar.set_week(week_start(self._day))
        self._model.show_range(start, end, mine=True, week=self._week)
        self._update_range_label()

    def _update_range_label(self) -> None:
        if self._week:
            first = week_start(self._day)
            self._range_label.setText(week_heading(first, first + dt.timedelta(days=6)))
        else:
            self._range_label.setText(day_heading(self._day))

    def _on_loaded(self) -> None:
        self._error = None
        self._feed_calendar()
        self._update_texts()
        self._table.column_fitter.fit()
        self._update_actions()
        self._mark_ready()

    def _on_failed(self, message: str) -> None:
        self._error = message
        self._update_texts()
        self._mark_ready()

    def _update_texts(self) -> None:
        total = self._model.total_count
        if total is None:
            self._count_label.setText(_("Loading…") if self._error is None else "")
        else:
            self._count_label.setText(
                ngettext("{count} activity", "{count} activities", total).format(
                    count=format_count(total)
                )
            )
        if self._error is not None:
            self._empty_state.set_text(_("The agenda could not be loaded"), self._error)
            self._pages.setCurrentWidget(self._empty_state)
        elif self._week:
            self._pages.setCurrentWidget(self._calendar)  # empty days are shown too
            if self._table.hasFocus():
                self._calendar.setFocus()
        elif total == 0:
            title = (
                _("No visits planned this week")
                if self._week
                else _("No visits planned today")
                if self._day == self._clock.today()
                else _("No visits planned on this day")
            )
            self._empty_state.set_text(title, _("Plan one with Ctrl+N or from an account's page."))
            self._pages.setCurrentWidget(self._empty_state)
        else:
            focused = QApplication.focusWidget()
            calendar_focused = focused is not None and self._calendar.isAncestorOf(focused)
            self._pages.setCurrentWidget(self._table)
            if calendar_focused:
                self._table.setFocus()

    def _update_actions(self) -> None:
        visit = self.selected_visit()
        open_visit = visit is not None and visit.status == "planned"
        self._buttons.enable_visit_actions(open_visit)

    # --- the week calendar ---------------------------------------------------------------------

    def _feed_calendar(self) -> None:
        """Give the calendar every activity of the week (loading the rest of a long one)."""
        if not self._week:
            return
        self._calendar.set_rows(self._model.loaded_rows())
        if self._model.canFetchMore():
            self._model.fetchMore()

    def _move_visit(self, visit_id: str, start: dt.datetime, end: dt.datetime | None) -> None:
        row = self._calendar.row(visit_id)
        self._mover.move(visit_id, start, end, owner_id=row.owner_id, kind=row.kind)

    def _move_kept(self, visit_id: str, message: str) -> None:
        self._calendar.cancel_move(visit_id)
        if message:
            self._show_notice(message)

    def _open_account_of(self, visit_id: str) -> None:
        self.account_requested.emit(self._calendar.row(visit_id).account_id)

    # --- actions -------------------------------------------------------------------------------

    def plan_visit(
        self, account_id: str | None = None, *, follow_up_of_id: str | None = None
    ) -> PlanVisitDialog:
        """Open the plan dialog (for ``account_id`` when given) on the day shown.

        ``follow_up_of_id`` links the new activity to the done one it follows up.
        """
        day = self._day if self._day >= self._clock.today() else self._clock.today()
        dialog = PlanVisitDialog(
            self._runner,
            clock=self._clock,
            day=day,
            account_id=account_id,
            follow_up_of_id=follow_up_of_id,
            parent=self,
        )
        dialog.saved.connect(self._visit_planned)
        self._open(dialog)
        return dialog

    def log_outcome_selected(self) -> OutcomeDialog | None:
        visit = self.selected_visit()
        if visit is None or visit.status != "planned":
            return None
        dialog = OutcomeDialog(self._runner, clock=self._clock, visit_id=visit.id, parent=self)
        dialog.saved.connect(lambda _result: self._changed(_("Outcome logged.")))
        self._open(dialog)
        return dialog

    def check_in_selected(self) -> None:
        self._run_change("check_in")

    def cancel_selected(self) -> None:
        self._run_change("cancel")

    def no_show_selected(self) -> None:
        self._run_change("no_show")

    def _run_change(self, change: str) -> None:
        visit = self.selected_visit()
        if visit is None or visit.status != "planned":
            return
        run_visit_change(
            self._runner,
            self._clock,
            change,
            visit.id,
            on_done=lambda _result: self._changed(change_done_message(change)),
            on_error=self._action_failed,
            owner=self,
        )

    def _open(self, dialog: PlanVisitDialog | OutcomeDialog) -> None:
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self) -> None:
        self._dialog = None

    def _visit_planned(self, _visit_id: object) -> None:
        self._changed(_("Visit planned."))

    def _changed(self, message: str) -> None:
        self._show_notice(message)
        self._model.refresh()
        self.visits_changed.emit()

    def _action_failed(self, error: BaseException) -> None:
        self._show_notice(describe_error(error))
        self._model.refresh()

    def _show_notice(self, message: str) -> None:
        self._notice.setText(message)
        self.notice_shown.emit(message)

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.account_requested.emit(self._model.activity_at(index.row()).account_id)

    # --- export --------------------------------------------------------------------------------

    def export_calendar(self, path: Path | None = None) -> None:
        """Ask where (unless ``path``) and write the planned visits shown as a .ics file."""
        if path is None:
            # TRANSLATORS: the suggested file name; keep {day} and ".ics"
            name = _("visits-{day}.ics").format(day=self._day.isoformat())
            self._export.ask(name, self._write_calendar)
        else:
            self._write_calendar(path)

    def _write_calendar(self, path: Path) -> None:
        start, end = self.range_bounds()
        name = _("SFA visits — {range}").format(range=self._range_label.text())
        self._export.write(path, start=start, end=end, calendar_name=name)

    def _calendar_written(self, written: CalendarWritten) -> None:
        self._show_notice(
            ngettext(
                "{count} planned visit exported to {file}.",
                "{count} planned visits exported to {file}.",
                written.exported,
            ).format(count=format_count(written.exported), file=written.path.name)
        )

    # --- texts ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self._title_label.setText(self.title())
        self._update_range_label()
        self._buttons.retranslate()
        self._table.setToolTip(_("Enter or double-click opens the account"))
        self._calendar.retranslate()
        self._model.retranslate()
        self._update_texts()
