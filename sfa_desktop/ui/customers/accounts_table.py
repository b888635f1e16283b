"""The Customers workspace's list: a segment's accounts with their value columns.

The rows are the segment's :class:`~sfa_desktop.domain.segments.AccountFacts`, already in
memory (the analysis task read them); the model hands them to the view a page at a time
(``canFetchMore`` / ``fetchMore``, :data:`PAGE_SIZE` rows), so a 100,000-account segment
opens at once. Every column sorts (in memory, on the whole segment); the search box keeps the
accounts whose name, city or region contain every word typed (case and accents aside).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from sfa_desktop.domain.name_order import sort_key
from sfa_desktop.domain.segments import AccountFacts, customer_age_years, folded, rfm_class
from sfa_desktop.i18n import _
from sfa_desktop.services.exports.segment_csv import rfm_label
from sfa_desktop.ui.account_page.display import show_amount, show_date
from sfa_desktop.ui.models.column_table import ColumnTableModel
from sfa_desktop.ui.models.list_query import TableColumn

PAGE_SIZE = 200
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_Index = QModelIndex | QPersistentModelIndex


class CustomersTableModel(ColumnTableModel[AccountFacts]):
    """The accounts of a segment; :meth:`set_accounts` replaces them."""

    def __init__(self, parent: QObject | None = None) -> None:
        self._currency = "EUR"
        self._today = dt.date.today()
        super().__init__(self._make_columns(), row_id=lambda f: f.account_id, parent=parent)
        self._all: list[AccountFacts] = []
        self._shown: list[AccountFacts] = []
        self._search = ""
        self._sort_column = self.column_of("value")
        self._descending = True

    # --- columns ---------------------------------------------------------------------------

    def _money(self, value: Decimal | None) -> str:
        return "" if value is None else show_amount(value, self._currency)

    def _make_columns(self) -> tuple[TableColumn, ...]:
        def money(title: Callable[[], str], attribute: str) -> TableColumn:
            return TableColumn(
                attribute, title, sort_key=attribute, text=self._money, alignment=_RIGHT
            )

        def date(title: Callable[[], str], attribute: str) -> TableColumn:
            return TableColumn(attribute, title, sort_key=attribute, text=show_date)

        return (
            TableColumn("name", lambda: _("Name"), sort_key="name"),
            TableColumn("city", lambda: _("City"), sort_key="city"),
            money(lambda: _("Value"), "value"),
            money(lambda: _("Won, 12 months"), "spend_12m"),
            money(lambda: _("Potential"), "potential"),
            TableColumn("abc", lambda: _("Tier"), sort_key="abc"),
            TableColumn(
                "rfm",
                lambda: _("Affinity"),
                sort_key="rfm",
                cell=lambda f: rfm_label(rfm_class(f, self._today)),
                translated=True,
            ),
            TableColumn(
                "age",
                lambda: _("Years"),
                sort_key="age",
                cell=lambda f: _text(customer_age_years(f, self._today)),
                alignment=_RIGHT,
                tooltip=lambda f: _("Years since the first purchase"),
            ),
            date(lambda: _("Last purchase"), "last_purchase"),
            date(lambda: _("Last visit"), "last_visit"),
        )

    def _key(self, column: int) -> Callable[[AccountFacts], Any]:
        attribute = self._columns[column].attribute
        today = self._today
        if attribute in ("name", "city", "region"):
            return lambda f: sort_key(getattr(f, attribute) or "")
        if attribute == "rfm":
            return lambda f: rfm_class(f, today)
        if attribute == "age":
            return lambda f: customer_age_years(f, today) or -1
        if attribute in ("potential", "last_purchase", "last_visit"):
            # missing values sort below every real one, whichever the direction
            floor: Any = Decimal(-1) if attribute == "potential" else dt.date.min
            return lambda f: getattr(f, attribute) or floor
        return lambda f: getattr(f, attribute)

    # --- state -----------------------------------------------------------------------------

    def set_accounts(
        self, accounts: Sequence[AccountFacts], *, currency: str, today: dt.date
    ) -> None:
        self._currency = currency
        self._today = today
        self._all = list(accounts)
        self._apply()

    def set_search(self, text: str) -> None:
        self._search = text
        self._apply()

    def shown_accounts(self) -> list[AccountFacts]:
        """Every account the list holds (searched and sorted), fetched or not."""
        return list(self._shown)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        self._sort_column = column
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._apply()

    def sort_state(self) -> tuple[int, Qt.SortOrder]:
        order = Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder
        return self._sort_column, order

    def _apply(self) -> None:
        words = [folded(word) for word in self._search.split() if word.strip()]
        chosen = self._all
        if words:
            chosen = [f for f in chosen if _has_words(f, words)]
        key = self._key(self._sort_column)
        name = self._key(0)
        shown = sorted(chosen, key=name)
        shown.sort(key=key, reverse=self._descending)
        self.beginResetModel()
        self._shown = shown
        self._rows = shown[:PAGE_SIZE]
        self.endResetModel()

    # --- paging ----------------------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < len(self._shown)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        start = len(self._rows)
        more = self._shown[start : start + PAGE_SIZE]
        if not more:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def _has_words(facts: AccountFacts, words: list[str]) -> bool:
    haystack = " ".join(folded(t) for t in (facts.name, facts.city or "", facts.region or ""))
    return all(word in haystack for word in words)
