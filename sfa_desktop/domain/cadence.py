"""Visit cadence: when each account is due for a visit, and which accounts are overdue.

An account's ``visit_cadence_days`` says how often it should be visited. The next visit is
due ``cadence`` days after the last *done* visit. An account never visited is due from its
creation date; when that is unknown too it is due immediately (:data:`DUE_IMMEDIATELY`).
A cadence of ``None`` or ``0`` (or less) means "no cadence": never due, never overdue.

An account is **overdue** when today is past its due date and no visit is planned on or
before that date. A visit planned *after* the due date does not clear it: the account is
late either way, and the rep sees the planned date next to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

DUE_IMMEDIATELY = date.min
"""Due date of an account never visited whose creation date is unknown: before any day."""


@dataclass(frozen=True, slots=True)
class CadenceInput:
    """What :func:`overdue_accounts` needs to know about one account.

    ``value`` comes from :func:`sfa_desktop.domain.customer_value.account_value`.
    ``next_planned_visit`` is the date of the earliest visit still planned, if any.
    """

    account_id: str
    name: str
    last_done_visit: date | None
    next_planned_visit: date | None
    cadence_days: int | None
    value: Decimal
    created: date | None = None


@dataclass(frozen=True, slots=True)
class OverdueAccount:
    """An account the rep should visit: due on ``due``, ``days_overdue`` days ago.

    ``due`` is :data:`DUE_IMMEDIATELY` and ``days_overdue`` is ``None`` for an account never
    visited whose creation date is unknown (there is no date to count from).
    """

    account_id: str
    name: str
    due: date
    days_overdue: int | None
    last_done_visit: date | None
    next_planned_visit: date | None
    cadence_days: int
    value: Decimal

    @property
    def never_visited(self) -> bool:
        return self.last_done_visit is None


def next_visit_due(
    last_visit: date | None, cadence_days: int | None, *, created: date | None = None
) -> date | None:
    """The date the next visit is due, or ``None`` when the account has no cadence.

    ``last_visit + cadence_days``; for an account never visited, ``created`` (the day it was
    added), or :data:`DUE_IMMEDIATELY` when that is unknown.
    """
    if cadence_days is None or cadence_days <= 0:
        return None
    if last_visit is None:
        return created if created is not None else DUE_IMMEDIATELY
    try:
        return last_visit + timedelta(days=cadence_days)
    except OverflowError:  # an absurd cadence: not due within the calendar
        return None


def days_overdue(due: date | None, today: date) -> int | None:
    """Whole days ``today`` is past ``due``: 0 when not past it or when ``due`` is ``None``.

    ``None`` for :data:`DUE_IMMEDIATELY`, which has no day to count from.
    """
    if due is None:
        return 0
    if due == DUE_IMMEDIATELY:
        return None
    return max(0, (today - due).days)


def is_overdue(due: date | None, next_planned_visit: date | None, today: date) -> bool:
    """Past ``due`` with no visit planned on or before it."""
    if due is None or today <= due:
        return False
    return next_planned_visit is None or next_planned_visit > due


def overdue_accounts(accounts: Iterable[CadenceInput], today: date) -> list[OverdueAccount]:
    """The overdue accounts, most valuable first, then most overdue, then by name and id."""
    found: list[OverdueAccount] = []
    for account in accounts:
        due = next_visit_due(account.last_done_visit, account.cadence_days, created=account.created)
        if due is None or account.cadence_days is None:
            continue
        if not is_overdue(due, account.next_planned_visit, today):
            continue
        found.append(
            OverdueAccount(
                account_id=account.account_id,
                name=account.name,
                due=due,
                days_overdue=days_overdue(due, today),
                last_done_visit=account.last_done_visit,
                next_planned_visit=account.next_planned_visit,
                cadence_days=account.cadence_days,
                value=account.value,
            )
        )
    found.sort(key=lambda item: (-item.value, item.due, item.name.casefold(), item.account_id))
    return found
