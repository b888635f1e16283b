"""The account page's advice: the "Next:" line at the top and the "Suggested products" box.

Both come from :func:`sfa_desktop.services.account_advice.load_account_advice`, in a database
task of their own that runs after the page is shown (the co-purchase tables may need
computing once per data version: the page never waits for them). *Add to a new quote* on a
suggestion makes a draft quote for the account with that product
(:func:`~sfa_desktop.services.account_advice.quote_with_product`) and opens it in the editor.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from html import escape
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.i18n import _
from sfa_desktop.services.account_advice import (
    AccountAdvice,
    load_account_advice,
    quote_with_product,
)
from sfa_desktop.services.advice_text import next_action_text, suggestion_reason
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.icons import icon
from sfa_desktop.ui.tasks import TaskRunner

#: how many suggestions the page lists (the best ones; ``sfa suggest`` lists more)
PAGE_SUGGESTIONS = 3


class SuggestionsBox(QGroupBox):
    """The suggested products, each with why and an *Add to a new quote* button."""

    add_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountSuggestions")
        self._advice: AccountAdvice | None = None
        self._grid = QGridLayout()
        self._grid.setColumnStretch(0, 1)
        self._note = QLabel(self)
        self._note.setWordWrap(True)
        self._message = QLabel(self)
        self._message.setObjectName("suggestionsMessage")
        self._message.setWordWrap(True)
        self._message.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(self._grid)
        layout.addWidget(self._note)
        layout.addWidget(self._message)
        self.buttons: list[QPushButton] = []
        self.retranslate()

    @property
    def advice(self) -> AccountAdvice | None:
        return self._advice

    def show_advice(self, advice: AccountAdvice | None) -> None:
        self._advice = advice
        self._message.hide()
        self._fill()

    def show_message(self, text: str) -> None:
        self._message.setText(text)
        self._message.setVisible(bool(text))

    def reasons(self) -> list[str]:
        """The reasons shown, in order (for tests and the screen reader)."""
        advice = self._advice
        return [] if advice is None else [suggestion_reason(advice, s) for s in advice.suggestions]

    def set_busy(self, busy: bool) -> None:
        for button in self.buttons:
            button.setEnabled(not busy)

    def _fill(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = []
        advice = self._advice
        suggestions = advice.suggestions if advice is not None else []
        for row, suggestion in enumerate(suggestions):
            assert advice is not None
            text = QLabel(self)
            text.setWordWrap(True)
            text.setTextFormat(Qt.TextFormat.RichText)
            name, reason = suggestion.product.name, suggestion_reason(advice, suggestion)
            text.setText(f"<b>{escape(name)}</b><br>{escape(reason)}")
            text.setToolTip(suggestion.product.sku)
            button = QPushButton(icon("quotes"), _("Add to a new quote"), self)
            button.setObjectName("addSuggestionToQuote")
            button.setToolTip(
                _("Make a draft quote for this account with {product} and open it").format(
                    product=suggestion.product.name
                )
            )
            product_id = suggestion.product.id
            button.clicked.connect(lambda _checked=False, p=product_id: self.add_requested.emit(p))
            self._grid.addWidget(text, row, 0)
            self._grid.addWidget(button, row, 1, Qt.AlignmentFlag.AlignTop)
            self.buttons.append(button)
        self._note.setVisible(not suggestions)

    def retranslate(self) -> None:
        self.setTitle(_("Suggested products"))
        self._note.setText(_("No suggestions yet: too few purchases to learn from."))
        self._fill()


class AccountAdvicePanel(QObject):
    """Loads the advice of the page's account and handles *Add to a new quote*."""

    #: the advice of the account is shown (or its loading failed)
    loaded = Signal()
    #: a quote was made from a suggestion (argument: its id); the page opens it
    quote_made = Signal(str)

    def __init__(
        self, runner: TaskRunner, parent: QWidget, *, now: Callable[[], dt.datetime]
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._now = now
        self._account_id: str | None = None
        self._task_key = ("account-advice", id(self))
        self.next_label = QLabel(parent)
        self.next_label.setObjectName("accountNextAction")
        self.next_label.setWordWrap(True)
        self.next_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.next_label.font()
        font.setBold(True)
        self.next_label.setFont(font)
        self.next_label.hide()
        self.box = SuggestionsBox(parent)
        self.box.add_requested.connect(self.add_to_new_quote)

    @property
    def advice(self) -> AccountAdvice | None:
        return self.box.advice

    def load(self, account_id: str) -> None:
        if account_id != self._account_id:
            self.box.show_advice(None)
            self.next_label.hide()
        self._account_id = account_id
        now = self._now()
        self._runner.run_db(
            lambda session: load_account_advice(
                session, account_id, now=now, limit=PAGE_SUGGESTIONS
            ),
            on_done=self._show,
            on_error=self._failed,
            key=self._task_key,
            owner=self,
        )

    def add_to_new_quote(self, product_id: str) -> None:
        """A new draft quote for the account with ``product_id``; :attr:`quote_made` once
        saved."""
        account_id, now = self._account_id, self._now
        if account_id is None:
            return
        today = now().astimezone().date()

        def write(session: Any) -> str:
            context = load_edit_context(session, now=now)
            return quote_with_product(session, context, account_id, product_id, today)

        self.box.set_busy(True)
        self.box.show_message("")
        self._runner.run_db(write, on_done=self._made, on_error=self._not_made, owner=self)

    def _made(self, quote_id: str) -> None:
        self.box.set_busy(False)
        self.quote_made.emit(quote_id)

    def _not_made(self, error: BaseException) -> None:
        self.box.set_busy(False)
        self.box.show_message(describe_error(error))

    def _show(self, advice: AccountAdvice | None) -> None:
        self.box.show_advice(advice)
        self._show_next()
        self.loaded.emit()

    def _show_next(self) -> None:
        advice = self.box.advice
        action = advice.next_action if advice is not None else None
        self.next_label.setVisible(action is not None)
        self.next_label.setText(next_action_text(action) if action is not None else "")

    def _failed(self, error: BaseException) -> None:
        self.box.show_advice(None)
        self.box.show_message(describe_error(error))
        self.next_label.hide()
        self.loaded.emit()

    def retranslate(self) -> None:
        self.box.retranslate()
        self._show_next()
