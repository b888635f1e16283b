"""The pipeline board: a column per stage, cards painted by one delegate per column.

The open stages come first, then *Closed won* and *Closed lost* (the deals closed recently:
they are where a deal is dropped to close it). Each column's header says how many deals it
holds, their sum and their weighted sum per currency (the main currency first; there are no
exchange rates, so nothing is converted), counting the deals a long column does not show.

Moving a card (a drop, or Ctrl+Left/Right) asks: :attr:`PipelineBoardView.move_requested`.
The workspace then calls :meth:`PipelineBoardView.move_card` (the card moves at once, the
headers follow with the new stage's default probability) and writes in the background; a
refusal calls :meth:`move_card` back. Keyboard: Up/Down between a column's cards, Left/Right to
the next column with cards, Ctrl+Left/Right moves the focused card a stage, Enter opens it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.money import currency_precision
from sfa_desktop.domain.opportunity_stages import CLOSED_STAGES, stage_defaults
from sfa_desktop.i18n import _, enum_label, format_count
from sfa_desktop.services.pipeline import (
    BOARD_CLOSED_STAGES,
    MAIN_CURRENCY,
    OPEN_STAGES,
    RECENTLY_CLOSED_DAYS,
    DealRow,
    PipelineBoard,
    StageTotal,
)
from sfa_desktop.ui.account_page.display import show_amount
from sfa_desktop.ui.pipeline.board_model import StageCardsModel
from sfa_desktop.ui.pipeline.card_delegate import CardDelegate

_Totals = dict[str, tuple[int, int, Decimal]]
"""currency → (deals, amount in minor units, weighted in minor units)"""


def _money(minor: Decimal | int, currency: str) -> str:
    return show_amount(Decimal(minor).scaleb(-currency_precision(currency)), currency)


def _ordered(currencies: _Totals) -> list[str]:
    return sorted(currencies, key=lambda c: (c != MAIN_CURRENCY, c))


class StageColumn(QFrame):
    """One stage: its header (name and count, sums) and its cards."""

    def __init__(self, stage: str, delegate: CardDelegate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setObjectName(f"boardColumn_{stage}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.totals: _Totals = {}
        self.title = QLabel(self)
        self.title.setObjectName("boardColumnTitle")
        font: QFont = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.sums = QLabel(self)
        self.sums.setObjectName("boardColumnSums")
        self.sums.setTextFormat(Qt.TextFormat.PlainText)
        self.model = StageCardsModel(stage, self)
        self.view = QListView(self)
        self.view.setObjectName(f"boardCards_{stage}")
        self.view.setModel(self.model)
        self.view.setItemDelegate(delegate)
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(False)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 4, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.sums)
        layout.addWidget(self.view, 1)

    @property
    def count(self) -> int:
        return sum(count for count, _amount, _weighted in self.totals.values())

    def set_totals(self, totals: tuple[StageTotal, ...]) -> None:
        self.totals = {t.currency: (t.count, t.amount, t.weighted * 100) for t in totals}
        self.retranslate()

    def add(self, deal: DealRow, sign: int) -> None:
        """Count ``deal`` in (``sign`` 1) or out (-1) of the header's totals."""
        count, amount, weighted = self.totals.get(deal.currency, (0, 0, Decimal(0)))
        self.totals[deal.currency] = (
            count + sign,
            amount + sign * deal.amount,
            weighted + sign * deal.amount * deal.probability,
        )
        if self.totals[deal.currency][0] <= 0:
            del self.totals[deal.currency]
        self.retranslate()

    def sums_text(self) -> str:
        lines = []
        for currency in _ordered(self.totals):
            _count, amount, weighted_percent = self.totals[currency]
            lines.append(_money(amount, currency))
            lines.append(
                _("weighted {amount}").format(amount=_money(weighted_percent / 100, currency))
            )
        return "\n".join(lines) if lines else "—"

    def retranslate(self) -> None:
        name = enum_label("opportunity_stage", self.stage)
        self.title.setText(f"{name} · {format_count(self.count)}")
        self.sums.setText(self.sums_text())
        if self.stage in CLOSED_STAGES:
            self.title.setToolTip(
                _(
                    "Deals closed in the last {days} days (or in the chosen close period); "
                    "drop a deal here to close it"
                ).format(days=RECENTLY_CLOSED_DAYS)
            )
        else:
            self.title.setToolTip(_("Open deals in this stage"))
        self.sums.setToolTip(
            _(
                "Sum of the amounts and weighted sum (amount × probability), per currency: "
                "amounts in different currencies are not converted"
            )
        )


class PipelineBoardView(QWidget):
    """The columns side by side (scrolling sideways when the window is narrow)."""

    #: The user moved a card: (deal id, the stage it is dropped on).
    move_requested = Signal(str, str)
    #: Enter or a double-click on a card (argument: deal id).
    open_requested = Signal(str)

    def __init__(self, today: Callable[[], dt.date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pipelineBoard")
        self._delegate = CardDelegate(today, self)
        self._columns: list[StageColumn] = []
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(8)
        inner = QWidget(self)
        inner.setLayout(self._row)
        scroll = QScrollArea(self)
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        # the columns exist before the first data: its arrival only fills them
        self._ensure_columns((*OPEN_STAGES, *BOARD_CLOSED_STAGES))

    # --- content ---------------------------------------------------------------------------

    def _ensure_columns(self, stages: tuple[str, ...]) -> None:
        if tuple(c.stage for c in self._columns) == stages:
            return
        for column in self._columns:
            column.deleteLater()
        self._columns = []
        for stage in stages:
            column = StageColumn(stage, self._delegate, self)
            column.setMinimumWidth(150)
            column.model.drop_requested.connect(
                self.move_requested, Qt.ConnectionType.QueuedConnection
            )
            column.view.installEventFilter(self)
            column.view.doubleClicked.connect(
                lambda index, c=column: self.open_requested.emit(c.model.deal_at(index.row()).id)
            )
            self._row.addWidget(column, 1)
            self._columns.append(column)

    def set_board(self, board: PipelineBoard) -> None:
        """Show ``board`` (the focused card stays focused when it is still there)."""
        current = self.current_deal()
        had_focus = any(c.view.hasFocus() for c in self._columns)
        self._ensure_columns(tuple(c.stage for c in board.columns))
        for column, data in zip(self._columns, board.columns, strict=True):
            column.model.set_deals(data.deals)
            column.set_totals(data.totals)
        if current is not None:
            self.select_deal(current.id, focus=had_focus)

    @property
    def columns(self) -> list[StageColumn]:
        return list(self._columns)

    def column(self, stage: str) -> StageColumn:
        return next(c for c in self._columns if c.stage == stage)

    def open_count(self) -> int:
        """How many open deals the board counts (shown or not)."""
        return sum(c.count for c in self._columns if c.stage not in CLOSED_STAGES)

    def find_deal(self, deal_id: str) -> tuple[StageColumn, int] | None:
        for column in self._columns:
            row = column.model.row_of(deal_id)
            if row >= 0:
                return column, row
        return None

    def current_deal(self) -> DealRow | None:
        """The focused column's current card (else the last one selected)."""
        for column in sorted(self._columns, key=lambda c: not c.view.hasFocus()):
            index = column.view.currentIndex()
            if index.isValid() and column.view.selectionModel().isSelected(index):
                return column.model.deal_at(index.row())
        return None

    def select_deal(self, deal_id: str, *, focus: bool = True) -> bool:
        found = self.find_deal(deal_id)
        if found is None:
            return False
        column, row = found
        self._select(column, row, focus=focus)
        return True

    def _select(self, column: StageColumn, row: int, *, focus: bool = True) -> None:
        for other in self._columns:
            if other is not column:
                other.view.clearSelection()
        index = column.model.index(row, 0)
        column.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        column.view.scrollTo(index)
        if focus:
            column.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def select_current(self) -> bool:
        """Focus the selected card, if there is one."""
        current = self.current_deal()
        return current is not None and self.select_deal(current.id)

    def focus_first_card(self) -> None:
        for column in self._columns:
            if column.model.rowCount() > 0:
                self._select(column, 0)
                return

    # --- moving ----------------------------------------------------------------------------

    def move_card(self, deal_id: str, to_stage: str) -> str | None:
        """Move the card to ``to_stage`` now (the write is the caller's); returns the stage it
        left (None if the board does not show it there, or it is there already)."""
        found = self.find_deal(deal_id)
        if found is None or found[0].stage == to_stage:
            return None
        source, row = found
        target = self.column(to_stage)
        deal = source.model.take(row)
        source.add(deal, -1)
        current = {
            "stage": deal.stage,
            "probability": deal.probability,
            "forecast_category": deal.forecast_category,
        }
        defaults = stage_defaults(current, to_stage, {})
        moved = dataclasses.replace(
            deal,
            stage=to_stage,
            probability=int(defaults.get("probability", deal.probability)),
            forecast_category=str(defaults.get("forecast_category", deal.forecast_category)),
            age_in_stage_days=0,
        )
        new_row = target.model.put(moved)
        target.add(moved, 1)
        self._select(target, new_row, focus=source.view.hasFocus() or target.view.hasFocus())
        return source.stage

    def put_back(self, deal_id: str, stage: str, original: DealRow) -> None:
        """Undo :meth:`move_card`: ``original`` back in ``stage`` (a refused change)."""
        found = self.find_deal(deal_id)
        if found is not None:
            column, row = found
            column.add(column.model.take(row), -1)
        column = self.column(stage)
        new_row = column.model.put(original)
        column.add(original, 1)
        self._select(column, new_row)

    # --- keys ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            column = next((c for c in self._columns if c.view is watched), None)
            if column is not None and self._key(column, event):
                return True
        return super().eventFilter(watched, event)

    def _key(self, column: StageColumn, event: QKeyEvent) -> bool:
        key, modifiers = event.key(), event.modifiers()
        index = column.view.currentIndex()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid():
            self.open_requested.emit(column.model.deal_at(index.row()).id)
            return True
        if key not in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            return False
        step = -1 if key == Qt.Key.Key_Left else 1
        position = self._columns.index(column)
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            target = position + step
            if index.isValid() and 0 <= target < len(self._columns):
                deal = column.model.deal_at(index.row())
                self.move_requested.emit(deal.id, self._columns[target].stage)
            return True
        row = max(index.row(), 0)
        target = position + step
        while 0 <= target < len(self._columns):
            neighbour = self._columns[target]
            if neighbour.model.rowCount() > 0:
                self._select(neighbour, min(row, neighbour.model.rowCount() - 1))
                break
            target += step
        return True

    def retranslate(self) -> None:
        for column in self._columns:
            column.retranslate()
