"""The accounts list: paged, sorted, filtered and searched, as plain rows.

Every sort walks an index (``ix_accounts_*``: key, name, id), descending too, with ``id`` as
the final tiebreak so pages are stable. Names and cities are in Spanish order: the indexes hold
their ``sfa_sort_key`` (:mod:`..collation`). ``owner_name`` comes from the users table (``None``
while the owner's user record has not synced; such accounts come last when sorting by owner,
in either direction). See :mod:`.listing` for searches and the owner-name sort.

Counting: ``count_accounts`` is exact. Without a search it counts a partial index (a few ms on
100k accounts); with one, FTS5 counts its matches cheaply and other filters cost one lookup
per match. ``cap`` stops counting early (the UI may show "1,000+").

Filters: ``owner_id``, ``region``, ``lifecycle_stage``, ``account_ids`` (only these: a saved
segment's accounts, given as one JSON parameter) and ``overdue_on`` — the accounts
overdue for a visit on that day by their cadence (the rule of
:mod:`sfa_desktop.domain.cadence`, evaluated in SQL over ``account_visit_due``, which triggers
keep: each account's due day and the days from it to its next planned visit).
:func:`owner_choices` and :func:`region_choices` list the values the owner and region filters
offer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    and_,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.orm import Session

from ..collation import COLLATION, KEY_SEPARATOR, name_key, sort_key
from ..models import Account, AccountVisitDue, User
from .listing import ChildList, check_sort, count_live, ids_in, list_page, ordered

ACCOUNT_SORT_KEYS = ("name", "city", "region", "lifecycle_stage", "owner_name", "updated_at")


@dataclass(frozen=True)
class AccountRow:
    id: str
    name: str
    tax_id: str | None
    city: str | None
    region: str | None
    country: str
    owner_id: str
    owner_name: str | None
    lifecycle_stage: str
    phone: str | None
    email: str | None
    updated_at: dt.datetime


_a: Table = Account.__table__  # type: ignore[assignment]
_u: Table = User.__table__  # type: ignore[assignment]
_due: Table = AccountVisitDue.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class OwnerChoice:
    id: str
    name: str


def list_accounts(
    session: Session,
    *,
    search: str | None = None,
    sort: str = "name",
    descending: bool = False,
    offset: int = 0,
    limit: int = 100,
    owner_id: str | None = None,
    region: str | None = None,
    lifecycle_stage: str | None = None,
    overdue_on: dt.date | None = None,
    account_ids: Sequence[str] | None = None,
) -> list[AccountRow]:
    """One page of live accounts, sorted by ``sort`` (one of :data:`ACCOUNT_SORT_KEYS`)."""
    check_sort(sort, ACCOUNT_SORT_KEYS)
    by_owner = sort == "owner_name"
    order = ordered(_sort_columns(sort), descending=descending)
    if by_owner:  # a small search: accounts whose owner is unknown go last
        order.insert(0, _u.c.id.is_(None).asc())
    page = list_page(
        session,
        _ACCOUNTS,
        search=search,
        filters=_filters(owner_id, region, lifecycle_stage, overdue_on, account_ids),
        order=order,
        parent_walk=[name_key(_a.c.name), _a.c.id] if by_owner else None,
        descending=descending,
        offset=offset,
        limit=limit,
    )
    return [AccountRow(**row._mapping) for row in page]


def count_accounts(
    session: Session,
    *,
    search: str | None = None,
    owner_id: str | None = None,
    region: str | None = None,
    lifecycle_stage: str | None = None,
    overdue_on: dt.date | None = None,
    account_ids: Sequence[str] | None = None,
    cap: int | None = None,
) -> int:
    """How many live accounts :func:`list_accounts` pages through (at most ``cap``)."""
    return count_live(
        session,
        _a,
        found=_ACCOUNTS.search(session, search),
        filters=_filters(owner_id, region, lifecycle_stage, overdue_on, account_ids, whole=True),
        cap=cap,
    )


def _select_rows(owner_name: ColumnElement[Any]) -> Select[Any]:
    return select(
        _a.c.id,
        _a.c.name,
        _a.c.tax_id,
        _a.c.city,
        _a.c.region,
        _a.c.country,
        _a.c.owner_id,
        owner_name.label("owner_name"),
        _a.c.lifecycle_stage,
        _a.c.phone,
        _a.c.email,
        _a.c.updated_at,
    )


_ACCOUNTS = ChildList(
    child=_a, parent=_u, parent_id=_a.c.owner_id, fts_table="accounts_fts", select_rows=_select_rows
)


def _filters(
    owner_id: str | None,
    region: str | None,
    lifecycle_stage: str | None,
    overdue_on: dt.date | None = None,
    account_ids: Sequence[str] | None = None,
    *,
    whole: bool = False,
) -> list[ColumnElement[bool]]:
    """The conditions beyond "live" and the search; ``whole``: for a count of them all."""
    conditions: list[ColumnElement[bool]] = []
    if owner_id is not None:
        conditions.append(_a.c.owner_id == owner_id)
    if region is not None:
        conditions.append(_a.c.region == region)
    if lifecycle_stage is not None:
        conditions.append(_a.c.lifecycle_stage == lifecycle_stage)
    if overdue_on is not None:
        conditions.append(_overdue(overdue_on, whole=whole))
    if account_ids is not None:
        conditions.append(ids_in(_a.c.id, account_ids))
    return conditions


def _overdue(today: dt.date, *, whole: bool) -> ColumnElement[bool]:
    """Past the visit due date with no visit planned on or before it (see domain.cadence),
    at the account's own cadence.

    Read from ``account_visit_due`` (kept by triggers): an account's due day (its last done
    visit's UTC day + its cadence; for one never visited, the day it was created) and the whole
    days from it to the next planned visit. Overdue: due before ``today`` and nothing planned
    until the day after. An account still at the catalog's default cadence, once visited, holds
    its last visit's day instead (Today reads it at its strategic tier's cadence); here that
    day + its own cadence. ``whole`` (a count): the overdue accounts read in one pass over that
    table; else one seek in it per account, so a page stops at its last row (on 100,000
    accounts a count takes 63-110 ms and a first page 13-18 ms; either form alone made one of
    them 3-6 times slower).
    """
    due, day = _due, literal(today.isoformat())
    by_own_cadence = and_(due.c.tier_cadence.is_(False), due.c.day < day, due.c.planned_in >= 1)
    by_last_visit = and_(
        due.c.tier_cadence.is_(True),
        func.julianday(day) - func.julianday(due.c.day) > due.c.cadence_days,
        due.c.planned_in > due.c.cadence_days,
    )
    late = or_(by_own_cadence, by_last_visit)
    if whole:
        return _a.c.id.in_(select(due.c.account_id).where(due.c.day != "", late))
    return (
        select(literal(1))
        .where(due.c.account_id == _a.c.id, due.c.day != "", late)
        .correlate(_a)
        .exists()
    )


def owner_choices(session: Session) -> list[OwnerChoice]:
    """The active users, by name: who may own an account (and the owner filter's choices)."""
    query = (
        select(_u.c.id, _u.c.name)
        .where(_u.c.active.is_(True), _u.c.deleted_at.is_(None))
        .order_by(name_key(_u.c.name), _u.c.id)
    )
    return [OwnerChoice(row.id, row.name) for row in session.execute(query)]


def region_choices(session: Session) -> list[str]:
    """The regions of live accounts, in Spanish order (grouped by ``ix_accounts_region_live``)."""
    query = (
        select(_a.c.region)
        .where(_a.c.deleted_at.is_(None), _a.c.region.is_not(None))
        .group_by(_a.c.region)
        .order_by(_a.c.region.collate(COLLATION))
    )
    return [str(region) for region in session.execute(query).scalars()]


def _sort_columns(sort: str) -> list[ColumnElement[Any]]:
    name = name_key(_a.c.name)
    if sort == "name":
        return [name, _a.c.id]
    if sort == "owner_name":
        return [name_key(_u.c.name), _a.c.owner_id, name, _a.c.id]
    if sort == "updated_at":
        return [_a.c.updated_at, _a.c.id]
    if sort == "city":
        return [name_key(_a.c.city), name, _a.c.id]
    return [_a.c[sort], name, _a.c.id]


@dataclass(frozen=True)
class CityAccount:
    """A live account of one city, as the duplicate warning lists it."""

    id: str
    name: str
    city: str
    owner_name: str | None


def accounts_in_city(
    session: Session, city: str, *, exclude_id: str | None = None
) -> list[CityAccount]:
    """The live accounts whose city is ``city``, accents and case aside ("malaga" finds
    "Málaga"): a range of ``ix_accounts_city_live`` (the key's first part is the folded city),
    so a city of a 100,000-account territory costs its own rows only."""
    query = city_accounts_query(city, exclude_id=exclude_id)
    return [CityAccount(r.id, r.name, r.city, r.owner_name) for r in session.execute(query)]


def city_accounts_query(city: str, *, exclude_id: str | None = None) -> Select[Any]:
    """The query of :func:`accounts_in_city` (for its plan)."""
    primary = (sort_key(city) or "").split(KEY_SEPARATOR, 1)[0]
    key = name_key(_a.c.city)
    query = (
        select(_a.c.id, _a.c.name, _a.c.city, _u.c.name.label("owner_name"))
        .select_from(_a.outerjoin(_u, _u.c.id == _a.c.owner_id))
        .where(
            _a.c.deleted_at.is_(None),
            key >= primary + KEY_SEPARATOR,
            key < primary + chr(ord(KEY_SEPARATOR) + 1),
        )
        .order_by(key, name_key(_a.c.name), _a.c.id)
    )
    if exclude_id is not None:
        query = query.where(_a.c.id != exclude_id)
    return query
