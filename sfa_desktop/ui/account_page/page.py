"""The account page: key facts, contacts, open opportunities and quotes, and the timeline.

Everything arrives in one database task (:func:`load_account_page`); older timeline entries
load on demand. From here the rep edits the account (F2), adds a contact (Ctrl+Shift+N),
makes an opportunity (Ctrl+Shift+O) or a quote (Ctrl+Shift+Q), or plans a visit
(Ctrl+Shift+V: :attr:`AccountPageView.plan_visit_requested`, handled by the Visits
workspace), or logs a call, e-mail or note (Ctrl+Shift+L); Alt+Left or Back returns to the list, or to the workspace the page was opened
from (Today, Visits, Conflicts, Forecast). Enter or a double-click on an opportunity
opens it in the opportunity editor; its context menu (right click, Menu key) also makes a
quote for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.i18n import _, enum_label, format_count, pgettext
from sfa_desktop.services.account_page import TIMELINE_KINDS, AccountPage, load_account_page
from sfa_desktop.services.visits import AgendaClock

# the module, not its names: the editor imports quote actions, which import this package
from sfa_desktop.ui import quote_editor
from sfa_desktop.ui.account_page.advice import AccountAdvicePanel
from sfa_desktop.ui.account_page.facts import KeyFacts
from sfa_desktop.ui.account_page.log_dialog import LogInteractionDialog
from sfa_desktop.ui.account_page.summary_box import SummaryBox
from sfa_desktop.ui.account_page.summary_models import (
    contacts_model,
    opportunities_model,
    quotes_model,
)
from sfa_desktop.ui.account_page.timeline_model import TimelineModel
from sfa_desktop.ui.account_page.timeline_view import TimelineView
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.forms import account_dialog, contact_dialog
from sfa_desktop.ui.forms.form_dialog import FormDialog
from sfa_desktop.ui.forms.opportunity_form import OpportunityDialog, opportunity_dialog
from sfa_desktop.ui.icons import icon
from sfa_desktop.ui.models.paged_model import ROW_ID_ROLE
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.widgets.empty_state import EmptyState


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AccountPageView(QWidget):
    """One account, everything about it on one screen."""

    #: Back to the list or where the page was opened from (button or Alt+Left).
    back_requested = Signal()
    #: The user wants to plan or log a visit to the account (argument: account id).
    plan_visit_requested = Signal(str)
    #: The page shows an account's data (after :meth:`show_account` or a reload).
    loaded = Signal()
    #: The account or one of its contacts was changed here (argument: account id).
    account_changed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("accountPage")
        self._runner = runner
        self._now = now
        self._account_id: str | None = None
        self._page: AccountPage | None = None
        self._error: str | None = None
        self._task_key = ("account-page", id(self))
        self._dialog: FormDialog | None = None
        self._back_title: Callable[[], str] | None = None

        self._build_header()
        self._build_summaries()
        self._advice = AccountAdvicePanel(runner, self, now=now)
        self._advice.quote_made.connect(self._open_made_quote)
        self._build_timeline(runner, now)
        self._message = EmptyState(self)
        self._message.set_icon(icon("accounts"))
        self._body = QStackedWidget(self)
        self._body.addWidget(self._build_content())
        self._body.addWidget(self._message)
        self._lay_out()
        self.retranslate()

    def _build_header(self) -> None:
        """Back, the account's name and the page's actions (buttons and shortcuts)."""
        self._back = QToolButton(self)
        self._back.setObjectName("accountBack")
        self._back.setArrowType(Qt.ArrowType.LeftArrow)
        self._back.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._back.setAutoRaise(True)
        self._back.clicked.connect(self.back_requested)
        self._title = QLabel(self)
        self._title.setObjectName("accountTitle")
        title_font = self._title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title_font.setBold(True)
        self._title.setFont(title_font)
        self._title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._subtitle = QLabel(self)
        self._edit_button = QPushButton(icon("accounts"), "", self)
        self._edit_button.setObjectName("editAccount")
        self._edit_button.clicked.connect(self.edit_account)
        self._visit_button = QPushButton(icon("visits"), "", self)
        self._visit_button.setObjectName("planVisit")
        self._visit_button.clicked.connect(self._request_visit)
        self._contact_button = QPushButton(icon("contacts"), "", self)
        self._contact_button.setObjectName("addContact")
        self._contact_button.clicked.connect(self.add_contact)
        self._opportunity_button = QPushButton(icon("pipeline"), "", self)
        self._opportunity_button.setObjectName("newAccountOpportunity")
        self._opportunity_button.clicked.connect(lambda: self.new_opportunity())
        self._quote_button = QPushButton(icon("quotes"), "", self)
        self._quote_button.setObjectName("newAccountQuote")
        self._quote_button.clicked.connect(lambda: self.new_quote())
        self._log_button = QPushButton(icon("call"), "", self)
        self._log_button.setObjectName("logInteraction")
        self._log_button.clicked.connect(lambda: self.log_interaction())
        shortcuts = (
            ("Alt+Left", self.back_requested.emit),
            ("Ctrl+Shift+L", self.log_interaction),
            ("F2", self.edit_account),
            ("Ctrl+Shift+V", self._request_visit),
            ("Ctrl+Shift+N", self.add_contact),
            ("Ctrl+Shift+Q", self.new_quote),
            ("Ctrl+Shift+O", self.new_opportunity),
        )
        for sequence, slot in shortcuts:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    def _build_summaries(self) -> None:
        """Key facts, and the tables of contacts, open opportunities and open quotes."""
        self._facts = KeyFacts(self)
        self._contacts = contacts_model(self)
        self._opportunities = opportunities_model(self)
        self._quotes = quotes_model(self)
        self._contacts_box = SummaryBox(
            self._contacts, name="accountContacts", stretch=(0, 1), parent=self
        )
        self._contacts_box.table.activated.connect(self._edit_contact)
        self._opportunities_box = SummaryBox(
            self._opportunities, name="accountOpportunities", parent=self
        )
        self._opportunities_box.table.activated.connect(self._edit_opportunity)
        opportunities_table = self._opportunities_box.table
        opportunities_table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        opportunities_table.customContextMenuRequested.connect(self._opportunity_menu_at)
        self._quotes_box = SummaryBox(self._quotes, name="accountQuotes", parent=self)
        self._quotes_box.table.activated.connect(self._open_quote)

    def _build_timeline(self, runner: TaskRunner, now: Callable[[], dt.datetime]) -> None:
        """The timeline (or its empty state) and the button that loads older entries."""
        self._timeline = TimelineModel(runner, now=now, parent=self)
        self._timeline_view = TimelineView(self)
        self._timeline_view.setModel(self._timeline)
        self._timeline_empty = EmptyState(self)
        self._timeline_empty.set_icon(icon("visits"))
        self._timeline_stack = QStackedWidget(self)
        self._timeline_stack.addWidget(self._timeline_view)
        self._timeline_stack.addWidget(self._timeline_empty)
        self._kind_filter = QComboBox(self)
        self._kind_filter.setObjectName("timelineKind")
        self._kind_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for kind in (None, *TIMELINE_KINDS):
            self._kind_filter.addItem("", kind)
        self._kind_filter.currentIndexChanged.connect(self._kind_chosen)
        self._kind_label = QLabel(self)
        self._kind_label.setBuddy(self._kind_filter)
        self._timeline.modelReset.connect(self._show_timeline_or_empty)
        self._more_button = QPushButton(self)
        self._more_button.setObjectName("timelineMore")
        self._more_button.clicked.connect(self._timeline.load_more)
        self._timeline.modelReset.connect(self._update_more_button)
        self._timeline.rowsInserted.connect(self._update_more_button)
        self._timeline.loading_changed.connect(self._update_more_button)
        scroll_bar = self._timeline_view.verticalScrollBar()
        scroll_bar.valueChanged.connect(self._load_more_at_the_end)

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        actions.addWidget(self._back)
        actions.addStretch(1)
        for button in self._action_buttons():
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 18)
        layout.setSpacing(6)
        layout.addLayout(actions)
        layout.addWidget(self._title)
        layout.addWidget(self._subtitle)
        layout.addWidget(self._advice.next_label)
        layout.addWidget(self._body, 1)

    def _build_content(self) -> QWidget:
        self._facts_box = QGroupBox(self)
        QVBoxLayout(self._facts_box).addWidget(self._facts)
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 8, 0)
        for box in (self._facts_box, self._contacts_box, self._opportunities_box, self._quotes_box):
            column.addWidget(box)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self._timeline_box = QGroupBox(self)
        timeline_layout = QVBoxLayout(self._timeline_box)
        filter_row = QHBoxLayout()
        filter_row.addWidget(self._kind_label)
        filter_row.addWidget(self._kind_filter)
        filter_row.addStretch(1)
        timeline_layout.addLayout(filter_row)
        timeline_layout.addWidget(self._timeline_stack, 1)
        timeline_layout.addWidget(self._more_button, 0, Qt.AlignmentFlag.AlignHCenter)

        # what to offer next sits above the timeline, where it is seen without scrolling
        right = QWidget(self)
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(8, 0, 0, 0)
        right_column.addWidget(self._advice.box)
        right_column.addWidget(self._timeline_box, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setChildrenCollapsible(False)
        return splitter

    # --- public API ----------------------------------------------------------------------------

    @property
    def account_id(self) -> str | None:
        return self._account_id

    @property
    def page(self) -> AccountPage | None:
        """What the page shows now (``None`` before it loaded or if the account is gone)."""
        return self._page

    @property
    def facts(self) -> KeyFacts:
        return self._facts

    @property
    def timeline(self) -> TimelineModel:
        return self._timeline

    @property
    def timeline_view(self) -> TimelineView:
        return self._timeline_view

    @property
    def contacts(self) -> Any:
        return self._contacts

    @property
    def opportunities(self) -> Any:
        return self._opportunities

    @property
    def quotes(self) -> Any:
        return self._quotes

    @property
    def advice(self) -> AccountAdvicePanel:
        """The "Next:" line and the suggested products (loaded after the page)."""
        return self._advice

    @property
    def more_button(self) -> QPushButton:
        return self._more_button

    @property
    def open_dialog(self) -> FormDialog | None:
        """The account or contact dialog opened from this page, while it is open."""
        return self._dialog

    def showing_empty_timeline(self) -> bool:
        return self._timeline_stack.currentWidget() is self._timeline_empty

    def timeline_empty_text(self) -> str:
        return self._timeline_empty.title()

    def message_text(self) -> str:
        """The page-wide message (account gone, failure), "" when the account is shown."""
        return self._message.title() if self._body.currentWidget() is self._message else ""

    def set_back_title(self, title: Callable[[], str] | None) -> None:
        """Name Back after the workspace the page was opened from (``None``: the accounts
        list)."""
        self._back_title = title
        self._back_texts()

    def back_text(self) -> str:
        return self._back.text()

    def show_account(self, account_id: str) -> None:
        """Load and show ``account_id`` (one database task)."""
        if account_id != self._account_id:
            self._page = None
            self._title.setText(_("Loading…"))
            self._subtitle.clear()
        self._account_id = account_id
        self.reload()

    def reload(self) -> None:
        account_id, now, kind = self._account_id, self._now(), self._timeline.kind
        if account_id is None:
            return
        self._runner.run_db(
            lambda session: load_account_page(session, account_id, now=now, timeline_kind=kind),
            on_done=self._loaded,
            on_error=self._failed,
            key=self._task_key,
            owner=self,
        )

    def edit_account(self) -> None:
        """F2: edit the account in the account dialog."""
        if self._page is None or self._dialog is not None:
            return
        self._open(account_dialog(self._runner, record_id=self._page.account_id, parent=self))

    def add_contact(self) -> None:
        """Ctrl+Shift+N: a new contact of this account."""
        if self._page is None or self._dialog is not None:
            return
        initial = {"account_id": self._page.account_id}
        self._open(contact_dialog(self._runner, initial=initial, parent=self))

    def log_interaction(self) -> LogInteractionDialog | None:
        """Ctrl+Shift+L: log a call, e-mail or note with this account (the timeline shows it
        once saved)."""
        if self._page is None or self._dialog is not None:
            return None
        dialog = LogInteractionDialog(
            self._runner,
            clock=AgendaClock(now=self._now),
            account_id=self._page.account_id,
            account_name=self._page.name,
            parent=self,
        )
        self._open(dialog)
        return dialog

    def new_quote(self, opportunity_id: str | None = None) -> quote_editor.QuoteEditor | None:
        """Ctrl+Shift+Q: the quote editor on a new quote for this account (and opportunity)."""
        if self._page is None:
            return None
        return self._quote_editor(account_id=self._page.account_id, opportunity_id=opportunity_id)

    def new_opportunity(self) -> OpportunityDialog | None:
        """Ctrl+Shift+O: the opportunity editor on a new deal of this account."""
        if self._page is None or self._dialog is not None:
            return None
        return self._open_opportunity(None)

    def edit_opportunity(self, opportunity_id: str) -> OpportunityDialog | None:
        """The opportunity editor on ``opportunity_id`` (Enter on its row)."""
        if self._dialog is not None:
            return None
        return self._open_opportunity(opportunity_id)

    def opportunity_menu(self) -> QMenu | None:
        """The selected opportunity's menu: edit it, or make a quote for it (None when no
        opportunity is selected)."""
        table = self._opportunities_box.table
        opportunity_id = self._opportunities.data(table.currentIndex(), ROW_ID_ROLE)
        if not isinstance(opportunity_id, str):
            return None
        menu = QMenu(self)
        menu.setObjectName("opportunityMenu")
        edit = menu.addAction(_("Edit opportunity"))
        edit.setObjectName("editOpportunity")
        edit.triggered.connect(lambda: self.edit_opportunity(opportunity_id))
        quote = menu.addAction(icon("quotes"), _("New quote for this opportunity"))
        quote.setObjectName("quoteOpportunity")
        quote.triggered.connect(lambda: self.new_quote(opportunity_id))
        return menu

    def _open_opportunity(self, opportunity_id: str | None) -> OpportunityDialog:
        initial = None if self._page is None else {"account_id": self._page.account_id}
        dialog = opportunity_dialog(
            self._runner,
            record_id=opportunity_id,
            initial=initial if opportunity_id is None else None,
            now=self._now,
            parent=self,
        )
        self._open(dialog)
        return dialog

    def _quote_editor(self, **target: str | None) -> quote_editor.QuoteEditor:
        return quote_editor.open_quote_editor(
            self._runner, self, now=self._now, on_saved=lambda _id: self._changed_here(), **target
        )

    # --- internals -----------------------------------------------------------------------------

    def _edit_opportunity(self, index: Any) -> None:
        """Enter or a double-click on an opportunity: the opportunity editor on it."""
        opportunity_id = self._opportunities.data(index, ROW_ID_ROLE)
        if isinstance(opportunity_id, str):
            self.edit_opportunity(opportunity_id)

    def _opportunity_menu_at(self, position: QPoint) -> None:
        table = self._opportunities_box.table
        if table.indexAt(position).row() != table.currentIndex().row():
            position = table.visualRect(table.currentIndex()).center()
        menu = self.opportunity_menu()
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(table.viewport().mapToGlobal(position))

    def _open_quote(self, index: Any) -> None:
        quote_id = self._quotes.data(index, ROW_ID_ROLE)
        if isinstance(quote_id, str):
            self._quote_editor(quote_id=quote_id)

    def _open_made_quote(self, quote_id: str) -> None:
        """A suggested product became a new draft quote: open it, and show it in the page."""
        self._changed_here()
        self._quote_editor(quote_id=quote_id)

    def _open(self, dialog: FormDialog) -> None:
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._changed_here)
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self) -> None:
        self._dialog = None

    def _changed_here(self) -> None:
        if self._account_id is not None:
            self.account_changed.emit(self._account_id)
        self.reload()

    def _edit_contact(self, index: Any) -> None:
        contact_id = self._contacts.data(index, ROW_ID_ROLE)
        if isinstance(contact_id, str) and self._dialog is None:
            self._open(contact_dialog(self._runner, record_id=contact_id, parent=self))

    def _request_visit(self) -> None:
        if self._page is not None:
            self.plan_visit_requested.emit(self._page.account_id)

    def _loaded(self, page: AccountPage | None) -> None:
        self._page = page
        self._error = None
        if page is None:
            self._title.setText(_("Account not found"))
            self._subtitle.clear()
            self._message.set_text(
                _("This account no longer exists"),
                _("It may have been deleted or moved out of your territory. Go back to the list."),
            )
            self._body.setCurrentWidget(self._message)
        else:
            self._timeline.set_page(page.account_id, page.timeline)
            self._contacts.set_rows(page.contacts)
            self._opportunities.set_rows(page.open_opportunities)
            self._quotes.set_rows(page.open_quotes)
            self._body.setCurrentIndex(0)
            self._show_texts()
            self._advice.load(page.account_id)
        self._set_actions_enabled(page is not None)
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self._error = describe_error(error)
        self._title.setText(_("The account could not be loaded"))
        self._message.set_text(_("The account could not be loaded"), self._error)
        self._body.setCurrentWidget(self._message)
        self._set_actions_enabled(False)
        self.loaded.emit()

    def _action_buttons(self) -> tuple[QPushButton, ...]:
        return (
            self._edit_button,
            self._log_button,
            self._visit_button,
            self._contact_button,
            self._opportunity_button,
            self._quote_button,
        )

    def _set_actions_enabled(self, enabled: bool) -> None:
        for button in self._action_buttons():
            button.setEnabled(enabled)

    def _show_texts(self) -> None:
        page = self._page
        if page is None:
            return
        account = page.account
        self._title.setText(page.name)
        self._subtitle.setText(
            " · ".join(
                filter(
                    None,
                    (
                        enum_label("lifecycle_stage", account.get("lifecycle_stage")),
                        account.get("city"),
                        account.get("owner_name"),
                    ),
                )
            )
        )
        self._facts.show_page(page)
        for box in (self._contacts_box, self._opportunities_box, self._quotes_box):
            box.fit()
        self._contacts_box.setTitle(
            _("Contacts ({count})").format(count=format_count(len(page.contacts)))
        )
        self._show_timeline_or_empty()

    @property
    def kind_filter(self) -> QComboBox:
        """The timeline's kind filter (all, visits, calls, emails…)."""
        return self._kind_filter

    def _kind_chosen(self, index: int) -> None:
        kind = self._kind_filter.itemData(index)
        self._timeline.set_kind(kind if isinstance(kind, str) else None)

    def _show_timeline_or_empty(self) -> None:
        if self._timeline.kind is None:
            self._timeline_empty.set_text(
                _("No interactions yet."), _("Plan a visit to start the conversation.")
            )
        else:
            self._timeline_empty.set_text(
                _("Nothing of this kind yet."), _("Choose “All” to see every interaction.")
            )
        self._timeline_stack.setCurrentWidget(
            self._timeline_empty if self._timeline.rowCount() == 0 else self._timeline_view
        )

    def _kind_texts(self) -> None:
        titles = {
            None: pgettext("timeline kind", "All"),
            "visit": pgettext("timeline kind", "Visits"),
            "call": pgettext("timeline kind", "Calls"),
            "email": pgettext("timeline kind", "Emails"),
            "meeting": pgettext("timeline kind", "Meetings"),
            "task": pgettext("timeline kind", "Tasks and notes"),
            "quote": pgettext("timeline kind", "Quotes"),
            "opportunity": pgettext("timeline kind", "Opportunities"),
        }
        for row in range(self._kind_filter.count()):
            self._kind_filter.setItemText(row, titles.get(self._kind_filter.itemData(row), ""))
        self._kind_label.setText(_("&Show:"))
        self._kind_filter.setToolTip(_("Show one kind of interaction only"))

    def _back_texts(self) -> None:
        if self._back_title is None:
            self._back.setText(_("Accounts"))
            self._back.setToolTip(_("Back to the accounts list (Alt+Left)"))
            return
        place = self._back_title()
        self._back.setText(place)
        self._back.setToolTip(_("Back to {place} (Alt+Left)").format(place=place))

    def _load_more_at_the_end(self, value: int) -> None:
        scroll_bar = self._timeline_view.verticalScrollBar()
        if value > 0 and value == scroll_bar.maximum():
            self._timeline.load_more()

    def _update_more_button(self) -> None:
        self._more_button.setVisible(self._timeline.has_more)
        self._more_button.setEnabled(not self._timeline.is_loading)
        self._more_button.setText(
            _("Loading…") if self._timeline.is_loading else _("Show older interactions")
        )

    def retranslate(self) -> None:
        self._back_texts()
        self._edit_button.setText(_("Edit account"))
        self._edit_button.setToolTip(_("Edit the account's details (F2)"))
        self._log_button.setText(_("Log call"))
        self._log_button.setToolTip(_("Log a call, email or note with this account (Ctrl+Shift+L)"))
        self._visit_button.setText(_("Plan visit"))
        self._visit_button.setToolTip(_("Plan or log a visit to this account (Ctrl+Shift+V)"))
        self._contact_button.setText(_("Add contact"))
        self._contact_button.setToolTip(_("Add a person at this account (Ctrl+Shift+N)"))
        self._opportunity_button.setText(_("New opportunity"))
        self._opportunity_button.setToolTip(
            _("Make an opportunity for this account (Ctrl+Shift+O)")
        )
        self._quote_button.setText(_("New quote"))
        self._quote_button.setToolTip(
            _(
                "Make a quote for this account (Ctrl+Shift+Q); an opportunity's context menu "
                "makes one for it, Enter on a quote opens it"
            )
        )
        self._facts_box.setTitle(_("Key facts"))
        self._opportunities_box.setTitle(_("Open opportunities"))
        self._opportunities_box.table.setToolTip(
            _(
                "Enter or a double-click opens the opportunity; its context menu makes a "
                "quote for it"
            )
        )
        self._quotes_box.table.setToolTip(_("Enter or a double-click opens the quote"))
        self._quotes_box.setTitle(_("Open quotes"))
        self._contacts_box.setTitle(_("Contacts"))
        self._contacts_box.set_empty_text(_("No contacts yet."))
        self._opportunities_box.set_empty_text(_("No open opportunities."))
        self._quotes_box.set_empty_text(_("No open quotes."))
        self._timeline_box.setTitle(_("Timeline"))
        self._kind_texts()
        self._facts.retranslate()
        self._advice.retranslate()
        for model in (self._contacts, self._opportunities, self._quotes, self._timeline):
            model.retranslate()
        self._update_more_button()
        self._show_texts()
