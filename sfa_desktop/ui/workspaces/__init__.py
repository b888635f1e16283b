"""The workspaces reached from the sidebar, one module each.

``VIEW_IDS`` is their order in the sidebar and the View menu (Ctrl+1 … Ctrl+7 by place;
Customers Ctrl+9, the Scorecard Ctrl+0 and Conflicts Ctrl+8 name their own key: see
:attr:`Workspace.shortcut`);
:func:`create_workspaces` builds them (called by the composition root, ``sfa_desktop.app``).
To replace a placeholder with a real workspace, subclass :class:`Workspace` in its module and
update :func:`create_workspaces`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from sfa_desktop.services.today import RouteSettings, StartPoint
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.accounts import AccountsWorkspace
from sfa_desktop.ui.workspaces.base import Workspace
from sfa_desktop.ui.workspaces.conflicts import ConflictsWorkspace
from sfa_desktop.ui.workspaces.contacts import ContactsWorkspace
from sfa_desktop.ui.workspaces.customers import CustomersWorkspace
from sfa_desktop.ui.workspaces.forecast import ForecastWorkspace
from sfa_desktop.ui.workspaces.pipeline import PipelineWorkspace
from sfa_desktop.ui.workspaces.quotes import QuotesWorkspace
from sfa_desktop.ui.workspaces.scorecard import ScorecardWorkspace
from sfa_desktop.ui.workspaces.today import TodayWorkspace
from sfa_desktop.ui.workspaces.visits import VisitsWorkspace

VIEW_IDS: tuple[str, ...] = (
    "today",
    "accounts",
    "contacts",
    "visits",
    "pipeline",
    "quotes",
    "forecast",
    "customers",
    "scorecard",
    "conflicts",
)


def create_workspaces(
    runner: TaskRunner,
    parent: QWidget | None = None,
    *,
    clock: AgendaClock | None = None,
    start_point: StartPoint | None = None,
    remember_start_point: Callable[[StartPoint | None], None] | None = None,
    route_settings: RouteSettings | None = None,
) -> list[Workspace]:
    """One instance of each workspace, in :data:`VIEW_IDS` order.

    ``clock`` is the agenda's "now" and time zone (Today, Visits; Accounts, Pipeline and Quotes take its
    "now");
    ``start_point`` is where today's route starts (remembered through ``remember_start_point``);
    ``route_settings`` its travel estimate and working day.
    """
    workspaces: list[Workspace] = [
        TodayWorkspace(
            runner,
            parent,
            clock=clock,
            start_point=start_point,
            remember_start_point=remember_start_point,
            route_settings=route_settings,
        ),
        AccountsWorkspace(runner, parent, now=(clock or AgendaClock()).now),
        ContactsWorkspace(runner, parent),
        VisitsWorkspace(
            runner,
            parent,
            clock=clock,
            working_hours=(
                (int(route_settings.day_start), int(route_settings.day_end))
                if route_settings is not None
                else None
            ),
        ),
        PipelineWorkspace(runner, parent, now=(clock or AgendaClock()).now),
        QuotesWorkspace(runner, parent, now=(clock or AgendaClock()).now),
        ForecastWorkspace(runner, parent, clock=clock),
        CustomersWorkspace(runner, parent, clock=clock),
        ScorecardWorkspace(runner, parent, clock=clock),
        ConflictsWorkspace(runner, parent),
    ]
    assert tuple(w.view_id for w in workspaces) == VIEW_IDS
    return workspaces


__all__ = ["VIEW_IDS", "AccountsWorkspace", "Workspace", "create_workspaces"]
