"""The actions on one quote, as ``QAction``s any view can show (the Quotes list's tool row and
context menu, the quote editor): Approve, Return for changes, Withdraw request, Send, Mark
accepted, Mark rejected, Revise.

:class:`QuoteActions` is given a quote (:meth:`QuoteActions.show_quote` reads it on the database
thread as a :class:`~sfa_desktop.services.quote_review.QuoteSubject`: its shown status — an
expired quote is never sent, accepted or approved — its owner and whether the current user
decides on it) and enables the actions that apply (:func:`~sfa_desktop.services.quote_review.quote_actions`).
Each runs through the :class:`~sfa_desktop.ui.tasks.TaskRunner` (:mod:`sfa_desktop.services.quote_lifecycle`,
:mod:`sfa_desktop.services.quote_sending`); a refusal is shown in a message box in the user's
language, and nothing is written.

* **Approve** asks for an optional note; **Return for changes** and **Mark rejected** for a
  required one (the reason).
* **Mark accepted** closes the linked opportunity as won; when its amount differs from the
  quote's net total it first asks whether to set it to the quote's.
* **Send** writes the PDF and an ``.eml`` draft to the profile's ``sent-quotes`` folder and
  opens the draft with the system's mail program; if none opens it, offers to show the folder.
* **Revise** makes the next revision and reports it (:attr:`QuoteActions.revised`).

After any change :attr:`QuoteActions.quote_changed` is emitted, so lists and counts reload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox, QWidget

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.i18n import _
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.quote_lifecycle import (
    accept_quote,
    approve_quote,
    reject_quote,
    return_quote,
    revise_quote,
    withdraw_quote,
)
from sfa_desktop.services.quote_review import (
    QUOTE_ACTIONS,
    QuoteSubject,
    load_quote_subject,
    profile_sent_quotes_folder,
    quote_actions,
)
from sfa_desktop.services.quote_sending import SentQuote, send_quote
from sfa_desktop.ui.account_page.display import show_amount
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.quotes.note_dialog import NoteDialog
from sfa_desktop.ui.tasks import TaskRunner

#: The refusal that asks the user whether the opportunity takes the quote's amount.
AMOUNT_DIFFERS = "opportunity_amount_differs"


def _amount_question(error: DomainError) -> str:
    """ "The opportunity is worth 5.000,00 €; the quote's net total is 4.250,00 €. …"."""
    params = error.params
    try:
        quote = show_amount(Decimal(str(params["quote_amount"])), str(params["currency"]))
        opportunity = show_amount(
            Decimal(str(params["opportunity_amount"])), str(params["opportunity_currency"])
        )
    except (KeyError, ArithmeticError, ValueError, DomainError):
        return describe_error(error)
    return _(
        "The opportunity is worth {opportunity}; the quote's net total is {quote}. "
        "Set the opportunity's amount to {quote}?"
    ).format(opportunity=opportunity, quote=quote)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def open_with_system(url: QUrl) -> bool:
    return QDesktopServices.openUrl(url)


class QuoteActions(QObject):
    """The actions on the quote last given to :meth:`show_quote` (see the module docstring)."""

    #: A quote changed here (its id; after Revise, the new revision's id).
    quote_changed = Signal(str)
    #: Revise made a new revision: the revised quote's id, the new revision's id.
    revised = Signal(str, str)
    #: Send wrote the files (a :class:`~sfa_desktop.services.quote_sending.SentQuote`).
    sent = Signal(object)
    #: An action was refused or failed: the message shown.
    failed = Signal(str)
    #: A one-line message for the user (what was done).
    notice = Signal(str)
    #: The quote given to :meth:`show_quote` was read (its subject, or None).
    subject_loaded = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget,
        *,
        now: Callable[[], dt.datetime] = _utc_now,
        open_url: Callable[[QUrl], bool] = open_with_system,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._widget = parent
        self._now = now
        self._open_url = open_url
        self._subject: QuoteSubject | None = None
        self._busy = False
        self._dialog: QDialog | None = None
        self._actions: dict[str, QAction] = {}
        slots: dict[str, Callable[[], None]] = {
            "approve": self.approve,
            "return": self.return_for_changes,
            "withdraw": self.withdraw,
            "send": self.send,
            "accept": self.accept,
            "reject": self.reject,
            "revise": self.revise,
        }
        for name in QUOTE_ACTIONS:
            action = QAction(parent)
            action.setObjectName(f"quote_{name}")
            action.triggered.connect(lambda _checked=False, slot=slots[name]: slot())
            self._actions[name] = action
        self.retranslate()
        self._update()

    # --- what views read ---------------------------------------------------------------------

    @property
    def subject(self) -> QuoteSubject | None:
        return self._subject

    def action(self, name: str) -> QAction:
        """One of :data:`~sfa_desktop.services.quote_review.QUOTE_ACTIONS`."""
        return self._actions[name]

    def actions(self) -> list[QAction]:
        """Every action, in menu order (those that do not apply are hidden)."""
        return [self._actions[name] for name in QUOTE_ACTIONS]

    def available(self) -> list[QAction]:
        """The actions that apply to the quote shown now."""
        return [action for action in self.actions() if action.isVisible()]

    def fill_menu(self, menu: QMenu) -> None:
        """Add the actions that apply to ``menu`` (a context menu)."""
        for action in self.available():
            menu.addAction(action)

    @property
    def busy(self) -> bool:
        """Whether an action is running (they are all disabled meanwhile)."""
        return self._busy

    @property
    def open_dialog(self) -> QDialog | None:
        """The note dialog or message box open now, if any (tests answer it)."""
        return self._dialog

    # --- choosing the quote ------------------------------------------------------------------

    def show_quote(self, quote_id: str | None) -> None:
        """Act on ``quote_id`` (None: no quote); reads it on the database thread."""
        if quote_id is None:
            self._set_subject(None)
            return
        today = self._now().astimezone().date()
        self._runner.run_db(
            lambda session: load_quote_subject(session, quote_id, today),
            on_done=self._set_subject,
            on_error=lambda error: self._set_subject(None),
            key=(id(self), "subject"),
            owner=self,
        )

    def _set_subject(self, subject: QuoteSubject | None) -> None:
        self._subject = subject
        self._update()
        self.subject_loaded.emit(subject)

    def _update(self) -> None:
        """Only the actions that apply are visible; all are disabled while one runs."""
        applies = quote_actions(self._subject)
        for name, action in self._actions.items():
            action.setVisible(name in applies)
            action.setEnabled(name in applies and not self._busy)

    # --- the actions ---------------------------------------------------------------------------

    def approve(self) -> None:
        self._ask_note(
            "approve",
            title=_("Approve quote"),
            prompt=_("Approve quote {number}? Add a note for the rep if you wish."),
            ok_text=_("Approve"),
            required=False,
            then=lambda quote_id, note: (
                lambda session, ctx: approve_quote(
                    session, ctx, quote_id, note=note, now=self._now()
                )
            ),
            done=_("Quote {number} approved."),
        )

    def return_for_changes(self) -> None:
        self._ask_note(
            "return",
            title=_("Return quote for changes"),
            prompt=_(
                "Return quote {number} to its rep as a draft. Say what should change "
                "(required): the rep sees it after the next sync."
            ),
            ok_text=_("Return for changes"),
            required=True,
            then=lambda quote_id, note: (
                lambda session, ctx: return_quote(session, ctx, quote_id, note=note)
            ),
            done=_("Quote {number} returned for changes."),
        )

    def withdraw(self) -> None:
        self._run(
            "withdraw",
            lambda session, ctx, quote_id: withdraw_quote(session, ctx, quote_id),
            done=_("Approval request for quote {number} withdrawn: it is a draft again."),
        )

    def reject(self) -> None:
        self._ask_note(
            "reject",
            title=_("Mark quote rejected"),
            prompt=_("The customer said no to quote {number}. Why? (required)"),
            ok_text=_("Mark rejected"),
            required=True,
            then=lambda quote_id, note: (
                lambda session, ctx: reject_quote(session, ctx, quote_id, reason=note)
            ),
            done=_("Quote {number} marked rejected."),
        )

    def accept(self, set_amount: bool | None = None) -> None:
        """Mark the quote accepted (``set_amount``: the answer to the amount question)."""
        self._run(
            "accept",
            lambda session, ctx, quote_id: accept_quote(
                session, ctx, quote_id, set_amount=set_amount, now=self._now()
            ),
            done=_("Quote {number} marked accepted; its opportunity is won."),
            refused=self._accept_refused,
        )

    def revise(self) -> None:
        subject = self._subject
        if subject is None:
            return
        today = self._now().astimezone().date()
        self._run(
            "revise",
            lambda session, ctx, quote_id: revise_quote(session, ctx, quote_id, today=today),
            done=_("Revision {revision} of quote {number} created.").format(
                revision=subject.revision + 1, number="{number}"
            ),
            changed=lambda new_id: self._revised(subject.id, new_id),
        )

    def send(self) -> None:
        now = self._now

        def write(session: Any, ctx: Any, quote_id: str) -> SentQuote:
            folder = profile_sent_quotes_folder(session)
            return send_quote(session, ctx, quote_id, folder=folder, now=now())

        self._run("send", write, done="", changed=self._sent_ids)

    # --- running -------------------------------------------------------------------------------

    def _ask_note(
        self,
        name: str,
        *,
        title: str,
        prompt: str,
        ok_text: str,
        required: bool,
        then: Callable[[str, Any], Callable[[Any, Any], object]],
        done: str,
    ) -> None:
        subject = self._subject
        if subject is None or not self._actions[name].isEnabled():
            return
        dialog = NoteDialog(
            title=title,
            prompt=prompt.format(number=subject.number),
            ok_text=ok_text,
            required=required,
            parent=self._widget,
        )
        dialog.submitted.connect(
            lambda note: self._run(
                name,
                lambda session, ctx, quote_id: then(quote_id, note)(session, ctx),
                done=done,
            )
        )
        self._open(dialog)

    def _run(
        self,
        name: str,
        work: Callable[[Any, Any, str], Any],
        *,
        done: str,
        changed: Callable[[Any], None] | None = None,
        refused: Callable[[BaseException], bool] | None = None,
    ) -> None:
        """Run ``work(session, edit context, quote id)`` on the database thread."""
        subject = self._subject
        if subject is None or self._busy or not self._actions[name].isEnabled():
            return
        now = self._now

        def task(session: Any) -> Any:
            return work(session, load_edit_context(session, now=now), subject.id)

        def finished(result: Any) -> None:
            self._set_busy(False)
            if done:
                self.notice.emit(done.format(number=subject.number))
            if changed is not None:
                changed(result)
                return
            self.quote_changed.emit(subject.id)
            self.show_quote(subject.id)

        def failed(error: BaseException) -> None:
            self._set_busy(False)
            if refused is None or not refused(error):
                self._show_refusal(error)
            self.show_quote(subject.id)

        self._set_busy(True)
        self._runner.run_db(task, on_done=finished, on_error=failed, owner=self)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update()

    def _revised(self, old_id: str, new_id: str) -> None:
        self.revised.emit(old_id, new_id)
        self.quote_changed.emit(new_id)
        self.show_quote(new_id)

    def _sent_ids(self, sent: SentQuote) -> None:
        subject = self._subject
        if subject is not None:
            self.quote_changed.emit(subject.id)
            self.show_quote(subject.id)
        self.sent.emit(sent)
        opened = self._open_url(QUrl.fromLocalFile(str(sent.eml_path)))
        folder = Path(sent.eml_path).parent
        number = subject.number if subject is not None else ""
        if opened:
            self.notice.emit(
                _(
                    "Quote {number} sent: the e-mail draft is open in your mail program "
                    "(files in {folder})."
                ).format(number=number, folder=str(folder))
            )
            return
        self._offer_folder(number, folder)

    def _offer_folder(self, number: str, folder: Path) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            _("Send quote"),
            _("Quote {number} is marked sent, but no mail program opened its e-mail draft.").format(
                number=number
            ),
            QMessageBox.StandardButton.Close,
            self._widget,
        )
        box.setObjectName("sentFolderBox")
        box.setInformativeText(
            _("The draft (.eml) and the PDF are in {folder}: attach the PDF by hand.").format(
                folder=str(folder)
            )
        )
        show = box.addButton(_("Show folder"), QMessageBox.ButtonRole.ActionRole)
        show.clicked.connect(lambda: self._open_url(QUrl.fromLocalFile(str(folder))))
        self.notice.emit(
            _("Quote {number} sent; files in {folder}.").format(number=number, folder=str(folder))
        )
        self._open(box)

    def _accept_refused(self, error: BaseException) -> bool:
        """The opportunity's amount differs: ask, then accept again with the answer."""
        if not (isinstance(error, DomainError) and error.code == AMOUNT_DIFFERS):
            return False
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Mark quote accepted"),
            _amount_question(error),
            QMessageBox.StandardButton.Yes
            | QMessageBox.StandardButton.No
            | QMessageBox.StandardButton.Cancel,
            self._widget,
        )
        box.setObjectName("amountQuestion")
        box.setInformativeText(
            _("The opportunity is closed as won either way; only its amount depends on this.")
        )
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        yes = box.button(QMessageBox.StandardButton.Yes)
        no = box.button(QMessageBox.StandardButton.No)
        yes.setText(_("Use the quote's amount"))
        no.setText(_("Keep the opportunity's amount"))
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
        yes.clicked.connect(lambda: self.accept(set_amount=True))
        no.clicked.connect(lambda: self.accept(set_amount=False))
        self._open(box)
        return True

    def _show_refusal(self, error: BaseException) -> None:
        message = describe_error(error)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Quote"),
            message,
            QMessageBox.StandardButton.Close,
            self._widget,
        )
        box.setObjectName("quoteRefusal")
        self.failed.emit(message)
        self._open(box)

    def _open(self, dialog: QDialog) -> None:
        if isinstance(dialog, QMessageBox):
            close = dialog.button(QMessageBox.StandardButton.Close)
            if close is not None:
                close.setText(_("Close"))
        self._dialog = dialog
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self._dialog is dialog:
            self._dialog = None
        dialog.deleteLater()

    # --- texts -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        texts = {
            "approve": (_("Approve…"), _("Approve the discounts of this quote")),
            "return": (
                _("Return for changes…"),
                _("Send the quote back to its rep as a draft, with a note (required)"),
            ),
            "withdraw": (
                _("Withdraw request"),
                _("Take back the approval request: the quote becomes a draft you can edit"),
            ),
            "send": (
                _("Send"),
                _("Make the PDF and an e-mail draft to the contact, and mark the quote sent"),
            ),
            "accept": (
                _("Mark accepted"),
                _("The customer accepted: the linked opportunity is won"),
            ),
            "reject": (
                _("Mark rejected…"),
                _("The customer said no (a reason is required)"),
            ),
            "revise": (
                _("Revise"),
                _("Create the next revision of this quote to change it; this one is kept"),
            ),
        }
        for name, (text, tip) in texts.items():
            action = self._actions[name]
            action.setText(text)
            action.setToolTip(tip)
            action.setStatusTip(tip)
