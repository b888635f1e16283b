"""The body of the Today workspace: the route on top, follow-ups and overdue accounts below;
for a manager with quotes awaiting their approval, those first (hidden when there are none).

Each list is a table over a :class:`~sfa_desktop.ui.models.column_table.RowsTableModel`; when a
list is empty it says so (the route with the empty-state panel). Clicks on link cells and
Enter on a row are reported with the section's name ("approvals", "route", "follow_ups",
"overdue").
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.next_action import NextAction
from sfa_desktop.i18n import _, format_count
from sfa_desktop.services.advice_text import next_action_text
from sfa_desktop.services.today import RouteStop, TodayData
from sfa_desktop.ui.icons import icon
from sfa_desktop.ui.models.column_table import RowsTableModel
from sfa_desktop.ui.widgets.column_fitter import ColumnFitter
from sfa_desktop.ui.widgets.empty_state import EmptyState
from sfa_desktop.ui.widgets.paged_table_view import muted_label
from sfa_desktop.ui.widgets.row_table import show_rows_read_only

from .lists import (
    ACTION,
    APPROVALS_WHOLE,
    approvals_model,
    follow_ups_model,
    overdue_model,
    route_model,
)

SECTIONS = ("route", "follow_ups", "overdue")
#: The approvals list shows this many rows at most without scrolling.
APPROVALS_VISIBLE_ROWS = 4


def _section_title(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(f"{name}Title")
    font: QFont = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.2)
    font.setBold(True)
    label.setFont(font)
    return label


class _Section(QWidget):
    """A titled table that shows a message instead when it has no rows."""

    def __init__(
        self,
        name: str,
        model: RowsTableModel[Any],
        stretch: int,
        parent: QWidget,
        whole: tuple[str, ...] = (),
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.model = model
        self.title = _section_title(self, name)
        self.summary = muted_label(self, f"{name}Summary")
        self.table = QTableView(self)
        self.table.setObjectName(f"{name}Table")
        self.table.setModel(model)
        show_rows_read_only(self.table, row_padding=10)
        self.fitter = ColumnFitter(
            self.table,
            stretch_column=stretch,
            whole_columns=[model.column_of(attribute) for attribute in whole],
        )
        self.empty = EmptyState(self) if name == "route" else None
        self.message = muted_label(self, f"{name}Empty")
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setWordWrap(True)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty if self.empty is not None else self.message)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addSpacing(12)
        heading.addWidget(self.summary, 1, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(heading)
        layout.addWidget(self.pages, 1)

    def show_rows(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        self.pages.setCurrentIndex(0 if rows else 1)
        self.fitter.fit()

    def fit_height(self, visible_rows: int) -> None:
        """Make the table as tall as its rows, up to ``visible_rows`` (then it scrolls)."""
        table = self.table
        shown = max(1, min(self.model.rowCount(), visible_rows))
        height = (
            table.horizontalHeader().sizeHint().height()
            + shown * table.verticalHeader().defaultSectionSize()
            + 2 * table.frameWidth()
        )
        table.setFixedHeight(height)
        self.pages.setFixedHeight(height)

    def show_message(self, title: str, message: str) -> None:
        if self.empty is not None:
            self.empty.set_text(title, message)
        else:
            self.message.setText(message or title)
        self.pages.setCurrentIndex(1)

    def showing_message(self) -> bool:
        return self.pages.currentIndex() == 1


class TodaySections(QWidget):
    """The route, follow-ups due and overdue accounts of one :class:`TodayData`."""

    #: A link cell was clicked: section name, the row (dataclass), column attribute.
    clicked = Signal(str, object, str)
    #: Enter or double-click on a row: section name, the row.
    activated = Signal(str, object)

    def __init__(self, tz: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data: TodayData | None = None
        #: the next best action of the first overdue accounts (read after the lists show)
        self._next_actions: dict[str, NextAction] = {}
        self._sections = {
            "approvals": _Section(
                "approvals", approvals_model(self), 1, self, whole=APPROVALS_WHOLE
            ),
            "route": _Section(
                "route", route_model(tz, self), 4, self, whole=("time", "arrival", "leg", ACTION)
            ),
            "follow_ups": _Section(
                "follow_ups", follow_ups_model(self._today, self), 2, self, whole=("due", ACTION)
            ),
            "overdue": _Section(
                "overdue", overdue_model(self, next_action=self.next_action_text), 0, self
            ),
        }
        route = self._sections["route"]
        assert route.empty is not None
        route.empty.set_icon(icon("today"))
        for name, section in self._sections.items():
            section.table.clicked.connect(lambda index, n=name: self._clicked(n, index))
            section.table.activated.connect(lambda index, n=name: self._activated(n, index))
        lower = QHBoxLayout()
        lower.setSpacing(24)
        lower.addWidget(self._sections["follow_ups"], 1)
        lower.addWidget(self._sections["overdue"], 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(18)
        approvals = self._sections["approvals"]
        approvals.hide()
        layout.addWidget(approvals, 0)
        layout.addWidget(route, 1)
        layout.addLayout(lower, 1)

    # --- access --------------------------------------------------------------------------------

    def section(self, name: str) -> _Section:
        return self._sections[name]

    def model(self, name: str) -> RowsTableModel[Any]:
        return self._sections[name].model

    def table(self, name: str) -> QTableView:
        return self._sections[name].table

    def showing_message(self, name: str) -> bool:
        return self._sections[name].showing_message()

    def message_text(self, name: str) -> str:
        section = self._sections[name]
        if section.empty is not None:
            return f"{section.empty.title()} {section.empty.message()}"
        return section.message.text()

    def _today(self) -> date:
        return self._data.day if self._data is not None else date.min

    def selected_stop(self) -> RouteStop | None:
        table = self.table("route")
        rows = table.selectionModel().selectedRows()
        if not rows:
            return None
        stop: RouteStop = self.model("route").row_at(rows[0].row())
        return stop

    def showing_approvals(self) -> bool:
        """Whether the "Awaiting your approval" list is shown (only when it has rows)."""
        return not self._sections["approvals"].isHidden()

    @staticmethod
    def account_of(section: str, row: Any) -> str:
        return str(row.stop.account_id if section == "route" else row.account_id)

    # --- showing -------------------------------------------------------------------------------

    def show_data(self, data: TodayData) -> None:
        self._data = data
        approvals = self._sections["approvals"]
        approvals.show_rows(data.awaiting_approval)
        approvals.fit_height(APPROVALS_VISIBLE_ROWS)
        approvals.setVisible(bool(data.awaiting_approval))
        self._sections["route"].show_rows(data.stops)
        self._sections["follow_ups"].show_rows([*data.tasks, *data.follow_ups])
        self._sections["overdue"].show_rows(data.overdue)
        self._update_texts()

    def show_next_actions(self, actions: dict[str, NextAction]) -> None:
        """Show each overdue account's next best action in its tooltip."""
        self._next_actions = actions
        self._sections["overdue"].model.retranslate()

    def next_action_text(self, account_id: str) -> str | None:
        action = self._next_actions.get(account_id)
        return next_action_text(action) if action is not None else None

    def show_error(self, title: str, message: str) -> None:
        for section in self._sections.values():
            section.show_message(title, message)

    def set_route_summary(self, text: str) -> None:
        self._sections["route"].summary.setText(text)

    def _clicked(self, name: str, index: QModelIndex) -> None:
        model = self._sections[name].model
        if index.isValid() and model.is_link(index.column()):
            column = model.columns[index.column()].attribute
            self.clicked.emit(name, model.row_at(index.row()), column)

    def _activated(self, name: str, index: QModelIndex) -> None:
        if index.isValid():
            self.activated.emit(name, self._sections[name].model.row_at(index.row()))

    # --- texts ---------------------------------------------------------------------------------

    def _update_texts(self) -> None:
        data = self._data
        route, follow_ups, overdue = (self._sections[name] for name in SECTIONS)
        approvals = self._sections["approvals"]
        approvals.title.setText(_("Awaiting your approval"))
        route.title.setText(_("Today's route"))
        follow_ups.title.setText(_("Follow-ups"))
        overdue.title.setText(_("Accounts overdue for a visit"))
        if data is None:
            return
        waiting = len(data.awaiting_approval)
        approvals.summary.setText(
            _("{count} · the soonest to expire first").format(count=format_count(waiting))
            if waiting
            else ""
        )
        due = len(data.tasks) + len(data.follow_ups)
        late = sum(1 for task in data.tasks if task.overdue)
        follow_ups.summary.setText(
            _("{count} · {overdue} overdue").format(
                count=format_count(due), overdue=format_count(late)
            )
            if late
            else (format_count(due) if due else "")
        )
        overdue.summary.setText(
            _("{count} · most valuable first").format(count=format_count(len(data.overdue)))
            if data.overdue
            else ""
        )
        if not data.stops:
            route.show_message(
                _("No visits planned today"),
                _("Plan one with Ctrl+N or from an account's page."),
            )
        if not data.follow_ups and not data.tasks:
            follow_ups.show_message("", _("No follow-ups due. Well done."))
        if not data.overdue:
            overdue.show_message("", _("No account is overdue for a visit."))

    def retranslate(self) -> None:
        for section in self._sections.values():
            section.model.retranslate()
            section.table.setToolTip(
                _("Click an account to open it; Enter opens the selected row's account")
            )
        self._sections["approvals"].table.setToolTip(
            _("Click a quote (or press Enter) to review it in the Quotes view")
        )
        self._update_texts()
        for section in self._sections.values():
            section.fitter.fit()
