"""The pieces every searchable list workspace shares: its table view and its search box.

* :class:`PagedTableView` — a read-only table over a
  :class:`~sfa_desktop.ui.models.paged_model.PagedTableModel`: whole-row selection, header
  clicks sort through the store (columns it cannot sort keep the arrow where it was), column
  widths fitted to the contents.
* :class:`SearchBox` — a search field that asks for a search once typing pauses; Down asks to
  move into the results.
* :func:`muted_label` — the grey "450 accounts" label next to a workspace title.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView, QWidget

from sfa_desktop.ui.icons import icon
from sfa_desktop.ui.models.paged_model import PagedTableModel
from sfa_desktop.ui.widgets.column_fitter import ColumnFitter
from sfa_desktop.ui.widgets.row_table import show_rows_read_only

SEARCH_DELAY_MS = 150
"""Pause after the last keystroke before the search runs."""


class PagedTableView(QTableView):
    """A list of records, sorted by the store, a page at a time."""

    def __init__(
        self,
        model: PagedTableModel[Any],
        *,
        name: str,
        stretch_column: int,
        multi_select: bool = False,
        stretch_share: float = 0.3,
        whole_columns: Collection[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        """``stretch_share``: how much of the width the stretch column may claim before the
        others shrink; ``whole_columns`` never shrink below their text (see
        :class:`ColumnFitter`)."""
        super().__init__(parent)
        self.setObjectName(name)
        self._paged_model = model
        self.setModel(model)
        show_rows_read_only(self, multi_select=multi_select, row_padding=12)
        header = self.horizontalHeader()
        header.setSortIndicator(model.sort_column(), model.sort_order())
        self.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._keep_sort_indicator_truthful)
        self.column_fitter = ColumnFitter(
            self,
            stretch_column=stretch_column,
            stretch_share=stretch_share,
            whole_columns=whole_columns,
        )

    def _keep_sort_indicator_truthful(self, column: int, _order: Qt.SortOrder) -> None:
        """Columns the store cannot sort by must not show a sort arrow."""
        model = self._paged_model
        if model.is_sortable(column):
            return
        header = self.horizontalHeader()
        blocked = header.blockSignals(True)
        header.setSortIndicator(model.sort_column(), model.sort_order())
        header.blockSignals(blocked)


class SearchBox(QLineEdit):
    """Emits :attr:`search_requested` once the user pauses typing (or presses Enter).

    Down, and Enter (after searching), emit :attr:`down_pressed`: the user moves into the
    results."""

    search_requested = Signal(str)
    #: Down was pressed: the user wants to move into the results.
    down_pressed = Signal()

    def __init__(self, *, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setClearButtonEnabled(True)
        self.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.setMinimumWidth(340)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.textChanged.connect(self._timer.start)
        self.returnPressed.connect(self._search_and_enter_results)

    def search_now(self) -> None:
        self._timer.stop()
        self.search_requested.emit(self.text())

    def _search_and_enter_results(self) -> None:
        self.search_now()
        self.down_pressed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Down and not event.modifiers():
            self.down_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


def muted_label(parent: QWidget, name: str) -> QLabel:
    """A label in the palette's placeholder colour (counts, hints)."""
    label = QLabel(parent)
    label.setObjectName(name)
    palette = label.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.PlaceholderText)
    )
    label.setPalette(palette)
    return label
