"""Approvals and the other quote actions in the app (issue 10 items 5, 6, 7, 9): the manager's
count in the status bar and Today's list, approving and returning from the Quotes workspace,
sending (the .eml opened with the system's mail program), the customer's answer (the amount
question), revising. Real widgets offscreen, a real SQLite copy of the demo, the fixed clock."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMenu, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from sfa_desktop.i18n import set_language
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.quote_lifecycle import withdraw_quote
from sfa_desktop.services.quote_review import QuoteSubject, awaiting_my_approval, quote_actions
from sfa_desktop.store.database import Database
from sfa_desktop.ui.language import LanguageSwitcher
from sfa_desktop.ui.main_window import MainWindow
from sfa_desktop.ui.profile import Profile
from sfa_desktop.ui.quotes.approvals import ApprovalsCounter
from sfa_desktop.ui.quotes.links import connect_quote_links
from sfa_desktop.ui.quotes.note_dialog import NoteDialog
from sfa_desktop.ui.quotes.quote_actions import QuoteActions
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces import create_workspaces
from sfa_desktop.ui.workspaces.quotes import QuotesWorkspace
from sfa_desktop.ui.workspaces.today import TodayWorkspace

from .conftest import WAIT_MS
from .fixed_clock import CLOCK
from .quote_fixtures import (
    SampleQuotes,
    opportunity_values,
    prepare_quotes,
    quote_values,
    sign_in_as,
)


@pytest.fixture
def samples(demo_db: Database) -> SampleQuotes:
    return prepare_quotes(demo_db, demo_db.path.parent / "made-before")


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """What the app asked the system to open (nothing is opened)."""
    urls: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    return urls


class App:
    """The main window with its quote links, on the demo copy."""

    def __init__(self, qtbot: QtBot, runner: TaskRunner, database: Database) -> None:
        self.qtbot = qtbot
        self.language = LanguageSwitcher()
        self.language.apply("en")
        self.window = MainWindow(
            workspaces=create_workspaces(runner, clock=CLOCK),
            profile=Profile(database.path.parent, is_demo=True, user_name="Demo"),
            language=self.language,
        )
        self.counter: ApprovalsCounter = connect_quote_links(self.window, runner, today=CLOCK.today)
        qtbot.addWidget(self.window)
        self.window.show()
        qtbot.waitUntil(self.today.is_ready, timeout=WAIT_MS)
        qtbot.waitUntil(self.quotes.is_ready, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: self.counter.count is not None, timeout=WAIT_MS)

    @property
    def quotes(self) -> QuotesWorkspace:
        workspace = self.window.workspace("quotes")
        assert isinstance(workspace, QuotesWorkspace)
        return workspace

    @property
    def today(self) -> TodayWorkspace:
        workspace = self.window.workspace("today")
        assert isinstance(workspace, TodayWorkspace)
        return workspace

    @property
    def actions(self) -> QuoteActions:
        return self.quotes.quote_actions

    def select(self, quote_id: str) -> QuoteSubject:
        """Select the quote in the Quotes view and wait for its actions."""
        self.window.show_view("quotes")
        self.quotes.show_quote(quote_id)
        self.qtbot.waitUntil(
            lambda: (subject := self.actions.subject) is not None and subject.id == quote_id,
            timeout=WAIT_MS,
        )
        assert self.quotes.selected_quote_id() == quote_id
        subject = self.actions.subject
        assert subject is not None
        return subject

    def visible_actions(self) -> list[str]:
        return [action.objectName().removeprefix("quote_") for action in self.actions.available()]

    def note_dialog(self) -> NoteDialog:
        self.qtbot.waitUntil(lambda: isinstance(self.actions.open_dialog, NoteDialog))
        dialog = self.actions.open_dialog
        assert isinstance(dialog, NoteDialog)
        return dialog

    def message_box(self, name: str) -> QMessageBox:
        self.qtbot.waitUntil(
            lambda: (
                isinstance(box := self.actions.open_dialog, QMessageBox)
                and box.objectName() == name
            ),
            timeout=WAIT_MS,
        )
        box = self.actions.open_dialog
        assert isinstance(box, QMessageBox)
        return box

    def close(self) -> None:
        self.language.uninstall()


@pytest.fixture
def as_manager(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database, samples: SampleQuotes
) -> Iterator[App]:
    sign_in_as(demo_db, samples.manager_id)
    app = App(qtbot, demo_runner, demo_db)
    yield app
    app.close()


@pytest.fixture
def as_rep(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database, samples: SampleQuotes
) -> Iterator[App]:
    app = App(qtbot, demo_runner, demo_db)
    yield app
    app.close()


def _awaiting(database: Database) -> list[str]:
    """The ids of the quotes awaiting the profile user's approval (the demo's and ours)."""
    with database.session() as session:
        return [row.id for row in awaiting_my_approval(session, today=CLOCK.today())]


def test_a_manager_sees_the_count_and_the_today_list(
    qtbot: QtBot, as_manager: App, demo_db: Database, samples: SampleQuotes
) -> None:
    status = as_manager.window.status
    awaiting = _awaiting(demo_db)
    assert set(samples.pending) <= set(awaiting)
    count = len(awaiting)
    assert as_manager.counter.count == count
    assert status.approvals_label.isVisible()
    assert status.approvals_text() == f"{count} quotes awaiting your approval"
    sections = as_manager.today.sections
    assert sections.showing_approvals()
    model = sections.model("approvals")
    assert [row.id for row in model.rows()] == awaiting
    mine = next(r for r in model.rows() if r.id == samples.pending[0])
    index = model.rows().index(mine)
    cells = [model.data(model.index(index, column)) for column in range(model.columnCount())]
    assert cells[0] == mine.quote.number
    assert cells[2] == "Javier García Molina" and "€" in cells[3]
    assert cells[4] == "25%" and mine.max_discount_pct == 25
    set_language("es")
    as_manager.window.retranslate()
    assert status.approvals_text() == f"{count} presupuestos esperan tu aprobación"
    assert sections.section("approvals").title.text() == "Esperan tu aprobación"

    # clicking the count lists them in Quotes
    with qtbot.waitSignal(as_manager.quotes.model.loaded, timeout=WAIT_MS):
        status.approvals_clicked.emit()
    assert as_manager.window.current_view() == "quotes"
    assert as_manager.quotes.filter_bar.awaiting.isChecked()
    qtbot.waitUntil(lambda: as_manager.quotes.model.total_count == count, timeout=WAIT_MS)


def test_activating_a_quote_in_today_selects_it_in_quotes(
    qtbot: QtBot, as_manager: App, samples: SampleQuotes
) -> None:
    sections = as_manager.today.sections
    row = sections.model("approvals").rows()[1]
    sections.activated.emit("approvals", row)
    assert as_manager.window.current_view() == "quotes"
    qtbot.waitUntil(lambda: as_manager.quotes.selected_quote_id() == row.id, timeout=WAIT_MS)


def test_a_rep_sees_no_count_and_no_approvals_list(as_rep: App) -> None:
    assert as_rep.counter.count == 0
    assert not as_rep.window.status.approvals_label.isVisible()
    assert not as_rep.today.sections.showing_approvals()


def test_the_manager_approves_from_the_quotes_list(
    qtbot: QtBot, as_manager: App, demo_db: Database, samples: SampleQuotes
) -> None:
    quote_id = samples.pending[0]
    count = len(_awaiting(demo_db))
    subject = as_manager.select(quote_id)
    assert subject.decides and not subject.is_mine
    assert as_manager.visible_actions() == ["approve", "return"]
    assert as_manager.actions.action("approve").isVisible()  # in the tool row too
    as_manager.actions.action("approve").trigger()
    dialog = as_manager.note_dialog()
    assert dialog.ok_button.isEnabled()  # the note is optional
    dialog.text_edit.setPlainText("  OK: cliente estratégico  ")
    with qtbot.waitSignal(as_manager.actions.quote_changed, timeout=WAIT_MS):
        dialog.ok_button.click()
    values = quote_values(demo_db, quote_id)
    assert values["status"] == "approved"
    assert values["approved_by_id"] == samples.manager_id
    assert values["decision_note"] == "OK: cliente estratégico"
    qtbot.waitUntil(lambda: as_manager.counter.count == count - 1, timeout=WAIT_MS)
    assert as_manager.window.status.approvals_text() == f"{count - 1} quotes awaiting your approval"
    qtbot.waitUntil(
        lambda: quote_id not in [r.id for r in as_manager.today.sections.model("approvals").rows()],
        timeout=WAIT_MS,
    )
    # the list shows it approved and keeps it selected; a manager may send it now
    qtbot.waitUntil(lambda: as_manager.quotes.selected_quote_id() == quote_id, timeout=WAIT_MS)
    row = as_manager.quotes.model.row_of(quote_id)
    assert as_manager.quotes.model.quote_at(row).shown_status == "approved"
    qtbot.waitUntil(lambda: as_manager.visible_actions() == ["send", "revise"], timeout=WAIT_MS)


def test_returning_a_quote_needs_a_note(
    qtbot: QtBot, as_manager: App, demo_db: Database, samples: SampleQuotes
) -> None:
    quote_id = samples.pending[1]
    count = len(_awaiting(demo_db))
    as_manager.select(quote_id)
    as_manager.actions.action("return").trigger()
    dialog = as_manager.note_dialog()
    assert not dialog.ok_button.isEnabled()
    dialog.text_edit.setPlainText("   \n ")
    assert not dialog.ok_button.isEnabled()
    dialog.text_edit.setPlainText("Descuento máximo 15 %, por favor")
    assert dialog.ok_button.isEnabled()
    with qtbot.waitSignal(as_manager.actions.quote_changed, timeout=WAIT_MS):
        dialog.ok_button.click()
    values = quote_values(demo_db, quote_id)
    assert values["status"] == "draft"
    assert values["decision_note"] == "Descuento máximo 15 %, por favor"
    qtbot.waitUntil(lambda: as_manager.counter.count == count - 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: as_manager.visible_actions() == [], timeout=WAIT_MS)


def test_cancelling_the_note_changes_nothing(
    as_manager: App, demo_db: Database, samples: SampleQuotes
) -> None:
    as_manager.select(samples.pending[0])
    as_manager.actions.action("return").trigger()
    as_manager.note_dialog().reject()
    assert quote_values(demo_db, samples.pending[0])["status"] == "pending_approval"


def test_a_refusal_is_shown_and_nothing_is_written(
    qtbot: QtBot, as_manager: App, demo_db: Database, samples: SampleQuotes
) -> None:
    """The rep withdrew the request meanwhile (another window, the CLI): Approve is refused."""
    quote_id = samples.pending[0]
    as_manager.select(quote_id)
    sign_in_as(demo_db, samples.rep_id)
    with demo_db.session() as session:
        withdraw_quote(session, load_edit_context(session), quote_id)
    sign_in_as(demo_db, samples.manager_id)
    as_manager.actions.action("approve").trigger()
    dialog = as_manager.note_dialog()
    with qtbot.waitSignal(as_manager.actions.failed, timeout=WAIT_MS) as failed:
        dialog.ok_button.click()
    number = quote_values(demo_db, quote_id)["number"]
    assert failed.args == [f"Quote {number} is not waiting for approval."]
    box = as_manager.message_box("quoteRefusal")
    assert box.text() == failed.args[0]
    assert quote_values(demo_db, quote_id)["status"] == "draft"


def test_the_rep_withdraws_a_request(
    qtbot: QtBot, as_rep: App, demo_db: Database, samples: SampleQuotes
) -> None:
    as_rep.select(samples.pending[0])
    assert as_rep.visible_actions() == ["withdraw"]
    with qtbot.waitSignal(as_rep.actions.quote_changed, timeout=WAIT_MS):
        as_rep.actions.action("withdraw").trigger()
    assert quote_values(demo_db, samples.pending[0])["status"] == "draft"


def _eml(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_send_writes_the_eml_and_opens_it(
    qtbot: QtBot, as_rep: App, demo_db: Database, samples: SampleQuotes, opened: list[QUrl]
) -> None:
    as_rep.select(samples.approved)
    assert as_rep.visible_actions() == ["send", "revise"]
    with qtbot.waitSignal(as_rep.actions.sent, timeout=WAIT_MS) as sent:
        as_rep.actions.action("send").trigger()
    files = sent.args[0]
    folder = demo_db.path.parent / "sent-quotes"
    assert files.eml_path.parent == folder and files.eml_path.exists()
    assert files.pdf_path.exists()
    assert [url.toLocalFile() for url in opened] == [str(files.eml_path)]
    message = _eml(files.eml_path)
    assert message["To"] is not None and samples.contact_email in message["To"]
    attachments = list(message.iter_attachments())
    assert [part.get_content_type() for part in attachments] == ["application/pdf"]
    assert attachments[0].get_content() == files.pdf_path.read_bytes()
    values = quote_values(demo_db, samples.approved)
    assert values["status"] == "sent" and values["pdf_sha256"] == files.sha256
    qtbot.waitUntil(lambda: as_rep.visible_actions() == ["accept", "reject", "revise"])


def test_without_a_mail_program_the_folder_is_offered(
    qtbot: QtBot,
    as_rep: App,
    demo_db: Database,
    samples: SampleQuotes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    urls: list[str] = []

    def nothing_opens(url: QUrl) -> bool:
        urls.append(url.toLocalFile())
        return url.toLocalFile().endswith("sent-quotes")  # the folder opens, the draft does not

    monkeypatch.setattr(QDesktopServices, "openUrl", nothing_opens)
    as_rep.select(samples.approved)
    as_rep.actions.action("send").trigger()
    box = as_rep.message_box("sentFolderBox")
    assert "no mail program" in box.text()
    show = next(b for b in box.findChildren(QPushButton) if b.text() == "Show folder")
    show.click()
    folder = str(demo_db.path.parent / "sent-quotes")
    assert urls[-1] == folder and urls[0].endswith(".eml")
    assert quote_values(demo_db, samples.approved)["status"] == "sent"


def test_an_expired_quote_offers_only_revise() -> None:
    """An expired quote offers no Send (nor Accept, nor Approve): only Revise."""
    subject = QuoteSubject(
        id="q",
        number="Q-1",
        revision=1,
        account_id="a",
        status="approved",
        shown_status="expired",
        owner_id="rep",
        is_mine=True,
        decides=False,
    )
    assert quote_actions(subject) == {"revise"}


def test_accept_asks_when_the_amounts_differ(
    qtbot: QtBot, as_rep: App, demo_db: Database, samples: SampleQuotes
) -> None:
    as_rep.select(samples.sent)
    as_rep.actions.action("accept").trigger()
    box = as_rep.message_box("amountQuestion")
    assert "1,234.56" not in box.text() and "€123,456.00" in box.text()
    assert quote_values(demo_db, samples.sent)["status"] == "sent"  # nothing yet
    use_quote = box.button(QMessageBox.StandardButton.Yes)
    assert use_quote.text() == "Use the quote's amount"
    with qtbot.waitSignal(as_rep.actions.quote_changed, timeout=WAIT_MS):
        use_quote.click()
    assert quote_values(demo_db, samples.sent)["status"] == "accepted"
    stage, amount = opportunity_values(demo_db, samples.opportunity_id)
    assert stage == "closed_won" and amount != 123_456_00


def test_accept_can_keep_the_opportunity_amount(
    qtbot: QtBot, as_rep: App, demo_db: Database, samples: SampleQuotes
) -> None:
    as_rep.select(samples.sent)
    as_rep.actions.action("accept").trigger()
    box = as_rep.message_box("amountQuestion")
    with qtbot.waitSignal(as_rep.actions.quote_changed, timeout=WAIT_MS):
        box.button(QMessageBox.StandardButton.No).click()
    assert opportunity_values(demo_db, samples.opportunity_id) == ("closed_won", 123_456_00)


def test_reject_needs_the_customers_reason(
    qtbot: QtBot, as_rep: App, demo_db: Database, samples: SampleQuotes
) -> None:
    as_rep.select(samples.sent)
    as_rep.actions.action("reject").trigger()
    dialog = as_rep.note_dialog()
    assert not dialog.ok_button.isEnabled()
    dialog.text_edit.setPlainText("Precio")
    with qtbot.waitSignal(as_rep.actions.quote_changed, timeout=WAIT_MS):
        dialog.ok_button.click()
    values = quote_values(demo_db, samples.sent)
    assert (values["status"], values["rejection_reason"]) == ("rejected", "Precio")


def test_revise_selects_the_new_revision(
    qtbot: QtBot, as_rep: App, demo_db: Database, samples: SampleQuotes
) -> None:
    as_rep.select(samples.sent)
    with qtbot.waitSignal(as_rep.actions.revised, timeout=WAIT_MS) as revised:
        as_rep.actions.action("revise").trigger()
    old_id, new_id = revised.args
    assert old_id == samples.sent and new_id != old_id
    qtbot.waitUntil(lambda: as_rep.quotes.selected_quote_id() == new_id, timeout=WAIT_MS)
    new, old = quote_values(demo_db, new_id), quote_values(demo_db, old_id)
    assert (new["number"], new["revision"], new["status"]) == (old["number"], 2, "draft")
    assert new["previous_quote_id"] == old_id
    # the old revision is done with: no more Accept, Reject or Revise on it
    as_rep.select(old_id)
    assert as_rep.visible_actions() == []


#: A popup menu on the offscreen platform: it cannot raise it nor grab the keyboard (harmless).
POPUP_NOISE = r"This plugin does not support (raise\(\)|grabbing the keyboard|propagateSizeHints)"


@pytest.mark.qt_log_ignore(POPUP_NOISE)
def test_the_context_menu_offers_the_same_actions(
    qtbot: QtBot, as_manager: App, samples: SampleQuotes
) -> None:
    as_manager.select(samples.pending[0])
    quotes = as_manager.quotes
    row = quotes.model.row_of(samples.pending[0])
    position = quotes.table.visualRect(quotes.model.index(row, 0)).center()
    quotes.table.customContextMenuRequested.emit(position)
    qtbot.waitUntil(lambda: quotes.findChild(QMenu, "quoteMenu") is not None, timeout=WAIT_MS)
    menu = quotes.findChild(QMenu, "quoteMenu")
    assert menu is not None
    assert [a.objectName() for a in menu.actions()] == ["quote_approve", "quote_return"]
    menu.close()


@pytest.mark.qt_log_ignore(POPUP_NOISE)
def test_the_menu_key_opens_the_selected_quotes_menu(
    qtbot: QtBot, as_rep: App, samples: SampleQuotes
) -> None:
    as_rep.select(samples.sent)
    quotes = as_rep.quotes
    quotes.table.setFocus()
    # the position the Menu key reports is not in the list's coordinates: the selected row wins
    quotes.table.customContextMenuRequested.emit(QPoint(-5, -5))
    qtbot.waitUntil(lambda: quotes.findChild(QMenu, "quoteMenu") is not None, timeout=WAIT_MS)
    menu = quotes.findChild(QMenu, "quoteMenu")
    assert menu is not None
    assert [a.objectName() for a in menu.actions()] == [
        "quote_accept",
        "quote_reject",
        "quote_revise",
    ]
    menu.close()
