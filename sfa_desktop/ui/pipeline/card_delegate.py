"""How a board card is painted: one delegate draws every card of a column (no widget per card).

A card shows the account (bold), the deal's name, its amount (bold, in the locale's money
format), its expected close date (red when it has passed on an open deal) and its owner, muted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from sfa_desktop.services.pipeline import DealRow
from sfa_desktop.ui.account_page.display import show_date, show_money
from sfa_desktop.ui.models.list_query import ROW_ROLE

OVERDUE_COLOR = QColor("#c62828")
_MARGIN = 4
_PADDING = 6
_LINES = 5

_Index = QModelIndex | QPersistentModelIndex


class CardDelegate(QStyledItemDelegate):
    """Paints a :class:`DealRow` as a card; ``today`` tells which close dates are overdue."""

    def __init__(self, today: Callable[[], dt.date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(120, _LINES * line + 2 * _PADDING + 2 * _MARGIN + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        deal = index.data(ROW_ROLE)
        if not isinstance(deal, DealRow):
            return
        rect: QRect = option.rect.adjusted(_MARGIN, _MARGIN // 2, -_MARGIN, -_MARGIN // 2)
        palette: QPalette = option.palette
        state = option.state
        selected = bool(state & QStyle.StateFlag.State_Selected)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        border = (
            palette.color(QPalette.ColorRole.Highlight)
            if selected
            else palette.color(QPalette.ColorRole.Mid)
        )
        painter.setPen(QPen(border, 2 if selected or focused else 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(rect, 5, 5)
        self._paint_text(
            painter, option, rect.adjusted(_PADDING, _PADDING, -_PADDING, -_PADDING), deal
        )
        painter.restore()

    def _paint_text(
        self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect, deal: DealRow
    ) -> None:
        font: QFont = QFont(option.font)
        palette: QPalette = option.palette
        text_color = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        line = QFontMetrics(font).lineSpacing()
        bold = QFont(font)
        bold.setBold(True)
        left = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

        def row(number: int) -> QRect:
            return QRect(rect.left(), rect.top() + number * line, rect.width(), line)

        painter.setFont(bold)
        painter.setPen(text_color)
        painter.drawText(
            row(0),
            left,
            QFontMetrics(bold).elidedText(
                deal.account_name, Qt.TextElideMode.ElideRight, rect.width()
            ),
        )
        painter.setFont(font)
        metrics = QFontMetrics(font)
        painter.drawText(
            row(1), left, metrics.elidedText(deal.name, Qt.TextElideMode.ElideRight, rect.width())
        )
        painter.setFont(bold)
        painter.drawText(
            row(2),
            left,
            QFontMetrics(bold).elidedText(
                show_money(deal.amount, deal.currency), Qt.TextElideMode.ElideRight, rect.width()
            ),
        )
        painter.setFont(font)
        painter.setPen(OVERDUE_COLOR if deal.overdue(self._today()) else text_color)
        painter.drawText(row(3), left, show_date(deal.expected_close_date))
        painter.setPen(muted)
        painter.drawText(
            row(4),
            left,
            metrics.elidedText(deal.owner_name or "", Qt.TextElideMode.ElideRight, rect.width()),
        )
