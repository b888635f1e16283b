"""How a paged list is described: its columns, its query, the read functions behind it.

:class:`TableColumn` and :class:`ListQuery` are plain data (safe to hand to a worker);
:func:`keyword_fetch` / :func:`keyword_count` adapt the services' keyword-only list functions
(:class:`sfa_desktop.services.record_lists.PagedList`) to what
:class:`~sfa_desktop.ui.models.paged_model.PagedTableModel` calls.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from PySide6.QtCore import Qt

RowT = TypeVar("RowT")
PAGE_SIZE = 200
#: Role returning the row's record id (``str``) for any cell of its row.
ROW_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role returning the row itself (its plain dataclass) for any cell of its row.
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
#: The key under which the search text reaches the fetch and count functions.
SEARCH_FILTER = "search"

FetchPage = Callable[[Any, int, int, str, bool, Mapping[str, Any]], Sequence[RowT]]
"""``(session, offset, limit, sort, descending, filters) -> rows`` (database thread)."""
CountRows = Callable[[Any, Mapping[str, Any]], int]
"""``(session, filters) -> how many rows the fetch function pages through``."""

_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT_ALIGNED = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class TableColumn:
    """One column: the row attribute it shows, its header and how the store sorts it.

    ``text`` formats a value that is not ``None`` (default: ``str``); ``cell`` instead makes
    the text from the whole row (a cell combining attributes, like an amount and its
    currency). ``tooltip`` makes a cell's tooltip from the whole row (default: the cell's
    text), e.g. the whole of a text the cell shortens. ``translated`` marks columns whose text
    changes with the language, re-read by :meth:`PagedTableModel.retranslate`.
    """

    attribute: str
    title: Callable[[], str]
    sort_key: str | None = None
    text: Callable[[Any], str] | None = None
    cell: Callable[[Any], str] | None = None
    tooltip: Callable[[Any], str | None] | None = None
    alignment: Qt.AlignmentFlag = _LEFT
    translated: bool = False


@dataclass(frozen=True)
class ListQuery:
    """What a list shows: search text, order and filters (immutable, safe to send to a worker).

    ``filters`` holds ``(name, value)`` pairs sorted by name, never with a ``None`` value.
    """

    search: str = ""
    sort: str = ""
    descending: bool = False
    filters: tuple[tuple[str, Hashable], ...] = field(default=())

    def filter_values(self) -> dict[str, Any]:
        """The filters as a dict (without the search)."""
        return dict(self.filters)

    def with_filters(self, **values: Hashable | None) -> ListQuery:
        """A copy with ``values`` set (a ``None`` value removes that filter)."""
        merged: dict[str, Hashable] = dict(self.filters)
        for name, value in values.items():
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
        return replace(self, filters=tuple(sorted(merged.items())))

    def fetch_filters(self) -> dict[str, Any]:
        """What the fetch and count functions receive: the filters plus the search text."""
        values = self.filter_values()
        if self.search:
            values[SEARCH_FILTER] = self.search
        return values


@dataclass(frozen=True)
class NameSortedQuery(ListQuery):
    """A records list's query: sorted by name unless the user picks another column."""

    sort: str = "name"


def keyword_fetch(list_rows: Callable[..., Sequence[RowT]]) -> FetchPage[RowT]:
    """Adapt a read function ``list_x(session, *, offset, limit, sort, descending, **filters)``."""

    def fetch(
        session: Any,
        offset: int,
        limit: int,
        sort: str,
        descending: bool,
        filters: Mapping[str, Any],
    ) -> Sequence[RowT]:
        return list_rows(
            session, offset=offset, limit=limit, sort=sort, descending=descending, **filters
        )

    return fetch


def keyword_count(count_rows: Callable[..., int]) -> CountRows:
    """Adapt a read function ``count_x(session, **filters)``."""

    def count(session: Any, filters: Mapping[str, Any]) -> int:
        return count_rows(session, **filters)

    return count
