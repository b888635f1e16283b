"""How one activity looks in the week calendar: its block painted, its words for the tooltip
and for screen readers.

Planned: blue (amber edge when its time has passed); done: green and ticked; cancelled and
no-show: grey, struck through. The selected block has a thick edge in the highlight colour.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication

from sfa_desktop.i18n import _
from sfa_desktop.services.agenda import AgendaRow

from .agenda_model import PAST_COLOR
from .display import kind_label, short_day, show_time, status_text, time_range
from .week_layout import is_all_day

#: Only these can be moved (the others are closed: done, cancelled, no-show).
MOVABLE_STATUS = "planned"
_CLOSED = frozenset({"cancelled", "no_show"})
_FILL = {"planned": "#dcebfa", "done": "#e2f2e3"}
_EDGE = {"planned": "#3d7cc9", "done": "#2e7d32"}
_GREY_FILL, _GREY_EDGE = "#eeeeee", "#b0b0b0"
TICK = "✓"


def block_title(row: AgendaRow, tz: ZoneInfo) -> str:
    """The first line: tick when done, start time (none for all-day), account (the end is
    where the block ends; the tooltip says it)."""
    parts: list[str] = []
    if row.status == "done":
        parts.append(TICK)
    if row.planned_start is not None and not is_all_day(row.planned_start, row.planned_end, tz):
        parts.append(show_time(row.planned_start, tz))
    parts.append(row.account_name or "—")
    return " ".join(parts)


def block_detail(row: AgendaRow) -> str:
    """The second line: kind (when not a visit) and subject."""
    kind = kind_label(row.kind) if row.kind != "visit" else ""
    return " · ".join(part for part in (kind, row.subject or "") if part)


def block_description(row: AgendaRow, tz: ZoneInfo, *, past: bool) -> str:
    """Everything about the block in one sentence (tooltip, accessible description)."""
    when = ""
    if row.planned_start is not None:
        local = row.planned_start.astimezone(tz)
        times = (
            _("all day")
            if is_all_day(row.planned_start, row.planned_end, tz)
            else time_range(row.planned_start, row.planned_end, tz)
        )
        when = f"{short_day(local.date())} {times}"
    status = status_text(row.status, row.checked_in_at, tz)
    if past:
        # TRANSLATORS: after a planned visit's status, when its time has passed
        status = f"{status} · {_('past')}"
    pieces = [when, kind_label(row.kind), row.account_name or "—"]
    if row.contact_name:
        pieces.append(row.contact_name)
    if row.subject:
        pieces.append(row.subject)
    pieces.append(status)
    return ", ".join(piece for piece in pieces if piece)


def movable(row: AgendaRow) -> bool:
    return row.status == MOVABLE_STATUS


def paint_block(
    painter: QPainter,
    rect: QRectF,
    row: AgendaRow,
    tz: ZoneInfo,
    *,
    selected: bool,
    past: bool,
    moving: bool = False,
) -> None:
    """Paint ``row``'s block in ``rect`` (``moving``: the copy following a drag)."""
    closed = row.status in _CLOSED
    fill = QColor(_GREY_FILL if closed else _FILL.get(row.status, _GREY_FILL))
    edge = QColor(_GREY_EDGE if closed else _EDGE.get(row.status, _GREY_EDGE))
    if past:
        edge = QColor(PAST_COLOR)
    if moving:
        fill.setAlpha(170)
    palette = QApplication.palette()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(palette.color(QPalette.ColorRole.Highlight) if selected else edge)
    pen.setWidthF(2.5 if selected else 1.0)
    if moving:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(fill)
    painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
    painter.fillRect(QRectF(rect.left() + 1, rect.top() + 1, 3, rect.height() - 2), edge)
    text_color = palette.color(
        QPalette.ColorGroup.Disabled if closed else QPalette.ColorGroup.Active,
        QPalette.ColorRole.Text,
    )
    painter.setPen(QColor("#555555") if closed else text_color)
    font = QFont(painter.font())
    font.setStrikeOut(closed)
    font.setPointSizeF(font.pointSizeF() * 0.9)
    painter.setFont(font)
    inner = rect.adjusted(7, 2, -3, -2)
    line = painter.fontMetrics().height()
    flags = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    detail = block_detail(row)
    two_lines = inner.height() >= 2 * line
    title = block_title(row, tz)
    if detail and not two_lines:  # one line: the subject after the account
        title = f"{title} · {detail}"
    title = painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, int(inner.width()))
    painter.drawText(inner, flags, title)
    if detail and two_lines:
        painter.setFont(font)
        lines = QRectF(inner.left(), inner.top() + line, inner.width(), inner.height() - line)
        painter.drawText(lines, flags | Qt.TextFlag.TextWordWrap, detail)
    painter.restore()
