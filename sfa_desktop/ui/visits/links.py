"""How Today, Visits and Accounts hand over to each other (wired by the composition root).

* Today, Visits, Conflicts, Forecast or Customers asks for an account → the Accounts workspace shows its
  page; its Back (Alt+Left) returns to the workspace the user came from.
* Today, or an account's page, asks to plan a visit → the Visits workspace opens its plan
  dialog with the account preselected (and, for a follow-up due, linked to it).
* A visit changed in one of them → the other reloads.
* A segment saved, renamed or deleted in Customers → the Accounts filter offers it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from sfa_desktop.ui.workspaces.base import Workspace
from sfa_desktop.ui.workspaces.today import TodayWorkspace
from sfa_desktop.ui.workspaces.visits import VisitsWorkspace


class WorkspaceShell(Protocol):
    """What the links need of the main window."""

    @property
    def view_ids(self) -> tuple[str, ...]: ...

    def workspace(self, view_id: str) -> Workspace: ...

    def show_view(self, view_id: str) -> None: ...

    def current_view(self) -> str: ...


def connect_visit_links(window: WorkspaceShell) -> None:
    """Connect the Today, Visits and Accounts workspaces of ``window`` (those present)."""
    ids = window.view_ids
    today = window.workspace("today") if "today" in ids else None
    visits = window.workspace("visits") if "visits" in ids else None
    accounts = window.workspace("accounts") if "accounts" in ids else None

    def open_account(account_id: str) -> None:
        if accounts is None:
            return
        came_from = window.current_view()
        window.show_view("accounts")
        open_page = getattr(accounts, "open_account", None)
        if not callable(open_page):
            return
        if came_from != "accounts" and came_from in ids:
            open_page(account_id, back_to=came_from, back_title=window.workspace(came_from).title)
        else:
            open_page(account_id)

    def plan_visit(account_id: str, follow_up_of_id: str = "") -> None:
        if not isinstance(visits, VisitsWorkspace):
            return
        window.show_view("visits")
        visits.plan_visit(account_id or None, follow_up_of_id=follow_up_of_id or None)

    _connect(today, "account_requested", open_account)
    _connect(today, "plan_visit_requested", plan_visit)
    _connect(visits, "account_requested", open_account)
    if isinstance(today, TodayWorkspace) and isinstance(visits, VisitsWorkspace):
        today.visits_changed.connect(visits.refresh)
        visits.visits_changed.connect(today.refresh)
    # a deal of the forecast's drill-down, a conflict's record → its account's page
    for view_id in ("forecast", "customers", "conflicts"):
        if view_id in ids:
            _connect(window.workspace(view_id), "account_requested", open_account)
    _connect_segments(window, accounts)
    _connect(accounts, "plan_visit_requested", lambda account_id: plan_visit(account_id))
    _connect(accounts, "back_to_view_requested", window.show_view)


def _connect_segments(window: WorkspaceShell, accounts: Workspace | None) -> None:
    """A segment saved, renamed or deleted in Customers → the Accounts segment filter's
    choices are read again."""
    filter_bar = getattr(accounts, "filter_bar", None)
    if "customers" in window.view_ids and filter_bar is not None:
        _connect(
            window.workspace("customers"),
            "segment_stored",
            lambda _segment_id: filter_bar.load_choices(),
        )


def _connect(workspace: Workspace | None, signal: str, slot: Callable[..., None]) -> None:
    """Connect ``workspace.<signal>`` to ``slot`` if it has that signal."""
    bound = getattr(workspace, signal, None)
    if bound is not None:
        bound.connect(slot)
