"""The raw facts segmentation needs, read as a few grouped aggregates (no query per account),
and the cache of their per-account part (``account_segment_cache``).

Each aggregate takes ``account_ids`` (a list, read in chunks through the account indexes) or
``None`` (every live account: one pass over the table, grouped):

* :func:`won_by_account`: per account and currency, their won opportunities — first and last
  close date up to today, how many closed in the last 12 months, the amount won in the last 12
  months and in the 12 months before (minor units), and the first day after today on which one
  of them enters or leaves those windows;
* :func:`accepted_quote_dates`: per account, first and last issue date up to today, the count
  in the last 12 months of its accepted quotes that do not belong to a won opportunity, and
  the next day one enters or leaves the window;
* :func:`families_bought`: per account, the product families of its accepted quotes' lines.

:func:`cached_accounts` reads every live account in one pass with its cached row (and whether
that row holds for the day asked) and the day of its last visit done (from the summary the
visit triggers keep); :func:`write_cache` stores computed rows. Dates come back as ISO texts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync_server.protocol.chunks import chunked

from ..models import Product
from .plain_rows import driver, rows_per_account

#: Joins the families of a cached row (no family name holds it).
FAMILY_SEPARATOR = "\x1f"

Row = tuple[Any, ...]

CACHE_COLUMNS = (
    "account_id",
    "as_of",
    "valid_until",
    "first_purchase",
    "last_purchase",
    "purchases_12m",
    "spend_12m",
    "spend_prev_12m",
    "families",
)


class WonRow(NamedTuple):
    account_id: str
    currency: str
    first_close: str | None
    last_close: str | None
    count_12m: int
    amount_12m: int
    amount_prev_12m: int
    #: the first day after today on which a deal enters or leaves a window (None: never)
    next_change: str | None


class QuoteDatesRow(NamedTuple):
    account_id: str
    first_issue: str | None
    last_issue: str | None
    count_12m: int
    next_change: str | None


class CachedAccount(NamedTuple):
    """A live account, its cached facts (``valid``: the row holds for the day asked; the
    columns are ``None`` without a row) and the UTC day of its last visit done."""

    id: str
    name: str
    region: str | None
    city: str | None
    owner_id: str
    lifecycle_stage: str
    annual_potential: int | None
    valid: int | None
    first_purchase: str | None
    last_purchase: str | None
    purchases_12m: int | None
    spend_12m: str | None
    spend_prev_12m: str | None
    families: str | None
    last_visit: str | None


def _windows(today: dt.date) -> tuple[str, str, str]:
    """Today, a year ago and two years ago (365 days each), as ISO texts."""
    return (
        today.isoformat(),
        (today - dt.timedelta(days=365)).isoformat(),
        (today - dt.timedelta(days=730)).isoformat(),
    )


def won_by_account(
    session: Session, today: dt.date, account_ids: Sequence[str] | None = None
) -> list[WonRow]:
    """Won opportunities aggregated per account and currency (see the module docstring)."""
    now, year_ago, two_years_ago = _windows(today)
    close = "expected_close_date"  # ?1 today, ?2 a year ago, ?3 two years ago
    last_year = f"{close} > ?2 AND {close} <= ?1"
    sql = (
        f"SELECT account_id, currency, min(CASE WHEN {close} <= ?1 THEN {close} END), "
        f"max(CASE WHEN {close} <= ?1 THEN {close} END), "
        f"count(CASE WHEN {last_year} THEN 1 END), "
        f"coalesce(sum(CASE WHEN {last_year} THEN amount END), 0), "
        f"coalesce(sum(CASE WHEN {close} > ?3 AND {close} <= ?2 THEN amount END), 0), "
        f"min(CASE WHEN {close} > ?1 THEN {close} "
        f"WHEN {close} > ?2 THEN date({close}, '+365 days') "
        f"WHEN {close} > ?3 THEN date({close}, '+730 days') END) "
        "FROM opportunities WHERE deleted_at IS NULL AND stage = 'closed_won' AND {where} "
        "GROUP BY account_id, currency"
    )
    rows = rows_per_account(
        session, sql, account_ids, now, year_ago, two_years_ago, column="account_id"
    )
    return [WonRow(*row) for row in rows]


def accepted_quote_dates(
    session: Session, today: dt.date, account_ids: Sequence[str] | None = None
) -> list[QuoteDatesRow]:
    """Accepted quotes outside won opportunities, per account (see the module docstring)."""
    now, year_ago, _two = _windows(today)
    issued = "coalesce(q.issue_date, date(q.updated_at))"
    sql = (
        f"SELECT q.account_id, min(CASE WHEN {issued} <= ?1 THEN {issued} END), "
        f"max(CASE WHEN {issued} <= ?1 THEN {issued} END), "
        f"count(CASE WHEN {issued} > ?2 AND {issued} <= ?1 THEN 1 END), "
        f"min(CASE WHEN {issued} > ?1 THEN {issued} "
        f"WHEN {issued} > ?2 THEN date({issued}, '+365 days') END) "
        "FROM quotes q WHERE q.deleted_at IS NULL AND q.status = 'accepted' "
        "AND (q.opportunity_id IS NULL OR NOT EXISTS (SELECT 1 FROM opportunities o "
        "WHERE o.id = q.opportunity_id AND o.stage = 'closed_won')) AND {where} "
        "GROUP BY q.account_id"
    )
    rows = rows_per_account(session, sql, account_ids, now, year_ago, column="q.account_id")
    return [QuoteDatesRow(*row) for row in rows]


def families_bought(
    session: Session, account_ids: Sequence[str] | None = None
) -> list[tuple[str, str]]:
    """``(account_id, family)`` pairs, each once, from the lines of accepted quotes."""
    sql = (
        "SELECT DISTINCT q.account_id, p.family FROM quotes q "
        "JOIN quote_lines l ON l.quote_id = q.id AND l.deleted_at IS NULL "
        "JOIN products p ON p.id = l.product_id "
        "WHERE q.deleted_at IS NULL AND q.status = 'accepted' AND p.family IS NOT NULL "
        "AND {where}"
    )
    return [
        (str(a), str(f))
        for a, f in rows_per_account(session, sql, account_ids, column="q.account_id")
    ]


def all_families(session: Session) -> list[str]:
    """The product families of the catalogue (live products), sorted."""
    query = (
        select(Product.family)
        .where(Product.deleted_at.is_(None), Product.family.is_not(None))
        .group_by(Product.family)
        .order_by(Product.family)
    )
    return [str(f) for f in session.execute(query).scalars()]


#: Where :func:`cached_accounts` rows say whether the cached columns hold for the day.
VALID = CachedAccount._fields.index("valid")


def cached_accounts(session: Session, today: dt.date) -> list[Row]:
    """Every live account with its cached row and last visit done (one pass, see above): plain
    tuples in :class:`CachedAccount` order (100,000 of them: no object each)."""
    now = today.isoformat()
    rows: list[Row] = (
        driver(session)
        .execute(
            "SELECT a.id, a.name, a.region, a.city, a.owner_id, a.lifecycle_stage, "
            "a.annual_potential, "
            "c.as_of <= ?1 AND (c.valid_until IS NULL OR c.valid_until > ?1), "
            "c.first_purchase, c.last_purchase, c.purchases_12m, c.spend_12m, "
            "c.spend_prev_12m, c.families, substr(s.last_done_at, 1, 10) "
            # the table in its own order (an index of the live ones would cost a seek each)
            "FROM accounts a NOT INDEXED "
            "LEFT JOIN account_segment_cache c ON c.account_id = a.id "
            "LEFT JOIN account_visit_summary s ON s.account_id = a.id "
            "WHERE a.deleted_at IS NULL",
            (now,),
        )
        .fetchall()
    )
    return rows


def write_cache(session: Session, rows: Sequence[Sequence[Any]]) -> None:
    """Insert or replace cached rows (tuples in :data:`CACHE_COLUMNS` order)."""
    if not rows:
        return
    names = ", ".join(CACHE_COLUMNS)
    marks = ", ".join("?" * len(CACHE_COLUMNS))
    connection = driver(session)
    for batch in chunked(rows):
        connection.executemany(
            f"INSERT OR REPLACE INTO account_segment_cache ({names}) VALUES ({marks})", batch
        )


def clear_cache(session: Session) -> None:
    """Forget every cached row (they are computed again on the next read)."""
    driver(session).execute("DELETE FROM account_segment_cache")
