"""The "nothing here yet" panel: an icon, a title and a sentence saying what to do."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

_ICON_SIZE = QSize(72, 72)
_TEXT_WIDTH = 520


class EmptyState(QWidget):
    """A centred message for an empty list or a workspace that has no content yet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._icon_label = QLabel(self)
        self._icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._title_label = QLabel(self)
        self._title_label.setObjectName("emptyStateTitle")
        self._title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._title_label.setWordWrap(True)
        title_font = self._title_label.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self._title_label.setFont(title_font)
        self._message_label = QLabel(self)
        self._message_label.setObjectName("emptyStateMessage")
        self._message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message_label.setWordWrap(True)
        muted = self._message_label.palette()
        muted.setColor(
            QPalette.ColorRole.WindowText, muted.color(QPalette.ColorRole.PlaceholderText)
        )
        self._message_label.setPalette(muted)

        column = QWidget(self)
        column.setMaximumWidth(_TEXT_WIDTH)
        column.setMinimumWidth(_TEXT_WIDTH // 2)
        column_layout = QVBoxLayout(column)
        column_layout.setSpacing(6)
        column_layout.addWidget(self._icon_label)
        column_layout.addSpacing(6)
        column_layout.addWidget(self._title_label)
        column_layout.addWidget(self._message_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 4)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addLayout(row)
        layout.addStretch(3)

    def set_icon(self, icon: QIcon) -> None:
        self._icon_label.setPixmap(icon.pixmap(_ICON_SIZE))

    def set_text(self, title: str, message: str) -> None:
        """Show ``title`` in bold and ``message`` below it."""
        self._title_label.setText(title)
        self._message_label.setText(message)

    def title(self) -> str:
        return self._title_label.text()

    def message(self) -> str:
        return self._message_label.text()
