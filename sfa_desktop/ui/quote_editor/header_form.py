"""The quote header: account, contact and opportunity (of that account), price list and its
currency, issue and valid-until dates, the note to the customer and the terms.

The account is picked by typing (:class:`~sfa_desktop.ui.forms.ReferencePicker`); choosing one
loads its contacts and opportunities (database thread) into the two lists below it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.i18n import _
from sfa_desktop.services.quote_drafts import (
    AccountChoices,
    Choice,
    DraftHeader,
    PriceListChoice,
    account_choices,
)
from sfa_desktop.ui.forms import AccountSource, ReferenceChoice, ReferencePicker
from sfa_desktop.ui.forms.date_editors import DateTimeEditor
from sfa_desktop.ui.forms.field_editors import NO_VALUE
from sfa_desktop.ui.tasks import TaskRunner
from sync_server.protocol.catalog import CATALOG

_TEXT_HEIGHT = 64


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class HeaderForm(QWidget):
    """Edits a :class:`DraftHeader`."""

    #: The user changed something in the header.
    edited = Signal()
    #: The user chose another price list (argument: its id).
    price_list_chosen = Signal(str)
    #: The account's contacts and opportunities are listed.
    account_loaded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._account_id: str | None = None
        self._price_lists: tuple[PriceListChoice, ...] = ()
        self._price_list_id: str | None = None
        self._task_key = ("quote-header", id(self))
        spec = CATALOG["quote"]
        self.account = ReferencePicker(
            "quote", spec.field("account_id"), self, runner=runner, source=AccountSource()
        )
        self.account.changed.connect(self._account_edited)
        self.contact = QComboBox(self)
        self.contact.setObjectName("quoteContact")
        self.opportunity = QComboBox(self)
        self.opportunity.setObjectName("quoteOpportunity")
        self.price_list = QComboBox(self)
        self.price_list.setObjectName("quotePriceList")
        self.price_list.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.currency = QLabel(self)
        self.currency.setObjectName("quoteCurrency")
        self.issue_date = DateTimeEditor("quote", spec.field("issue_date"), self, now=now)
        self.valid_until = DateTimeEditor("quote", spec.field("valid_until"), self, now=now)
        self.customer_note = QPlainTextEdit(self)
        self.customer_note.setObjectName("quoteCustomerNote")
        self.terms = QPlainTextEdit(self)
        self.terms.setObjectName("quoteTerms")
        for text in (self.customer_note, self.terms):
            text.setFixedHeight(_TEXT_HEIGHT)
            text.setTabChangesFocus(True)
            text.textChanged.connect(self.edited)
        for combo in (self.contact, self.opportunity):
            combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.price_list.activated.connect(self._price_list_activated)
        for editor in (self.issue_date, self.valid_until):
            editor.changed.connect(self.edited)
        self._labels: dict[str, QLabel] = {}
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        left, middle, right = QFormLayout(), QFormLayout(), QFormLayout()
        for form in (left, middle, right):
            form.setVerticalSpacing(6)
        price_row = QHBoxLayout()
        price_row.addWidget(self.price_list, 1)
        price_row.addSpacing(6)
        price_row.addWidget(self.currency)
        rows: Sequence[tuple[QFormLayout, str, QWidget | QHBoxLayout]] = (
            (left, "account", self.account.widget),
            (left, "contact", self.contact),
            (left, "opportunity", self.opportunity),
            (middle, "price_list", price_row),
            (middle, "issue_date", self.issue_date.widget),
            (middle, "valid_until", self.valid_until.widget),
            (right, "customer_note", self.customer_note),
            (right, "terms", self.terms),
        )
        for form, name, field in rows:
            label = QLabel(self)
            self._labels[name] = label
            form.addRow(label, field)
            if isinstance(field, QWidget):
                label.setBuddy(field)
        self._labels["price_list"].setBuddy(self.price_list)
        self._labels["issue_date"].setBuddy(self.issue_date.focus_widget())
        self._labels["valid_until"].setBuddy(self.valid_until.focus_widget())
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(24)
        for form, stretch in ((left, 5), (middle, 5), (right, 6)):
            column = QVBoxLayout()
            column.addLayout(form)
            column.addStretch(1)  # rows at the top, however tall the notes are
            row.addLayout(column, stretch)

    # --- showing and reading ------------------------------------------------------------------

    def show_header(
        self,
        header: DraftHeader,
        price_lists: Sequence[PriceListChoice],
        account: AccountChoices | None,
    ) -> None:
        """Show ``header`` (the account's lists from ``account``), without emitting ``edited``."""
        blocked = self.blockSignals(True)
        try:
            self._price_lists = tuple(price_lists)
            self._price_list_id = header.price_list_id
            self.price_list.clear()
            for choice in self._price_lists:
                self.price_list.addItem(choice.name, choice.id)
            self._select(self.price_list, header.price_list_id, add_blank=False)
            self.currency.setText(header.currency)
            self._account_id = header.account_id
            if header.account_id is None:
                self.account.set_value(None)
            self._show_account(account, header.contact_id, header.opportunity_id)
            self.issue_date.set_value(header.issue_date)
            self.valid_until.set_value(header.valid_until)
            self.customer_note.setPlainText(header.customer_note or "")
            self.terms.setPlainText(header.terms or "")
        finally:
            self.blockSignals(blocked)

    def _show_account(
        self, account: AccountChoices | None, contact_id: str | None, opportunity_id: str | None
    ) -> None:
        if account is not None and self._account_id is not None:
            self.account.choose(ReferenceChoice(self._account_id, account.account_label))
        self._fill(self.contact, account.contacts if account else (), contact_id)
        self._fill(self.opportunity, account.opportunities if account else (), opportunity_id)

    def _fill(self, combo: QComboBox, choices: Sequence[Choice], selected: str | None) -> None:
        blocked = combo.blockSignals(True)
        combo.clear()
        combo.addItem(NO_VALUE, None)
        for choice in choices:
            combo.addItem(choice.label, choice.id)
        self._select(combo, selected, add_blank=True)
        combo.blockSignals(blocked)

    @staticmethod
    def _select(combo: QComboBox, value: str | None, *, add_blank: bool) -> None:
        index = combo.findData(value) if value is not None else (0 if add_blank else -1)
        combo.setCurrentIndex(max(index, 0) if combo.count() else -1)

    def header(self) -> DraftHeader:
        """The header as typed; :class:`ValidationError` for an account typed but not chosen."""
        account_id = self._current_account()
        price = next((p for p in self._price_lists if p.id == self._price_list_id), None)
        issue_date = self.issue_date.value()
        valid_until = self.valid_until.value()
        assert not isinstance(issue_date, dt.datetime) and not isinstance(valid_until, dt.datetime)
        return DraftHeader(
            account_id=account_id,
            price_list_id=self._price_list_id,
            currency=price.currency if price else self.currency.text() or "EUR",
            contact_id=self.contact.currentData(),
            opportunity_id=self.opportunity.currentData(),
            issue_date=issue_date,
            valid_until=valid_until,
            terms=self.terms.toPlainText().strip() or None,
            customer_note=self.customer_note.toPlainText().strip() or None,
        )

    def _current_account(self) -> str | None:
        value = self.account.value()
        return str(value) if value is not None else None

    def set_price_list(self, price_list_id: str | None) -> None:
        """Keep ``price_list_id`` (after the lines were repriced, or back after a refusal)."""
        self._price_list_id = price_list_id
        self._select(self.price_list, price_list_id, add_blank=False)
        price = next((p for p in self._price_lists if p.id == price_list_id), None)
        if price is not None:
            self.currency.setText(price.currency)

    @property
    def price_list_id(self) -> str | None:
        return self._price_list_id

    def set_read_only(self, read_only: bool) -> None:
        for widget in (
            self.account.widget,
            self.contact,
            self.opportunity,
            self.price_list,
            self.issue_date.widget,
            self.valid_until.widget,
        ):
            widget.setEnabled(not read_only)
        for text in (self.customer_note, self.terms):
            text.setReadOnly(read_only)

    # --- reacting -----------------------------------------------------------------------------

    def _account_edited(self) -> None:
        self.edited.emit()
        try:
            account_id = self._current_account()
        except ValidationError:
            return  # still typing
        if account_id == self._account_id:
            return
        self._account_id = account_id
        if account_id is None:
            self._show_account(None, None, None)
            return
        self._runner.run_db(
            lambda session: account_choices(session, account_id),
            on_done=self._account_choices_loaded,
            key=self._task_key,
            owner=self,
        )

    def _account_choices_loaded(self, choices: AccountChoices | None) -> None:
        self._fill(self.contact, choices.contacts if choices else (), None)
        self._fill(self.opportunity, choices.opportunities if choices else (), None)
        self.account_loaded.emit()

    def _price_list_activated(self, index: int) -> None:
        chosen = self.price_list.itemData(index)
        if isinstance(chosen, str) and chosen != self._price_list_id:
            self.price_list_chosen.emit(chosen)

    def retranslate(self) -> None:
        texts = {
            "account": _("&Account"),
            "contact": _("C&ontact"),
            "opportunity": _("O&pportunity"),
            "price_list": _("Price &list"),
            "issue_date": _("&Issue date"),
            "valid_until": _("&Valid until"),
            "customer_note": _("Note to the c&ustomer"),
            "terms": _("&Terms"),
        }
        for name, text in texts.items():
            self._labels[name].setText(text)
        self.customer_note.setPlaceholderText(_("Shown to the customer above the lines"))
        self.currency.setToolTip(_("The currency of the price list"))
        for editor in (self.account, self.issue_date, self.valid_until):
            editor.retranslate()
