"""The timeline list: one wrapped, rich-text card per entry, with the source's icon."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from sfa_desktop.services.account_page import OPPORTUNITY, QUOTE, TimelineEntry
from sfa_desktop.ui.account_page.timeline_model import ENTRY_ROLE
from sfa_desktop.ui.account_page.timeline_text import entry_html
from sfa_desktop.ui.icons import icon

_ICON = 22
_PAD = 10
_Index = QModelIndex | QPersistentModelIndex
_CACHED_DOCUMENTS = 400


#: The icon of each activity kind (``resources/icons``); a visit keeps the map pin.
ACTIVITY_ICONS = {
    "visit": "visits",
    "call": "call",
    "email": "email",
    "meeting": "meeting",
    "task": "task",
}


def icon_name(entry: TimelineEntry) -> str:
    """The entry's icon: quotes, opportunities, and each activity kind its own."""
    if entry.source == QUOTE:
        return "quotes"
    if entry.source == OPPORTUNITY:
        return "pipeline"
    return ACTIVITY_ICONS.get(entry.event, "visits")


class TimelineDelegate(QStyledItemDelegate):
    """Paints an entry as an icon and wrapped rich text; its height follows the text."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        #: laid-out documents by (html, width): sizeHint and paint ask for the same ones
        self._documents: dict[tuple[str, int], QTextDocument] = {}

    def _document(self, entry: TimelineEntry, width: int, palette: QPalette) -> QTextDocument:
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        html = entry_html(entry, muted_color=muted)
        key = (html, width)
        document = self._documents.get(key)
        if document is None:
            if len(self._documents) >= _CACHED_DOCUMENTS:
                self._documents.clear()
            document = QTextDocument()
            document.setDefaultFont(self._view.font())
            document.setHtml(html)
            document.setTextWidth(max(width - _ICON - 3 * _PAD, 50))
            self._documents[key] = document
        return document

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, TimelineEntry):
            return super().sizeHint(option, index)
        width = self._view.viewport().width()
        document = self._document(entry, width, option.palette)
        return QSize(width, int(document.size().height()) + 2 * _PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        entry = index.data(ENTRY_ROLE)
        if not isinstance(entry, TimelineEntry):
            super().paint(painter, option, index)
            return
        rect: QRect = option.rect
        palette: QPalette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        if selected:
            painter.fillRect(rect, palette.color(QPalette.ColorRole.Highlight))
        painter.setPen(palette.color(QPalette.ColorRole.Midlight))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        icon(icon_name(entry)).paint(
            painter, QRect(rect.left() + _PAD, rect.top() + _PAD, _ICON, _ICON)
        )
        document = self._document(entry, rect.width(), palette)
        painter.translate(QPointF(rect.left() + _ICON + 2 * _PAD, rect.top() + _PAD))
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, palette.color(role))
        document.documentLayout().draw(painter, context)
        painter.restore()


class TimelineView(QListView):
    """A list of timeline cards that re-wraps them when its width changes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.setItemDelegate(TimelineDelegate(self))
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
