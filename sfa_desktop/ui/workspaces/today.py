"""The Today workspace (placeholder until it is built: explains what will be here)."""

from __future__ import annotations

from sfa_desktop.i18n import _
from sfa_desktop.ui.workspaces.placeholder import PlaceholderWorkspace


class TodayWorkspace(PlaceholderWorkspace):
    """Your visits and tasks for today."""

    view_id = "today"

    def title(self) -> str:
        return _("Today")

    def description(self) -> str:
        return _("Your visits and tasks for today.")

    def empty_title(self) -> str:
        return _("No visits planned today")

    def empty_message(self) -> str:
        return _(
            "Your agenda for the day will appear here: visits, calls and follow-ups due. Plan a "
            "visit from an account's page."
        )
