"""The accounts list: paged, sorted, filtered and searched, as plain rows.

Every sort walks an index (``ix_accounts_*``: key, name, id), descending too, with ``id`` as
the final tiebreak so pages are stable. ``owner_name`` comes from the users table (``None``
while the owner's user record has not synced; such accounts come last when sorting by owner,
in either direction). See :mod:`.listing` for searches and the owner-name sort.

Counting: ``count_accounts`` is exact. Without a search it counts a partial index (a few ms on
100k accounts); with one, FTS5 counts its matches cheaply and other filters cost one lookup
per match. ``cap`` stops counting early (the UI may show "1,000+").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, func, literal, select
from sqlalchemy.orm import Session

from ..models import Account, User
from .listing import (
    NO_SEARCH,
    SearchFilter,
    check_paging,
    check_sort,
    cross_join,
    fetch_page_with_orphans,
    ordered,
    search_filter,
)

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
) -> list[AccountRow]:
    """One page of live accounts, sorted by ``sort`` (one of :data:`ACCOUNT_SORT_KEYS`)."""
    check_sort(sort, ACCOUNT_SORT_KEYS)
    check_paging(offset=offset, limit=limit)
    found = _search(session, search)
    if found.matches == 0 or limit == 0:
        return []
    filters = [found.clause, *_conditions(owner_id, region, lifecycle_stage)]
    if sort == "owner_name" and not found.small:
        joined = (
            _select_rows(_u.c.name)
            .select_from(cross_join(_u, _a, _a.c.owner_id == _u.c.id))
            .where(*filters)
            .order_by(*ordered([_u.c.name, _u.c.id, _a.c.name, _a.c.id], descending=descending))
        )
        orphans = (
            _select_rows(literal(None))
            .select_from(_a.outerjoin(_u, _u.c.id == _a.c.owner_id))
            .where(_u.c.id.is_(None), *filters)
            .order_by(*ordered([_a.c.name, _a.c.id], descending=descending))
        )
        page = fetch_page_with_orphans(
            session, joined=joined, orphans=orphans, offset=offset, limit=limit
        )
        return [AccountRow(**row._mapping) for row in page]
    order = ordered(_sort_columns(sort), descending=descending)
    if sort == "owner_name":  # a small search: accounts whose owner is unknown go last
        order.insert(0, _u.c.id.is_(None).asc())
    query = (
        _select_rows(_u.c.name)
        .select_from(_a.outerjoin(_u, _u.c.id == _a.c.owner_id))
        .where(*filters)
        .order_by(*order)
        .offset(offset)
        .limit(limit)
    )
    return [AccountRow(**row._mapping) for row in session.execute(query)]


def count_accounts(
    session: Session,
    *,
    search: str | None = None,
    owner_id: str | None = None,
    region: str | None = None,
    lifecycle_stage: str | None = None,
    cap: int | None = None,
) -> int:
    """How many live accounts :func:`list_accounts` pages through (at most ``cap``)."""
    found = _search(session, search)
    if found.matches == 0:
        return 0
    conditions = _conditions(owner_id, region, lifecycle_stage)
    if found.matches is not None and len(conditions) == 1:
        # The FTS index holds live accounts only: its count is the answer.
        return found.matches if cap is None else min(found.matches, cap)
    inner = select(_a.c.id).where(found.clause, *conditions)
    if cap is not None:
        inner = inner.limit(cap)
    return int(session.execute(select(func.count()).select_from(inner.subquery())).scalar_one())


def _search(session: Session, search: str | None) -> SearchFilter:
    if not search:
        return NO_SEARCH
    return search_filter(session, table=_a, fts_table="accounts_fts", query=search)


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


def _conditions(
    owner_id: str | None, region: str | None, lifecycle_stage: str | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [_a.c.deleted_at.is_(None)]
    if owner_id is not None:
        conditions.append(_a.c.owner_id == owner_id)
    if region is not None:
        conditions.append(_a.c.region == region)
    if lifecycle_stage is not None:
        conditions.append(_a.c.lifecycle_stage == lifecycle_stage)
    return conditions


def _sort_columns(sort: str) -> list[ColumnElement[Any]]:
    if sort == "name":
        return [_a.c.name, _a.c.id]
    if sort == "owner_name":
        return [_u.c.name, _a.c.owner_id, _a.c.name, _a.c.id]
    if sort == "updated_at":
        return [_a.c.updated_at, _a.c.id]
    return [_a.c[sort], _a.c.name, _a.c.id]
