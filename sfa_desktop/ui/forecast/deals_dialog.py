"""The drill-down: a person's deals closing in the period (stage, forecast category, what it
adds to, amount, probability, weighted, close date, next step). Enter or a double click opens
the deal's account page."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.money import currency_precision
from sfa_desktop.i18n import _, enum_label, format_count, ngettext
from sfa_desktop.services.forecasts import DealRow
from sfa_desktop.ui.account_page.display import show_amount, show_date
from sfa_desktop.ui.forecast.display import show_money, show_pct, show_period
from sync_server.protocol.forecast_rules import Period

ACCOUNT_ROLE = Qt.ItemDataRole.UserRole + 1


def _bucket(bucket: str | None) -> str:
    return {
        "won": _("Closed won"),
        "commit": _("Commit"),
        "best_case": _("Best case"),
        "pipeline": _("Pipeline"),
    }.get(bucket or "", _("Not counted"))


class _DealTable(QTableView):
    activated_row = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


class DealsDialog(QDialog):
    """``name``'s deals of ``period``; :attr:`account_requested` asks for an account page."""

    account_requested = Signal(str)

    def __init__(
        self, name: str, period: Period, deals: Sequence[DealRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("forecastDealsDialog")
        self.setWindowTitle(
            _("{name}: deals closing in {period}").format(
                name=name, period=show_period(period, capital=False)
            )
        )
        self.resize(1100, 460)
        self.model = QStandardItemModel(self)
        headers = [
            _("Account"),
            _("Deal"),
            _("Stage"),
            _("Forecast category"),
            _("Counts as"),
            _("Amount"),
            _("Probability"),
            _("Weighted"),
            _("Expected close"),
            _("Next step"),
        ]
        self.model.setHorizontalHeaderLabels(headers)
        for deal in deals:
            cells = [
                deal.account_name,
                deal.name,
                enum_label("opportunity_stage", deal.stage),
                enum_label("forecast_category", deal.forecast_category),
                _bucket(deal.bucket),
                show_money(deal.amount, deal.currency),
                show_pct(Decimal(deal.probability)),
                show_amount(deal.weighted.scaleb(-currency_precision(deal.currency)), deal.currency)
                if deal.weighted
                else "",
                show_date(deal.expected_close_date),
                deal.next_step or "",
            ]
            items = [QStandardItem(text) for text in cells]
            for item in items:
                item.setEditable(False)
                item.setData(deal.account_id, ACCOUNT_ROLE)
            self.model.appendRow(items)
        self.table = _DealTable(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.resizeColumnsToContents()
        self.table.doubleClicked.connect(lambda index: self.open_account(index.row()))
        self.table.activated_row.connect(self.open_account)
        summary = QLabel(
            ngettext("{count} deal", "{count} deals", len(deals)).format(
                count=format_count(len(deals))
            )
            + " · "
            + _("Enter opens the account"),
            self,
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        if deals:
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.setFocus()

    def open_account(self, row: int) -> None:
        index: QModelIndex = self.model.index(row, 0)
        account_id = index.data(ACCOUNT_ROLE)
        if account_id:
            self.account_requested.emit(str(account_id))
            self.accept()
