"""The agenda table: a user's activities in a day or a week, paged over a range query.

A :class:`~sfa_desktop.ui.models.paged_model.PagedTableModel` over
:func:`sfa_desktop.services.agenda.list_agenda`; the range (``start``/``end``, aware UTC)
and ``mine`` (the current user's only) are its filters. In the week view the first column
also names the day. A planned activity whose start has passed (by the injected clock) is
marked "past" in its status, in amber.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from sfa_desktop.i18n import _
from sfa_desktop.services.agenda import AgendaRow, count_agenda, list_agenda
from sfa_desktop.ui.models.list_query import (
    ROW_ROLE,
    ListQuery,
    TableColumn,
    keyword_count,
    keyword_fetch,
)
from sfa_desktop.ui.models.paged_model import PagedTableModel
from sfa_desktop.ui.tasks import TaskRunner

from .display import kind_label, short_day, status_text, time_range

#: Role returning the activity's :class:`AgendaRow` (the row role every list model answers).
AGENDA_ROW_ROLE = ROW_ROLE
_CLOSED_STATUSES = frozenset({"cancelled", "no_show"})
#: The status colour of a planned activity whose time has passed (amber, readable on white).
PAST_COLOR = "#9a6700"


class AgendaModel(PagedTableModel[AgendaRow]):
    """The activities planned in ``[start, end)`` for one owner, in time order."""

    def __init__(
        self,
        runner: TaskRunner,
        *,
        tz: ZoneInfo,
        now: Callable[[], dt.datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        self._tz = tz
        self._now = now
        self._week = False
        columns = (
            TableColumn("planned_start", lambda: _("When"), cell=self._when),
            TableColumn("kind", lambda: _("Kind"), text=kind_label, translated=True),
            TableColumn("account_name", lambda: _("Account")),
            TableColumn("contact_name", lambda: _("Contact")),
            TableColumn("subject", lambda: _("Subject")),
            TableColumn("status", lambda: _("Status"), cell=self._status, translated=True),
        )
        super().__init__(
            runner,
            columns=columns,
            fetch=keyword_fetch(list_agenda),
            count=keyword_count(count_agenda),
            initial_query=ListQuery(sort="planned_start"),
            parent=parent,
        )

    def show_range(
        self, start: dt.datetime, end: dt.datetime, *, mine: bool = True, week: bool = False
    ) -> None:
        """Load the activities of ``[start, end)`` (a day, or a week when ``week``);
        ``mine``: only the signed-in user's."""
        if week != self._week:
            self._week = week
            if self.rowCount():
                self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 0))
        self.set_filters(start=start, end=end, mine=mine or None)

    @property
    def showing_week(self) -> bool:
        return self._week

    def activity_at(self, row: int) -> AgendaRow:
        return self.row_at(row)

    def _when(self, row: AgendaRow) -> str:
        times = time_range(row.planned_start, row.planned_end, self._tz)
        if not self._week or row.planned_start is None:
            return times
        return f"{short_day(row.planned_start.astimezone(self._tz).date())}  {times}"

    def is_past(self, row: AgendaRow) -> bool:
        """A planned activity whose start has passed (not yet logged, cancelled…)."""
        return (
            self._now is not None
            and row.status == "planned"
            and row.planned_start is not None
            and row.planned_start < self._now()
        )

    def _status(self, row: AgendaRow) -> str:
        text = status_text(row.status, row.checked_in_at, self._tz)
        if self.is_past(row):
            # TRANSLATORS: after a planned visit's status, when its time has passed
            past = _("past")
            return f"{text} · {past}"
        return text

    def cell_data(self, row: AgendaRow, column: TableColumn, role: int) -> Any:
        if role == AGENDA_ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ForegroundRole and row.status in _CLOSED_STATUSES:
            palette = QApplication.palette()
            return palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.FontRole and row.status in _CLOSED_STATUSES:
            font = QFont()
            font.setStrikeOut(column.attribute == "account_name")
            return font
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column.attribute == "status"
            and row.status == "done"
        ):
            return QColor("#2e7d32")
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column.attribute == "status"
            and self.is_past(row)
        ):
            return QColor(PAST_COLOR)
        return None
