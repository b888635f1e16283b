"""The next best action with an account: what to do next, through which channel, and why.

Every reason that applies becomes a candidate; the one chosen is the first in this order
(:data:`PRIORITY`) — time-bound money first, then promises, then risk, then routine, then
opportunity:

1. ``quote_expiring`` — an open quote (sent or approved) expires within
   :data:`QUOTE_EXPIRY_DAYS` days (the soonest first): follow it up with the quote's contact;
2. ``task_due`` — a follow-up task due today or overdue (the oldest first);
3. ``lapsed_high_value`` — a high-value customer (see the service) who has bought nothing for
   :data:`LAPSED_DAYS` days, or is marked lapsed: win it back;
4. ``overdue_visit`` — the account is overdue by its visit cadence;
5. ``cross_sell`` — the best cross-sell suggestion: offer it.

**Channel.** The contact's preferred channel, else the account's, else a visit.

**Consent.** Marketing consent (the contact's ``marketing_consent``) covers unsolicited
commercial messages through electronic channels (:data:`ELECTRONIC_CHANNELS`: e-mail and chat;
in Spain LSSI art. 21 and the GDPR). *Marketing* actions (:data:`MARKETING_ACTIONS`: a cross-sell
offer, winning back a lapsed customer) never go through an electronic channel to a contact
without consent (nor to no contact at all): they fall back to a phone call when a phone number
is known, else to a visit. Following up a quote the customer asked for, a task promised to it,
or a routine account visit is part of the existing business relationship (transactional), so
the preferred channel is kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "ELECTRONIC_CHANNELS",
    "LAPSED_DAYS",
    "MARKETING_ACTIONS",
    "PRIORITY",
    "QUOTE_EXPIRY_DAYS",
    "ActionContact",
    "ActionInput",
    "NextAction",
    "OpenQuote",
    "TaskDue",
    "candidate_actions",
    "choose_channel",
    "next_best_action",
]

QUOTE_EXPIRY_DAYS = 7
LAPSED_DAYS = 180
PRIORITY = ("quote_expiring", "task_due", "lapsed_high_value", "overdue_visit", "cross_sell")
MARKETING_ACTIONS = frozenset({"cross_sell", "lapsed_high_value"})
ELECTRONIC_CHANNELS = frozenset({"email", "chat"})
#: quote statuses whose expiry is worth chasing (the customer has it, or can have it now)
CHASED_QUOTE_STATUSES = frozenset({"sent", "approved"})


@dataclass(frozen=True, slots=True)
class ActionContact:
    id: str
    name: str
    preferred_channel: str | None = None
    marketing_consent: bool = False
    has_phone: bool = False
    #: the decision maker is addressed first when the action names nobody in particular
    decision_maker: bool = False


@dataclass(frozen=True, slots=True)
class OpenQuote:
    id: str
    number: str
    status: str
    valid_until: dt.date | None
    contact_id: str | None = None


@dataclass(frozen=True, slots=True)
class TaskDue:
    id: str
    subject: str | None
    due: dt.date
    contact_id: str | None = None


@dataclass(frozen=True, slots=True)
class ActionInput:
    """What the rules need to know about one account on ``today``."""

    today: dt.date
    account_channel: str | None = None
    account_has_phone: bool = False
    contacts: Sequence[ActionContact] = ()
    open_quotes: Sequence[OpenQuote] = ()
    tasks: Sequence[TaskDue] = ()
    overdue: bool = False
    visit_due: dt.date | None = None
    high_value: bool = False
    lapsed_stage: bool = False
    last_purchase: dt.date | None = None
    #: the best cross-sell suggestion: (product id, its name), if any
    cross_sell: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class NextAction:
    """Do ``kind`` through ``channel`` with ``contact`` (None: the account as a whole).

    ``subject`` names what it is about (the quote's number, the task's subject, the product);
    ``days`` is the days left (quote) or late (task, visit), ``since`` the last purchase."""

    kind: str
    channel: str
    contact: ActionContact | None = None
    subject: str | None = None
    subject_id: str | None = None
    days: int | None = None
    since: dt.date | None = None

    @property
    def marketing(self) -> bool:
        return self.kind in MARKETING_ACTIONS


def choose_channel(
    kind: str, contact: ActionContact | None, account_channel: str | None, account_has_phone: bool
) -> str:
    """The contact's preferred channel, else the account's, else ``visit``; a marketing
    action never goes through an electronic channel without the contact's consent."""
    channel = (contact.preferred_channel if contact else None) or account_channel or "visit"
    consent = contact is not None and contact.marketing_consent
    if kind in MARKETING_ACTIONS and channel in ELECTRONIC_CHANNELS and not consent:
        has_phone = (contact is not None and contact.has_phone) or account_has_phone
        return "phone" if has_phone else "visit"
    return channel


def _main_contact(contacts: Sequence[ActionContact]) -> ActionContact | None:
    """The decision maker, else the first contact (the caller's order)."""
    for contact in contacts:
        if contact.decision_maker:
            return contact
    return contacts[0] if contacts else None


def _contact(contacts: Sequence[ActionContact], contact_id: str | None) -> ActionContact | None:
    found = next((c for c in contacts if c.id == contact_id), None)
    return found or _main_contact(contacts)


def candidate_actions(data: ActionInput) -> list[NextAction]:
    """Every action that applies, in :data:`PRIORITY` order."""
    found: list[NextAction] = []

    def add(kind: str, contact: ActionContact | None, **details: object) -> None:
        channel = choose_channel(kind, contact, data.account_channel, data.account_has_phone)
        found.append(NextAction(kind, channel, contact, **details))  # type: ignore[arg-type]

    today = data.today
    expiring = [
        q
        for q in data.open_quotes
        if q.status in CHASED_QUOTE_STATUSES
        and q.valid_until is not None
        and 0 <= (q.valid_until - today).days <= QUOTE_EXPIRY_DAYS
    ]
    if expiring:
        quote = min(expiring, key=lambda q: (q.valid_until or today, q.number, q.id))
        assert quote.valid_until is not None
        add(
            "quote_expiring",
            _contact(data.contacts, quote.contact_id),
            subject=quote.number,
            subject_id=quote.id,
            days=(quote.valid_until - today).days,
        )
    due = [t for t in data.tasks if t.due <= today]
    if due:
        task = min(due, key=lambda t: (t.due, t.id))
        add(
            "task_due",
            _contact(data.contacts, task.contact_id),
            subject=task.subject,
            subject_id=task.id,
            days=(today - task.due).days,
        )
    lapsed = data.lapsed_stage or (
        data.last_purchase is not None and (today - data.last_purchase).days >= LAPSED_DAYS
    )
    if data.high_value and lapsed:
        add("lapsed_high_value", _main_contact(data.contacts), since=data.last_purchase)
    if data.overdue:
        late = None if data.visit_due is None else max(0, (today - data.visit_due).days)
        if data.visit_due is not None and data.visit_due == dt.date.min:
            late = None
        add("overdue_visit", _main_contact(data.contacts), days=late)
    if data.cross_sell is not None:
        product_id, name = data.cross_sell
        add("cross_sell", _main_contact(data.contacts), subject=name, subject_id=product_id)
    return found


def next_best_action(data: ActionInput) -> NextAction | None:
    """The one action to take next (the first of :func:`candidate_actions`), None when
    nothing calls for one."""
    candidates = candidate_actions(data)
    return candidates[0] if candidates else None
