"""The Pipeline workspace (placeholder until it is built: explains what will be here)."""

from __future__ import annotations

from sfa_desktop.i18n import _
from sfa_desktop.ui.workspaces.placeholder import PlaceholderWorkspace


class PipelineWorkspace(PlaceholderWorkspace):
    """Your opportunities by stage."""

    view_id = "pipeline"

    def title(self) -> str:
        return _("Pipeline")

    def description(self) -> str:
        return _("Your opportunities by stage.")

    def empty_title(self) -> str:
        return _("No open opportunities")

    def empty_message(self) -> str:
        return _(
            "Your opportunities will appear here by stage, from prospecting to closing. Create an"
            " opportunity from an account's page."
        )
