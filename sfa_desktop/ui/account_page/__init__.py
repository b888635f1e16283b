"""The account page: one account's key facts, contacts, open deals and its whole timeline.

:class:`AccountPageView` is shown by the Accounts workspace when the user opens an account.
"""

from sfa_desktop.ui.account_page.page import AccountPageView

__all__ = ["AccountPageView"]
