"""How the Quotes workspace, Today and the status bar hand over to each other (wired by the
composition root).

* The status bar's "quotes awaiting your approval" count, clicked → the Quotes workspace with
  the "Awaiting my approval" filter.
* Today's "Awaiting your approval" list, a quote clicked → that quote selected in Quotes.
* A quote changed in the Quotes workspace → the count and Today reload; its notices go to the
  status bar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Protocol

from sfa_desktop.ui.quotes.approvals import ApprovalsCounter
from sfa_desktop.ui.status_bar import AppStatusBar
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.base import Workspace
from sfa_desktop.ui.workspaces.quotes import QuotesWorkspace
from sfa_desktop.ui.workspaces.today import TodayWorkspace


class QuotesShell(Protocol):
    """What the links need of the main window."""

    @property
    def view_ids(self) -> tuple[str, ...]: ...

    @property
    def status(self) -> AppStatusBar: ...

    def workspace(self, view_id: str) -> Workspace: ...

    def show_view(self, view_id: str) -> None: ...


def connect_quote_links(
    window: QuotesShell, runner: TaskRunner, *, today: Callable[[], dt.date]
) -> ApprovalsCounter:
    """Connect the Quotes and Today workspaces of ``window`` (those present) and its status
    bar to a new :class:`ApprovalsCounter` (returned, already counting)."""
    ids = window.view_ids
    quotes = window.workspace("quotes") if "quotes" in ids else None
    today_view = window.workspace("today") if "today" in ids else None
    counter = ApprovalsCounter(runner, today=today, parent=window.status)
    counter.count_changed.connect(window.status.set_awaiting_approval)

    if isinstance(quotes, QuotesWorkspace):
        quotes_view = quotes

        def show_awaiting() -> None:
            window.show_view("quotes")
            quotes_view.show_awaiting_approval()

        def show_quote(quote_id: str) -> None:
            window.show_view("quotes")
            quotes_view.show_quote(quote_id)

        window.status.approvals_clicked.connect(show_awaiting)
        quotes.quotes_changed.connect(counter.refresh)
        quotes.notice_shown.connect(window.status.show_notice)
        if isinstance(today_view, TodayWorkspace):
            today_view.quote_requested.connect(show_quote)
            quotes.quotes_changed.connect(today_view.refresh)
    counter.refresh()
    return counter
