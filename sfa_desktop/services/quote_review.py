"""What the app offers for one quote, and what awaits the current user's approval.

* :func:`load_quote_subject` — one quote as the actions see it (:class:`QuoteSubject`): its
  shown status (a lapsed pending, approved or sent quote is ``"expired"``), whether it is the
  current user's and whether the user decides on it (above its owner in the manager tree, or
  an administrator — the rule the server enforces, :mod:`sync_server.protocol.authority`).
* :func:`quote_actions` — which of the :data:`QUOTE_ACTIONS` apply to a subject (a pure
  function: the app shows those, the services refuse the rest anyway).
* :func:`awaiting_my_approval` / :func:`awaiting_my_approval_count` — the quotes pending the
  current user's approval (the quotes list's "awaiting my approval" filter), each with its
  largest line discount, for Today and the status bar.
* :func:`profile_sent_quotes_folder` — where *Send* writes a quote's PDF and ``.eml`` draft:
  the ``sent-quotes`` folder of the profile (beside its database; what ``sfa quote send``
  uses too), one place per profile that the user can open, back up, or attach from by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.store.models.sales import Quote, QuoteLine
from sync_server.protocol.catalog import CATALOG

from .current_user import current_user_id
from .quote_lifecycle import REVISABLE_STATUSES, has_later_revision
from .quote_sending import SENT_QUOTES_FOLDER, sent_quotes_folder
from .quotes import QuoteRow, quotes_awaiting_approval, quotes_awaiting_approval_count, shown_status
from .write_authority import writer_for

__all__ = [
    "QUOTE_ACTIONS",
    "SENT_QUOTES_FOLDER",
    "ApprovalRow",
    "QuoteSubject",
    "awaiting_my_approval",
    "awaiting_my_approval_count",
    "load_quote_subject",
    "profile_sent_quotes_folder",
    "quote_actions",
]

#: Every action on a quote besides editing it, in menu order.
QUOTE_ACTIONS = ("approve", "return", "withdraw", "send", "accept", "reject", "revise")
#: The Today list shows at most this many quotes awaiting approval (the count says how many).
AWAITING_LIMIT = 50
_NONE = Decimal(0)


@dataclass(frozen=True)
class QuoteSubject:
    """One quote as its actions see it, for the current user."""

    id: str
    number: str
    revision: int
    account_id: str
    #: the stored status
    status: str
    #: as shown on the day it was read (``"expired"`` once valid-until has passed)
    shown_status: str
    owner_id: str
    #: the current user owns it
    is_mine: bool
    #: the current user approves or returns it (its owner's manager chain, or an admin)
    decides: bool
    #: a later revision of it exists (then only that one is revised or accepted)
    revised: bool = False


def load_quote_subject(session: Session, quote_id: str, today: dt.date) -> QuoteSubject | None:
    """The live quote ``quote_id`` as :class:`QuoteSubject`; None if there is none."""
    quote = session.get(Quote, quote_id)
    if quote is None or quote.deleted_at is not None:
        return None
    user_id = current_user_id(session)
    writer = writer_for(session, user_id, CATALOG["quote"], {"owner_id": quote.owner_id})
    decides = writer is not None and (writer.is_admin or writer.manages_owner)
    return QuoteSubject(
        id=quote.id,
        number=quote.number,
        revision=quote.revision,
        account_id=quote.account_id,
        status=quote.status,
        shown_status=shown_status(quote.status, quote.valid_until, today),
        owner_id=quote.owner_id,
        is_mine=user_id is not None and quote.owner_id == user_id,
        decides=decides,
        revised=has_later_revision(session, quote.id),
    )


def quote_actions(subject: QuoteSubject | None) -> frozenset[str]:
    """The :data:`QUOTE_ACTIONS` that apply to ``subject`` (none for ``None``).

    Pending approval: the approvers approve or return it, the owner withdraws the request (also
    once expired, to give it new dates). Approved: send. Sent: the customer's answer (accepted
    or rejected). Stored as approved, sent, rejected or expired, unless already revised: revise
    (a new revision; the old one stays as it was). An expired quote is never sent, accepted or
    approved.
    """
    if subject is None:
        return frozenset()
    shown, involved = subject.shown_status, subject.is_mine or subject.decides
    actions: set[str] = set()
    if shown == "pending_approval" and subject.decides:
        actions |= {"approve", "return"}
    if subject.status == "pending_approval" and subject.is_mine:
        actions.add("withdraw")  # expired too: back to a draft, to give it new dates
    if shown == "approved" and involved:
        actions.add("send")
    elif shown == "sent" and involved and not subject.revised:
        actions |= {"accept", "reject"}
    if subject.status in REVISABLE_STATUSES and involved and not subject.revised:
        actions.add("revise")
    return frozenset(actions)


@dataclass(frozen=True)
class ApprovalRow:
    """A quote awaiting the current user's approval (``total``: tax included, major units)."""

    quote: QuoteRow
    #: the largest discount of its lines, in percent (0 without discounts)
    max_discount_pct: Decimal

    @property
    def id(self) -> str:
        return self.quote.id

    @property
    def account_id(self) -> str:
        return self.quote.account_id


def awaiting_my_approval(
    session: Session, *, today: dt.date, limit: int = AWAITING_LIMIT
) -> list[ApprovalRow]:
    """The quotes awaiting the current user's approval on ``today`` (none with nobody signed
    in), the soonest to expire first, each with its largest line discount."""
    user_id = current_user_id(session)
    if user_id is None:
        return []
    rows = quotes_awaiting_approval(session, user_id, today=today, limit=limit)
    if not rows:
        return []
    largest: dict[str, Decimal] = {}
    lines = session.execute(
        select(QuoteLine.quote_id, QuoteLine.discount_pct).where(
            QuoteLine.quote_id.in_([row.id for row in rows]), QuoteLine.deleted_at.is_(None)
        )
    )
    for quote_id, discount in lines:  # stored as exact text: compared here, not in SQL
        largest[quote_id] = max(largest.get(quote_id, _NONE), discount or _NONE)
    return [ApprovalRow(row, largest.get(row.id, _NONE)) for row in rows]


def awaiting_my_approval_count(session: Session, *, today: dt.date) -> int:
    """How many quotes await the current user's approval on ``today``."""
    user_id = current_user_id(session)
    if user_id is None:
        return 0
    return quotes_awaiting_approval_count(session, user_id, today=today)


def profile_sent_quotes_folder(session: Session) -> Path:
    """The :data:`SENT_QUOTES_FOLDER` of the profile whose database ``session`` uses."""
    database = session.get_bind().engine.url.database
    if not database:
        raise RuntimeError("the session is not bound to a database file")
    return sent_quotes_folder(Path(database).resolve().parent)
