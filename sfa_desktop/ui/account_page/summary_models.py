"""The account page's small lists: contacts, open opportunities, open quotes.

They hold a handful of rows that arrive with the page (no paging), described with the same
:class:`~sfa_desktop.ui.models.paged_model.TableColumn` as the big lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from sfa_desktop.domain.validation import format_phone
from sfa_desktop.i18n import _, enum_label
from sfa_desktop.store.repositories.account_page import (
    ContactSummary,
    OpportunitySummary,
    QuoteSummary,
)
from sfa_desktop.ui.account_page.display import show_date, show_money
from sfa_desktop.ui.models.paged_model import RIGHT_ALIGNED, ROW_ID_ROLE, TableColumn

RowT = TypeVar("RowT")
_Index = QModelIndex | QPersistentModelIndex


class RowsTableModel(QAbstractTableModel, Generic[RowT]):
    """A read-only table over a list of rows given all at once."""

    def __init__(self, columns: Sequence[TableColumn], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[RowT] = []

    def set_rows(self, rows: Sequence[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

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
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column.cell is not None:
                return column.cell(row)
            value = getattr(row, column.attribute)
            if value is None:
                return ""
            return column.text(value) if column.text is not None else str(value)
        if role == ROW_ID_ROLE:
            return str(getattr(row, "id", ""))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(column.alignment.value)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
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
        if self._columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._columns) - 1)
        if self._rows and self._columns:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self._columns) - 1)
            )


def _contact_phone(row: ContactSummary) -> str:
    number = row.mobile or row.phone
    return format_phone(number) if number else ""


CONTACT_COLUMNS = (
    TableColumn("full_name", lambda: _("Name")),
    TableColumn("job_title", lambda: _("Job title")),
    TableColumn(
        "purchase_role",
        lambda: _("Role"),
        text=lambda value: enum_label("purchase_role", value),
    ),
    TableColumn("phone", lambda: _("Phone"), cell=_contact_phone),
)

OPPORTUNITY_COLUMNS = (
    TableColumn("name", lambda: _("Opportunity")),
    TableColumn(
        "stage", lambda: _("Stage"), text=lambda value: enum_label("opportunity_stage", value)
    ),
    TableColumn(
        "amount",
        lambda: _("Amount"),
        cell=lambda r: show_money(r.amount, r.currency),
        alignment=RIGHT_ALIGNED,
    ),
    TableColumn(
        "expected_close_date",
        lambda: _("Expected close"),
        text=show_date,
    ),
)

QUOTE_COLUMNS = (
    TableColumn("number", lambda: _("Quote")),
    TableColumn(
        "status", lambda: _("Status"), text=lambda value: enum_label("quote_status", value)
    ),
    TableColumn(
        "net_amount",
        lambda: _("Net amount"),
        cell=lambda r: show_money(r.net_amount, r.currency),
        alignment=RIGHT_ALIGNED,
    ),
    TableColumn("valid_until", lambda: _("Valid until"), text=show_date),
)


def contacts_model(parent: QObject | None = None) -> RowsTableModel[ContactSummary]:
    return RowsTableModel(CONTACT_COLUMNS, parent)


def opportunities_model(parent: QObject | None = None) -> RowsTableModel[OpportunitySummary]:
    return RowsTableModel(OPPORTUNITY_COLUMNS, parent)


def quotes_model(parent: QObject | None = None) -> RowsTableModel[QuoteSummary]:
    return RowsTableModel(QUOTE_COLUMNS, parent)
