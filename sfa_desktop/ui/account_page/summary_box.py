"""A titled box with a small table that is exactly as tall as its rows, or a one-line note."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.ui.widgets.row_table import show_rows_read_only


class SummaryBox(QGroupBox):
    """Shows ``model``'s rows without scrolling; ``empty_text`` when there are none.

    The columns in ``stretch`` share the spare width (their text is elided); the others fit
    their contents.
    """

    def __init__(
        self,
        model: QAbstractTableModel,
        *,
        name: str,
        stretch: Sequence[int] = (0,),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._model = model
        self._stretch = frozenset(stretch)
        self.table = QTableView(self)
        self.table.setObjectName(name)
        self.table.setModel(model)
        show_rows_read_only(self.table)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty_label = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.empty_label)
        model.modelReset.connect(self.fit)

    def set_empty_text(self, text: str) -> None:
        self.empty_label.setText(text)

    def fit(self) -> None:
        """Show the table at the height of its rows, or the note when it has none."""
        rows = self._model.rowCount()
        self.table.setVisible(rows > 0)
        self.empty_label.setVisible(rows == 0)
        header = self.table.horizontalHeader()
        for column in range(self._model.columnCount()):
            header.setSectionResizeMode(
                column,
                QHeaderView.ResizeMode.Stretch
                if column in self._stretch
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        body = sum(self.table.rowHeight(row) for row in range(rows))
        head = header.sizeHint().height() if rows else 0
        self.table.setFixedHeight(head + body + 2 * self.table.frameWidth())
