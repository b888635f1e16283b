"""The Contacts workspace: every person at every account, searchable, editable, exportable.

Keyboard: Ctrl+N new contact, Enter/double-click or F2 edits, Del deletes (after confirming),
Ctrl+E exports the selected contacts as vCards, Ctrl+F searches.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.i18n import N_, _, format_count, ngettext
from sfa_desktop.ui.forms import AccountSource, ReferencePicker, contact_dialog
from sfa_desktop.ui.models.contacts_model import COLUMNS, NAME_COLUMN, ContactsModel, contact_name
from sfa_desktop.ui.models.paged_model import ROW_ID_ROLE
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.contacts_export import VcardExport
from sfa_desktop.ui.workspaces.list_workspace import ListWords, ListWorkspace
from sync_server.protocol.catalog import CONTACT

#: Kept whole when the window is narrow (a role, a phone say nothing cut).
WHOLE_COLUMNS = tuple(i for i, c in enumerate(COLUMNS) if c.attribute in ("purchase_role", "phone"))

NOTICE_MS = 8000


class ContactsWorkspace(ListWorkspace[ContactsModel]):
    """Lists contacts a page at a time; the account filter narrows them to one account."""

    view_id = "contacts"
    #: A short message appeared next to the buttons (e.g. "3 contacts exported to …").
    notice_shown = Signal(str)
    words = ListWords(
        count=lambda n: ngettext("{count} contact", "{count} contacts", n),
        load_failed=N_("The contacts could not be loaded"),
        no_match=(
            N_("No contacts match “{search}”"),
            N_("Check the spelling, or search by name, email or account."),
        ),
        no_filter_match=(
            N_("No contacts at this account yet"),
            N_("Add the people you deal with there with New contact (Ctrl+N)."),
        ),
        no_records=(
            N_("No contacts yet"),
            N_(
                "The people you deal with at your accounts will be listed here, with their "
                "role in the purchase. Add one with New contact (Ctrl+N)."
            ),
        ),
    )

    def __init__(
        self, runner: TaskRunner, parent: QWidget | None = None, *, native_dialogs: bool = True
    ) -> None:
        super().__init__(runner, ContactsModel(runner), name="contacts", parent=parent)
        self._export = VcardExport(runner, self, native_dialogs=native_dialogs)
        self._export.exported.connect(self._exported)
        self._export.failed.connect(self._action_failed)

        page = self._list_page
        self._account_label = QLabel(page)
        self._account_filter = ReferencePicker(
            "contact",
            CONTACT.field("account_id"),
            page,
            runner=runner,
            source=AccountSource(),
        )
        self._account_filter.widget.setObjectName("contactsAccountFilter")
        self._account_filter.widget.setMinimumWidth(300)
        self._account_filter.changed.connect(self._account_filter_changed)
        self._notice = QLabel(page)
        self._notice.setObjectName("contactsNotice")
        self._notice_timer = QTimer(self)
        self._notice_timer.setSingleShot(True)
        self._notice_timer.setInterval(NOTICE_MS)
        self._notice_timer.timeout.connect(self._notice.clear)

        buttons = self._record_buttons(
            "Contact", new=self.new_contact, edit=self.edit_selected, delete=self.delete_selected
        )
        self._new_button, self._edit_button, self._delete_button = buttons
        self._export_button = self._button("exportVcard", self.export_selected)
        self._finish_list(
            stretch_column=NAME_COLUMN,
            stretch_share=0.25,
            whole_columns=WHOLE_COLUMNS,
            tools=[(self._account_label, 0), (self._account_filter.widget, 0), (self._notice, 1)],
            buttons=[*buttons, self._export_button],
            activated=self._on_activated,
            multi_select=True,
        )
        self._bind_key("Ctrl+E", self.export_selected)
        self._start()

    # --- public API ------------------------------------------------------------------------

    @property
    def account_filter(self) -> ReferencePicker:
        return self._account_filter

    @property
    def notice(self) -> QLabel:
        return self._notice

    @property
    def file_dialog(self) -> QFileDialog | None:
        """The "Export vCard" file dialog while it is open."""
        return self._export.dialog

    def title(self) -> str:
        return _("Contacts")

    def description(self) -> str:
        return _("The people you deal with at each account.")

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
        if self._confirm(_("Delete contact"), question):
            self._delete("contact", ids)

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

    def _failure_text(self, error: BaseException) -> str:
        if isinstance(error, OSError):
            return _("The file could not be written: {error}").format(error=error.strerror)
        return super()._failure_text(error)

    def _account_filter_changed(self) -> None:
        try:
            account_id = self._account_filter.value()
        except ValidationError:
            return  # still typing: the filter changes once an account is picked
        self._model.set_filter("account_id", account_id)

    def _update_actions(self) -> None:
        count = len(self._table.selectionModel().selectedRows())
        self._edit_button.setEnabled(count == 1)
        self._delete_button.setEnabled(count > 0)
        self._export_button.setEnabled(count > 0)

    def _on_activated(self, index: QModelIndex) -> None:
        self._table.setCurrentIndex(index)
        self.edit_selected()

    # --- texts -----------------------------------------------------------------------------

    def _retranslate_parts(self) -> None:
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
