"""The account timeline as a list model: the first page arrives with the account page,
older pages load on demand (:meth:`TimelineModel.load_more`: the "Show older interactions"
button, or scrolling to the end of the list)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt

from sfa_desktop.services.account_page import (
    TIMELINE_PAGE_SIZE,
    TimelineCursor,
    TimelineEntry,
    TimelinePage,
    load_timeline,
)
from sfa_desktop.ui.account_page.timeline_text import entry_html, entry_summary
from sfa_desktop.ui.models.column_table import LoadingTableModel
from sfa_desktop.ui.models.list_query import ROW_ROLE, TableColumn
from sfa_desktop.ui.tasks import TaskRunner

#: Role returning the :class:`TimelineEntry` of a row.
ENTRY_ROLE = ROW_ROLE
#: Role returning the row's rich text (HTML) for the delegate.
HTML_ROLE = Qt.ItemDataRole.UserRole + 3

#: The one column: the entry's summary as plain text (the delegate draws the card), no tooltip.
_ENTRY_COLUMN = TableColumn(
    "summary", title=lambda: "", cell=entry_summary, tooltip=lambda entry: None
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _record_id(entry: TimelineEntry) -> str:
    return entry.record_id


class TimelineModel(LoadingTableModel[TimelineEntry]):
    """Timeline entries of one account, newest first (one column)."""

    def __init__(
        self,
        runner: TaskRunner,
        *,
        page_size: int = TIMELINE_PAGE_SIZE,
        now: Callable[[], dt.datetime] = _utc_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__((_ENTRY_COLUMN,), row_id=_record_id, parent=parent)
        self._runner = runner
        self._page_size = page_size
        self._now = now
        self._account_id: str | None = None
        self._next: TimelineCursor | None = None
        self._task_key = ("timeline-model", id(self))
        self._generation = 0
        self._kind: str | None = None

    @property
    def has_more(self) -> bool:
        """Older entries exist that are not loaded yet."""
        return self._next is not None

    @property
    def kind(self) -> str | None:
        """The kind of entry shown (``None``: all; else one of ``TIMELINE_KINDS``)."""
        return self._kind

    def set_kind(self, kind: str | None) -> None:
        """Show ``kind`` entries only (``None``: all): the first page loads again."""
        if kind == self._kind:
            return
        self._kind = kind
        if self._account_id is None:
            return
        account_id, limit, now = self._account_id, self._page_size, self._now()
        self._generation += 1
        generation = self._generation

        def load(session: Any) -> tuple[int, TimelinePage]:
            return generation, load_timeline(session, account_id, now=now, limit=limit, kind=kind)

        self._set_loading(True)
        self._runner.run_db(
            load, on_done=self._first_loaded, on_error=self._failed, key=self._task_key, owner=self
        )

    def entry_at(self, row: int) -> TimelineEntry:
        return self._rows[row]

    def set_page(self, account_id: str, page: TimelinePage) -> None:
        """Show the first page (it came with the account page)."""
        self._generation += 1  # a load still running for the previous page is dropped
        self._set_loading(False)
        self.beginResetModel()
        self._account_id = account_id
        self._rows = list(page.entries)
        self._next = page.next_cursor
        self.endResetModel()

    def load_more(self) -> None:
        """Load the next older page (ignored while one is loading or when there is none)."""
        if self._loading or self._next is None or self._account_id is None:
            return
        account_id, before, limit, now = self._account_id, self._next, self._page_size, self._now()
        generation = self._generation

        kind = self._kind

        def load(session: Any) -> tuple[int, TimelinePage]:
            page = load_timeline(
                session, account_id, now=now, before=before, limit=limit, kind=kind
            )
            return generation, page

        self._set_loading(True)
        self._runner.run_db(
            load, on_done=self._more_loaded, on_error=self._failed, key=self._task_key, owner=self
        )

    def _first_loaded(self, result: tuple[int, TimelinePage]) -> None:
        generation, page = result
        if generation == self._generation and self._account_id is not None:
            self.set_page(self._account_id, page)

    def _more_loaded(self, result: tuple[int, TimelinePage]) -> None:
        generation, page = result
        if generation != self._generation:
            return
        self._set_loading(False)
        self._next = page.next_cursor
        self._append_rows(page.entries)

    # --- the list ------------------------------------------------------------------------------

    def cell_data(self, row: TimelineEntry, column: TableColumn, role: int) -> Any:
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return entry_summary(row)
        if role == HTML_ROLE:
            return entry_html(row)
        return None
