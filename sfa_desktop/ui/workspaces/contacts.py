"""The Contacts workspace: every person at every account, searchable, editable, exportable.

Keyboard: Ctrl+N new contact, Enter/double-click or F2 edits, Del deletes (after confirming),
Ctrl+E exports the selected contacts as vCards, Ctrl+F searches.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
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

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.i18n import _, format_count, ngettext
from sfa_desktop.services.editing import delete_record, load_edit_context
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.forms import AccountSource, RecordDialog, ReferencePicker, contact_dialog
from sfa_desktop.ui.icons import icon
from sfa_desktop.ui.models.contacts_model import NAME_COLUMN, ContactsModel, contact_name
from sfa_desktop.ui.models.paged_model import ROW_ID_ROLE
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.widgets.empty_state import EmptyState
from sfa_desktop.ui.widgets.paged_table_view import PagedTableView, SearchBox, muted_label
from sfa_desktop.ui.workspaces.base import Workspace, header_label
from sfa_desktop.ui.workspaces.contacts_export import VcardExport
from sync_server.protocol.catalog import CONTACT

NOTICE_MS = 8000


class ContactsWorkspace(Workspace):
    """Lists contacts a page at a time; the account filter narrows them to one account."""

    view_id = "contacts"
    #: A short message appeared next to the buttons (e.g. "3 contacts exported to …").
    notice_shown = Signal(str)

    def __init__(
        self, runner: TaskRunner, parent: QWidget | None = None, *, native_dialogs: bool = True
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._model = ContactsModel(runner, parent=self)
        self._error: str | None = None
        self._dialog: RecordDialog | None = None
        self._export = VcardExport(runner, self, native_dialogs=native_dialogs)
        self._export.exported.connect(self._exported)
        self._export.failed.connect(self._action_failed)

        self._title_label = header_label(self)
        self._count_label = muted_label(self, "contactsCount")
        self._search = SearchBox(name="contactsSearch", parent=self)
        self._search.search_requested.connect(self._model.set_search)

        self._account_label = QLabel(self)
        self._account_filter = ReferencePicker(
            "contact",
            CONTACT.field("account_id"),
            self,
            runner=runner,
            source=AccountSource(),
        )
        self._account_filter.widget.setObjectName("contactsAccountFilter")
        self._account_filter.widget.setMinimumWidth(300)
        self._account_filter.changed.connect(self._account_filter_changed)
        self._notice = QLabel(self)
        self._notice.setObjectName("contactsNotice")
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(NOTICE_MS)
        self._notice_timer.timeout.connect(self._notice.clear)

        self._new_button = self._button("newContact", self.new_contact, icon("contacts"))
        self._edit_button = self._button("editContact", self.edit_selected)
        self._delete_button = self._button("deleteContact", self.delete_selected)
        self._export_button = self._button("exportVcard", self.export_selected)

        self._table = PagedTableView(
            self._model,
            name="contactsTable",
            stretch_column=NAME_COLUMN,
            multi_select=True,
            parent=self,
        )
        self._table.activated.connect(self._on_activated)
        self._empty_state = EmptyState(self)
        self._empty_state.set_icon(self.icon())
        self._pages = QStackedWidget(self)
        self._pages.addWidget(self._table)
        self._pages.addWidget(self._empty_state)
        self._build_layout()
        self._bind_keys()

        self._model.loaded.connect(self._on_loaded)
        self._model.load_failed.connect(self._on_failed)
        self._table.selectionModel().selectionChanged.connect(self._update_actions)
        self._model.modelReset.connect(self._update_actions)
        self.retranslate()
        self._model.refresh()

    def _button(self, name: str, slot: Any, button_icon: Any = None) -> QPushButton:
        button = QPushButton(self) if button_icon is None else QPushButton(button_icon, "", self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _build_layout(self) -> None:
        header_row = QHBoxLayout()
        header_row.addWidget(self._title_label)
        header_row.addSpacing(12)
        header_row.addWidget(self._count_label, 0, Qt.AlignmentFlag.AlignBottom)
        header_row.addStretch(1)
        header_row.addWidget(self._search)
        tool_row = QHBoxLayout()
        tool_row.addWidget(self._account_label)
        tool_row.addWidget(self._account_filter.widget)
        tool_row.addWidget(self._notice, 1)
        buttons = (self._new_button, self._edit_button, self._delete_button, self._export_button)
        for button in buttons:
            tool_row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addLayout(header_row)
        layout.addLayout(tool_row)
        layout.addWidget(self._pages, 1)

    def _bind_keys(self) -> None:
        for sequence, slot in (("Ctrl+N", self.new_contact), ("Ctrl+E", self.export_selected)):
            QShortcut(QKeySequence(sequence), self).activated.connect(slot)
        for sequence, slot in (("F2", self.edit_selected), ("Del", self.delete_selected)):
            shortcut = QShortcut(QKeySequence(sequence), self._table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    # --- public API ------------------------------------------------------------------------

    @property
    def model(self) -> ContactsModel:
        return self._model

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def search_box(self) -> QLineEdit:
        return self._search

    @property
    def account_filter(self) -> ReferencePicker:
        return self._account_filter

    @property
    def count_label(self) -> QLabel:
        return self._count_label

    @property
    def notice(self) -> QLabel:
        return self._notice

    @property
    def empty_state(self) -> EmptyState:
        return self._empty_state

    @property
    def open_dialog(self) -> RecordDialog | None:
        return self._dialog

    @property
    def file_dialog(self) -> QFileDialog | None:
        """The "Export vCard" file dialog while it is open."""
        return self._export.dialog

    def showing_empty_state(self) -> bool:
        return self._pages.currentWidget() is self._empty_state

    def title(self) -> str:
        return _("Contacts")

    def description(self) -> str:
        return _("The people you deal with at each account.")

    def focus_search(self) -> bool:
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()
        return True

    def selected_ids(self) -> list[str]:
        """The selected contacts, in list order."""
        rows = sorted(index.row() for index in self._table.selectionModel().selectedRows())
        return [self._model.contact_at(row).id for row in rows]

    def new_contact(self) -> None:
        """Ctrl+N: a new contact (of the filtered account, if any)."""
        if self._dialog is not None:
            return
        account_id = self._model.query.filter_values().get("account_id")
        initial = {"account_id": account_id} if account_id else None
        self._open_dialog(contact_dialog(self._runner, initial=initial, parent=self))

    def edit_selected(self) -> None:
        """F2 / Enter: edit the current contact."""
        index = self._table.currentIndex()
        contact_id = self._model.data(index, ROW_ID_ROLE) if index.isValid() else None
        if isinstance(contact_id, str) and self._dialog is None:
            self._open_dialog(contact_dialog(self._runner, record_id=contact_id, parent=self))

    def delete_selected(self) -> None:
        """Del: delete the selected contacts after the user confirms (soft deletes)."""
        ids = self.selected_ids()
        if not ids:
            return
        if len(ids) == 1:
            row = self._model.row_of(ids[0])
            question = _("Delete the contact “{name}”?").format(
                name=contact_name(self._model.contact_at(row))
            )
        else:
            question = ngettext(
                "Delete {count} contact?", "Delete {count} contacts?", len(ids)
            ).format(count=format_count(len(ids)))
        answer = QMessageBox.question(
            self,
            _("Delete contact"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def delete(session: Any) -> None:
            context = load_edit_context(session)
            for contact_id in ids:
                delete_record(session, context, "contact", contact_id)

        self._runner.run_db(
            delete,
            on_done=lambda _result: self._model.refresh(),
            on_error=self._action_failed,
            owner=self,
        )

    def export_selected(self) -> None:
        """Ctrl+E: save the selected contacts as a vCard file (asks where)."""
        ids = self.selected_ids()
        if not ids:
            return
        suggested = _("contacts")
        if len(ids) == 1:
            suggested = contact_name(self._model.contact_at(self._model.row_of(ids[0])))
        self._export.start(ids, suggested)

    # --- reacting --------------------------------------------------------------------------

    def _exported(self, count: int, file_name: str) -> None:
        self._show_notice(
            ngettext(
                "{count} contact exported to {file}", "{count} contacts exported to {file}", count
            ).format(count=format_count(count), file=file_name)
        )

    def _show_notice(self, text: str) -> None:
        self._notice.setText(text)
        self._notice_timer.start()
        self.notice_shown.emit(text)

    def _open_dialog(self, dialog: RecordDialog) -> None:
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _contact_id: self._model.refresh())
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self) -> None:
        self._dialog = None

    def _action_failed(self, error: BaseException) -> None:
        message = describe_error(error)
        if isinstance(error, OSError):
            message = _("The file could not be written: {error}").format(error=error.strerror)
        QMessageBox.warning(self, _("Contacts"), message)

    def _account_filter_changed(self) -> None:
        try:
            account_id = self._account_filter.value()
        except ValidationError:
            return  # still typing: the filter changes once an account is picked
        self._model.set_filter("account_id", account_id)

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
        count = len(self._table.selectionModel().selectedRows())
        self._edit_button.setEnabled(count == 1)
        self._delete_button.setEnabled(count > 0)
        self._export_button.setEnabled(count > 0)

    def _update_texts(self) -> None:
        total, shown = self._model.total_count, self._model.shown_query
        if total is None or shown is None:
            self._count_label.setText(_("Loading…") if self._error is None else "")
        else:
            self._count_label.setText(
                ngettext("{count} contact", "{count} contacts", total).format(
                    count=format_count(total)
                )
            )
        empty: tuple[str, str] | None = None
        if self._error is not None:
            empty = (_("The contacts could not be loaded"), self._error)
        elif total == 0 and shown is not None and shown.search:
            empty = (
                _("No contacts match “{search}”").format(search=shown.search),
                _("Check the spelling, or search by name, email or account."),
            )
        elif total == 0 and shown is not None and shown.filters:
            empty = (
                _("No contacts at this account yet"),
                _("Add the people you deal with there with New contact (Ctrl+N)."),
            )
        elif total == 0:
            empty = (
                _("No contacts yet"),
                _(
                    "The people you deal with at your accounts will be listed here, with their "
                    "role in the purchase. Add one with New contact (Ctrl+N)."
                ),
            )
        if empty is not None:
            self._empty_state.set_text(*empty)
            self._pages.setCurrentWidget(self._empty_state)
        else:
            self._pages.setCurrentWidget(self._table)

    def _on_activated(self, index: QModelIndex) -> None:
        self._table.setCurrentIndex(index)
        self.edit_selected()

    def retranslate(self) -> None:
        self._title_label.setText(self.title())
        self._search.setPlaceholderText(_("Search by name, email or account"))
        self._search.setToolTip(_("Type to filter the contacts (Ctrl+F)"))
        self._account_label.setText(_("Account:"))
        self._account_filter.widget.setToolTip(
            _("Only the contacts of one account; clear it to see everyone")
        )
        self._account_filter.retranslate()
        self._account_filter.widget.setPlaceholderText(_("All accounts (type to pick one)"))
        for button, text, tip in (
            (self._new_button, _("New contact"), _("Add a contact (Ctrl+N)")),
            (self._edit_button, _("Edit"), _("Edit the selected contact (F2, Enter)")),
            (self._delete_button, _("Delete"), _("Delete the selected contacts (Del)")),
            (
                self._export_button,
                _("Export vCard…"),
                _(
                    "Save the selected contacts as a vCard file for phones and address books (Ctrl+E)"
                ),
            ),
        ):
            button.setText(text)
            button.setToolTip(tip)
        self._model.retranslate()
        self._update_texts()
        self._update_actions()
        self._table.column_fitter.fit()
