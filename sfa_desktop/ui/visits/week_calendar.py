"""The Visits week as a calendar: seven day columns by the hours of the day.

Day headers on top (today highlighted), an all-day strip for the activities of no set time,
then the hours in a scroll area opened at the working day (the rest is a scroll away). Each
activity is a block from its start to its end (an hour without an end); overlapping ones
share the column side by side (:mod:`.week_layout`).

Moving: drag a planned block to another day and time (snapped to 15 minutes), or select it
and press Ctrl+Up/Ctrl+Down (15 minutes) or Ctrl+Left/Ctrl+Right (a day). The calendar only
*asks* (:attr:`WeekCalendar.move_requested`) and shows the block at its new place meanwhile;
the workspace writes, then reloads (:meth:`set_rows`) or puts it back (:meth:`cancel_move`).
Arrows move the selection between blocks, Enter opens the selected one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from sfa_desktop.domain.agenda import local_midnight
from sfa_desktop.i18n import _
from sfa_desktop.services.agenda import AgendaRow
from sfa_desktop.services.visits import DEFAULT_VISIT_DURATION

from .week_areas import HOUR_HEIGHT, BlockArea, TimeGrid, WeekTop
from .week_blocks import block_description, movable
from .week_layout import (
    MINUTES_PER_DAY,
    SNAP_MINUTES,
    Placed,
    WeekItem,
    lay_out_week,
    neighbour,
    week_items,
)

_DEFAULT_MINUTES = int(DEFAULT_VISIT_DURATION.total_seconds() // 60)
_ARROWS = {
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
    Qt.Key.Key_Left: "left",
    Qt.Key.Key_Right: "right",
}


class WeekCalendar(QWidget):
    """A week of activities as blocks; see the module's docstring."""

    #: The selected block changed (or none is selected).
    selection_changed = Signal()
    #: Enter or double-click on a block (argument: the visit id).
    activated = Signal(str)
    #: Move a visit: (id, new start, new end or None), aware UTC.
    move_requested = Signal(str, object, object)
    #: A block cannot move (argument: the message to show).
    refused = Signal(str)

    def __init__(
        self,
        *,
        tz: ZoneInfo,
        now: Callable[[], dt.datetime],
        working_hours: tuple[int, int] = (8 * 60, 18 * 60),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("weekCalendar")
        self.tz = tz
        self._now = now
        self._working = working_hours
        self._first = now().astimezone(tz).date()
        self._rows: dict[str, AgendaRow] = {}
        self._pending: dict[str, WeekItem] = {}
        self._items: dict[str, WeekItem] = {}
        self._timed: list[Placed] = []
        self._strip: list[Placed] = []
        self._selected: str | None = None
        self._scrolled = False
        self._top = WeekTop(self, self)
        self._grid = TimeGrid(self, self)
        self._scroll = QScrollArea(self)
        self._scroll.setObjectName("weekScroll")
        self._scroll.setWidget(self._grid)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._scroll.setFocusProxy(self._grid)
        self.setFocusProxy(self._grid)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        top_row = QHBoxLayout()
        top_row.setContentsMargins(0, 0, 0, 0)
        top_row.addWidget(self._top, 1)
        top_row.addSpacing(self._scroll.verticalScrollBar().sizeHint().width())
        layout.addLayout(top_row)
        layout.addWidget(self._scroll, 1)
        self._layout_blocks()
        self.retranslate()

    # --- data ----------------------------------------------------------------------------------

    def set_week(self, first_day: dt.date) -> None:
        """Show the week starting ``first_day`` (its rows come with :meth:`set_rows`)."""
        if first_day != self._first:
            self._first = first_day
            self._rows, self._pending = {}, {}
            self._layout_blocks()

    def set_rows(self, rows: Sequence[AgendaRow]) -> None:
        """The activities of the week (all of them); pending moves are done with."""
        self._rows = {row.id: row for row in rows}
        self._pending = {}
        if self._selected not in self._rows:
            self._selected = None
        self._layout_blocks()
        self.selection_changed.emit()

    def set_working_hours(self, start_minute: int, end_minute: int) -> None:
        self._working = (start_minute, end_minute)
        self._grid.update()

    def cancel_move(self, visit_id: str) -> None:
        """Put a block whose move was refused back where it was."""
        if self._pending.pop(visit_id, None) is not None:
            self._layout_blocks()

    def _layout_blocks(self) -> None:
        items = week_items(self._rows.values(), self._first, self.tz, _DEFAULT_MINUTES)
        self._items = {item.id: self._pending.get(item.id, item) for item in items}
        self._timed, self._strip = lay_out_week(self._items.values())
        self._top.refresh_height()
        self._top.update()
        self._grid.update()

    # --- what the areas ask (WeekHost) --------------------------------------------------------

    def days(self) -> list[dt.date]:
        return [self._first + dt.timedelta(days=offset) for offset in range(7)]

    def today_index(self) -> int | None:
        offset = (self._now().astimezone(self.tz).date() - self._first).days
        return offset if 0 <= offset < 7 else None

    def working_hours(self) -> tuple[int, int]:
        return self._working

    def now_minute(self) -> int | None:
        local = self._now().astimezone(self.tz)
        return local.hour * 60 + local.minute

    def timed_blocks(self) -> list[Placed]:
        return self._timed

    def strip_blocks(self) -> list[Placed]:
        return self._strip

    def row(self, visit_id: str) -> AgendaRow:
        return self._rows[visit_id]

    def rows(self) -> list[AgendaRow]:
        return list(self._rows.values())

    def selected_id(self) -> str | None:
        return self._selected

    def is_past(self, row: AgendaRow) -> bool:
        return (
            row.status == "planned"
            and row.planned_start is not None
            and row.planned_start < self._now()
        )

    def empty_text(self) -> str:
        return _("No visits planned this week")

    def help_text(self) -> str:
        """The tooltip away from the blocks: how to use the calendar."""
        return _(
            "Arrows: go from visit to visit. Ctrl+Up/Down: 15 minutes earlier or later, "
            "Ctrl+Left/Right: a day earlier or later, or drag the visit. Enter opens its account."
        )

    def select(self, visit_id: str | None) -> None:
        if visit_id is not None and visit_id not in self._rows:
            return
        if visit_id != self._selected:
            self._selected = visit_id
            self._top.update()
            self._grid.update()
            self._describe_selection()
            self.selection_changed.emit()
        if visit_id is not None:
            self._ensure_visible(visit_id)

    def activate(self, visit_id: str) -> None:
        self.activated.emit(visit_id)

    def refuse_drag(self, visit_id: str) -> None:
        self.refused.emit(_("Only planned visits can be moved."))

    def request_move(self, visit_id: str, day: int, minute: int | None) -> None:
        """Ask to move ``visit_id`` to ``day`` (0..6) at ``minute`` (None: keep all-day)."""
        row, item = self._rows.get(visit_id), self._items.get(visit_id)
        if row is None or item is None or row.planned_start is None:
            return
        if not movable(row):
            self.refuse_drag(visit_id)
            return
        if minute is None or item.all_day:
            moved = dataclasses.replace(item, day=day)
        else:
            moved = dataclasses.replace(
                item, day=day, start=minute, end=minute + item.end - item.start
            )
        if (moved.day, moved.start) == (item.day, item.start):
            return
        start, end = self._new_times(row, moved)
        self._pending[visit_id] = moved
        self._layout_blocks()
        self._ensure_visible(visit_id)
        self.move_requested.emit(visit_id, start, end)

    def _new_times(self, row: AgendaRow, moved: WeekItem) -> tuple[dt.datetime, dt.datetime | None]:
        assert row.planned_start is not None
        day = self._first + dt.timedelta(days=moved.day)
        end = row.planned_end if row.planned_end and row.planned_end > row.planned_start else None
        if moved.all_day:
            start = local_midnight(day, self.tz)
            if end is None:
                return start, None
            old_first = row.planned_start.astimezone(self.tz).date()
            days = (end.astimezone(self.tz).date() - old_first).days
            return start, local_midnight(day + dt.timedelta(days=days), self.tz)
        local = dt.datetime.combine(
            day, dt.time(moved.start // 60, moved.start % 60), tzinfo=self.tz
        )
        start = local.astimezone(dt.UTC)
        return start, (start + (end - row.planned_start) if end is not None else None)

    # --- keyboard ------------------------------------------------------------------------------

    def handle_key(self, event: QKeyEvent) -> bool:
        """Arrows select, Ctrl+arrows move, Enter opens; ``True`` when the key was used."""
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._selected is not None:
            self.activate(self._selected)
            return True
        direction = _ARROWS.get(Qt.Key(key))
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if direction is None:
            return False
        if modifiers == Qt.KeyboardModifier.NoModifier:
            blocks = [*self._strip, *self._timed]
            found = neighbour(blocks, self._selected, direction)
            if found is not None:
                self.select(found)
            return bool(blocks)  # an empty week: the arrows scroll the hours
        if modifiers == Qt.KeyboardModifier.ControlModifier and self._selected is not None:
            self._move_by_key(self._selected, direction)
            return True
        return False

    def _move_by_key(self, visit_id: str, direction: str) -> None:
        item = self._items[visit_id]
        if direction in ("left", "right"):
            day = item.day + (1 if direction == "right" else -1)
            if 0 <= day < 7:
                self.request_move(visit_id, day, None if item.all_day else item.start)
            return
        if item.all_day:
            return
        step = SNAP_MINUTES if direction == "down" else -SNAP_MINUTES
        minute = item.start + step
        if 0 <= minute <= MINUTES_PER_DAY - SNAP_MINUTES:
            self.request_move(visit_id, item.day, minute)

    # --- geometry, scrolling, words ------------------------------------------------------------

    def area_of(self, visit_id: str) -> BlockArea | None:
        """The part of the calendar that holds the block (the strip or the grid)."""
        item = self._items.get(visit_id)
        if item is None:
            return None
        return self._top if item.all_day else self._grid

    def block_rect(self, visit_id: str) -> QRectF | None:
        """The block of ``visit_id`` in its area's coordinates."""
        area = self.area_of(visit_id)
        return area.rect_of(visit_id) if area is not None else None

    def item(self, visit_id: str) -> WeekItem | None:
        """Where the block is drawn now (a pending move included)."""
        return self._items.get(visit_id)

    @property
    def grid(self) -> TimeGrid:
        return self._grid

    @property
    def top(self) -> WeekTop:
        return self._top

    @property
    def scroll_area(self) -> QScrollArea:
        return self._scroll

    def scroll_to_working_hours(self) -> None:
        """Open the hours at the start of the working day (once the widget has a size)."""
        top = max(0, int(self._working[0] * HOUR_HEIGHT / 60) - HOUR_HEIGHT // 2)
        self._scroll.verticalScrollBar().setValue(top)

    def _ensure_visible(self, visit_id: str) -> None:
        rect = self.block_rect(visit_id)
        if rect is not None and self.area_of(visit_id) is self._grid:
            self._scroll.ensureVisible(
                int(rect.center().x()), int(rect.top()), 0, min(int(rect.height() / 2) + 20, 120)
            )

    def _describe_selection(self) -> None:
        text = ""
        if self._selected is not None:
            row = self._rows[self._selected]
            text = block_description(row, self.tz, past=self.is_past(row))
        self._grid.setAccessibleDescription(text)
        self._top.setAccessibleDescription(text)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._scrolled:
            self._scrolled = True
            self.scroll_to_working_hours()

    def retranslate(self) -> None:
        self._grid.setAccessibleName(_("Week calendar"))
        self._top.setAccessibleName(_("Activities of the week with no set time"))
        self._describe_selection()
        self._top.update()
        self._grid.update()
