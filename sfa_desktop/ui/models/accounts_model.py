"""The accounts table model: paged SQL behind ``canFetchMore``/``fetchMore``.

The model holds only the pages loaded so far (``AccountRow`` dataclasses). Every query runs on
the task runner's database thread; a new search or sort supersedes whatever is in flight, so
out-of-date results never overwrite newer ones. Until the new first page arrives, the previous
rows stay visible (no flicker while typing).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from sfa_desktop.domain.validation.contact_points import format_phone
from sfa_desktop.i18n import _, enum_label
from sfa_desktop.store.repositories.accounts import (
    ACCOUNT_SORT_KEYS,
    AccountRow,
    count_accounts,
    list_accounts,
)
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.tasks import TaskRunner

PAGE_SIZE = 200
#: Role returning the account's id (``str``) for any cell of its row.
ACCOUNT_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class AccountColumn:
    """One column: the ``AccountRow`` attribute it shows and the store sort key, if any."""

    attribute: str
    sort_key: str | None


COLUMNS: tuple[AccountColumn, ...] = tuple(
    AccountColumn(attribute, sort_key if sort_key in ACCOUNT_SORT_KEYS else None)
    for attribute, sort_key in (
        ("name", "name"),
        ("tax_id", "tax_id"),
        ("city", "city"),
        ("region", "region"),
        ("owner_name", "owner_name"),
        ("lifecycle_stage", "lifecycle_stage"),
        ("phone", "phone"),
        ("email", "email"),
    )
)
STAGE_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.attribute == "lifecycle_stage")


def column_titles() -> tuple[str, ...]:
    """The column headers in the current language, in :data:`COLUMNS` order."""
    return (
        _("Name"),
        _("Tax ID"),
        _("City"),
        _("Region"),
        _("Owner"),
        _("Stage"),
        _("Phone"),
        _("Email"),
    )


@lru_cache(maxsize=4096)
def _display_phone(e164: str) -> str:
    """ "954 01 29 66" for a Spanish number, "+33 1 42 68 53 00" for a foreign one."""
    return format_phone(e164)


@dataclass(frozen=True)
class AccountQuery:
    """What the table shows: a search text and an order (immutable, safe to send to a worker)."""

    search: str = ""
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class _FirstPage:
    query: AccountQuery
    total: int
    rows: list[AccountRow]


class AccountsModel(QAbstractTableModel):
    """Accounts matching :attr:`query`, loaded a page at a time on the database thread."""

    #: The first page and total count of the current query have arrived.
    loaded = Signal()
    #: Loading started (``True``) or finished (``False``).
    loading_changed = Signal(bool)
    #: A query failed; the argument is a translated message.
    load_failed = Signal(str)

    def __init__(
        self, runner: TaskRunner, *, page_size: int = PAGE_SIZE, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._page_size = page_size
        self._task_key = ("accounts-model", id(self))
        self._query = AccountQuery()
        self._shown_query: AccountQuery | None = None
        self._rows: list[AccountRow] = []
        self._total: int | None = None
        self._loading = False
        self._fetching_more = False
        self._exhausted = False

    # --- state -------------------------------------------------------------------------------

    @property
    def query(self) -> AccountQuery:
        """The query most recently asked for (it may still be loading)."""
        return self._query

    @property
    def shown_query(self) -> AccountQuery | None:
        """The query whose rows are shown now (``None`` before the first load)."""
        return self._shown_query

    @property
    def total_count(self) -> int | None:
        """How many accounts match the shown query (``None`` before the first load)."""
        return self._total

    @property
    def is_loading(self) -> bool:
        return self._loading

    def account_at(self, row: int) -> AccountRow:
        return self._rows[row]

    # --- querying ----------------------------------------------------------------------------

    def set_search(self, text: str) -> None:
        """Show accounts matching ``text`` (re-queries only if it changed)."""
        self._set_query(replace(self._query, search=text.strip()))

    def refresh(self) -> None:
        """Re-run the current query from its first page."""
        self._start_first_page(self._query)

    def _set_query(self, query: AccountQuery) -> None:
        if query != self._query:
            self._start_first_page(query)

    def _start_first_page(self, query: AccountQuery) -> None:
        self._query = query
        self._fetching_more = False
        page_size = self._page_size

        def load(session: Any) -> _FirstPage:
            search = query.search or None
            total = count_accounts(session, search=search)
            rows = list_accounts(
                session,
                search=search,
                sort=query.sort,
                descending=query.descending,
                offset=0,
                limit=page_size,
            )
            return _FirstPage(query, total, rows)

        self._set_loading(True)
        self._runner.run_db(
            load, on_done=self._first_page_loaded, on_error=self._failed, key=self._task_key
        )

    def _first_page_loaded(self, page: _FirstPage) -> None:
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
        self._set_loading(False)
        self.load_failed.emit(describe_error(error))

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

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
        offset, page_size = len(self._rows), self._page_size

        def load(session: Any) -> list[AccountRow]:
            return list_accounts(
                session,
                search=query.search or None,
                sort=query.sort,
                descending=query.descending,
                offset=offset,
                limit=page_size,
            )

        self._fetching_more = True
        self._runner.run_db(
            load, on_done=self._next_page_loaded, on_error=self._failed, key=self._task_key
        )

    def _next_page_loaded(self, rows: list[AccountRow]) -> None:
        self._fetching_more = False
        if len(rows) < self._page_size:
            self._exhausted = True
        if not rows:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()
        if self._total is not None and len(self._rows) >= self._total:
            self._exhausted = True

    # --- sorting -----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Re-query ordered by ``column`` (columns without a store sort key are ignored)."""
        if not self.is_sortable(column):
            return
        sort_key = COLUMNS[column].sort_key
        assert sort_key is not None
        descending = order == Qt.SortOrder.DescendingOrder
        self._set_query(replace(self._query, sort=sort_key, descending=descending))

    def is_sortable(self, column: int) -> bool:
        """Whether the store can order accounts by ``column``."""
        return 0 <= column < len(COLUMNS) and COLUMNS[column].sort_key is not None

    def sort_column(self) -> int:
        """The column matching the current sort key (-1 if none shows it)."""
        for index, column in enumerate(COLUMNS):
            if column.sort_key == self._query.sort:
                return index
        return -1

    # --- the table -----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        account = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._display_text(account, index.column())
        if role == ACCOUNT_ID_ROLE:
            return account.id
        return None

    def _display_text(self, account: AccountRow, column: int) -> str | None:
        if not 0 <= column < len(COLUMNS):
            return None
        attribute = COLUMNS[column].attribute
        value = getattr(account, attribute)
        if value is None:
            return ""
        if attribute == "lifecycle_stage":
            return enum_label("lifecycle_stage", value)
        if attribute == "phone":
            return _display_phone(value)
        return str(value)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return column_titles()[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def retranslate(self) -> None:
        """Refresh headers and translated cells after a language switch."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, STAGE_COLUMN),
                self.index(len(self._rows) - 1, STAGE_COLUMN),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )
