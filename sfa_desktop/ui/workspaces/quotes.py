"""The Quotes workspace (placeholder until it is built: explains what will be here)."""

from __future__ import annotations

from sfa_desktop.i18n import _
from sfa_desktop.ui.workspaces.placeholder import PlaceholderWorkspace


class QuotesWorkspace(PlaceholderWorkspace):
    """Build quotes and send them as PDF."""

    view_id = "quotes"

    def title(self) -> str:
        return _("Quotes")

    def description(self) -> str:
        return _("Build quotes and send them as PDF.")

    def empty_title(self) -> str:
        return _("No quotes yet")

    def empty_message(self) -> str:
        return _(
            "Your quotes will be listed here with their status and validity. Build a quote from "
            "an account or an opportunity, then send it as a PDF."
        )
