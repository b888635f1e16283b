"""A table model over paged SQL: ``canFetchMore``/``fetchMore``, sorting, filters, search.

Describe the columns declaratively (:class:`TableColumn`), give two functions run on the task
runner's database thread, and the model does the rest::

    def fetch(session, offset, limit, sort, descending, filters) -> list[Row]: ...
    def count(session, filters) -> int: ...

    model = PagedTableModel(runner, columns=COLUMNS, fetch=fetch, count=count,
                            initial_query=ListQuery(sort="name"))
    model.set_search("mál")            # re-queries from the first page
    model.set_filter("owner_id", uid)  # None removes a filter
    model.sort(column, order)          # the view's header does this

``filters`` is a plain dict: the query's filters plus ``"search"`` when the search text is not
blank, so a store function taking keyword arguments fits directly (see :func:`keyword_fetch`).

The model holds only the pages loaded so far (plain dataclass rows). A new search, sort or
filter supersedes whatever is in flight (one task key per model), so out-of-date results never
overwrite newer ones; until the new first page arrives, the previous rows stay visible (no
flicker while typing).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Any, ClassVar, Generic

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from sfa_desktop.services.record_lists import PagedList
from sfa_desktop.ui.models.column_table import LoadingTableModel
from sfa_desktop.ui.models.list_query import (
    PAGE_SIZE,
    RIGHT_ALIGNED,
    ROW_ID_ROLE,
    SEARCH_FILTER,
    CountRows,
    FetchPage,
    ListQuery,
    NameSortedQuery,
    RowT,
    TableColumn,
    keyword_count,
    keyword_fetch,
)
from sfa_desktop.ui.tasks import TaskRunner

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class _FirstPage(Generic[RowT]):
    query: ListQuery
    total: int
    rows: Sequence[RowT]


def _row_id(row: Any) -> str:
    return str(row.id)


class PagedTableModel(LoadingTableModel[RowT]):
    """Rows matching :attr:`query`, loaded a page at a time on the database thread."""

    #: The first page and total count of the current query have arrived.
    loaded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        *,
        columns: Sequence[TableColumn],
        fetch: FetchPage[RowT],
        count: CountRows,
        initial_query: ListQuery,
        page_size: int = PAGE_SIZE,
        row_id: Callable[[RowT], str] = _row_id,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(columns, row_id=row_id, parent=parent)
        self._runner = runner
        self._fetch = fetch
        self._count = count
        self._page_size = page_size
        self._task_key = ("paged-model", id(self))
        self._query = initial_query
        self._shown_query: ListQuery | None = None
        self._total: int | None = None
        self._fetching_more = False
        self._exhausted = False

    # --- state -------------------------------------------------------------------------------

    @property
    def query(self) -> ListQuery:
        """The query most recently asked for (it may still be loading)."""
        return self._query

    @property
    def shown_query(self) -> ListQuery | None:
        """The query whose rows are shown now (``None`` before the first load)."""
        return self._shown_query

    @property
    def total_count(self) -> int | None:
        """How many rows match the shown query (``None`` before the first load)."""
        return self._total

    def loaded_rows(self) -> list[RowT]:
        """The rows loaded so far (a copy)."""
        return list(self._rows)

    def row_of(self, record_id: str) -> int:
        """The row number of the record ``record_id`` among the loaded rows, else -1."""
        for number, row in enumerate(self._rows):
            if self._row_id(row) == record_id:
                return number
        return -1

    # --- querying ----------------------------------------------------------------------------

    def set_search(self, text: str) -> None:
        """Show rows matching ``text`` (re-queries only if it changed)."""
        self.set_query(replace(self._query, search=text.strip()))

    def set_filter(self, name: str, value: Hashable | None) -> None:
        """Filter on ``name`` (``None`` removes the filter); re-queries if it changed."""
        self.set_query(self._query.with_filters(**{name: value}))

    def set_filters(self, **values: Hashable | None) -> None:
        """Set several filters at once (one query)."""
        self.set_query(self._query.with_filters(**values))

    def set_query(self, query: ListQuery) -> None:
        """Show ``query`` (re-queries only if it differs from the current one)."""
        if query != self._query:
            self._start_first_page(query)

    def refresh(self) -> None:
        """Re-run the current query from its first page."""
        self._start_first_page(self._query)

    def _start_first_page(self, query: ListQuery) -> None:
        self._query = query
        self._fetching_more = False
        page_size, fetch, count = self._page_size, self._fetch, self._count

        def load(session: Any) -> _FirstPage[RowT]:
            filters = query.fetch_filters()
            total = count(session, filters)
            rows = fetch(session, 0, page_size, query.sort, query.descending, filters)
            return _FirstPage(query, total, rows)

        self._set_loading(True)
        self._runner.run_db(
            load,
            on_done=self._first_page_loaded,
            on_error=self._failed,
            key=self._task_key,
            owner=self,
        )

    def _first_page_loaded(self, page: _FirstPage[RowT]) -> None:
        if page.query != self._query:  # belt and braces: the task key already drops these
            return
        self.beginResetModel()
        self._rows = list(page.rows)
        self._total = page.total
        self._shown_query = page.query
        self._exhausted = len(page.rows) < self._page_size or len(page.rows) >= page.total
        self.endResetModel()
        self._set_loading(False)
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self._fetching_more = False
        super()._failed(error)

    # --- paging ------------------------------------------------------------------------------

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or self._shown_query is None:
            return False
        return not (self._exhausted or self._loading or self._fetching_more)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        query = self._shown_query
        assert query is not None
        offset, page_size, fetch = len(self._rows), self._page_size, self._fetch

        def load(session: Any) -> tuple[ListQuery, Sequence[RowT]]:
            rows = fetch(
                session, offset, page_size, query.sort, query.descending, query.fetch_filters()
            )
            return query, rows

        self._fetching_more = True
        self._runner.run_db(
            load,
            on_done=self._next_page_loaded,
            on_error=self._failed,
            key=self._task_key,
            owner=self,
        )

    def _next_page_loaded(self, result: tuple[ListQuery, Sequence[RowT]]) -> None:
        query, rows = result
        self._fetching_more = False
        if query != self._shown_query:
            return
        if len(rows) < self._page_size:
            self._exhausted = True
        if not rows:
            return
        self._append_rows(rows)
        if self._total is not None and len(self._rows) >= self._total:
            self._exhausted = True

    # --- sorting -----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-query ordered by ``column`` (columns without a store sort key are ignored)."""
        if not self.is_sortable(column):
            return
        sort_key = self._columns[column].sort_key
        assert sort_key is not None
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, sort=sort_key, descending=descending))

    def is_sortable(self, column: int) -> bool:
        """Whether the store can order the rows by ``column``."""
        return 0 <= column < len(self._columns) and self._columns[column].sort_key is not None

    def sort_column(self) -> int:
        """The column matching the current sort key (-1 if none shows it)."""
        for number, column in enumerate(self._columns):
            if column.sort_key == self._query.sort:
                return number
        return -1

    def sort_order(self) -> Qt.SortOrder:
        if self._query.descending:
            return Qt.SortOrder.DescendingOrder
        return Qt.SortOrder.AscendingOrder


class RecordListModel(PagedTableModel[RowT]):
    """A records list over one of the services' paged lists, sorted by name at first.

    Subclasses name the columns (:attr:`list_columns`) and the list (:attr:`paged_list`).
    """

    list_columns: ClassVar[tuple[TableColumn, ...]]
    paged_list: ClassVar[PagedList[Any]]

    def __init__(
        self, runner: TaskRunner, *, page_size: int = PAGE_SIZE, parent: QObject | None = None
    ) -> None:
        super().__init__(
            runner,
            columns=self.list_columns,
            fetch=keyword_fetch(self.paged_list.rows),
            count=keyword_count(self.paged_list.count),
            initial_query=NameSortedQuery(),
            page_size=page_size,
            parent=parent,
        )


__all__ = [
    "PAGE_SIZE",
    "RIGHT_ALIGNED",
    "ROW_ID_ROLE",
    "SEARCH_FILTER",
    "CountRows",
    "FetchPage",
    "ListQuery",
    "NameSortedQuery",
    "PagedTableModel",
    "RecordListModel",
    "TableColumn",
    "keyword_count",
    "keyword_fetch",
]
