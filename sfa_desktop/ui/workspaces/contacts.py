"""The Contacts workspace (placeholder until it is built: explains what will be here)."""

from __future__ import annotations

from sfa_desktop.i18n import _
from sfa_desktop.ui.workspaces.placeholder import PlaceholderWorkspace


class ContactsWorkspace(PlaceholderWorkspace):
    """The people you deal with at each account."""

    view_id = "contacts"

    def title(self) -> str:
        return _("Contacts")

    def description(self) -> str:
        return _("The people you deal with at each account.")

    def empty_title(self) -> str:
        return _("No contacts yet")

    def empty_message(self) -> str:
        return _(
            "The people you deal with at your accounts will be listed here, with their role in "
            "the purchase and their preferred channel. Add a contact from an account's page."
        )
