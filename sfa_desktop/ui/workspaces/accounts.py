"""The Accounts workspace: the searchable, filterable accounts list and each account's page.

Keyboard: Ctrl+N new account, Enter (or double-click) opens the account page, F2 edits the
selected account, Del deletes it (after confirming), Ctrl+F searches; on the page, Alt+Left
comes back to the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from sfa_desktop.i18n import N_, _, ngettext
from sfa_desktop.ui.account_page import AccountPageView
from sfa_desktop.ui.forms import account_dialog
from sfa_desktop.ui.models.accounts_model import ACCOUNT_ID_ROLE, COLUMNS, AccountsModel
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.accounts_filter_bar import AccountsFilterBar
from sfa_desktop.ui.workspaces.list_workspace import ListWords, ListWorkspace

NAME_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.attribute == "name")
#: Kept whole when the window is narrow (a tax id, a person, a stage, a phone say nothing cut);
#: city, region and e-mail give way.
WHOLE_COLUMNS = tuple(
    i
    for i, c in enumerate(COLUMNS)
    if c.attribute in ("tax_id", "owner_name", "lifecycle_stage", "phone")
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AccountsWorkspace(ListWorkspace[AccountsModel]):
    """Lists accounts a page at a time; opening one shows its page in the same place."""

    view_id = "accounts"
    #: The user opened an account (double-click or Enter); the argument is its id.
    account_activated = Signal(str)
    #: The user asked to plan or log a visit to an account (argument: its id).
    plan_visit_requested = Signal(str)
    #: Back from an account's page opened from another workspace (argument: its view id).
    back_to_view_requested = Signal(str)
    words = ListWords(
        count=lambda n: ngettext("{count} account", "{count} accounts", n),
        load_failed=N_("The accounts could not be loaded"),
        no_match=(
            N_("No accounts match “{search}”"),
            N_("Check the spelling, or search by name, tax ID, city or region."),
        ),
        no_filter_match=(
            N_("No accounts match these filters"),
            N_("Change or clear the filters to see more accounts."),
        ),
        no_records=(
            N_("No accounts yet"),
            N_(
                "The accounts you own will appear here once you sync with the server. "
                "To explore the app with sample data, start it with --demo."
            ),
        ),
    )

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        super().__init__(runner, AccountsModel(runner), name="accounts", parent=parent)
        buttons = self._record_buttons(
            "Account", new=self.new_account, edit=self.edit_selected, delete=self.delete_selected
        )
        self._new_button, self._edit_button, self._delete_button = buttons
        self._filters = AccountsFilterBar(
            runner, self._list_page, today=lambda: now().astimezone().date()
        )
        self._filters.filters_changed.connect(lambda values: self._model.set_filters(**values))
        self._finish_list(
            stretch_column=NAME_COLUMN,
            whole_columns=WHOLE_COLUMNS,
            tools=[(self._filters, 1)],
            buttons=buttons,
            title_tools=[self._filters.segment],
            activated=self._on_activated,
        )

        self._account_page = AccountPageView(runner, self, now=now)
        self._back_to: str | None = None
        self._account_page.back_requested.connect(self._leave_page)
        self._account_page.plan_visit_requested.connect(self.plan_visit_requested)
        self._account_page.account_changed.connect(self._account_changed)
        self._stack.addWidget(self._account_page)
        self._start()
        self._filters.load_choices()

    # --- public API ------------------------------------------------------------------------

    @property
    def filter_bar(self) -> AccountsFilterBar:
        return self._filters

    @property
    def account_page(self) -> AccountPageView:
        return self._account_page

    def showing_account_page(self) -> bool:
        return self._stack.currentWidget() is self._account_page

    def title(self) -> str:
        return _("Accounts")

    def description(self) -> str:
        return _("Your customers and prospects.")

    def selected_account_id(self) -> str | None:
        index = self._table.currentIndex()
        if not index.isValid() or not self._table.selectionModel().isRowSelected(index.row()):
            return None
        account_id = self._model.data(index, ACCOUNT_ID_ROLE)
        return account_id if isinstance(account_id, str) else None

    def open_account(
        self,
        account_id: str,
        *,
        back_to: str | None = None,
        back_title: Callable[[], str] | None = None,
    ) -> None:
        """Show the account's page; its Back returns to workspace ``back_to`` (named by
        ``back_title``) when given, else to the accounts list."""
        self._back_to = back_to
        self._account_page.set_back_title(back_title if back_to is not None else None)
        self._account_page.show_account(account_id)
        self._stack.setCurrentWidget(self._account_page)
        self._account_page.setFocus(Qt.FocusReason.OtherFocusReason)

    def new_account(self) -> None:
        """Ctrl+N: the account dialog, for a new account."""
        if self._dialog is None:
            self._open_dialog(account_dialog(self._runner, parent=self))

    def edit_selected(self) -> None:
        """F2: edit the selected account."""
        account_id = self.selected_account_id()
        if account_id is not None and self._dialog is None:
            self._open_dialog(account_dialog(self._runner, record_id=account_id, parent=self))

    def delete_selected(self) -> None:
        """Del: delete the selected account after the user confirms (a soft delete)."""
        index = self._table.currentIndex()
        account_id = self.selected_account_id()
        if account_id is None:
            return
        name = self._model.account_at(index.row()).name
        question = _(
            "Delete the account “{name}”?\n\nIt disappears from the lists here and, after "
            "the next sync, for everyone. Its contacts, visits and quotes are kept."
        ).format(name=name)
        if self._confirm(_("Delete account"), question):
            self._delete("account", [account_id])

    # --- reacting --------------------------------------------------------------------------

    def _reload(self) -> None:
        self._model.refresh()
        self._filters.load_choices()

    def _leave_page(self) -> None:
        """Back (Alt+Left) on the page: to the workspace it was opened from, or the list."""
        back_to, self._back_to = self._back_to, None
        self._account_page.set_back_title(None)
        self.show_list()
        if back_to is not None:
            self.back_to_view_requested.emit(back_to)

    def _account_changed(self, _account_id: str) -> None:
        self._reload()

    def _update_actions(self) -> None:
        selected = self.selected_account_id() is not None
        self._edit_button.setEnabled(selected)
        self._delete_button.setEnabled(selected)

    def _on_activated(self, index: QModelIndex) -> None:
        account_id = self._model.data(index, ACCOUNT_ID_ROLE)
        if isinstance(account_id, str):
            self.account_activated.emit(account_id)
            self.open_account(account_id)

    # --- texts -----------------------------------------------------------------------------

    def _retranslate_parts(self) -> None:
        self._search.setPlaceholderText(_("Search by name, tax ID, city or region"))
        self._search.setToolTip(_("Type to filter the accounts (Ctrl+F)"))
        self._new_button.setText(_("New account"))
        self._new_button.setToolTip(_("Add an account (Ctrl+N)"))
        self._edit_button.setText(_("Edit"))
        self._edit_button.setToolTip(
            _("Edit the selected account (F2); Enter or a double-click opens its page")
        )
        self._delete_button.setText(_("Delete"))
        self._delete_button.setToolTip(_("Delete the selected account (Del)"))
        self._filters.retranslate()
        self._account_page.retranslate()
