"""The accounts table model: a :class:`PagedTableModel` over ``list_accounts``.

Filters (see :meth:`AccountsModel.set_filters`): ``owner_id``, ``region``,
``lifecycle_stage`` and ``overdue_on`` (a date: accounts overdue for a visit on that day).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QObject

from sfa_desktop.domain.validation.contact_points import format_phone
from sfa_desktop.i18n import _, enum_label
from sfa_desktop.store.repositories.accounts import AccountRow, count_accounts, list_accounts
from sfa_desktop.ui.models.paged_model import (
    PAGE_SIZE,
    ROW_ID_ROLE,
    ListQuery,
    PagedTableModel,
    TableColumn,
    keyword_count,
    keyword_fetch,
)
from sfa_desktop.ui.tasks import TaskRunner

#: Role returning the account's id (``str``) for any cell of its row.
ACCOUNT_ID_ROLE = ROW_ID_ROLE


@lru_cache(maxsize=4096)
def _display_phone(e164: str) -> str:
    """ "954 01 29 66" for a Spanish number, "+33 1 42 68 53 00" for a foreign one."""
    return format_phone(e164)


def _stage_label(value: str) -> str:
    return enum_label("lifecycle_stage", value)


COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("name", lambda: _("Name"), sort_key="name"),
    TableColumn("tax_id", lambda: _("Tax ID")),
    TableColumn("city", lambda: _("City"), sort_key="city"),
    TableColumn("region", lambda: _("Region"), sort_key="region"),
    TableColumn("owner_name", lambda: _("Owner"), sort_key="owner_name"),
    TableColumn(
        "lifecycle_stage",
        lambda: _("Stage"),
        sort_key="lifecycle_stage",
        text=_stage_label,
        translated=True,
    ),
    TableColumn("phone", lambda: _("Phone"), text=_display_phone),
    TableColumn("email", lambda: _("Email")),
)
STAGE_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.attribute == "lifecycle_stage")


def column_titles() -> tuple[str, ...]:
    """The column headers in the current language, in :data:`COLUMNS` order."""
    return tuple(column.title() for column in COLUMNS)


@dataclass(frozen=True)
class AccountQuery(ListQuery):
    """The accounts list's query: sorted by name unless the user picks another column."""

    sort: str = "name"


class AccountsModel(PagedTableModel[AccountRow]):
    """Accounts matching :attr:`query`, loaded a page at a time on the database thread."""

    def __init__(
        self, runner: TaskRunner, *, page_size: int = PAGE_SIZE, parent: QObject | None = None
    ) -> None:
        super().__init__(
            runner,
            columns=COLUMNS,
            fetch=keyword_fetch(list_accounts),
            count=keyword_count(count_accounts),
            initial_query=AccountQuery(),
            page_size=page_size,
            parent=parent,
        )

    def account_at(self, row: int) -> AccountRow:
        return self.row_at(row)
