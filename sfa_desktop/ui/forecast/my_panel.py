"""The rep's own forecast: the figure cards, the adjustment with a note and **Submit**, the
"Submitted on …" line and this period's submissions as a chart.

Widgets only: the workspace loads the data and stores the submission (through the task
runner); this panel reads what was typed (:meth:`MyForecastPanel.adjustment`) and says what
would be stored (:func:`confirmation_text`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.money import Money
from sfa_desktop.i18n import _, locale_for_formatting
from sfa_desktop.services.forecasts import ForecastLine, PersonForecast, SubmissionRow
from sfa_desktop.ui.account_page.display import show_datetime
from sfa_desktop.ui.forecast.cards import FigureCards
from sfa_desktop.ui.forecast.chart import ChartCanvas
from sfa_desktop.ui.forecast.display import show_money, show_period, show_signed_money
from sfa_desktop.ui.widgets.paged_table_view import muted_label
from sync_server.protocol.forecast_rules import Period


@dataclass(frozen=True)
class Adjustment:
    """What the rep typed: an adjustment of their commit in the forecast currency (None: none)
    and a note."""

    currency: str
    money: Money | None
    note: str | None

    @property
    def amount(self) -> int | None:
        """The adjustment in minor units (None: none)."""
        return self.money.to_minor() if self.money is not None else None


def confirmation_text(period: Period, lines: Sequence[ForecastLine], typed: Adjustment) -> str:
    """What Submit will store, for the confirmation."""
    parts = [
        _("Your forecast for {period} will be stored as it is now:").format(
            period=show_period(period, capital=False)
        )
    ]
    for line in lines:
        figures = line.figures
        prefix = f"{line.currency} · " if len(lines) > 1 else ""
        for label, value in (
            (_("Closed won"), figures.closed),
            (_("Commit"), figures.commit),
            (_("Best case"), figures.best_case),
            (_("Pipeline"), figures.pipeline),
        ):
            parts.append(
                _("{label}: {value}").format(
                    label=prefix + label, value=show_money(value, line.currency)
                )
            )
    if typed.amount is not None:
        parts.append(
            _("Your adjustment: {amount}").format(
                amount=show_signed_money(typed.amount, typed.currency)
            )
        )
    if typed.note:
        parts.append(_("Note: {note}").format(note=typed.note))
    parts.append(_("A submitted forecast cannot be changed afterwards."))
    return "\n".join(parts)


def same_as_latest(
    lines: Sequence[ForecastLine], latest: Sequence[SubmissionRow], typed: Adjustment
) -> bool:
    """Whether submitting now would store what the latest submission already holds."""
    by_currency = {row.currency: row for row in latest}
    if not lines or {line.currency for line in lines} != set(by_currency):
        return False
    for line in lines:
        row = by_currency[line.currency]
        adjustment = typed.amount if line.currency == typed.currency else None
        note = typed.note if line.currency == typed.currency else None
        if (row.commit, row.best_case, row.pipeline, row.closed) != (
            line.figures.commit,
            line.figures.best_case,
            line.figures.pipeline,
            line.figures.closed,
        ) or (row.rep_adjustment, row.rep_note or None) != (adjustment, note):
            return False
    return True


class MyForecastPanel(QWidget):
    """The rep's view of one period."""

    #: Submit was clicked (the workspace confirms and stores).
    submit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._forecast: PersonForecast | None = None
        self.cards = FigureCards(self)
        self._call = muted_label(self, "forecastCall")
        self._adjust_label = QLabel(self)
        self._currency = "EUR"
        self._currency_label = QLabel(self)
        self._currency_label.setObjectName("forecastCurrency")
        self.amount = QLineEdit(self)
        self.amount.setObjectName("forecastAdjustment")
        self.amount.setMaximumWidth(160)
        self._note_label = QLabel(self)
        self.note = QLineEdit(self)
        self.note.setObjectName("forecastNote")
        self.submit_button = QPushButton(self)
        self.submit_button.setObjectName("forecastSubmit")
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(lambda _checked=False: self.submit_requested.emit())
        self.amount.returnPressed.connect(self.submit_requested.emit)
        self.note.returnPressed.connect(self.submit_requested.emit)
        self._submitted = QLabel(self)
        self._submitted.setObjectName("forecastSubmitted")
        self._submitted.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("forecastMessage")
        self.message.setWordWrap(True)
        self.chart = ChartCanvas("forecastHistoryChart", self)

        row = QHBoxLayout()
        row.addWidget(self._adjust_label)
        row.addWidget(self._currency_label)
        row.addWidget(self.amount)
        row.addSpacing(8)
        row.addWidget(self._note_label)
        row.addWidget(self.note, 1)
        row.addWidget(self.submit_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(10)
        layout.addWidget(self.cards)
        layout.addWidget(self._call)
        layout.addLayout(row)
        layout.addWidget(self._submitted)
        layout.addWidget(self.message)
        layout.addWidget(self.chart, 1)
        self.retranslate()

    # --- data -----------------------------------------------------------------------------------

    def show_forecast(self, forecast: PersonForecast, currency: str, figure: Figure) -> None:
        """Show ``forecast``; the rep's adjustment is in ``currency`` (the forecast currency)."""
        self._forecast = forecast
        self.cards.show_lines(forecast.own)
        self._currency = currency
        self._currency_label.setText(_("in {currency}").format(currency=currency))
        self.submit_button.setEnabled(bool(forecast.own))
        self._show_latest()
        self.chart.show_figure(figure)

    def _show_latest(self) -> None:
        forecast = self._forecast
        if forecast is None:
            return
        latest = max(forecast.latest, key=lambda row: row.submitted_at, default=None)
        if latest is None:
            self._submitted.setText(_("Not submitted for this period yet."))
            self._call.setText("")
            return
        self._submitted.setText(
            _("Submitted on {when}.").format(when=show_datetime(latest.submitted_at))
        )
        calls = [
            show_money(line.call, line.currency) for line in forecast.own if line.call is not None
        ]
        self._call.setText(_("Your current call: {call}").format(call=" · ".join(calls)))

    @property
    def forecast(self) -> PersonForecast | None:
        return self._forecast

    def submitted_text(self) -> str:
        return self._submitted.text()

    def adjustment(self) -> Adjustment:
        """What was typed; :class:`ValidationError` for an amount that is not money, or an
        adjustment without a note."""
        currency = self._currency
        text = self.amount.text().strip()
        money = (
            Money.parse(text, currency, locale_for_formatting(), field="adjustment")
            if text
            else None
        )
        if money is not None and money.is_zero():
            money = None
        note = self.note.text().strip() or None
        if money is not None and note is None:
            raise ValidationError("required", field="note")
        return Adjustment(currency, money, note)

    def clear_input(self) -> None:
        self.amount.clear()
        self.note.clear()

    def retranslate(self) -> None:
        self._adjust_label.setText(_("Adjustment:"))
        self.amount.setPlaceholderText(_("e.g. −5.000"))
        self.amount.setToolTip(
            _("Added to your commit in your call (negative to lower it); needs a note")
        )
        self._note_label.setText(_("Note:"))
        self.note.setPlaceholderText(_("Why you adjust, what to watch"))
        self.submit_button.setText(_("Submit…"))
        self.submit_button.setToolTip(_("Store your forecast for this period as a dated snapshot"))
        self._currency_label.setText(_("in {currency}").format(currency=self._currency))
        self.cards.retranslate()
        self._show_latest()
