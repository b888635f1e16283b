"""The Today workspace: where to go today, in which order, and what else is due (for a manager,
the quotes awaiting their approval first; one click on one opens it in the Quotes view).

Everything comes from one database task (:func:`sfa_desktop.services.today.load_today`):
today's visits (those done first, ticked: "3 of 7 done"), then the rest in a suggested route
order from the start point that keeps appointment times, each with its estimated arrival and a
warning when the rep would be late or it does not fit the working day; the follow-ups (open
tasks due, overdue ones flagged, and done activities still to follow up), and the accounts
overdue for a visit, most valuable first. One click on an account opens it; one click on a
stop's action checks in (then logs the outcome); one click ticks off a task, or plans a visit
or follow-up.

Keyboard: Ctrl+I check in / Ctrl+L log outcome of the selected stop, Enter opens the selected
row's account, Ctrl+N plans a visit, Ctrl+Shift+S sets the start point, F5 reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from sfa_desktop.i18n import _, format_count, ngettext
from sfa_desktop.services.account_advice import NEXT_ACTIONS_LIMIT, next_actions
from sfa_desktop.services.today import (
    RouteSettings,
    StartPoint,
    TaskDue,
    TodayData,
    load_today,
)
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.today.lists import ACCOUNT, ACTION, QUOTE
from sfa_desktop.ui.today.sections import TodaySections
from sfa_desktop.ui.today.start_point_dialog import StartPointDialog
from sfa_desktop.ui.visits.changes import change_done_message, run_visit_change
from sfa_desktop.ui.visits.display import day_heading, show_km
from sfa_desktop.ui.visits.outcome_dialog import OutcomeDialog
from sfa_desktop.ui.widgets.paged_table_view import muted_label
from sfa_desktop.ui.workspaces.base import Workspace, header_label


class TodayWorkspace(Workspace):
    """Today's route, follow-ups due and overdue accounts."""

    view_id = "today"
    #: Open this account (its page in the Accounts workspace).
    account_requested = Signal(str)
    #: Show this quote (its id) in the Quotes workspace.
    quote_requested = Signal(str)
    #: Plan a visit: account id ("" for none) and the done activity it follows up ("" if none).
    plan_visit_requested = Signal(str, str)
    #: A visit was checked in or closed here (the agenda reloads).
    visits_changed = Signal()
    #: A one-line message for the user.
    notice_shown = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        clock: AgendaClock | None = None,
        start_point: StartPoint | None = None,
        remember_start_point: Callable[[StartPoint | None], None] | None = None,
        route_settings: RouteSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._clock = clock or AgendaClock()
        self._start_point = start_point
        self._remember = remember_start_point
        self._route_settings = route_settings
        self._data: TodayData | None = None
        self._error: str | None = None
        self._dialog: OutcomeDialog | StartPointDialog | None = None
        self._task_key = ("today", id(self))

        self._title_label = header_label(self)
        self._date_label = QLabel(self)
        self._date_label.setObjectName("todayDate")
        font = self._date_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._date_label.setFont(font)
        self._notice = muted_label(self, "todayNotice")
        self._sections = TodaySections(self._clock.tz, self)
        self._sections.clicked.connect(self._on_clicked)
        self._sections.activated.connect(self._on_activated)

        self._buttons: dict[str, QPushButton] = {}
        header = QHBoxLayout()
        header.addWidget(self._title_label)
        header.addSpacing(16)
        header.addWidget(self._date_label, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        for name, sequence, slot in (
            ("plan", "Ctrl+N", lambda: self.plan_visit_requested.emit("", "")),
            ("start", "Ctrl+Shift+S", self.set_start_point),
            ("refresh", "F5", self.refresh),
        ):
            header.addWidget(self._button(name, sequence, slot))
        self._shortcut("Ctrl+I", self.check_in_selected)
        self._shortcut("Ctrl+L", self.log_outcome_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(self._notice)
        layout.addWidget(self._sections, 1)
        self.retranslate()
        self.refresh()

    def _shortcut(self, sequence: str, slot: Callable[[], object]) -> None:
        shortcut = QShortcut(QKeySequence(sequence), self)
        shortcut.activated.connect(slot)

    def _button(self, name: str, sequence: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(f"today_{name}")
        button.clicked.connect(lambda _checked=False: slot())
        self._shortcut(sequence, slot)
        self._buttons[name] = button
        return button

    # --- public API ----------------------------------------------------------------------------

    @property
    def sections(self) -> TodaySections:
        return self._sections

    @property
    def data(self) -> TodayData | None:
        """What is shown (``None`` before the first load)."""
        return self._data

    @property
    def start_point(self) -> StartPoint | None:
        return self._start_point

    @property
    def open_dialog(self) -> OutcomeDialog | StartPointDialog | None:
        return self._dialog

    def button(self, name: str) -> QPushButton:
        return self._buttons[name]

    def title(self) -> str:
        return _("Today")

    def description(self) -> str:
        return _("Your visits and tasks for today.")

    def date_text(self) -> str:
        return self._date_label.text()

    def notice_text(self) -> str:
        return self._notice.text()

    def refresh(self) -> None:
        """Reload everything (one database task)."""
        clock, start, settings = self._clock, self._start_point, self._route_settings
        self._runner.run_db(
            lambda session: load_today(session, clock=clock, start_point=start, settings=settings),
            on_done=self._loaded,
            on_error=self._failed,
            key=self._task_key,
            owner=self,
        )

    def set_start_point(self) -> StartPointDialog:
        """Open the "Set start point" dialog."""
        dialog = StartPointDialog(self._runner, self._start_point, self)
        dialog.chosen.connect(self.use_start_point)
        self._open(dialog)
        return dialog

    def use_start_point(self, point: StartPoint | None) -> None:
        """Route from ``point`` (``None``: the first visit) and remember it."""
        self._start_point = point
        if self._remember is not None:
            self._remember(point)
        self.refresh()

    def check_in_selected(self) -> None:
        stop = self._sections.selected_stop()
        if stop is not None and not stop.done and stop.stop.checked_in_at is None:
            self.check_in(stop.stop.visit_id)

    def log_outcome_selected(self) -> OutcomeDialog | None:
        stop = self._sections.selected_stop()
        return self.log_outcome(stop.stop.visit_id) if stop is not None and not stop.done else None

    def check_in(self, visit_id: str) -> None:
        """Record the arrival at ``visit_id`` (now)."""
        run_visit_change(
            self._runner,
            self._clock,
            "check_in",
            visit_id,
            on_done=lambda _result: self._changed(change_done_message("check_in")),
            on_error=self._action_failed,
            owner=self,
        )

    def complete_task(self, visit_id: str) -> None:
        """Tick off the task ``visit_id``."""
        run_visit_change(
            self._runner,
            self._clock,
            "complete_task",
            visit_id,
            on_done=lambda _result: self._changed(change_done_message("complete_task")),
            on_error=self._action_failed,
            owner=self,
        )

    def log_outcome(self, visit_id: str) -> OutcomeDialog:
        dialog = OutcomeDialog(self._runner, clock=self._clock, visit_id=visit_id, parent=self)
        dialog.saved.connect(lambda _result: self._changed(_("Outcome logged.")))
        self._open(dialog)
        return dialog

    # --- loading -------------------------------------------------------------------------------

    def _loaded(self, data: TodayData) -> None:
        self._data = data
        self._error = None
        self._sections.show_data(data)
        self._update_texts()
        self._mark_ready()
        self._load_next_actions(data)

    def _load_next_actions(self, data: TodayData) -> None:
        """The next best action of the first overdue accounts, in a task of its own once the
        lists show (Today never waits for it): each account's tooltip shows it."""
        ids = [account.account_id for account in data.overdue[:NEXT_ACTIONS_LIMIT]]
        if not ids:
            return
        now = self._clock.now()
        self._runner.run_db(
            lambda session: next_actions(session, ids, now=now),
            on_done=self._sections.show_next_actions,
            key=("today-next-actions", id(self)),
            owner=self,
        )

    def _failed(self, error: BaseException) -> None:
        self._error = describe_error(error)
        self._sections.show_error(_("Today could not be loaded"), self._error)
        self._mark_ready()

    def _changed(self, message: str) -> None:
        self._show_notice(message)
        self.refresh()
        self.visits_changed.emit()

    def _action_failed(self, error: BaseException) -> None:
        self._show_notice(describe_error(error))
        self.refresh()

    def _show_notice(self, message: str) -> None:
        self._notice.setText(message)
        self.notice_shown.emit(message)

    def _open(self, dialog: OutcomeDialog | StartPointDialog) -> None:
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self) -> None:
        self._dialog = None

    # --- clicks --------------------------------------------------------------------------------

    def _on_clicked(self, section: str, row: Any, column: str) -> None:
        """One click on a link cell: the account, or the row's action."""
        if column == ACCOUNT:
            self.account_requested.emit(self._sections.account_of(section, row))
            return
        if section == "approvals":
            if column in (QUOTE, ACTION):
                self.quote_requested.emit(row.id)
            return
        if column != ACTION:
            return
        if section == "route":
            if row.done:
                return
            if row.stop.checked_in_at is None:
                self.check_in(row.stop.visit_id)
            else:
                self.log_outcome(row.stop.visit_id)
        elif section == "follow_ups":
            if isinstance(row, TaskDue):
                self.complete_task(row.visit_id)
            else:
                self.plan_visit_requested.emit(row.account_id, row.visit_id)
        else:
            self._reach_overdue(row)

    def _reach_overdue(self, row: Any) -> None:
        """Plan a visit to an overdue account; a below-zero one opens (call or e-mail it)."""
        if "visit" in row.channels:
            self.plan_visit_requested.emit(row.account_id, "")
        else:
            self.account_requested.emit(row.account_id)

    def _on_activated(self, section: str, row: Any) -> None:
        if section == "approvals":
            self.quote_requested.emit(row.id)
            return
        self.account_requested.emit(self._sections.account_of(section, row))

    # --- texts ---------------------------------------------------------------------------------

    def _route_summary(self, data: TodayData) -> str:
        stops = len(data.stops)
        if not stops:
            return ""
        parts = [
            ngettext("{count} visit", "{count} visits", stops).format(count=format_count(stops))
        ]
        if data.done_count:
            parts[0] = _("{done} of {count} done").format(
                done=format_count(data.done_count), count=format_count(stops)
            )
        warnings = len(data.warnings)
        if warnings:
            parts.append(
                ngettext("{count} warning", "{count} warnings", warnings).format(
                    count=format_count(warnings)
                )
            )
        if any(stop.located for stop in data.stops):
            parts.append(_("{km} in total").format(km=show_km(data.total_km)))
        if data.start is not None:
            start = (
                _("starting at the first visit ({place})").format(place=data.start.label)
                if data.start_is_first_visit
                else _("starting from {place}").format(place=data.start.label)
            )
            parts.append(start)
        if data.unlocated_count:
            parts.append(
                ngettext(
                    "{count} without a location", "{count} without a location", data.unlocated_count
                ).format(count=format_count(data.unlocated_count))
            )
        return " · ".join(parts)

    def _update_texts(self) -> None:
        self._date_label.setText(day_heading(self._clock.today()))
        if self._data is not None:
            self._sections.set_route_summary(self._route_summary(self._data))

    def retranslate(self) -> None:
        self._title_label.setText(self.title())
        texts = {
            "plan": (_("Plan a visit…"), _("Plan a visit or another activity (Ctrl+N)")),
            "start": (
                _("Set start point…"),
                _(
                    "Where your route starts: an account, a place, or the first visit (Ctrl+Shift+S)"
                ),
            ),
            "refresh": (_("Refresh"), _("Reload today's visits and lists (F5)")),
        }
        for name, (text, tip) in texts.items():
            self._buttons[name].setText(text)
            self._buttons[name].setToolTip(tip)
        self._sections.retranslate()
        self._update_texts()
        if self._error is not None:
            self._sections.show_error(_("Today could not be loaded"), self._error)
