"""The contacts table model: a :class:`PagedTableModel` over ``list_contacts``.

Filters (see :meth:`ContactsModel.set_filter`): ``account_id`` (the contacts of one account).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QObject

from sfa_desktop.domain.validation import format_phone
from sfa_desktop.i18n import _, enum_label
from sfa_desktop.store.repositories.contacts import ContactRow, count_contacts, list_contacts
from sfa_desktop.ui.models.paged_model import (
    PAGE_SIZE,
    ListQuery,
    PagedTableModel,
    TableColumn,
    keyword_count,
    keyword_fetch,
)
from sfa_desktop.ui.tasks import TaskRunner


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


@dataclass(frozen=True)
class ContactQuery(ListQuery):
    """The contacts list's query: sorted by name unless the user picks another column."""

    sort: str = "name"


class ContactsModel(PagedTableModel[ContactRow]):
    """Contacts matching :attr:`query`, loaded a page at a time on the database thread."""

    def __init__(
        self, runner: TaskRunner, *, page_size: int = PAGE_SIZE, parent: QObject | None = None
    ) -> None:
        super().__init__(
            runner,
            columns=COLUMNS,
            fetch=keyword_fetch(list_contacts),
            count=keyword_count(count_contacts),
            initial_query=ContactQuery(),
            page_size=page_size,
            parent=parent,
        )

    def contact_at(self, row: int) -> ContactRow:
        return self.row_at(row)
