"""The account page's read queries: everything the page shows, and its timeline a page at a time.

The UI calls these (on the database thread) and shows the plain dataclasses they return; the
SQL lives in :mod:`sfa_desktop.store.repositories.account_page` and
:mod:`sfa_desktop.store.repositories.timeline`. The open quotes carry the status to show: a
quote past its valid-until date is "expired" (:func:`sfa_desktop.services.quotes.shown_status`)
and is not listed as open.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy.orm import Session

from sfa_desktop.store.repositories import account_page as _page
from sfa_desktop.store.repositories.account_page import (
    AccountPage,
    AccountValue,
    ContactSummary,
    OpportunitySummary,
    PlannedVisit,
    QuoteSummary,
)
from sfa_desktop.store.repositories.timeline import (
    OPPORTUNITY,
    QUOTE,
    TIMELINE_KINDS,
    TIMELINE_PAGE_SIZE,
    VISIT,
    TimelineCursor,
    TimelineEntry,
    TimelinePage,
    load_timeline,
)

from .customer_values import explain_account
from .quotes import shown_status

__all__ = [
    "OPPORTUNITY",
    "QUOTE",
    "TIMELINE_KINDS",
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


def load_account_page(
    session: Session,
    account_id: str,
    *,
    timeline_limit: int = TIMELINE_PAGE_SIZE,
    now: dt.datetime | None = None,
    timeline_kind: str | None = None,
) -> AccountPage | None:
    """The account page of a live account (``None`` if there is none), as of ``now``; its
    timeline keeps ``timeline_kind`` entries only when given (:data:`TIMELINE_KINDS`)."""
    now = now or dt.datetime.now(dt.UTC)
    page = _page.load_account_page(
        session, account_id, timeline_limit=timeline_limit, now=now, timeline_kind=timeline_kind
    )
    if page is None:
        return None
    today = now.astimezone().date()
    shown = [
        replace(quote, shown_status=shown_status(quote.status, quote.valid_until, today))
        for quote in page.open_quotes
    ]
    # a quote past its valid-until date is no longer open: the timeline still lists it
    quotes = [quote for quote in shown if quote.shown_status != "expired"]
    worth = explain_account(session, account_id, today=today, make_table=False)
    return replace(page, open_quotes=quotes, worth=worth)
