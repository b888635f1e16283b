"""A manager's adjustment of a rep's call, or of a whole team's, with a note.

Shows whose call it is, whether the adjustment is *direct* (the manager is the rep's own) or
*indirect* (someone higher up), the call it changes, and asks for the amount (added to the
call; negative lowers it) and a note. :attr:`AdjustDialog.chosen` carries what to store.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.money import Money
from sfa_desktop.i18n import _, locale_for_formatting
from sfa_desktop.services.forecasts import AdjustmentRow, PersonForecast
from sfa_desktop.ui.account_page.display import show_datetime
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.forecast.display import (
    per_currency,
    show_money,
    show_period,
    show_signed_money,
)
from sync_server.protocol.forecast_rules import Period

Target = Literal["rep", "team"]


@dataclass(frozen=True)
class AdjustRequest:
    """What the manager asked to store."""

    target: Target
    user_id: str
    currency: str
    #: major units (added to the call; negative lowers it)
    amount: Decimal
    note: str


def relation_text(person: PersonForecast, me: str, manager_name: str | None) -> str:
    """Direct or indirect, said in words."""
    if person.manager_id == me:
        return _("Direct adjustment: you are {name}'s manager.").format(name=person.name)
    return _("Indirect adjustment: you are above {name}'s manager ({manager}).").format(
        name=person.name, manager=manager_name or "\u2014"
    )


def _kind_text(kind: str | None) -> str:
    return {"direct": _("direct"), "indirect": _("indirect")}.get(kind or "", "")


def history_text(history: Sequence[AdjustmentRow]) -> str:
    """The adjustments made so far, newest first (nothing is ever overwritten)."""
    lines = [_("Adjustments so far:")]
    for row in sorted(history, key=lambda r: r.adjusted_at, reverse=True):
        lines.append(
            _("{when} · {manager} ({kind}): {amount} — {note}").format(
                when=show_datetime(row.adjusted_at),
                manager=row.adjusted_by_name or "\u2014",
                kind=_kind_text(row.kind),
                amount=show_signed_money(row.amount, row.currency),
                note=row.note or "",
            )
        )
    return "\n".join(lines)


class AdjustDialog(QDialog):
    """Adjust ``person``'s call (or their team's when they manage one) for ``period``."""

    chosen = Signal(object)

    def __init__(
        self,
        person: PersonForecast,
        period: Period,
        *,
        me: str,
        manager_name: str | None,
        team: bool,
        history: Sequence[AdjustmentRow] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("forecastAdjustDialog")
        self._person = person
        self.setWindowTitle(_("Adjust the forecast"))
        title = QLabel(
            _("Adjust {name}'s call for {period}").format(
                name=person.name, period=show_period(period, capital=False)
            ),
            self,
        )
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.relation = QLabel(relation_text(person, me, manager_name), self)
        self.relation.setObjectName("forecastAdjustRelation")
        self.rep_choice = QRadioButton(_("This person's call"), self)
        self.team_choice = QRadioButton(_("The whole team's call"), self)
        group = QButtonGroup(self)
        group.addButton(self.rep_choice)
        group.addButton(self.team_choice)
        self.team_choice.setChecked(team)
        self.rep_choice.setChecked(not team)
        self.team_choice.setEnabled(person.is_manager)
        self.team_choice.setVisible(person.is_manager)
        self.rep_choice.setVisible(person.is_manager)
        calls = QLabel(self._calls_text(), self)
        self.currency = QComboBox(self)
        currencies = sorted({line.currency for line in (*person.own, *person.team)}) or ["EUR"]
        self.currency.addItems(currencies)
        self.amount = QLineEdit(self)
        self.amount.setObjectName("forecastAdjustAmount")
        self.amount.setPlaceholderText(_("e.g. −5.000"))
        self.note = QPlainTextEdit(self)
        self.note.setObjectName("forecastAdjustNote")
        self.note.setPlaceholderText(_("Why: required, the rep sees it"))
        self.note.setMaximumHeight(90)
        self.history = QLabel(history_text(history), self)
        self.history.setObjectName("forecastAdjustHistory")
        self.history.setWordWrap(True)
        self.history.setVisible(bool(history))
        self.error = QLabel(self)
        self.error.setObjectName("forecastAdjustError")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("Currency:"), self.currency)
        form.setRowVisible(self.currency, len(currencies) > 1)
        form.addRow(_("Adjustment:"), self.amount)
        form.addRow(_("Note:"), self.note)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Adjust"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.relation)
        layout.addWidget(self.rep_choice)
        layout.addWidget(self.team_choice)
        layout.addWidget(calls)
        layout.addWidget(self.history)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _calls_text(self) -> str:
        own = per_currency(
            self._person.own, lambda line: show_money(line.call, line.currency), " · "
        )
        if not self._person.is_manager:
            return _("Current call: {call}").format(call=own or _("not submitted"))
        team = per_currency(
            self._person.team, lambda line: show_money(line.call, line.currency), " · "
        )
        return _("Current call: {call}; the team's: {team}").format(
            call=own or _("not submitted"), team=team or "\u2014"
        )

    def request(self) -> AdjustRequest:
        """What was typed; :class:`ValidationError` when the amount or the note is missing."""
        currency = self.currency.currentText()
        amount = Money.parse(
            self.amount.text(), currency, locale_for_formatting(), field="adjustment"
        ).amount
        note = self.note.toPlainText().strip()
        if not note:
            raise ValidationError("required", field="note")
        target: Target = "team" if self.team_choice.isChecked() else "rep"
        return AdjustRequest(target, self._person.user_id, currency, amount, note)

    def try_accept(self) -> None:
        try:
            request = self.request()
        except ValidationError as error:
            self.show_error(error)
            return
        self.chosen.emit(request)

    def show_error(self, error: BaseException) -> None:
        self.error.setText(describe_error(error))

    def done_ok(self) -> None:
        self.accept()


def manager_name(rows: Sequence[PersonForecast], person: PersonForecast) -> str | None:
    for row in rows:
        if row.user_id == person.manager_id:
            return row.name
    return None
