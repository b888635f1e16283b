"""The totals under the quote lines: subtotal, the base and VAT of each rate, the total, and the
optional lines apart. It only shows a :class:`QuoteTotals` (the lines model computes them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from sfa_desktop.domain.localized_numbers import format_percent
from sfa_desktop.domain.money import Money
from sfa_desktop.i18n import _, locale_for_formatting
from sync_server.protocol.quote_totals import QuoteTotals

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class TotalsPanel(QFrame):
    """Subtotal; "VAT 21 % on 1.000,00 €  210,00 €" per rate; Total; optional lines."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quoteTotals")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._grid = QGridLayout(self)
        self._grid.setHorizontalSpacing(18)
        self._grid.setVerticalSpacing(2)
        self._subtotal = self._row_labels("totalsSubtotal")
        self._total = self._row_labels("totalsTotal", bold=True)
        self._optional = self._row_labels("totalsOptional", muted=True)
        self._rates: list[tuple[QLabel, QLabel]] = []
        self._totals: QuoteTotals | None = None
        self._lay_out(0)

    def _row_labels(
        self, name: str, *, bold: bool = False, muted: bool = False
    ) -> tuple[QLabel, QLabel]:
        label, amount = QLabel(self), QLabel(self)
        amount.setObjectName(name)
        amount.setAlignment(_RIGHT)
        amount.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in (label, amount):
            if bold:
                font = widget.font()
                font.setBold(True)
                font.setPointSizeF(font.pointSizeF() * 1.15)
                widget.setFont(font)
            if muted:
                widget.setEnabled(False)
        return label, amount

    @property
    def total_text(self) -> str:
        return self._total[1].text()

    @property
    def subtotal_text(self) -> str:
        return self._subtotal[1].text()

    @property
    def optional_text(self) -> str:
        """The optional lines' sum ("" when hidden: there are none)."""
        return self._optional[1].text() if not self._optional[1].isHidden() else ""

    def rate_texts(self) -> list[tuple[str, str]]:
        return [(label.text(), amount.text()) for label, amount in self._rates]

    def show_totals(self, totals: QuoteTotals) -> None:
        """Show ``totals`` (called after every change of the lines)."""
        self._totals = totals
        if len(self._rates) != len(totals.rates):
            self._lay_out(len(totals.rates))
        locale = locale_for_formatting()
        currency = totals.currency

        def money(amount: object) -> str:
            return Money(amount, currency).format(locale)  # type: ignore[arg-type]

        self._subtotal[0].setText(_("Subtotal"))
        self._subtotal[1].setText(money(totals.subtotal))
        for (label, amount), rate in zip(self._rates, totals.rates, strict=True):
            label.setText(
                _("VAT {rate} on {base}").format(
                    rate=format_percent(rate.rate_pct, locale), base=money(rate.base)
                )
            )
            amount.setText(money(rate.tax))
        self._total[0].setText(_("Total"))
        self._total[1].setText(money(totals.total))
        has_optional = totals.optional_subtotal != 0
        self._optional[0].setText(_("Optional lines (not in the total)"))
        self._optional[1].setText(money(totals.optional_subtotal))
        for widget in self._optional:
            widget.setVisible(has_optional)

    def _lay_out(self, rate_count: int) -> None:
        while len(self._rates) < rate_count:
            self._rates.append(self._row_labels(f"totalsRate{len(self._rates)}"))
        while len(self._rates) > rate_count:
            for widget in self._rates.pop():
                widget.deleteLater()
        rows = [self._subtotal, *self._rates, self._total, self._optional]
        for row, (label, amount) in enumerate(rows):
            self._grid.addWidget(label, row, 0)
            self._grid.addWidget(amount, row, 1)

    def retranslate(self) -> None:
        if self._totals is not None:
            self.show_totals(self._totals)
