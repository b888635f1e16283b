"""The Visits workspace (placeholder until it is built: explains what will be here)."""

from __future__ import annotations

from sfa_desktop.i18n import _
from sfa_desktop.ui.workspaces.placeholder import PlaceholderWorkspace


class VisitsWorkspace(PlaceholderWorkspace):
    """Plan visits and log their outcome."""

    view_id = "visits"

    def title(self) -> str:
        return _("Visits")

    def description(self) -> str:
        return _("Plan visits and log their outcome.")

    def empty_title(self) -> str:
        return _("No visits logged yet")

    def empty_message(self) -> str:
        return _(
            "Planned and completed visits, calls and meetings will be listed here. Plan a visit "
            "from an account's page, then log its outcome and next step."
        )
