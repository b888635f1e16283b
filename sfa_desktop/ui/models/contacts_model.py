"""The contacts table model: a :class:`RecordListModel` over the services' ``CONTACT_LIST``.

Filters (see :meth:`ContactsModel.set_filter`): ``account_id`` (the contacts of one account).
"""

from __future__ import annotations

from functools import lru_cache

from sfa_desktop.domain.validation import format_phone
from sfa_desktop.i18n import _, enum_label
from sfa_desktop.services.record_lists import CONTACT_LIST, ContactRow
from sfa_desktop.ui.models.paged_model import RecordListModel, TableColumn


@lru_cache(maxsize=4096)
def _display_phone(e164: str) -> str:
    return format_phone(e164)


def contact_name(row: ContactRow) -> str:
    """ "Lucía Suárez Gil": first name, then last names."""
    return " ".join(part for part in (row.first_name, row.last_name) if part)


def _phone(row: ContactRow) -> str:
    number = row.mobile or row.phone
    return _display_phone(number) if number else ""


COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("first_name", lambda: _("Name"), sort_key="name", cell=contact_name),
    TableColumn("account_name", lambda: _("Account"), sort_key="account_name"),
    TableColumn("job_title", lambda: _("Job title")),
    TableColumn(
        "purchase_role",
        lambda: _("Role in the purchase"),
        text=lambda value: enum_label("purchase_role", value),
        translated=True,
    ),
    TableColumn("phone", lambda: _("Phone"), cell=_phone),
    TableColumn("email", lambda: _("Email")),
)
NAME_COLUMN = 0


class ContactsModel(RecordListModel[ContactRow]):
    """Contacts matching :attr:`query`, loaded a page at a time on the database thread."""

    list_columns = COLUMNS
    paged_list = CONTACT_LIST

    def contact_at(self, row: int) -> ContactRow:
        return self.row_at(row)
