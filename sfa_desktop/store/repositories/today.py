"""What the Today view reads: today's stops, follow-ups due, and each account's visit facts.

Three questions:

* :func:`todays_stops`: the user's on-site activities (visits, meetings) still planned for a
  time range, with the account's location: a range over ``ix_visits_owner_live``.
* :func:`follow_ups_due`: done activities of the user whose follow-up date has come and that
  no live activity follows up yet (``follow_up_of_id``).
* :func:`cadence_facts`: per account of the user, the last done and the next planned
  activity, for the cadence rule (:mod:`sfa_desktop.domain.cadence`);
  :func:`opportunity_facts` for the account value.

Query shapes: the local file has no planner statistics, so left alone SQLite may answer "the
user's visits with status done" by walking ``ix_visits_status_live`` (every done visit of
everybody). Where no index covers both the owner or account and the status, status tests are
written ``+status`` (not indexable), which keeps the query on the user's own visits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    Table,
    and_,
    exists,
    func,
    literal_column,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from ..models import Account, Contact, Opportunity, Visit
from ..types import parse_utc
from .visits import contact_display_name

#: Activities that happen at the customer's place: they have a route and count for cadence.
ON_SITE_KINDS: tuple[str, ...] = ("visit", "meeting")
#: Ids per statement when a query takes a list of accounts (SQLite allows 32,766 variables).
ID_CHUNK = 5000

_v: Table = Visit.__table__  # type: ignore[assignment]
_a: Table = Account.__table__  # type: ignore[assignment]
_c: Table = Contact.__table__  # type: ignore[assignment]
_o: Table = Opportunity.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class StopRow:
    """An on-site activity planned for today, with where it takes place."""

    visit_id: str
    account_id: str
    account_name: str | None
    address: str | None
    postal_code: str | None
    city: str | None
    latitude: float | None
    longitude: float | None
    contact_name: str | None
    kind: str
    subject: str | None
    planned_start: dt.datetime | None
    planned_end: dt.datetime | None
    checked_in_at: dt.datetime | None


@dataclass(frozen=True)
class FollowUpRow:
    """A done activity whose follow-up is due and not planned yet."""

    visit_id: str
    account_id: str
    account_name: str | None
    contact_id: str | None
    contact_name: str | None
    kind: str
    subject: str | None
    planned_start: dt.datetime | None
    follow_up_date: dt.date
    next_step: str | None
    outcome: str | None


@dataclass(frozen=True)
class CadenceRow:
    """One account of the user with a visit cadence, its last done and next planned activity."""

    account_id: str
    name: str
    city: str | None
    cadence_days: int
    created_at: dt.datetime
    last_done: dt.datetime | None
    next_planned: dt.datetime | None


@dataclass(frozen=True)
class OpportunityFact:
    """What the account value needs of one opportunity (lost ones are never read)."""

    account_id: str
    stage: str
    amount: int
    currency: str
    probability: int | None
    expected_close_date: dt.date | None


def _status_is(table: Any, status: str) -> ColumnElement[bool]:
    """``+status = :status``: a test SQLite cannot answer from ``ix_visits_status_live``."""
    return literal_column(f"+{table.name}.status", String) == status


def todays_stops(
    session: Session, *, owner_id: str, start: dt.datetime, end: dt.datetime
) -> list[StopRow]:
    """The user's on-site activities still planned in ``[start, end)``, in time order."""
    query = (
        select(
            _v.c.id.label("visit_id"),
            _v.c.account_id,
            _a.c.name.label("account_name"),
            _a.c.address,
            _a.c.postal_code,
            _a.c.city,
            _a.c.latitude,
            _a.c.longitude,
            _c.c.first_name,
            _c.c.last_name,
            _v.c.kind,
            _v.c.subject,
            _v.c.planned_start,
            _v.c.planned_end,
            _v.c.checked_in_at,
        )
        .select_from(
            _v.outerjoin(_a, _a.c.id == _v.c.account_id).outerjoin(_c, _c.c.id == _v.c.contact_id)
        )
        .where(
            _v.c.owner_id == owner_id,
            _v.c.deleted_at.is_(None),
            _v.c.planned_start >= start,
            _v.c.planned_start < end,
            _status_is(_v, "planned"),
            _v.c.kind.in_(ON_SITE_KINDS),
        )
        .order_by(_v.c.planned_start, _v.c.id)
    )
    stops: list[StopRow] = []
    for row in session.execute(query):
        fields = dict(row._mapping)
        name = contact_display_name(fields.pop("first_name"), fields.pop("last_name"))
        stops.append(StopRow(**fields, contact_name=name))
    return stops


def follow_ups_due(session: Session, *, owner_id: str, today: dt.date) -> list[FollowUpRow]:
    """The user's done activities with ``follow_up_date <= today`` and no follow-up yet.

    Oldest follow-up date first. A follow-up is any live activity whose ``follow_up_of_id``
    names the done one; follow-ups are planned on the same account.

    Two steps: one pass over the user's activities (read in table order, which is much
    faster than index order on a big file) finds the candidates and the activities the user's
    own follow-ups point to; the few candidates left are then checked against every owner's
    activities of their account and read with their names.
    """
    user_rows = (
        select(literal_column("rowid", Integer))
        .select_from(_v)
        .where(_v.c.owner_id == owner_id, _v.c.deleted_at.is_(None))
    )
    candidates: set[str] = set()
    followed_up: set[str] = set()
    scan = select(_v.c.id, _v.c.status, _v.c.follow_up_date, _v.c.follow_up_of_id).where(
        literal_column("visits.rowid", Integer).in_(user_rows),
        or_(_v.c.follow_up_date.is_not(None), _v.c.follow_up_of_id.is_not(None)),
    )
    for visit_id, status, follow_up_date, follow_up_of_id in session.execute(scan):
        if follow_up_of_id is not None:
            followed_up.add(follow_up_of_id)
        if status == "done" and follow_up_date is not None and follow_up_date <= today:
            candidates.add(visit_id)
    remaining = sorted(candidates - followed_up)
    rows: list[FollowUpRow] = []
    for first in range(0, len(remaining), ID_CHUNK):
        rows.extend(_unfollowed(session, remaining[first : first + ID_CHUNK]))
    rows.sort(key=lambda row: (row.follow_up_date, _sortable(row.planned_start), row.visit_id))
    return rows


def _unfollowed(session: Session, visit_ids: Sequence[str]) -> list[FollowUpRow]:
    """The activities among ``visit_ids`` that no live activity of their account follows up."""
    follow_up = aliased(_v, name="follow_up")
    followed = and_(
        follow_up.c.account_id == _v.c.account_id,
        follow_up.c.deleted_at.is_(None),
        follow_up.c.follow_up_of_id == _v.c.id,
    )
    query = (
        select(
            _v.c.id.label("visit_id"),
            _v.c.account_id,
            _a.c.name.label("account_name"),
            _v.c.contact_id,
            _c.c.first_name,
            _c.c.last_name,
            _v.c.kind,
            _v.c.subject,
            _v.c.planned_start,
            _v.c.follow_up_date,
            _v.c.next_step,
            _v.c.outcome,
        )
        .select_from(
            _v.outerjoin(_a, _a.c.id == _v.c.account_id).outerjoin(_c, _c.c.id == _v.c.contact_id)
        )
        .where(_v.c.id.in_(list(visit_ids)), ~exists().where(followed))
    )
    rows: list[FollowUpRow] = []
    for row in session.execute(query):
        fields = dict(row._mapping)
        name = contact_display_name(fields.pop("first_name"), fields.pop("last_name"))
        rows.append(FollowUpRow(**fields, contact_name=name))
    return rows


def _sortable(instant: dt.datetime | None) -> dt.datetime:
    return instant if instant is not None else dt.datetime.min.replace(tzinfo=dt.UTC)


def cadence_facts(session: Session, *, owner_id: str) -> list[CadenceRow]:
    """The user's live accounts that have a visit cadence, with their last done and their
    next planned activity.

    The same facts as the Accounts workspace's "overdue" filter and the account page: the
    last done activity of any kind and owner (when it was checked in, else when it was
    planned) and the earliest activity still planned. Both are one seek in
    ``ix_visits_account_status``, which covers them.
    """
    done_at = func.coalesce(_v.c.checked_in_at, _v.c.planned_start)
    last_done = (
        select(func.max(done_at))
        .where(_v.c.account_id == _a.c.id, _v.c.status == "done", _v.c.deleted_at.is_(None))
        .correlate(_a)
        .scalar_subquery()
    )
    next_planned = (
        select(func.min(_v.c.planned_start))
        .where(_v.c.account_id == _a.c.id, _v.c.status == "planned", _v.c.deleted_at.is_(None))
        .correlate(_a)
        .scalar_subquery()
    )
    query = select(
        _a.c.id,
        _a.c.name,
        _a.c.city,
        _a.c.visit_cadence_days,
        _a.c.created_at,
        last_done,
        next_planned,
    ).where(
        _a.c.owner_id == owner_id,
        _a.c.deleted_at.is_(None),
        _a.c.visit_cadence_days > 0,
    )
    return [
        CadenceRow(
            account_id=account_id,
            name=name,
            city=city,
            cadence_days=cadence,
            created_at=created,
            last_done=_instant(done),
            next_planned=_instant(planned),
        )
        for account_id, name, city, cadence, created, done, planned in session.execute(query)
    ]


def _instant(value: Any) -> dt.datetime | None:
    """An aggregate over stored instants comes back as their text."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return parse_utc(str(value))


def opportunity_facts(session: Session, account_ids: Sequence[str]) -> list[OpportunityFact]:
    """The live opportunities (won or still open) of ``account_ids``."""
    facts: list[OpportunityFact] = []
    for first in range(0, len(account_ids), ID_CHUNK):
        chunk = list(account_ids[first : first + ID_CHUNK])
        query = select(
            _o.c.account_id,
            _o.c.stage,
            _o.c.amount,
            _o.c.currency,
            _o.c.probability,
            _o.c.expected_close_date,
        ).where(
            _o.c.account_id.in_(chunk),
            _o.c.deleted_at.is_(None),
            _o.c.stage != "closed_lost",
        )
        facts.extend(OpportunityFact(**row._mapping) for row in session.execute(query))
    return facts
