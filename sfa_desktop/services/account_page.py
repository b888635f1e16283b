"""The account page's read queries: everything the page shows, and its timeline a page at a time.

The UI calls these (on the database thread) and shows the plain dataclasses they return; the
SQL lives in :mod:`sfa_desktop.store.repositories.account_page` and
:mod:`sfa_desktop.store.repositories.timeline`.
"""

from __future__ import annotations

from sfa_desktop.store.repositories.account_page import (
    AccountPage,
    AccountValue,
    ContactSummary,
    OpportunitySummary,
    PlannedVisit,
    QuoteSummary,
    load_account_page,
)
from sfa_desktop.store.repositories.timeline import (
    OPPORTUNITY,
    QUOTE,
    TIMELINE_PAGE_SIZE,
    VISIT,
    TimelineCursor,
    TimelineEntry,
    TimelinePage,
    load_timeline,
)

__all__ = [
    "OPPORTUNITY",
    "QUOTE",
    "TIMELINE_PAGE_SIZE",
    "VISIT",
    "AccountPage",
    "AccountValue",
    "ContactSummary",
    "OpportunitySummary",
    "PlannedVisit",
    "QuoteSummary",
    "TimelineCursor",
    "TimelineEntry",
    "TimelinePage",
    "load_account_page",
    "load_timeline",
]
