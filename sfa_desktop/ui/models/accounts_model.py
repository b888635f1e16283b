"""The accounts table model: a :class:`RecordListModel` over the services' ``ACCOUNT_LIST``.

Filters (see :meth:`AccountsModel.set_filters`): ``owner_id``, ``region``,
``lifecycle_stage`` and ``overdue_on`` (a date: accounts overdue for a visit on that day).
"""

from __future__ import annotations

from functools import lru_cache

from sfa_desktop.domain.validation.contact_points import format_phone
from sfa_desktop.i18n import _, enum_label
from sfa_desktop.services.record_lists import ACCOUNT_LIST, AccountRow
from sfa_desktop.ui.models.paged_model import ROW_ID_ROLE, RecordListModel, TableColumn

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


class AccountsModel(RecordListModel[AccountRow]):
    """Accounts matching :attr:`query`, loaded a page at a time on the database thread."""

    list_columns = COLUMNS
    paged_list = ACCOUNT_LIST

    def account_at(self, row: int) -> AccountRow:
        return self.row_at(row)
