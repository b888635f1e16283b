"""Table models over plain dataclass rows, described by :class:`TableColumn`.

:class:`ColumnTableModel` is what every list shares: cells from the columns (a row attribute
formatted, or a whole-row function), tooltips, the row id under ``ROW_ID_ROLE`` and the row
itself under ``ROW_ROLE``, headers, alignment and a refresh after a language switch. :class:`RowsTableModel` shows rows given all at once (Today's
lists, the account page's small lists); :class:`LoadingTableModel` adds the loading state of
rows read on the database thread, for the paged lists over SQL
(:class:`~sfa_desktop.ui.models.paged_model.PagedTableModel`) and the account timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, Generic

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.models.list_query import ROW_ID_ROLE, ROW_ROLE, RowT, TableColumn

_Index = QModelIndex | QPersistentModelIndex


def row_id_attribute(row: Any) -> str:
    """The default row id: the row's ``id`` attribute."""
    return str(getattr(row, "id", ""))


class ColumnTableModel(QAbstractTableModel, Generic[RowT]):
    """A read-only table of ``self._rows`` in ``columns``; subclasses fill ``_rows``."""

    def __init__(
        self,
        columns: Sequence[TableColumn],
        *,
        row_id: Callable[[RowT], str] = row_id_attribute,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._row_id = row_id
        self._rows: list[RowT] = []

    @property
    def columns(self) -> tuple[TableColumn, ...]:
        return self._columns

    def rows(self) -> list[RowT]:
        return list(self._rows)

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

    def column_of(self, attribute: str) -> int:
        """The number of the column showing ``attribute``; -1 when none does."""
        for number, column in enumerate(self._columns):
            if column.attribute == attribute:
                return number
        return -1

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self._columns):
            return None
        row, column = self._rows[index.row()], self._columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.cell_text(row, column) if column.tooltip is None else column.tooltip(row)
        if role == ROW_ID_ROLE:
            return self._row_id(row)
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.alignment.value)
        return self.cell_data(row, column, role)

    def cell_text(self, row: RowT, column: TableColumn) -> str:
        """The text of one cell."""
        if column.cell is not None:
            return column.cell(row)
        value = getattr(row, column.attribute)
        if value is None:
            return ""
        return column.text(value) if column.text is not None else str(value)

    def cell_data(self, row: RowT, column: TableColumn, role: int) -> Any:
        """Other roles of a cell (colours, fonts…): override; ``None`` by default."""
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._columns[section].title()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(self._columns[section].alignment.value)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def retranslate(self) -> None:
        """Refresh headers and cells after a language switch."""
        if not self._columns:
            return
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, len(self._columns) - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )


class LoadingTableModel(ColumnTableModel[RowT]):
    """Rows loaded on the database thread: the loading state and its signals, a failed load
    reported as a translated message, and a loaded page appended at the end."""

    #: Loading started (``True``) or finished (``False``).
    loading_changed = Signal(bool)
    #: Loading failed; the argument is a translated message.
    load_failed = Signal(str)

    _loading = False  # set on the instance by _set_loading

    @property
    def is_loading(self) -> bool:
        return self._loading

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    def _failed(self, error: BaseException) -> None:
        self._set_loading(False)
        self.load_failed.emit(describe_error(error))

    def _append_rows(self, rows: Sequence[RowT]) -> None:
        """Add ``rows`` after the loaded ones (nothing when empty)."""
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()


#: The colour of flagged cells (a warning: late, overdue), readable on light and dark rows.
FLAGGED_COLOR = QColor(196, 43, 28)


class RowsTableModel(ColumnTableModel[RowT]):
    """Rows given all at once (:meth:`set_rows`), optionally with *link* columns (drawn like
    links: one click acts on the row), *muted* cells (drawn in the placeholder colour) and
    *flagged* cells (a warning: bold, in :data:`FLAGGED_COLOR`)."""

    def __init__(
        self,
        columns: Sequence[TableColumn],
        *,
        row_id: Callable[[RowT], str] = row_id_attribute,
        link_columns: Collection[str] = (),
        muted: Callable[[RowT, TableColumn], bool] | None = None,
        flagged: Callable[[RowT, TableColumn], bool] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(columns, row_id=row_id, parent=parent)
        self._links = frozenset(link_columns)
        self._muted = muted
        self._flagged = flagged

    def is_flagged(self, row: int, column: int) -> bool:
        """Whether the cell is drawn as a warning."""
        return self._flagged is not None and self._flagged(self._rows[row], self._columns[column])

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def is_link(self, column: int) -> bool:
        return 0 <= column < len(self._columns) and self._columns[column].attribute in self._links

    def cell_data(self, row: RowT, column: TableColumn, role: int) -> Any:
        linked = column.attribute in self._links and bool(self.cell_text(row, column))
        flagged = self._flagged is not None and self._flagged(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            palette = QApplication.palette()
            if linked:
                return palette.color(QPalette.ColorRole.Link)
            if flagged:
                return FLAGGED_COLOR
            if self._muted is not None and self._muted(row, column):
                return palette.color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.FontRole and (linked or flagged):
            font = QFont()
            font.setUnderline(linked)
            font.setBold(flagged and not linked)
            return font
        return None
