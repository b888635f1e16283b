"""The Forecast workspace (placeholder until it is built: explains what will be here)."""

from __future__ import annotations

from sfa_desktop.i18n import _
from sfa_desktop.ui.workspaces.placeholder import PlaceholderWorkspace


class ForecastWorkspace(PlaceholderWorkspace):
    """Your sales forecast for the month and the quarter."""

    view_id = "forecast"

    def title(self) -> str:
        return _("Forecast")

    def description(self) -> str:
        return _("Your sales forecast for the month and the quarter.")

    def empty_title(self) -> str:
        return _("No forecast submitted yet")

    def empty_message(self) -> str:
        return _(
            "Commit, best case and pipeline figures will be computed here from your "
            "opportunities. Review them and submit your forecast for the period."
        )
