"""One board column's cards: a list model of a stage's deals, a drag source and a drop target.

A card is dragged as the deal's id (:data:`DEAL_MIME`). Dropping it on another column does not
move the row itself: the column emits :attr:`StageCardsModel.drop_requested` and the board moves
the card (and writes the change in the background), so a refused change can put it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from sfa_desktop.services.pipeline import DealRow
from sfa_desktop.ui.models.list_query import ROW_ID_ROLE, ROW_ROLE

#: What a dragged card carries: the deal's id (UTF-8).
DEAL_MIME = "application/x-sfa-opportunity-id"
_Index = QModelIndex | QPersistentModelIndex


class StageCardsModel(QAbstractListModel):
    """The cards of one stage, in the order given (the soonest to close first)."""

    #: A card was dropped here: (deal id, this column's stage).
    drop_requested = Signal(str, str)

    def __init__(self, stage: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self._deals: list[DealRow] = []

    # --- content ---------------------------------------------------------------------------

    def set_deals(self, deals: Sequence[DealRow]) -> None:
        self.beginResetModel()
        self._deals = list(deals)
        self.endResetModel()

    def deals(self) -> list[DealRow]:
        return list(self._deals)

    def deal_at(self, row: int) -> DealRow:
        return self._deals[row]

    def row_of(self, deal_id: str) -> int:
        return next((i for i, deal in enumerate(self._deals) if deal.id == deal_id), -1)

    def take(self, row: int) -> DealRow:
        self.beginRemoveRows(QModelIndex(), row, row)
        deal = self._deals.pop(row)
        self.endRemoveRows()
        return deal

    def put(self, deal: DealRow, row: int | None = None) -> int:
        """Insert ``deal`` at ``row`` (by its close date when None); returns its row."""
        if row is None:
            key = _close_key(deal)
            row = next((i for i, d in enumerate(self._deals) if _close_key(d) > key), None)
            row = len(self._deals) if row is None else row
        self.beginInsertRows(QModelIndex(), row, row)
        self._deals.insert(row, deal)
        self.endInsertRows()
        return row

    # --- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._deals)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._deals):
            return None
        deal = self._deals[index.row()]
        if role == ROW_ROLE:
            return deal
        if role == ROW_ID_ROLE:
            return deal.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{deal.account_name} — {deal.name}"
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [DEAL_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        rows = [i.row() for i in indexes if i.isValid()]
        if rows:
            mime.setData(DEAL_MIME, QByteArray(self._deals[rows[0]].id.encode()))
        return mime

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: _Index,
    ) -> bool:
        deal_id = dragged_deal(data)
        return deal_id is not None and self.row_of(deal_id) < 0

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: _Index,
    ) -> bool:
        """Ask the board to move the dragged deal here; the row is never moved by the drop
        itself (``False``: the view removes nothing from the source column)."""
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        deal_id = dragged_deal(data)
        if deal_id is not None:
            self.drop_requested.emit(deal_id, self.stage)
        return False


def dragged_deal(data: QMimeData) -> str | None:
    """The deal id a dragged card carries (None for anything else)."""
    if not data.hasFormat(DEAL_MIME):
        return None
    text = bytes(data.data(DEAL_MIME).data()).decode(errors="replace").strip()
    return text or None


def _close_key(deal: DealRow) -> tuple[bool, Any, str]:
    return (deal.expected_close_date is None, deal.expected_close_date, deal.name)
