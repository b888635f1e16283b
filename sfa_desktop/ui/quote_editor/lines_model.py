"""The quote editor's lines: a table model over in-memory :class:`DraftLine` values.

Every change (a keystroke in a quantity, a discount, a moved line) recomputes the totals at once
with the one totals rule (:func:`sync_server.protocol.quote_totals.quote_totals`), on the UI
thread and without the database: the net column and the section subtotals follow, and
:attr:`QuoteLinesModel.totals_changed` tells the totals panel.

Rows: an *item* (SKU, description, quantity, unit price, discount, tax rate, net), a *section*
heading (its subtotal in the net column) or a free *text* line. An optional item is shown,
marked and greyed, with its net in brackets; it is left out of every total. Lines are moved by
drag and drop (:meth:`QuoteLinesModel.dropMimeData`) or by :meth:`QuoteLinesModel.move_row`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.localized_numbers import format_decimal, format_percent, parse_decimal
from sfa_desktop.domain.money import Money
from sfa_desktop.i18n import _, locale_for_formatting, pgettext
from sfa_desktop.services.quote_drafts import DraftLine
from sync_server.protocol.quote_totals import QuoteTotals, quote_totals
from sync_server.protocol.rejections import ValueRejected

_Index = QModelIndex | QPersistentModelIndex

SKU_COLUMN, DESCRIPTION_COLUMN, QUANTITY_COLUMN, PRICE_COLUMN = 0, 1, 2, 3
DISCOUNT_COLUMN, TAX_COLUMN, OPTIONAL_COLUMN, NET_COLUMN = 4, 5, 6, 7
COLUMN_COUNT = 8
_NUMBER_COLUMNS = frozenset(
    {QUANTITY_COLUMN, PRICE_COLUMN, DISCOUNT_COLUMN, TAX_COLUMN, NET_COLUMN}
)
_ITEM_EDITABLE = frozenset({DESCRIPTION_COLUMN, QUANTITY_COLUMN, DISCOUNT_COLUMN})
_MIME = "application/x-sfa-quote-line-rows"
_HUNDRED = Decimal(100)


def column_title(column: int) -> str:
    titles = {
        SKU_COLUMN: _("SKU"),
        DESCRIPTION_COLUMN: _("Description"),
        QUANTITY_COLUMN: pgettext("quote line", "Qty"),
        PRICE_COLUMN: _("Unit price"),
        DISCOUNT_COLUMN: pgettext("quote line", "Disc."),
        TAX_COLUMN: pgettext("quote line", "VAT"),
        OPTIONAL_COLUMN: pgettext("quote line", "Optional"),
        NET_COLUMN: pgettext("quote line", "Net"),
    }
    return titles[column]


def _column_tip(column: int) -> str | None:
    tips = {
        QUANTITY_COLUMN: _("Quantity"),
        DISCOUNT_COLUMN: _("Discount (%)"),
        TAX_COLUMN: _("VAT rate (%)"),
        OPTIONAL_COLUMN: _(
            "An optional line is shown to the customer but left out of the total (Ctrl+Shift+O)"
        ),
        NET_COLUMN: _("Quantity × unit price less the discount, before VAT"),
    }
    return tips.get(column)


class QuoteLinesModel(QAbstractTableModel):
    """The lines being edited, their totals recomputed on every change."""

    #: The totals were recomputed (after any change of the lines or the currency).
    totals_changed = Signal()
    #: The user changed the lines (not emitted by :meth:`set_lines`).
    edited = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[DraftLine] = []
        self._currency = "EUR"
        self._read_only = False
        self._discount_limit = Decimal(0)
        self._totals = quote_totals((), self._currency)
        self._subtotals: dict[int, Decimal] = {}

    # --- the data ---------------------------------------------------------------------------

    @property
    def lines(self) -> tuple[DraftLine, ...]:
        return tuple(self._lines)

    @property
    def currency(self) -> str:
        return self._currency

    @property
    def totals(self) -> QuoteTotals:
        return self._totals

    @property
    def discount_limit(self) -> Decimal:
        return self._discount_limit

    @property
    def read_only(self) -> bool:
        return self._read_only

    def line(self, row: int) -> DraftLine:
        return self._lines[row]

    def set_lines(
        self,
        lines: Sequence[DraftLine],
        currency: str,
        *,
        discount_limit: Decimal,
        read_only: bool = False,
    ) -> None:
        """Show ``lines`` (a quote just loaded or saved)."""
        self.beginResetModel()
        self._lines = list(lines)
        self._currency = currency
        self._discount_limit = discount_limit
        self._read_only = read_only
        self._totals = self._computed()
        self._index_sections()
        self.endResetModel()
        self.totals_changed.emit()

    def set_currency(self, currency: str) -> None:
        self._currency = currency
        self._recompute()

    def replace_lines(self, lines: Sequence[DraftLine]) -> None:
        """New figures for the same lines (repriced for another price list)."""
        self._lines = list(lines)
        self._recompute(first=0, last=COLUMN_COUNT - 1)
        self.edited.emit()

    def needs_approval(self) -> bool:
        """Some item's discount is above the owner's limit (the rule submitting applies)."""
        return self.max_discount() > self._discount_limit

    def max_discount(self) -> Decimal:
        discounts = [line.discount_pct for line in self._lines if line.kind == "item"]
        return max(discounts, default=Decimal(0))

    # --- changing the lines --------------------------------------------------------------------

    def insert_line(self, row: int, line: DraftLine) -> int:
        """Insert ``line`` at ``row`` (clamped); returns where it went."""
        row = max(0, min(row, len(self._lines)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines.insert(row, line)
        self.endInsertRows()
        self._changed()
        return row

    def remove_rows(self, rows: Sequence[int]) -> None:
        for row in sorted(set(rows), reverse=True):
            if 0 <= row < len(self._lines):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._lines[row]
                self.endRemoveRows()
        self._changed()

    def duplicate(self, row: int) -> int:
        """A copy of the line below it (a new line: saved as a new record); returns its row."""
        copy = dataclasses.replace(self._lines[row], id=None)
        return self.insert_line(row + 1, copy)

    def move_row(self, source: int, target: int) -> bool:
        """Move the line at ``source`` so that it ends up at row ``target``."""
        count = len(self._lines)
        if source == target or not (0 <= source < count and 0 <= target < count):
            return False
        destination = target + 1 if target > source else target
        if not self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), destination):
            return False
        self._lines.insert(target, self._lines.pop(source))
        self.endMoveRows()
        self._changed()
        return True

    def toggle_optional(self, row: int) -> None:
        line = self._lines[row]
        if line.kind == "item" and not self._read_only:
            self._set_line(
                row, dataclasses.replace(line, optional=not line.optional), OPTIONAL_COLUMN
            )

    def _set_line(self, row: int, line: DraftLine, column: int) -> None:
        self._lines[row] = line
        index = self.index(row, column)
        self.dataChanged.emit(index, index)
        self._changed()

    def _changed(self) -> None:
        self._recompute()
        self.edited.emit()

    def _computed(self) -> QuoteTotals:
        try:
            return quote_totals(self._lines, self._currency)
        except (ValueRejected, TypeError):
            return self._totals  # a figure too big to compute: keep the last totals

    def _index_sections(self) -> None:
        self._subtotals = {s.heading_index: s.subtotal for s in self._totals.sections}

    def _recompute(self, first: int = NET_COLUMN, last: int = NET_COLUMN) -> None:
        """Totals again; the net column (nets and section subtotals) repainted."""
        self._totals = self._computed()
        self._index_sections()
        if self._lines:
            self.dataChanged.emit(self.index(0, first), self.index(len(self._lines) - 1, last))
        self.totals_changed.emit()

    # --- Qt model API ---------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if role == Qt.ItemDataRole.DisplayRole:
            return column_title(section)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _column_tip(section)
        if role == Qt.ItemDataRole.TextAlignmentRole and section in _NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._read_only:
            return flags
        flags |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        line = self._lines[index.row()]
        column = index.column()
        editable = _ITEM_EDITABLE if line.kind == "item" else {DESCRIPTION_COLUMN}
        if column in editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        if line.kind == "item" and column == OPTIONAL_COLUMN:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        line = self._lines[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, line, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_text(line, column)
        if role == Qt.ItemDataRole.CheckStateRole and column == OPTIONAL_COLUMN:
            if line.kind != "item":
                return None
            return Qt.CheckState.Checked if line.optional else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMBER_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole:
            return self._font(line)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(line, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(line, column)
        return None

    def _display(self, row: int, line: DraftLine, column: int) -> str | None:
        if line.kind == "item":
            return self._item_text(row, line, column)
        if column == DESCRIPTION_COLUMN:
            return line.description
        if line.kind == "section" and column == NET_COLUMN and row in self._subtotals:
            return Money(self._subtotals[row], self._currency).format(locale_for_formatting())
        return None

    def _item_text(self, row: int, line: DraftLine, column: int) -> str | None:
        locale = locale_for_formatting()
        texts: dict[int, Callable[[], str]] = {
            SKU_COLUMN: lambda: line.sku or "",
            DESCRIPTION_COLUMN: lambda: line.description,
            QUANTITY_COLUMN: lambda: format_decimal(line.quantity, locale),
            PRICE_COLUMN: lambda: Money(line.unit_price, self._currency).format(locale),
            DISCOUNT_COLUMN: lambda: (
                format_percent(line.discount_pct, locale) if line.discount_pct else ""
            ),
            TAX_COLUMN: lambda: format_percent(line.tax_rate_pct, locale),
            NET_COLUMN: lambda: self._net_text(row, line),
        }
        text = texts.get(column)
        return text() if text is not None else None

    def _net_text(self, row: int, line: DraftLine) -> str:
        nets = self._totals.line_nets
        net = nets[row] if row < len(nets) else None
        if net is None:
            return ""
        text = Money(net, self._currency).format(locale_for_formatting())
        return f"({text})" if line.optional else text

    def _edit_text(self, line: DraftLine, column: int) -> str | None:
        locale = locale_for_formatting()
        if column == DESCRIPTION_COLUMN:
            return line.description
        if column == QUANTITY_COLUMN:
            return format_decimal(line.quantity, locale)
        if column == DISCOUNT_COLUMN:
            return format_decimal(line.discount_pct, locale)
        return None

    def _font(self, line: DraftLine) -> QFont | None:
        if line.kind == "item" and not line.optional:
            return None
        font = QFont(QApplication.font())
        if line.kind == "section":
            font.setBold(True)
        else:
            font.setItalic(True)
        return font

    def _foreground(self, line: DraftLine, column: int) -> QBrush | None:
        if line.kind == "item" and column == DISCOUNT_COLUMN and self._over_limit(line):
            return QBrush(QColor("#b3261e"))
        if line.optional and line.kind == "item":
            return QApplication.palette().brush(
                QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text
            )
        return None

    def _over_limit(self, line: DraftLine) -> bool:
        return line.discount_pct > self._discount_limit

    def _tooltip(self, line: DraftLine, column: int) -> str | None:
        if line.kind == "section" and column == NET_COLUMN:
            return _("Subtotal of this section")
        if line.kind != "item":
            return None
        if column == DISCOUNT_COLUMN and self._over_limit(line):
            limit = format_percent(self._discount_limit, locale_for_formatting())
            return _("Above your discount limit ({limit}): needs your manager's approval").format(
                limit=limit
            )
        if line.optional and column in (NET_COLUMN, OPTIONAL_COLUMN):
            return _("Optional line: shown to the customer, not included in the total")
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self._read_only:
            return False
        row, column = index.row(), index.column()
        line = self._lines[row]
        if role == Qt.ItemDataRole.CheckStateRole and column == OPTIONAL_COLUMN:
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            if line.kind != "item" or checked == line.optional:
                return False
            self._set_line(row, dataclasses.replace(line, optional=checked), column)
            return True
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        changed = self._parsed(line, column, str(value))
        if changed is None or changed == line:
            return False
        self._set_line(row, changed, column)
        return True

    def _parsed(self, line: DraftLine, column: int, text: str) -> DraftLine | None:
        """``line`` with the typed ``text`` in ``column``; None when the text is not valid."""
        if column == DESCRIPTION_COLUMN:
            return dataclasses.replace(line, description=text) if text.strip() else None
        try:
            number = parse_decimal(text.replace("%", ""), locale_for_formatting())
        except ValidationError:
            return None
        if column == QUANTITY_COLUMN and number > 0:
            return dataclasses.replace(line, quantity=number)
        if column == DISCOUNT_COLUMN and Decimal(0) <= number <= _HUNDRED:
            return dataclasses.replace(line, discount_pct=number)
        return None

    # --- drag and drop -------------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({index.row() for index in indexes if index.isValid()})
        data.setData(_MIME, QByteArray(",".join(map(str, rows[:1])).encode()))
        return data

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: _Index,
    ) -> bool:
        """Move the dragged line before ``row`` (or onto ``parent``'s row). Always returns
        False, so the view does not remove the source row itself: the move is done here."""
        if action != Qt.DropAction.MoveAction or not data.hasFormat(_MIME) or self._read_only:
            return False
        text = bytes(data.data(_MIME).data()).decode()
        if not text.isdigit():
            return False
        source = int(text)
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._lines)
        target = row - 1 if row > source else row
        self.move_row(source, min(target, len(self._lines) - 1))
        return False
