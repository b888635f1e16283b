"""What the Today view reads: today's stops, follow-ups due, and each account's visit facts.

Three questions:

* :func:`todays_stops`: the user's on-site activities (visits, meetings) still planned for a
  time range (planned or done), with the account's location: a range over
  ``ix_visits_owner_live``; :func:`tasks_due`: the user's open tasks due by a day (a range
  over ``ix_visits_status_live``).
* :func:`follow_ups_due`: done activities of the user whose follow-up date has come and that
  no live activity follows up yet (``follow_up_of_id``): a range over
  ``ix_visits_owner_follow_up``, a seek in ``ix_visits_follow_up_of`` per candidate.
* :func:`cadence_facts`: per account of the user that may be overdue (found in
  ``account_visit_due``), the last done and the next planned activity
  (``account_visit_summary``), for the cadence rule (:mod:`sfa_desktop.domain.cadence`);
  :func:`opportunity_facts` for the account value.

Query shapes: the local file has no planner statistics, so left alone SQLite may answer "the
user's visits with status done" by walking ``ix_visits_status_live`` (every done visit of
everybody). Where no index covers both the owner or account and the status, status tests are
written ``+status`` (not indexable), which keeps the query on the user's own visits.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple, overload

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    case,
    literal,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.orm import Session

from sfa_desktop.domain.strategic_tiers import CATALOG_DEFAULT_CADENCE
from sync_server.protocol.chunks import chunked

from ..models import (
    Account,
    AccountValueCache,
    AccountVisitDue,
    AccountVisitSummary,
    Contact,
    Opportunity,
    PendingFollowUp,
    Visit,
)
from ..types import parse_utc
from .plain_rows import driver
from .visits import VISITS_WITH_NAMES, with_contact_name

#: Activities that happen at the customer's place: they have a route and count for cadence.
ON_SITE_KINDS: tuple[str, ...] = ("visit", "meeting")

_v: Table = Visit.__table__  # type: ignore[assignment]
_a: Table = Account.__table__  # type: ignore[assignment]
_c: Table = Contact.__table__  # type: ignore[assignment]
_o: Table = Opportunity.__table__  # type: ignore[assignment]
_s: Table = AccountVisitSummary.__table__  # type: ignore[assignment]
_cache: Table = AccountValueCache.__table__  # type: ignore[assignment]
_due: Table = AccountVisitDue.__table__  # type: ignore[assignment]


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
    #: "planned" or "done" (a visit done today stays in Today, ticked)
    status: str = "planned"


@dataclass(frozen=True)
class TaskRow:
    """A task of the user still open and due by today (a follow-up, or any to-do)."""

    visit_id: str
    account_id: str
    account_name: str | None
    contact_id: str | None
    contact_name: str | None
    subject: str | None
    planned_start: dt.datetime | None
    follow_up_of_id: str | None


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
    #: the account's strategic tier as last computed (``account_value_cache``), if any
    tier: str | None = None
    #: its Pareto value (minor units, company currency) when computed for ``today``
    cached_value: int | None = None


class CadenceText(NamedTuple):
    """:class:`CadenceRow` with its instants as stored (UTC ISO text), for hot loops."""

    account_id: str
    name: str
    city: str | None
    cadence_days: int
    created_at: str
    last_done: str | None
    next_planned: str | None
    tier: str | None
    cached_value: int | None


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
            _v.c.status,
        )
        .select_from(VISITS_WITH_NAMES)
        .where(
            _v.c.owner_id == owner_id,
            _v.c.deleted_at.is_(None),
            _v.c.planned_start >= start,
            _v.c.planned_start < end,
            literal_column(f"+{_v.name}.status", String).in_(("planned", "done")),
            _v.c.kind.in_(ON_SITE_KINDS),
        )
        .order_by(_v.c.planned_start, _v.c.id)
    )
    return [StopRow(**with_contact_name(row)) for row in session.execute(query).all()]


def tasks_due(
    session: Session, *, owner_id: str, since: dt.datetime, end: dt.datetime
) -> list[TaskRow]:
    """The user's tasks still planned in ``[since, end)``, oldest first.

    A range over ``ix_visits_status_live`` (status ``planned``, by time): activities still
    planned in the past are few, unlike the user's own past activities, which
    ``ix_visits_owner_live`` would walk (so the owner test is written ``+owner_id``).
    """
    query = (
        select(
            _v.c.id.label("visit_id"),
            _v.c.account_id,
            _a.c.name.label("account_name"),
            _v.c.contact_id,
            _c.c.first_name,
            _c.c.last_name,
            _v.c.subject,
            _v.c.planned_start,
            _v.c.follow_up_of_id,
        )
        .select_from(VISITS_WITH_NAMES)
        .where(
            literal_column(f"+{_v.name}.owner_id", String) == owner_id,
            _v.c.deleted_at.is_(None),
            _v.c.planned_start >= since,
            _v.c.planned_start < end,
            _v.c.status == "planned",
            literal_column(f"+{_v.name}.kind", String) == "task",
        )
        .order_by(_v.c.planned_start, _v.c.id)
    )
    return [TaskRow(**with_contact_name(row)) for row in session.execute(query).all()]


def follow_ups_due(session: Session, *, owner_id: str, today: dt.date) -> list[FollowUpRow]:
    """The user's done activities with ``follow_up_date <= today`` and no follow-up yet.

    Oldest follow-up date first. A follow-up is any live activity (of any owner) whose
    ``follow_up_of_id`` names the done one.

    One range over ``pending_follow_ups`` (kept by triggers on ``visits``: only the done
    activities not followed up yet), then one seek per row shown.
    """
    pending = PendingFollowUp.__table__
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
            pending.join(_v, _v.c.id == pending.c.visit_id)
            .outerjoin(_a, _a.c.id == _v.c.account_id)
            .outerjoin(_c, _c.c.id == _v.c.contact_id)
        )
        .where(pending.c.owner_id == owner_id, pending.c.follow_up_date <= today)
    )
    rows = [FollowUpRow(**with_contact_name(row)) for row in session.execute(query).all()]
    rows.sort(key=lambda row: (row.follow_up_date, _sortable(row.planned_start), row.visit_id))
    return rows


def _sortable(instant: dt.datetime | None) -> dt.datetime:
    return instant if instant is not None else dt.datetime.min.replace(tzinfo=dt.UTC)


@overload
def cadence_facts(
    session: Session,
    *,
    owner_id: str,
    today: dt.date | None = ...,
    tier_cadences: Mapping[str, int] | None = ...,
    as_text: Literal[False] = ...,
) -> list[CadenceRow]: ...


@overload
def cadence_facts(
    session: Session,
    *,
    owner_id: str,
    today: dt.date | None = ...,
    tier_cadences: Mapping[str, int] | None = ...,
    as_text: Literal[True],
) -> list[CadenceText]: ...


def cadence_facts(
    session: Session,
    *,
    owner_id: str,
    today: dt.date | None = None,
    tier_cadences: Mapping[str, int] | None = None,
    as_text: bool = False,
) -> list[CadenceRow] | list[CadenceText]:
    """The user's live accounts with a visit cadence (that may be overdue on ``today``, when
    given), with their last done and their next planned activity.

    The same facts as the Accounts workspace's "overdue" filter and the account page: the
    last done activity of any kind and owner (when it was checked in, else when it was
    planned) and the earliest activity still planned, read from ``account_visit_summary``
    (kept by triggers on ``visits``). Without ``today``: one range over
    ``ix_accounts_owner_cadence`` and one seek per account. With it: two ranges of
    ``account_visit_due`` (kept by triggers, where these facts are copied), which only reach
    the accounts due by then with nothing planned before (:func:`_due_facts`).

    The cadence rule counts in the user's local days, which SQLite does not know: the
    accounts left out here are those not overdue whatever the time zone (any local day is
    within one day of the UTC one); the caller applies the exact rule to the rest.

    With ``tier_cadences`` (strategic tier → days), an account whose cadence is still the
    catalog default gets its tier's instead (:func:`~sfa_desktop.domain.strategic_tiers.
    account_cadence`; the tier as last computed in ``account_value_cache``), and its cached
    value comes along when it was computed for ``today``.
    """
    if today is not None:
        return _due_facts(
            session, owner_id=owner_id, today=today, tier_cadences=tier_cadences, as_text=as_text
        )
    cadence: ColumnElement[Any] = _a.c.visit_cadence_days
    source = _a.outerjoin(_s, _s.c.account_id == _a.c.id)
    tier: ColumnElement[Any] = literal(None)
    if tier_cadences is not None:
        source = source.outerjoin(_cache, _cache.c.account_id == _a.c.id)
        by_tier = case(
            *((_cache.c.strategic_tier == name, days) for name, days in tier_cadences.items()),
            else_=_a.c.visit_cadence_days,
        )
        cadence = case(
            (_a.c.visit_cadence_days == CATALOG_DEFAULT_CADENCE, by_tier),
            else_=_a.c.visit_cadence_days,
        )
        tier = _cache.c.strategic_tier
    query = (
        select(
            _a.c.id,
            _a.c.name,
            _a.c.city,
            cadence,
            *(
                type_coerce(column, String) if as_text else column
                for column in (_a.c.created_at, _s.c.last_done_at, _s.c.next_planned_at)
            ),
            tier,
            literal(None),  # no cached value without a day
        )
        .select_from(source)
        .where(_a.c.owner_id == owner_id, _a.c.deleted_at.is_(None), _a.c.visit_cadence_days > 0)
    )
    # The instants' column types depend on ``as_text``: the rows are typed by their use.
    rows: Sequence[Any] = session.execute(query).all()
    if as_text:
        return [CadenceText(*row) for row in rows]
    return [
        CadenceRow(
            account_id=account_id,
            name=name,
            city=city,
            cadence_days=days,
            created_at=created,
            last_done=_instant(done),
            next_planned=_instant(planned),
            tier=tier_name,
            cached_value=value,
        )
        for account_id, name, city, days, created, done, planned, tier_name, value in rows
    ]


def _due_facts(
    session: Session,
    *,
    owner_id: str,
    today: dt.date,
    tier_cadences: Mapping[str, int] | None,
    as_text: bool,
) -> list[CadenceRow] | list[CadenceText]:
    """:func:`cadence_facts` on ``today``: a superset of the accounts overdue then, in any
    time zone. A local day is within one day of the UTC one, so an account overdue on
    (local) ``today`` is due by ``today`` in UTC days, and nothing is planned for it 2 UTC days
    or more before its UTC due day (stored: ``planned_in > -2``).

    Two ranges of ``account_visit_due``, which is clustered on them: the accounts due at a
    cadence of their own (stored: their due day), and those due at their tier's (stored:
    their last visit's day), due by ``today`` at the shortest cadence they may have
    (:func:`_least_cadence`), then tested at their tier's. Rows read as plain tuples.
    """
    least = _least_cadence(session, tier_cadences)
    own = "d.cadence_days"
    params: dict[str, Any] = {
        "owner": owner_id,
        "today": today.isoformat(),
        "until": (today - dt.timedelta(days=least)).isoformat(),
        "lead": least - 2,
    }
    cadence, tier, value, join = own, "NULL", "NULL", ""
    if tier_cadences is not None:
        whens = "".join(f" WHEN :tier{n} THEN :days{n}" for n in range(len(tier_cadences)))
        cadence = (
            f"CASE WHEN {own} = {CATALOG_DEFAULT_CADENCE} "
            f"THEN CASE c.strategic_tier{whens} ELSE {own} END ELSE {own} END"
        )
        for n, (name, days) in enumerate(tier_cadences.items()):
            params[f"tier{n}"], params[f"days{n}"] = name, days
        tier, value = "c.strategic_tier", "CASE WHEN c.as_of = :today THEN c.value END"
        join = " LEFT JOIN account_value_cache c ON c.account_id = d.account_id"
    columns = (
        f"d.account_id, d.name, d.city, {cadence}, d.created_at, d.last_done_at, "
        f"d.next_planned_at, {tier}, {value}"
    )
    sql = (
        f"SELECT {columns} FROM account_visit_due d{join} WHERE d.owner_id = :owner "
        "AND d.tier_cadence = 0 AND d.day <= :today AND d.planned_in > -2 "
        f"UNION ALL SELECT {columns} FROM account_visit_due d{join} WHERE d.owner_id = :owner "
        "AND d.tier_cadence = 1 AND d.day <= :until AND d.planned_in > :lead "
        f"AND (d.day = '' OR (julianday(:today) - julianday(d.day) >= {cadence} "
        f"AND d.planned_in > {cadence} - 2))"
    )
    rows = driver(session).execute(sql, params).fetchall()
    if as_text:
        return [CadenceText(*row) for row in rows]
    return [
        CadenceRow(
            account_id=account_id,
            name=name,
            city=city,
            cadence_days=days,
            created_at=parse_utc(created),
            last_done=_instant(done),
            next_planned=_instant(planned),
            tier=tier_name,
            cached_value=cached,
        )
        for account_id, name, city, days, created, done, planned, tier_name, cached in rows
    ]


def _least_cadence(session: Session, tier_cadences: Mapping[str, int] | None) -> int:
    """The shortest cadence an account at the catalog's default one may have: its own while no
    strategic tier is known (``account_value_cache`` empty), else its tier's."""
    if not tier_cadences or session.execute(select(_cache.c.account_id).limit(1)).first() is None:
        return CATALOG_DEFAULT_CADENCE
    return min(CATALOG_DEFAULT_CADENCE, *tier_cadences.values())


def _instant(value: Any) -> dt.datetime | None:
    """An aggregate over stored instants comes back as their text."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return parse_utc(str(value))


def opportunity_facts(session: Session, account_ids: Sequence[str]) -> list[OpportunityFact]:
    """The live opportunities (won or still open) of ``account_ids``."""
    facts: list[OpportunityFact] = []
    for chunk in chunked(account_ids):
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
        facts.extend(OpportunityFact(*row) for row in session.execute(query).all())
    return facts


class OpportunityTotal(NamedTuple):
    """The amounts of one account's live opportunities in one currency: the won ones in the
    window (``probability`` ``None``) or the open ones of one probability, summed."""

    account_id: str
    currency: str
    #: percent, for open opportunities (their own, else their stage's default); ``None``: won
    probability: int | None
    #: the sum of their amounts (minor units)
    amount: int


def opportunity_totals(
    session: Session,
    account_ids: Sequence[str],
    *,
    won_since: dt.date,
    today: dt.date,
    stage_probability: Mapping[str, int],
) -> list[OpportunityTotal] | None:
    """What :func:`opportunity_facts` reads for the account value, summed by SQLite: per
    account, currency and probability, the open opportunities (any stage but won or lost;
    without a probability, their stage's from ``stage_probability``, else 0) and, apart, the
    won ones expected to close after ``won_since`` and by ``today``. ``None`` when a sum does
    not fit SQLite's 64-bit integers.

    One seek in ``ix_opportunities_account_live`` per account, the ids passed as one JSON
    array (thousands of bound parameters take longer to render than the query to run), rows
    read as plain tuples.
    """
    defaults = "".join(" WHEN ? THEN ?" for _ in stage_probability)
    default = f"CASE stage{defaults} ELSE 0 END" if stage_probability else "0"
    probability = (
        f"CASE WHEN stage = 'closed_won' THEN NULL ELSE coalesce(probability, {default}) END"
    )
    sql = (
        f"SELECT account_id, currency, {probability} AS p, sum(amount) FROM opportunities "
        "WHERE account_id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL "
        "AND stage != 'closed_lost' AND (stage != 'closed_won' "
        "OR (expected_close_date > ? AND expected_close_date <= ?)) "
        "GROUP BY account_id, currency, p"
    )
    params = (
        *(item for pair in stage_probability.items() for item in pair),
        json.dumps(list(account_ids)),
        won_since.isoformat(),
        today.isoformat(),
    )
    try:
        rows = driver(session).execute(sql, params).fetchall()
    except sqlite3.OperationalError as error:
        if "integer overflow" in str(error):
            return None
        raise
    return [OpportunityTotal(*row) for row in rows]
