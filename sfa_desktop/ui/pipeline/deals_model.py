"""The Pipeline list's model: a :class:`PagedTableModel` over the services' ``DEAL_LIST``.

Open deals, the soonest to close first; every column sorts (in SQL); a passed close date is
red, as on the board. Filters: those of
:class:`~sfa_desktop.services.pipeline.PipelineFilters`. "Today" and "now" are read on the
database thread when a page is read, so age in stage and overdue follow the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt

from sfa_desktop.domain.money import currency_precision
from sfa_desktop.i18n import _, enum_label, format_count, ngettext
from sfa_desktop.services.pipeline import DEAL_LIST, DealRow
from sfa_desktop.ui.account_page.display import show_amount, show_date, show_money
from sfa_desktop.ui.models.list_query import keyword_count, keyword_fetch
from sfa_desktop.ui.models.paged_model import (
    PAGE_SIZE,
    RIGHT_ALIGNED,
    ListQuery,
    PagedTableModel,
    TableColumn,
)
from sfa_desktop.ui.pipeline.card_delegate import OVERDUE_COLOR
from sfa_desktop.ui.tasks import TaskRunner


def _amount(row: DealRow) -> str:
    return show_money(row.amount, row.currency)


def _weighted(row: DealRow) -> str:
    return show_amount(row.weighted.scaleb(-currency_precision(row.currency)), row.currency)


def _age(days: int) -> str:
    return ngettext("{days} day", "{days} days", days).format(days=format_count(days))


COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("account_name", lambda: _("Account"), sort_key="account_name"),
    TableColumn("name", lambda: _("Opportunity"), sort_key="name"),
    TableColumn(
        "stage",
        lambda: _("Stage"),
        sort_key="stage",
        text=lambda v: enum_label("opportunity_stage", v),
        translated=True,
    ),
    TableColumn(
        "amount",
        lambda: _("Amount"),
        sort_key="amount",
        cell=_amount,
        alignment=RIGHT_ALIGNED,
        translated=True,
    ),
    TableColumn(
        "weighted",
        lambda: _("Weighted"),
        sort_key="weighted",
        cell=_weighted,
        alignment=RIGHT_ALIGNED,
        translated=True,
    ),
    TableColumn(
        "expected_close_date",
        lambda: _("Expected close"),
        sort_key="expected_close_date",
        text=show_date,
        translated=True,
    ),
    TableColumn(
        "age_in_stage_days",
        lambda: _("In stage"),
        sort_key="age_in_stage",
        text=_age,
        alignment=RIGHT_ALIGNED,
        translated=True,
    ),
    TableColumn("owner_name", lambda: _("Owner"), sort_key="owner_name"),
)
NAME_COLUMN = 1
#: Amounts, dates and ages are shown whole; names give way.
WHOLE_COLUMNS = (2, 3, 4, 5, 6)


def column_titles() -> tuple[str, ...]:
    return tuple(column.title() for column in COLUMNS)


class DealsModel(PagedTableModel[DealRow]):
    """Open deals matching :attr:`query`, a page at a time on the database thread."""

    def __init__(
        self,
        runner: TaskRunner,
        *,
        now: Callable[[], dt.datetime],
        page_size: int = PAGE_SIZE,
        parent: QObject | None = None,
    ) -> None:
        def read_now() -> tuple[dt.date, dt.datetime]:
            moment = now()
            return moment.astimezone().date(), moment

        def rows(session: object, **query: object) -> list[DealRow]:
            today, moment = read_now()
            return DEAL_LIST.rows(session, today=today, now=moment, **query)  # type: ignore[return-value]

        def count(session: object, **query: object) -> int:
            today, moment = read_now()
            return DEAL_LIST.count(session, today=today, now=moment, **query)

        super().__init__(
            runner,
            columns=COLUMNS,
            fetch=keyword_fetch(rows),
            count=keyword_count(count),
            initial_query=ListQuery(sort="expected_close_date"),
            page_size=page_size,
            parent=parent,
        )
        self._now = now

    def deal_at(self, row: int) -> DealRow:
        return self.row_at(row)

    def cell_data(self, row: DealRow, column: TableColumn, role: int) -> Any:
        """A passed close date of an open deal in red, as on the board."""
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column.attribute == "expected_close_date"
            and row.overdue(self._now().astimezone().date())
        ):
            return OVERDUE_COLOR
        return super().cell_data(row, column, role)
