"""The quotes table model: a :class:`PagedTableModel` over the services' ``QUOTE_LIST``.

Newest issue first (the issue date is not a column: the valid-until date follows it). Filters (see :meth:`QuotesModel.set_filters`): ``status`` (as shown: a
lapsed quote is "expired"), ``owner`` (``"mine"`` or ``"team"``), ``expiring`` and
``awaiting_approval`` (``True`` or absent). Each query reads "today" from the model's clock,
so expiry follows the calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject

from sfa_desktop.i18n import _, enum_label, pgettext
from sfa_desktop.services.quotes import QUOTE_LIST, QuoteRow
from sfa_desktop.ui.account_page.display import show_amount, show_date
from sfa_desktop.ui.models.list_query import keyword_count, keyword_fetch
from sfa_desktop.ui.models.paged_model import (
    PAGE_SIZE,
    RIGHT_ALIGNED,
    ListQuery,
    PagedTableModel,
    TableColumn,
)
from sfa_desktop.ui.tasks import TaskRunner


def _total(row: QuoteRow) -> str:
    return show_amount(row.total, row.currency)


def _status(value: str) -> str:
    return enum_label("quote.status", value)


COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("number", lambda: _("Number"), sort_key="number"),
    TableColumn(
        "revision",
        lambda: pgettext("quote revision, short", "Rev."),
        alignment=RIGHT_ALIGNED,
    ),
    TableColumn("account_name", lambda: _("Account"), sort_key="account_name"),
    TableColumn("contact_name", lambda: _("Contact")),
    TableColumn("shown_status", lambda: _("Status"), text=_status, translated=True),
    TableColumn("total", lambda: _("Total"), cell=_total, alignment=RIGHT_ALIGNED, translated=True),
    TableColumn(
        "valid_until",
        lambda: pgettext("quote list column", "Valid until"),
        sort_key="valid_until",
        text=show_date,
        translated=True,
    ),
    TableColumn("owner_name", lambda: _("Owner"), sort_key="owner_name"),
)
ACCOUNT_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.attribute == "account_name")
#: Columns shown whole however narrow the window (names give way): a cut number, status,
#: amount or date says nothing.
WHOLE_COLUMNS = tuple(
    i
    for i, c in enumerate(COLUMNS)
    if c.attribute in ("number", "revision", "shown_status", "total", "valid_until")
)


def column_titles() -> tuple[str, ...]:
    """The column headers in the current language, in :data:`COLUMNS` order."""
    return tuple(column.title() for column in COLUMNS)


class QuotesModel(PagedTableModel[QuoteRow]):
    """Quotes matching :attr:`query`, loaded a page at a time on the database thread.

    ``today`` is called on the database thread when a page is read.
    """

    def __init__(
        self,
        runner: TaskRunner,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(
            runner,
            columns=COLUMNS,
            # ``today`` is read on the database thread, when each page is read
            fetch=keyword_fetch(
                lambda session, **query: QUOTE_LIST.rows(session, today=today(), **query)
            ),
            count=keyword_count(
                lambda session, **query: QUOTE_LIST.count(session, today=today(), **query)
            ),
            initial_query=ListQuery(sort="issue_date", descending=True),
            page_size=page_size,
            parent=parent,
        )

    def quote_at(self, row: int) -> QuoteRow:
        return self.row_at(row)
