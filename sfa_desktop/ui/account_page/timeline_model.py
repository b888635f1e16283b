"""The account timeline as a list model: the first page arrives with the account page,
older pages load on demand (:meth:`TimelineModel.load_more`: the "Show older interactions"
button, or scrolling to the end of the list)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from sfa_desktop.services.account_page import (
    TIMELINE_PAGE_SIZE,
    TimelineCursor,
    TimelineEntry,
    TimelinePage,
    load_timeline,
)
from sfa_desktop.ui.account_page.timeline_text import entry_html, entry_summary
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.models.paged_model import ROW_ID_ROLE
from sfa_desktop.ui.tasks import TaskRunner

#: Role returning the :class:`TimelineEntry` of a row.
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2
#: Role returning the row's rich text (HTML) for the delegate.
HTML_ROLE = Qt.ItemDataRole.UserRole + 3

_Index = QModelIndex | QPersistentModelIndex


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class TimelineModel(QAbstractListModel):
    """Timeline entries of one account, newest first."""

    #: Loading older entries started (``True``) or finished (``False``).
    loading_changed = Signal(bool)
    #: Loading older entries failed; the argument is a translated message.
    load_failed = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        *,
        page_size: int = TIMELINE_PAGE_SIZE,
        now: Callable[[], dt.datetime] = _utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._page_size = page_size
        self._now = now
        self._account_id: str | None = None
        self._entries: list[TimelineEntry] = []
        self._next: TimelineCursor | None = None
        self._loading = False
        self._task_key = ("timeline-model", id(self))
        self._generation = 0

    @property
    def has_more(self) -> bool:
        """Older entries exist that are not loaded yet."""
        return self._next is not None

    @property
    def is_loading(self) -> bool:
        return self._loading

    def entry_at(self, row: int) -> TimelineEntry:
        return self._entries[row]

    def set_page(self, account_id: str, page: TimelinePage) -> None:
        """Show the first page (it came with the account page)."""
        self._generation += 1  # a load still running for the previous page is dropped
        self._set_loading(False)
        self.beginResetModel()
        self._account_id = account_id
        self._entries = list(page.entries)
        self._next = page.next_cursor
        self.endResetModel()

    def load_more(self) -> None:
        """Load the next older page (ignored while one is loading or when there is none)."""
        if self._loading or self._next is None or self._account_id is None:
            return
        account_id, before, limit, now = self._account_id, self._next, self._page_size, self._now()
        generation = self._generation

        def load(session: Any) -> tuple[int, TimelinePage]:
            page = load_timeline(session, account_id, now=now, before=before, limit=limit)
            return generation, page

        self._set_loading(True)
        self._runner.run_db(
            load, on_done=self._more_loaded, on_error=self._failed, key=self._task_key, owner=self
        )

    def _more_loaded(self, result: tuple[int, TimelinePage]) -> None:
        generation, page = result
        if generation != self._generation:
            return
        self._set_loading(False)
        self._next = page.next_cursor
        if page.entries:
            first = len(self._entries)
            self.beginInsertRows(QModelIndex(), first, first + len(page.entries) - 1)
            self._entries.extend(page.entries)
            self.endInsertRows()

    def _failed(self, error: BaseException) -> None:
        self._set_loading(False)
        self.load_failed.emit(describe_error(error))

    def _set_loading(self, loading: bool) -> None:
        if loading != self._loading:
            self._loading = loading
            self.loading_changed.emit(loading)

    # --- the list ------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return entry_summary(entry)
        if role == HTML_ROLE:
            return entry_html(entry)
        if role == ENTRY_ROLE:
            return entry
        if role == ROW_ID_ROLE:
            return entry.record_id
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
        if self._entries:
            self.dataChanged.emit(self.index(0), self.index(len(self._entries) - 1))
