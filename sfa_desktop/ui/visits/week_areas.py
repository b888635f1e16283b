"""The two painted parts of the week calendar: the day headers with the all-day strip on top,
and the grid of hours below (in a scroll area). Both share :class:`BlockArea`: blocks painted
from the calendar's layout, click to select, drag to move (the grid: another day and time,
snapped to 15 minutes; the strip: another day; Esc calls a drag off), double-click to open,
tooltips; keys go to the calendar (:meth:`WeekHost.handle_key`).
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import QApplication, QToolTip, QWidget

from sfa_desktop.i18n import _
from sfa_desktop.services.agenda import AgendaRow

from .display import short_day
from .week_blocks import block_description, movable, paint_block
from .week_layout import MINUTES_PER_DAY, Placed, drawn_span, snap

#: Width of the hours column on the left (the strip's label too).
GUTTER = 66
HOUR_HEIGHT = 44
HEADER_HEIGHT = 30
STRIP_ROW = 24
TODAY_FILL = "#fff6d5"
OFF_HOURS_FILL = "#f3f3f3"
LINE = "#dddddd"
NOW_LINE = "#d32f2f"


class WeekHost(Protocol):
    """What the areas ask the calendar."""

    tz: ZoneInfo

    def days(self) -> list[dt.date]: ...
    def today_index(self) -> int | None: ...
    def working_hours(self) -> tuple[int, int]: ...
    def now_minute(self) -> int | None: ...
    def timed_blocks(self) -> list[Placed]: ...
    def strip_blocks(self) -> list[Placed]: ...
    def row(self, visit_id: str) -> AgendaRow: ...
    def selected_id(self) -> str | None: ...
    def is_past(self, row: AgendaRow) -> bool: ...
    def select(self, visit_id: str | None) -> None: ...
    def activate(self, visit_id: str) -> None: ...
    def refuse_drag(self, visit_id: str) -> None: ...
    def request_move(self, visit_id: str, day: int, minute: int | None) -> None: ...
    def handle_key(self, event: QKeyEvent) -> bool: ...
    def empty_text(self) -> str: ...
    def help_text(self) -> str: ...


class BlockArea(QWidget):
    """Blocks, selection, drag and tooltips; subclasses give the geometry."""

    def __init__(self, host: WeekHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._host = host
        self._press: tuple[str, QPointF, int] | None = None
        #: the block being dragged and where it would land (day, minute or None)
        self._drag: tuple[str, int, int | None] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Base))
        self.setPalette(palette)

    # --- geometry (subclasses) -----------------------------------------------------------------

    def blocks(self) -> list[Placed]:
        raise NotImplementedError

    def block_rect(self, placed: Placed) -> QRectF:
        raise NotImplementedError

    def target(self, pos: QPointF, grab_minutes: int) -> tuple[int, int | None]:
        """Where a block grabbed ``grab_minutes`` below its top would land at ``pos``."""
        raise NotImplementedError

    def minute_at(self, pos: QPointF) -> int:
        return 0

    def ghost_rect(self, placed: Placed, day: int, minute: int | None) -> QRectF:
        raise NotImplementedError

    def column_width(self) -> float:
        return max(1.0, (self.width() - GUTTER) / 7)

    def column_left(self, day: int) -> float:
        return GUTTER + day * self.column_width()

    def day_at(self, x: float) -> int:
        return max(0, min(6, int((x - GUTTER) // self.column_width())))

    # --- blocks --------------------------------------------------------------------------------

    def block_at(self, pos: QPointF) -> Placed | None:
        for placed in reversed(self.blocks()):
            if self.block_rect(placed).contains(pos):
                return placed
        return None

    def rect_of(self, visit_id: str) -> QRectF | None:
        """The block of ``visit_id`` in this area's coordinates (``None``: not here)."""
        for placed in self.blocks():
            if placed.item.id == visit_id:
                return self.block_rect(placed)
        return None

    def paint_blocks(self, painter: QPainter) -> None:
        host = self._host
        selected = host.selected_id()
        for placed in self.blocks():
            row = host.row(placed.item.id)
            paint_block(
                painter,
                self.block_rect(placed),
                row,
                host.tz,
                selected=placed.item.id == selected,
                past=host.is_past(row),
            )
        if self._drag is not None:
            visit_id, day, minute = self._drag
            for placed in self.blocks():
                if placed.item.id == visit_id:
                    row = host.row(visit_id)
                    ghost = self.ghost_rect(placed, day, minute)
                    paint_block(
                        painter, ghost, row, host.tz, selected=True, past=False, moving=True
                    )

    # --- mouse ---------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        placed = self.block_at(event.position())
        self._host.select(placed.item.id if placed else None)
        if placed is not None:
            grab = self.minute_at(event.position()) - placed.item.start
            self._press = (placed.item.id, event.position(), grab)
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        visit_id, origin, grab = self._press
        if self._drag is None:
            distance = (event.position() - origin).manhattanLength()
            if distance < QApplication.startDragDistance():
                return
            if not movable(self._host.row(visit_id)):
                self._press = None
                self._host.refuse_drag(visit_id)
                return
        if self._drag is None:
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        day, minute = self.target(event.position(), grab)
        self._drag = (visit_id, day, minute)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag, self._press = self._drag, None, None
        if drag is not None:
            visit_id, day, minute = drag
            self.unsetCursor()
            self.update()
            self._host.request_move(visit_id, day, minute)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        placed = self.block_at(event.position())
        if placed is not None:
            self._host.activate(placed.item.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self._drag is not None:
            self._drag, self._press = None, None  # the drag is called off
            self.unsetCursor()
            self.update()
            return
        if not self._host.handle_key(event):
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            placed = self.block_at(QPointF(event.pos()))
            if placed is None:
                QToolTip.showText(event.globalPos(), self._host.help_text(), self)
            else:
                row = self._host.row(placed.item.id)
                text = block_description(row, self._host.tz, past=self._host.is_past(row))
                QToolTip.showText(event.globalPos(), text, self)
            return True
        return super().event(event)

    def drag_target(self) -> tuple[str, int, int | None] | None:
        """The drag under way: (visit id, day, minute), for tests."""
        return self._drag


class WeekTop(BlockArea):
    """The day headers (today highlighted) and the all-day strip below them."""

    def __init__(self, host: WeekHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.setObjectName("weekAllDay")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)

    def strip_rows(self) -> int:
        return max([1, *(placed.lanes for placed in self.blocks())])

    def refresh_height(self) -> None:
        self.setFixedHeight(HEADER_HEIGHT + self.strip_rows() * STRIP_ROW + 4)

    def blocks(self) -> list[Placed]:
        return self._host.strip_blocks()

    def block_rect(self, placed: Placed) -> QRectF:
        return self._strip_rect(placed, placed.item.day)

    def _strip_rect(self, placed: Placed, day: int) -> QRectF:
        top = HEADER_HEIGHT + placed.lane * STRIP_ROW + 1
        return QRectF(self.column_left(day) + 2, top, self.column_width() - 4, STRIP_ROW - 2)

    def ghost_rect(self, placed: Placed, day: int, minute: int | None) -> QRectF:
        return self._strip_rect(placed, day)

    def target(self, pos: QPointF, grab_minutes: int) -> tuple[int, int | None]:
        return self.day_at(pos.x()), None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        host = self._host
        today = host.today_index()
        width = self.column_width()
        if today is not None:
            painter.fillRect(
                QRectF(self.column_left(today), 0, width, self.height()), QColor(TODAY_FILL)
            )
        painter.setPen(QColor(LINE))
        painter.drawLine(0, HEADER_HEIGHT, self.width(), HEADER_HEIGHT)
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        text = self.palette().color(QPalette.ColorRole.Text)
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for index, day in enumerate(host.days()):
            left = self.column_left(index)
            painter.setPen(QColor(LINE))
            painter.drawLine(QPointF(left, 0), QPointF(left, self.height()))
            font = QFont(self.font())
            font.setBold(index == today)
            painter.setFont(font)
            painter.setPen(
                self.palette().color(QPalette.ColorRole.Highlight) if index == today else text
            )
            painter.drawText(
                QRectF(left, 0, width, HEADER_HEIGHT), Qt.AlignmentFlag.AlignCenter, short_day(day)
            )
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        painter.setFont(small)
        painter.setPen(muted)
        # TRANSLATORS: the strip of the week calendar with the activities of no set time
        label = _("All day")
        painter.drawText(
            QRectF(2, HEADER_HEIGHT, GUTTER - 8, STRIP_ROW),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, GUTTER - 8),
        )
        self.paint_blocks(painter)
        painter.end()


class TimeGrid(BlockArea):
    """Seven columns by 24 hours; the working hours unshaded; blocks in lanes."""

    def __init__(self, host: WeekHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self.setObjectName("weekGrid")
        self.setMinimumHeight(24 * HOUR_HEIGHT)
        self.setFixedHeight(24 * HOUR_HEIGHT)

    def blocks(self) -> list[Placed]:
        return self._host.timed_blocks()

    @staticmethod
    def y_of(minute: float) -> float:
        return minute * HOUR_HEIGHT / 60

    def minute_at(self, pos: QPointF) -> int:
        return int(pos.y() * 60 / HOUR_HEIGHT)

    def block_rect(self, placed: Placed) -> QRectF:
        start, end = drawn_span(placed.item)
        lane_width = self.column_width() / placed.lanes
        left = self.column_left(placed.item.day) + placed.lane * lane_width
        return QRectF(left + 2, self.y_of(start) + 1, lane_width - 4, self.y_of(end - start) - 2)

    def ghost_rect(self, placed: Placed, day: int, minute: int | None) -> QRectF:
        start, end = drawn_span(placed.item)
        top = minute if minute is not None else start
        height = self.y_of(min(end - start, MINUTES_PER_DAY - top))
        return QRectF(
            self.column_left(day) + 2, self.y_of(top) + 1, self.column_width() - 4, height - 2
        )

    def target(self, pos: QPointF, grab_minutes: int) -> tuple[int, int | None]:
        return self.day_at(pos.x()), snap(self.minute_at(pos) - grab_minutes)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        host = self._host
        width, height = self.column_width(), float(self.height())
        work_start, work_end = host.working_hours()
        for day in range(7):
            left = self.column_left(day)
            painter.fillRect(QRectF(left, 0, width, self.y_of(work_start)), QColor(OFF_HOURS_FILL))
            painter.fillRect(
                QRectF(left, self.y_of(work_end), width, height - self.y_of(work_end)),
                QColor(OFF_HOURS_FILL),
            )
        today = host.today_index()
        if today is not None:
            fill = QColor(TODAY_FILL)
            fill.setAlpha(150)
            painter.fillRect(QRectF(self.column_left(today), 0, width, height), fill)
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        for hour in range(24):
            y = self.y_of(hour * 60)
            painter.setPen(QColor(LINE))
            painter.drawLine(QPointF(GUTTER - 4, y), QPointF(self.width(), y))
            painter.setPen(muted)
            painter.drawText(
                QRectF(0, y + 1, GUTTER - 8, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                f"{hour:02d}:00",
            )
        painter.setPen(QColor(LINE))
        for day in range(8):
            x = self.column_left(day)
            painter.drawLine(QPointF(x, 0), QPointF(x, height))
        now = host.now_minute()
        if today is not None and now is not None:
            painter.setPen(QColor(NOW_LINE))
            y = self.y_of(now)
            painter.drawLine(
                QPointF(self.column_left(today), y), QPointF(self.column_left(today) + width, y)
            )
        self.paint_blocks(painter)
        if not self.blocks() and not host.strip_blocks():
            painter.setPen(muted)
            visible = self.visibleRegion().boundingRect()
            painter.drawText(QRectF(visible), Qt.AlignmentFlag.AlignCenter, host.empty_text())
        painter.end()
