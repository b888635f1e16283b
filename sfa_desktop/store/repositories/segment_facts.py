"""The raw facts segmentation needs, read as a few whole-table aggregates (no per-account query).

Each function reads every live account of the local database (what the user may see) in one
grouped query, so 100,000 accounts cost a handful of table scans:

* :func:`account_rows`: the accounts themselves (place, owner, stage, annual potential);
* :func:`won_by_account`: per account and currency, their won opportunities — first and last
  close date, how many closed in the last 12 months, the amount won in the last 12 months and
  in the 12 months before (minor units);
* :func:`accepted_quote_dates`: per account, first and last issue date and the count in the
  last 12 months of its accepted quotes that do not belong to a won opportunity;
* :func:`families_bought`: per account, the product families of its accepted quotes' lines;
* :func:`last_done_visits`: per account, the day of its last visit done (from the summary the
  visit triggers keep).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..models import Account, AccountVisitSummary, Opportunity, Product, Quote, QuoteLine
from .listing import ids_in

_a: Table = Account.__table__  # type: ignore[assignment]
_o: Table = Opportunity.__table__  # type: ignore[assignment]
_q: Table = Quote.__table__  # type: ignore[assignment]
_ql: Table = QuoteLine.__table__  # type: ignore[assignment]
_p: Table = Product.__table__  # type: ignore[assignment]
_s: Table = AccountVisitSummary.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class AccountRow:
    id: str
    name: str
    region: str | None
    city: str | None
    owner_id: str
    lifecycle_stage: str
    #: minor units of the company currency, or None when nobody estimated it
    annual_potential: int | None


@dataclass(frozen=True)
class WonRow:
    account_id: str
    currency: str
    first_close: dt.date | None
    last_close: dt.date | None
    count_12m: int
    amount_12m: int
    amount_prev_12m: int


@dataclass(frozen=True)
class QuoteDatesRow:
    account_id: str
    first_issue: dt.date | None
    last_issue: dt.date | None
    count_12m: int


def _day(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def account_rows(session: Session, account_ids: Sequence[str] | None = None) -> list[AccountRow]:
    """The live accounts (all of them, or those of ``account_ids``)."""
    query = select(
        _a.c.id,
        _a.c.name,
        _a.c.region,
        _a.c.city,
        _a.c.owner_id,
        _a.c.lifecycle_stage,
        _a.c.annual_potential,
    ).where(_a.c.deleted_at.is_(None))
    if account_ids is not None:
        query = query.where(ids_in(_a.c.id, account_ids))
    return [AccountRow(*row) for row in session.execute(query).all()]


def won_by_account(session: Session, today: dt.date) -> list[WonRow]:
    """Won opportunities aggregated per account and currency (see the module docstring)."""
    close = _o.c.expected_close_date
    year_ago = (today - dt.timedelta(days=365)).isoformat()
    two_years_ago = (today - dt.timedelta(days=730)).isoformat()
    now = today.isoformat()
    last_year = and_(close > year_ago, close <= now)
    year_before = and_(close > two_years_ago, close <= year_ago)
    query = (
        select(
            _o.c.account_id,
            _o.c.currency,
            func.min(close),
            func.max(close),
            func.count(case((last_year, 1))),
            func.coalesce(func.sum(case((last_year, _o.c.amount))), 0),
            func.coalesce(func.sum(case((year_before, _o.c.amount))), 0),
        )
        .where(_o.c.deleted_at.is_(None), _o.c.stage == "closed_won", close <= now)
        .group_by(_o.c.account_id, _o.c.currency)
    )
    return [
        WonRow(r[0], r[1], _day(r[2]), _day(r[3]), int(r[4]), int(r[5]), int(r[6]))
        for r in session.execute(query).all()
    ]


def accepted_quote_dates(session: Session, today: dt.date) -> list[QuoteDatesRow]:
    """Accepted quotes outside won opportunities, per account (see the module docstring)."""
    won = (
        select(_o.c.id)
        .where(_o.c.id == _q.c.opportunity_id, _o.c.stage == "closed_won")
        .correlate(_q)
        .exists()
    )
    issued = func.coalesce(_q.c.issue_date, func.date(_q.c.updated_at))
    year_ago = (today - dt.timedelta(days=365)).isoformat()
    query = (
        select(
            _q.c.account_id,
            func.min(issued),
            func.max(issued),
            func.count(case((and_(issued > year_ago, issued <= today.isoformat()), 1))),
        )
        .where(
            _q.c.deleted_at.is_(None),
            _q.c.status == "accepted",
            issued <= today.isoformat(),
            or_(_q.c.opportunity_id.is_(None), ~won),
        )
        .group_by(_q.c.account_id)
    )
    return [
        QuoteDatesRow(r[0], _day(r[1]), _day(r[2]), int(r[3])) for r in session.execute(query).all()
    ]


def families_bought(session: Session) -> list[tuple[str, str]]:
    """``(account_id, family)`` pairs, each once, from the lines of accepted quotes."""
    query = (
        select(_q.c.account_id, _p.c.family)
        .select_from(
            _q.join(_ql, and_(_ql.c.quote_id == _q.c.id, _ql.c.deleted_at.is_(None))).join(
                _p, _p.c.id == _ql.c.product_id
            )
        )
        .where(_q.c.deleted_at.is_(None), _q.c.status == "accepted", _p.c.family.is_not(None))
        .distinct()
    )
    return [(str(r[0]), str(r[1])) for r in session.execute(query).all()]


def all_families(session: Session) -> list[str]:
    """The product families of the catalogue (live products), sorted."""
    query = (
        select(_p.c.family)
        .where(_p.c.deleted_at.is_(None), _p.c.family.is_not(None))
        .group_by(_p.c.family)
        .order_by(_p.c.family)
    )
    return [str(f) for f in session.execute(query).scalars()]


def last_done_visits(session: Session) -> dict[str, dt.date]:
    """The UTC day of each account's last visit done, from ``account_visit_summary`` (kept
    exact by triggers on the visits: one row per account, not a scan of every visit)."""
    day = func.substr(_s.c.last_done_at, 1, 10)
    query = select(_s.c.account_id, day).where(_s.c.last_done_at.is_not(None))
    return {
        str(account_id): dt.date.fromisoformat(text)
        for account_id, text in session.execute(query).all()
    }
