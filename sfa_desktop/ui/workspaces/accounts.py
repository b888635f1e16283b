"""The Accounts workspace: the searchable, filterable accounts list and each account's page.

Keyboard: Ctrl+N new account, Enter (or double-click) opens the account page, F2 edits the
selected account, Del deletes it (after confirming), Ctrl+F searches; on the page, Alt+Left
comes back to the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.i18n import _, format_count, ngettext
from sfa_desktop.services.editing import delete_record, load_edit_context
from sfa_desktop.ui.account_page import AccountPageView
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.forms import RecordDialog, account_dialog
from sfa_desktop.ui.icons import icon
from sfa_desktop.ui.models.accounts_model import ACCOUNT_ID_ROLE, COLUMNS, AccountsModel
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.widgets.empty_state import EmptyState
from sfa_desktop.ui.widgets.paged_table_view import PagedTableView, SearchBox, muted_label
from sfa_desktop.ui.workspaces.accounts_filter_bar import AccountsFilterBar
from sfa_desktop.ui.workspaces.base import Workspace, header_label

NAME_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.attribute == "name")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class AccountsWorkspace(Workspace):
    """Lists accounts a page at a time; opening one shows its page in the same place."""

    view_id = "accounts"
    #: The user opened an account (double-click or Enter); the argument is its id.
    account_activated = Signal(str)
    #: The user asked to plan or log a visit to an account (argument: its id).
    plan_visit_requested = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._model = AccountsModel(runner, parent=self)
        self._error: str | None = None
        self._dialog: RecordDialog | None = None

        self._list_page = QWidget(self)
        self._title_label = header_label(self._list_page)
        self._count_label = muted_label(self._list_page, "accountsCount")
        self._search = SearchBox(name="accountsSearch", parent=self._list_page)
        self._search.search_requested.connect(self._model.set_search)

        self._new_button = QPushButton(icon("accounts"), "", self._list_page)
        self._new_button.setObjectName("newAccount")
        self._new_button.clicked.connect(self.new_account)
        self._edit_button = QPushButton(self._list_page)
        self._edit_button.setObjectName("editAccount")
        self._edit_button.clicked.connect(self.edit_selected)
        self._delete_button = QPushButton(self._list_page)
        self._delete_button.setObjectName("deleteAccount")
        self._delete_button.clicked.connect(self.delete_selected)

        self._filters = AccountsFilterBar(
            runner, self._list_page, today=lambda: now().astimezone().date()
        )
        self._filters.filters_changed.connect(lambda values: self._model.set_filters(**values))

        self._table = PagedTableView(
            self._model, name="accountsTable", stretch_column=NAME_COLUMN, parent=self._list_page
        )
        self._table.activated.connect(self._on_activated)
        self._empty_state = EmptyState(self._list_page)
        self._empty_state.set_icon(self.icon())
        self._pages = QStackedWidget(self._list_page)
        self._pages.addWidget(self._table)
        self._pages.addWidget(self._empty_state)
        self._build_list_layout()
        self._bind_keys()

        self._account_page = AccountPageView(runner, self, now=now)
        self._account_page.back_requested.connect(self.show_list)
        self._account_page.plan_visit_requested.connect(self.plan_visit_requested)
        self._account_page.account_changed.connect(self._account_changed)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._list_page)
        self._stack.addWidget(self._account_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

        self._model.loaded.connect(self._on_loaded)
        self._model.load_failed.connect(self._on_failed)
        self._table.selectionModel().selectionChanged.connect(self._update_actions)
        self._model.modelReset.connect(self._update_actions)
        self.retranslate()
        self._model.refresh()
        self._filters.load_choices()

    def _build_list_layout(self) -> None:
        header_row = QHBoxLayout()
        header_row.addWidget(self._title_label)
        header_row.addSpacing(12)
        header_row.addWidget(self._count_label, 0, Qt.AlignmentFlag.AlignBottom)
        header_row.addStretch(1)
        header_row.addWidget(self._search)
        tool_row = QHBoxLayout()
        tool_row.addWidget(self._filters, 1)
        for button in (self._new_button, self._edit_button, self._delete_button):
            tool_row.addWidget(button)
        layout = QVBoxLayout(self._list_page)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addLayout(header_row)
        layout.addLayout(tool_row)
        layout.addWidget(self._pages, 1)

    def _bind_keys(self) -> None:
        new = QShortcut(QKeySequence("Ctrl+N"), self._list_page)
        new.activated.connect(self.new_account)
        for sequence, slot in (("F2", self.edit_selected), ("Del", self.delete_selected)):
            shortcut = QShortcut(QKeySequence(sequence), self._table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    # --- public API ------------------------------------------------------------------------

    @property
    def model(self) -> AccountsModel:
        return self._model

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def search_box(self) -> QLineEdit:
        return self._search

    @property
    def filter_bar(self) -> AccountsFilterBar:
        return self._filters

    @property
    def count_label(self) -> QLabel:
        return self._count_label

    @property
    def empty_state(self) -> EmptyState:
        return self._empty_state

    @property
    def account_page(self) -> AccountPageView:
        return self._account_page

    @property
    def open_dialog(self) -> RecordDialog | None:
        """The account dialog opened from the list, while it is open."""
        return self._dialog

    def showing_empty_state(self) -> bool:
        return self._pages.currentWidget() is self._empty_state

    def showing_account_page(self) -> bool:
        return self._stack.currentWidget() is self._account_page

    def title(self) -> str:
        return _("Accounts")

    def description(self) -> str:
        return _("Your customers and prospects.")

    def focus_search(self) -> bool:
        self.show_list()
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()
        return True

    def selected_account_id(self) -> str | None:
        index = self._table.currentIndex()
        if not index.isValid() or not self._table.selectionModel().isRowSelected(index.row()):
            return None
        account_id = self._model.data(index, ACCOUNT_ID_ROLE)
        return account_id if isinstance(account_id, str) else None

    def open_account(self, account_id: str) -> None:
        """Show the account's page."""
        self._account_page.show_account(account_id)
        self._stack.setCurrentWidget(self._account_page)
        self._account_page.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_list(self) -> None:
        """Back from an account page to the list."""
        if self._stack.currentWidget() is not self._list_page:
            self._stack.setCurrentWidget(self._list_page)
            self._table.setFocus(Qt.FocusReason.OtherFocusReason)

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
        answer = QMessageBox.question(
            self,
            _("Delete account"),
            _(
                "Delete the account “{name}”?\n\nIt disappears from the lists here and, after "
                "the next sync, for everyone. Its contacts, visits and quotes are kept."
            ).format(name=name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def delete(session: Any) -> None:
            delete_record(session, load_edit_context(session), "account", account_id)

        self._runner.run_db(
            delete, on_done=lambda _result: self._reload(), on_error=self._action_failed, owner=self
        )

    # --- reacting --------------------------------------------------------------------------

    def _open_dialog(self, dialog: RecordDialog) -> None:
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _account_id: self._reload())
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self) -> None:
        self._dialog = None

    def _reload(self) -> None:
        self._model.refresh()
        self._filters.load_choices()

    def _account_changed(self, _account_id: str) -> None:
        self._reload()

    def _action_failed(self, error: BaseException) -> None:
        QMessageBox.warning(self, _("Accounts"), describe_error(error))

    def _on_loaded(self) -> None:
        self._error = None
        self._update_texts()
        self._table.column_fitter.fit()
        self._mark_ready()

    def _on_failed(self, message: str) -> None:
        self._error = message
        self._update_texts()
        self._mark_ready()

    def _update_actions(self) -> None:
        selected = self.selected_account_id() is not None
        self._edit_button.setEnabled(selected)
        self._delete_button.setEnabled(selected)

    def _update_texts(self) -> None:
        total = self._model.total_count
        shown = self._model.shown_query
        if total is None or shown is None:
            self._count_label.setText(_("Loading…") if self._error is None else "")
        else:
            self._count_label.setText(
                ngettext("{count} account", "{count} accounts", total).format(
                    count=format_count(total)
                )
            )
        if self._error is not None:
            self._empty_state.set_text(_("The accounts could not be loaded"), self._error)
            self._pages.setCurrentWidget(self._empty_state)
        elif total == 0 and shown is not None and shown.search:
            self._empty_state.set_text(
                _("No accounts match “{search}”").format(search=shown.search),
                _("Check the spelling, or search by name, tax ID, city or region."),
            )
            self._pages.setCurrentWidget(self._empty_state)
        elif total == 0 and shown is not None and shown.filters:
            self._empty_state.set_text(
                _("No accounts match these filters"),
                _("Change or clear the filters to see more accounts."),
            )
            self._pages.setCurrentWidget(self._empty_state)
        elif total == 0:
            self._empty_state.set_text(
                _("No accounts yet"),
                _(
                    "The accounts you own will appear here once you sync with the server. "
                    "To explore the app with sample data, start it with --demo."
                ),
            )
            self._pages.setCurrentWidget(self._empty_state)
        else:
            self._pages.setCurrentWidget(self._table)

    def _on_activated(self, index: QModelIndex) -> None:
        account_id = self._model.data(index, ACCOUNT_ID_ROLE)
        if isinstance(account_id, str):
            self.account_activated.emit(account_id)
            self.open_account(account_id)

    def retranslate(self) -> None:
        self._title_label.setText(self.title())
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
        self._model.retranslate()
        self._update_texts()
        self._update_actions()
        self._table.column_fitter.fit()
