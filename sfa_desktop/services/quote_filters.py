"""Which quotes a list shows: the SQL conditions behind the quotes list's filters and search.

* ``status`` — as *shown* on a day: a pending, approved or sent quote whose valid-until date
  has passed is ``"expired"`` (:data:`EXPIRABLE_STATUSES`);
* ``owner`` — ``"mine"`` (the current user's) or ``"team"`` (theirs and those of everyone
  below them in the manager tree);
* ``expiring`` — still open (pending, approved or sent) and valid for at most
  :data:`EXPIRING_DAYS` more days;
* ``awaiting_approval`` — pending approval, not expired, owned by someone below the current
  user in the manager tree (anyone's, for an administrator);
* ``search`` — the quote number (contains the text, case ignored) or the account's name (the
  accounts' accent-insensitive search: every word a prefix).

With nobody signed in, "mine", "team" and "awaiting my approval" match nothing. The
conditions read the quotes table alone (the search reads the matching accounts' ids once), so
a count needs no join.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Table, and_, exists, false, not_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from sfa_desktop.services.current_user import current_user_id
from sfa_desktop.store.models.customers import Account
from sfa_desktop.store.models.reference import User
from sfa_desktop.store.models.sales import Quote
from sfa_desktop.store.repositories.listing import search_filter
from sfa_desktop.store.search import search_terms

__all__ = [
    "EXPIRABLE_STATUSES",
    "EXPIRING_DAYS",
    "OWNER_SCOPES",
    "QuoteFilters",
    "awaiting_approval_conditions",
    "owned_below",
    "quote_conditions",
    "status_condition",
]

#: Statuses a quote leaves for "expired" once its valid-until date has passed.
EXPIRABLE_STATUSES = frozenset({"pending_approval", "approved", "sent"})
#: "Expiring soon": valid for at most this many more days.
EXPIRING_DAYS = 7
#: The owner filter's values.
OWNER_SCOPES = ("mine", "team")

_accounts: Table = Account.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class QuoteFilters:
    """The quotes list's filters (``None`` / ``False``: not filtering on that)."""

    status: str | None = None
    owner: str | None = None
    expiring: bool = False
    awaiting_approval: bool = False
    search: str | None = None

    def __post_init__(self) -> None:
        if self.owner is not None and self.owner not in OWNER_SCOPES:
            raise ValueError(f"unknown owner scope {self.owner!r}; expected mine or team")

    def needs_user(self) -> bool:
        return self.owner is not None or self.awaiting_approval


def _passed(today: dt.date) -> ColumnElement[bool]:
    return and_(
        Quote.status.in_(EXPIRABLE_STATUSES),
        Quote.valid_until.is_not(None),
        Quote.valid_until < today,
    )


def status_condition(status: str, today: dt.date) -> ColumnElement[bool]:
    """Quotes *shown* with ``status`` on ``today``."""
    if status == "expired":
        return or_(Quote.status == "expired", _passed(today))
    if status in EXPIRABLE_STATUSES:
        return and_(Quote.status == status, not_(_passed(today)))
    return Quote.status == status


def _expiring(today: dt.date) -> ColumnElement[bool]:
    return and_(
        Quote.status.in_(EXPIRABLE_STATUSES),
        Quote.valid_until >= today,
        Quote.valid_until <= today + dt.timedelta(days=EXPIRING_DAYS),
    )


def owned_below(owner: InstrumentedAttribute[str], user_id: str, name: str) -> ColumnElement[bool]:
    """Records whose ``owner`` column is someone below ``user_id`` in the manager tree (cycles
    are harmless: the recursive UNION drops repeats); ``name`` names the CTE (unique in a
    statement). The quotes' team filters, and the pipeline's."""
    below = select(User.id).where(User.manager_id == user_id).cte(name, recursive=True)
    report = aliased(User)
    below = below.union(select(report.id).join(below, report.manager_id == below.c.id))
    return owner.in_(select(below.c.id))


def _below(user_id: str, name: str) -> ColumnElement[bool]:
    """Quotes owned by someone below ``user_id`` in the manager tree."""
    return owned_below(Quote.owner_id, user_id, name)


def _is_admin(user_id: str) -> ColumnElement[bool]:
    me = aliased(User)
    return exists().where(me.id == user_id, me.role == "admin")


def _owner(scope: str, user_id: str) -> ColumnElement[bool]:
    mine = Quote.owner_id == user_id
    return mine if scope == "mine" else or_(mine, _below(user_id, "team_below"))


def _number_contains(text: str) -> ColumnElement[bool]:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return Quote.number.ilike(f"%{escaped}%", escape="\\")


def _search(session: Session, text: str) -> ColumnElement[bool]:
    by_number = _number_contains(text)
    if not search_terms(text):
        return by_number
    by_account = search_filter(session, table=_accounts, fts_table="accounts_fts", query=text)
    # the matching accounts' ids, read once: the condition needs no join with the accounts
    accounts = select(_accounts.c.id).where(by_account.clause)
    return or_(by_number, Quote.account_id.in_(accounts))


def quote_conditions(
    session: Session, filters: QuoteFilters, today: dt.date
) -> list[ColumnElement[bool]]:
    """The WHERE conditions (live quotes only) for ``filters`` on ``today``.

    Reads the current user's id only when a filter needs it; everything else is SQL.
    """
    conditions: list[ColumnElement[bool]] = [Quote.deleted_at.is_(None)]
    if filters.status:
        conditions.append(status_condition(filters.status, today))
    if filters.expiring:
        conditions.append(_expiring(today))
    search = (filters.search or "").strip()
    if search:
        conditions.append(_search(session, search))
    if filters.needs_user():
        user_id = current_user_id(session)
        if user_id is None:
            return [*conditions, false()]
        if filters.owner is not None:
            conditions.append(_owner(filters.owner, user_id))
        if filters.awaiting_approval:
            conditions.extend(awaiting_approval_conditions(user_id, today))
    return conditions


def awaiting_approval_conditions(user_id: str, today: dt.date) -> list[ColumnElement[bool]]:
    """Quotes awaiting ``user_id``'s approval on ``today``: pending approval, not expired, and
    owned by someone below them in the manager tree (anyone's, for an administrator)."""
    return [
        status_condition("pending_approval", today),
        or_(_is_admin(user_id), _below(user_id, "approver_below")),
    ]
