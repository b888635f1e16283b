"""Column widths for a table view: fit to contents, one column takes the rest.

Each column gets the width its header and visible rows need (up to a cap); the stretch column
(usually the name) takes what is left, and keeps what its rows need up to a share of the table. When space is
short, the other columns shrink in proportion — except *whole* columns (a status, an amount, a
date: text that says nothing once cut), which keep their width while the rest can give way.
Once the user resizes a column by hand, their widths are kept.
"""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView

_GAP = 14
"""Pixels after the widest text of a column."""

_SAMPLE_ROWS = 40
"""How many rows a width is measured on."""


class ColumnFitter(QObject):
    """Keeps ``table``'s column widths sensible as data, language and window size change."""

    def __init__(
        self,
        table: QTableView,
        *,
        stretch_column: int,
        max_chars: int = 24,
        stretch_share: float = 0.3,
        whole_columns: Collection[int] = (),
    ) -> None:
        super().__init__(table)
        self._whole = frozenset(whole_columns)
        self._table = table
        self._stretch_column = stretch_column
        self._max_chars = max_chars
        self._stretch_share = stretch_share
        self._fitting = False
        self._user_sized = False
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
        header.sectionResized.connect(self._on_section_resized)
        # Measure widths on the first rows only: reading every loaded row for every column on
        # each page load costs tens of milliseconds and makes search-as-you-type lag.
        header.setResizeContentsPrecision(_SAMPLE_ROWS)
        table.viewport().installEventFilter(self)

    @property
    def user_sized(self) -> bool:
        """Whether the user has resized a column (automatic fitting then stops)."""
        return self._user_sized

    def fit(self) -> None:
        """Recompute the widths from the header texts and the rows now visible."""
        if self._user_sized:
            return
        table, header = self._table, self._table.horizontalHeader()
        model = table.model()
        if model is None:
            return
        columns = [
            column
            for column in range(model.columnCount())
            if column != self._stretch_column and not header.isSectionHidden(column)
        ]
        cap = self._max_chars * table.fontMetrics().averageCharWidth()
        floor = {column: header.sectionSizeHint(column) for column in columns}
        wanted = {  # a whole column is not capped: its text is never long
            column: min(
                max(table.sizeHintForColumn(column), floor[column]) + _GAP,
                cap if column not in self._whole else 2**31,
            )
            for column in columns
        }
        available = table.viewport().width()
        stretch_need = table.sizeHintForColumn(self._stretch_column) + _GAP
        stretch_min = max(
            min(stretch_need, int(available * self._stretch_share)),
            header.sectionSizeHint(self._stretch_column),
        )
        budget = available - stretch_min
        if budget > 0 and sum(wanted.values()) > budget:
            wanted = self._shrunk(wanted, floor, budget)
        self._fitting = True
        try:
            for column, width in wanted.items():
                table.setColumnWidth(column, width)
        finally:
            self._fitting = False

    def _shrunk(self, wanted: dict[int, int], floor: dict[int, int], budget: int) -> dict[int, int]:
        """Widths within ``budget``: the columns that are not whole shrink in proportion
        (all of them, if the whole ones alone do not fit)."""
        whole = sum(width for column, width in wanted.items() if column in self._whole)
        flexible = {c: w for c, w in wanted.items() if c not in self._whole}
        room, asked = budget - whole, sum(flexible.values())
        if self._whole and flexible and room > 0:
            factor = room / asked
            shrunk = {c: max(floor[c], int(w * factor)) for c, w in flexible.items()}
            return {**wanted, **shrunk}
        factor = budget / sum(wanted.values())
        return {column: max(floor[column], int(w * factor)) for column, w in wanted.items()}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self._table.viewport():
            self.fit()
        return False

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._fitting and column != self._stretch_column:
            self._user_sized = True
