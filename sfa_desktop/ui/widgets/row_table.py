"""How every read-only table of records looks and selects: :func:`show_rows_read_only`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def show_rows_read_only(
    table: QTableView, *, multi_select: bool = False, row_padding: int | None = None
) -> None:
    """Set ``table`` up as a list of records: whole rows selected (one, or several with
    ``multi_select``), never edited, alternating colours, no grid, one line a cell elided on
    the right, no row numbers, and left-aligned headers that do not highlight.

    Tab and Shift+Tab leave the table (to the next widget) instead of walking its cells:
    a row is the unit, and the arrow keys move between rows.

    ``row_padding``: every row as tall as a line of text plus that many pixels (``None``:
    Qt's row height)."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(
        QAbstractItemView.SelectionMode.ExtendedSelection
        if multi_select
        else QAbstractItemView.SelectionMode.SingleSelection
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    rows = table.verticalHeader()
    rows.hide()
    if row_padding is not None:
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + row_padding)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
