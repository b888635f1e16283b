"""The quote editor's lines table: its columns fitted to their content, and a delegate that
commits a quantity or a discount on every keystroke (the totals follow as you type)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from .lines_model import (
    COLUMN_COUNT,
    DESCRIPTION_COLUMN,
    DISCOUNT_COLUMN,
    NET_COLUMN,
    OPTIONAL_COLUMN,
    PRICE_COLUMN,
    QUANTITY_COLUMN,
    SKU_COLUMN,
    TAX_COLUMN,
    QuoteLinesModel,
)

_Index = QModelIndex | QPersistentModelIndex


class LiveLineDelegate(QStyledItemDelegate):
    """Line edits that write to the model on every keystroke, so the totals follow the typing;
    the editor's text is left alone while it does (no cursor jumps)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._live = False

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _text, e=editor: self._commit_live(e))
        return editor

    def _commit_live(self, editor: QWidget) -> None:
        self._live = True
        try:
            self.commitData.emit(editor)
        finally:
            self._live = False

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if not self._live:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class LinesTable(QTableView):
    """The lines: rows selected whole, moved by drag and drop."""

    def __init__(self, model: QuoteLinesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quoteLines")
        self.setModel(model)
        self.setItemDelegate(LiveLineDelegate(self))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Widths from sample figures, once: measuring 200 rows on every keystroke would not
        keep up with the typing."""
        metrics = self.fontMetrics()
        pad = 24
        samples = {
            SKU_COLUMN: "ACC-MNT-0000",
            QUANTITY_COLUMN: "10.000,5",
            PRICE_COLUMN: "12.345,00 €",
            DISCOUNT_COLUMN: "12,5 %",
            TAX_COLUMN: "21 %",
            OPTIONAL_COLUMN: "Opcional",
            NET_COLUMN: "(123.456,00 €)",
        }
        header = self.horizontalHeader()
        header.setMinimumSectionSize(40)
        for column in range(COLUMN_COUNT):
            if column == DESCRIPTION_COLUMN:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                continue
            title = str(self.model().headerData(column, Qt.Orientation.Horizontal))
            width = max(
                metrics.horizontalAdvance(samples[column]), metrics.horizontalAdvance(title)
            )
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width + pad)

    def retranslate(self) -> None:
        self._fit_columns()
