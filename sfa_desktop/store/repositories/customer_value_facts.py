"""What the value model reads, aggregated in SQL, for some accounts or all of them.

Each question takes ``account_ids`` (a list, read in chunks through the account indexes) or
``None`` (every live account: one pass over the table, grouped). Amounts come back in minor
units; quote line nets are summed in SQL as ``quantity × unit price × (1 − discount / 100)``
(floating point, rounded once per quote by the caller: a value estimate, not an invoice).
The cache of the figures (``account_value_cache``) is read and written here too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from sync_server.protocol.chunks import chunked

from .plain_rows import driver, rows_per_account

Row = tuple[Any, ...]

_COMPANY_COLUMNS = (
    "currency",
    "default_margin_pct",
    "visit_cost",
    "meeting_cost",
    "call_cost",
    "email_cost",
    "ltv_discount_pct",
    "cadence_mvc_days",
    "cadence_mgc_days",
    "cadence_other_days",
    "cadence_bz_days",
)

#: The account of the row that says the tiers are up to date (no account has this id).
TIERS_MARK = ""

CACHE_COLUMNS = (
    "account_id",
    "as_of",
    "value",
    "historic",
    "last_12m",
    "current_year",
    "potential",
    "growth_potential",
    "cost_to_serve",
    "margin",
    "lifetime_value",
    "share_of_wallet",
    "retention",
    "strategic_tier",
    "pareto_tier",
)
#: What a computed row writes: :data:`CACHE_COLUMNS`, then the first day it no longer holds
#: and the stamp of the write (a number each write draws: a reader that remembers a row's
#: stamp knows the row is still the one it read).
WRITE_COLUMNS = (*CACHE_COLUMNS, "valid_until", "stamp")


def company_value_settings(session: Session) -> dict[str, Any]:
    """The company's value settings as stored (``None``: not set); empty without a company."""
    columns = ", ".join(_COMPANY_COLUMNS)
    row = session.execute(
        text(f"SELECT {columns} FROM company WHERE deleted_at IS NULL LIMIT 1")
    ).one_or_none()
    return dict(row._mapping) if row is not None else {}


def live_accounts(session: Session, account_ids: Sequence[str] | None) -> list[Row]:
    """``(account_id, owner_id, annual_potential)`` of the live accounts."""
    sql = "SELECT id, owner_id, annual_potential FROM accounts WHERE deleted_at IS NULL AND {where}"
    return list(rows_per_account(session, sql, account_ids, column="id"))


def live_account_count(session: Session) -> int:
    return int(
        driver(session)
        .execute("SELECT count(*) FROM accounts WHERE deleted_at IS NULL")
        .fetchone()[0]
    )


def opportunity_rows(session: Session, account_ids: Sequence[str] | None) -> list[Row]:
    """``(account_id, id, stage, amount, probability, expected_close_date, updated_at)`` of the
    live opportunities won or still open."""
    sql = (
        "SELECT account_id, id, stage, amount, probability, expected_close_date, updated_at "
        "FROM opportunities WHERE deleted_at IS NULL AND stage != 'closed_lost' AND {where}"
    )
    return list(rows_per_account(session, sql, account_ids))


def accepted_quote_rows(session: Session, account_ids: Sequence[str] | None) -> list[Row]:
    """``(account_id, quote_id, opportunity_id, issue_date, net, list_amount, costed_net,
    costed_cost)`` of the live accepted quotes, over their non-optional live item lines
    (minor units; ``costed_*``: the lines whose product has a unit cost)."""
    net = "CAST(l.quantity AS REAL) * l.unit_price * (1 - CAST(l.discount_pct AS REAL) / 100)"
    sql = (
        "SELECT q.account_id, q.id, q.opportunity_id, q.issue_date, "
        f"total({net}), total(CAST(l.quantity AS REAL) * l.unit_price), "
        f"total(CASE WHEN p.unit_cost IS NOT NULL THEN {net} END), "
        "total(CASE WHEN p.unit_cost IS NOT NULL "
        "THEN CAST(l.quantity AS REAL) * p.unit_cost END) "
        "FROM quotes q "
        "LEFT JOIN quote_lines l ON l.quote_id = q.id AND l.deleted_at IS NULL "
        "AND l.kind = 'item' AND NOT l.optional "
        "LEFT JOIN products p ON p.id = l.product_id "
        # +status: read a few accounts' quotes by account, not every accepted quote
        "WHERE q.deleted_at IS NULL AND +q.status = 'accepted' AND {where} "
        "GROUP BY q.id"
    )
    return list(rows_per_account(session, sql, account_ids))


def activity_counts(
    session: Session, account_ids: Sequence[str] | None, *, since: dt.date, until: dt.date
) -> list[Row]:
    """``(account_id, kind, count, first_counted, first_later)`` of the live done activities
    done (checked in, else planned) on a UTC day in ``(since, until]`` — how many, and the
    first such day (``YYYY-MM-DD``; ``None`` if none) — and the first such day after
    ``until`` (an activity that will enter the window)."""
    day = "substr(coalesce(checked_in_at, planned_start), 1, 10)"
    sql = (
        f"SELECT account_id, kind, count(CASE WHEN {day} < ? THEN 1 END), "
        f"min(CASE WHEN {day} < ? THEN {day} END), min(CASE WHEN {day} >= ? THEN {day} END) "
        "FROM visits "
        "WHERE deleted_at IS NULL AND status = 'done' "
        "AND coalesce(checked_in_at, planned_start) >= ? AND {where} "
        "GROUP BY account_id, kind"
    )
    start = (since + dt.timedelta(days=1)).isoformat()
    end = (until + dt.timedelta(days=1)).isoformat()
    return list(rows_per_account(session, sql, account_ids, end, end, end, start))


#: A cached row holds from its day ``as_of`` until the day before ``valid_until``.
_FRESH = "c.as_of <= ? AND c.valid_until > ?"


#: A row of an earlier year that still holds has no sale after its day: none this year.
_YEARS_SALES = {
    "current_year": "CASE WHEN substr(c.as_of, 1, 4) = ? THEN c.current_year ELSE 0 END"
}


def stale_accounts(session: Session, today: dt.date, limit: int | None = None) -> list[str]:
    """Live accounts without a cached row that holds on ``today`` (the first ``limit``)."""
    day = today.isoformat()
    rows = driver(session).execute(
        "SELECT a.id FROM accounts a LEFT JOIN account_value_cache c ON c.account_id = a.id "
        f"WHERE a.deleted_at IS NULL AND (c.account_id IS NULL OR NOT ({_FRESH})) "
        f"{'LIMIT ?' if limit is not None else ''}",
        (day, day) if limit is None else (day, day, limit),
    )
    return [row[0] for row in rows.fetchall()]


def cached_rows(
    session: Session, today: dt.date
) -> tuple[list[Row], list[str], dict[str, tuple[int, str]]]:
    """``(rows, stale, stamps)``: the cached rows that hold on ``today`` of the live accounts
    — ``account_id``, the owner id, then the columns of :data:`CACHE_COLUMNS` from ``value``
    on (the order of :class:`~sfa_desktop.services.customer_values.AccountValue`) — the live
    accounts without one, and each row's ``(stamp, valid_until)``. One pass over the
    accounts. A row holds into a new year (its ``valid_until`` leaves 1 January out): its
    current year's sales are then none."""
    columns = ", ".join(_YEARS_SALES.get(name, f"c.{name}") for name in CACHE_COLUMNS[2:])
    day = today.isoformat()
    found = (
        driver(session)
        .execute(
            f"SELECT a.id, a.owner_id, {columns}, c.stamp, c.valid_until, "
            f"coalesce({_FRESH}, 0) "
            # the live accounts' owner and id, from an index that holds both (no table rows)
            "FROM accounts a INDEXED BY ix_accounts_owner_live "
            "LEFT JOIN account_value_cache c ON c.account_id = a.id WHERE a.deleted_at IS NULL",
            (day[:4], day, day),
        )
        .fetchall()
    )
    rows = [row[:-3] for row in found if row[-1]]
    stale = [row[0] for row in found if not row[-1]]
    stamps = {row[0]: (row[-3], row[-2]) for row in found if row[-1]}
    return rows, stale, stamps


def stamps(session: Session) -> set[int]:
    """The stamps of the cached rows (a few: one per write)."""
    rows = driver(session).execute(
        "SELECT DISTINCT stamp FROM account_value_cache WHERE account_id != ?", (TIERS_MARK,)
    )
    return {row[0] for row in rows.fetchall()}


def last_change(session: Session) -> int:
    """The sequence number of the last logged change (``account_value_changes``; 0: none)."""
    row = driver(session).execute("SELECT max(seq) FROM account_value_changes").fetchone()
    return int(row[0] or 0)


def changes_since(session: Session, seq: int) -> tuple[int, int | None, set[str]]:
    """``(last, first, accounts)``: the last sequence number in the log, the first one still
    there (``None``: an empty log), and the accounts logged after ``seq``."""
    connection = driver(session)
    last, first = connection.execute(
        "SELECT max(seq), min(seq) FROM account_value_changes"
    ).fetchone()
    accounts = connection.execute(
        "SELECT DISTINCT account_id FROM account_value_changes WHERE seq > ?", (seq,)
    ).fetchall()
    return int(last or seq), first, {row[0] for row in accounts}


def trim_changes(session: Session, upto: int) -> None:
    """Forget the logged changes before ``upto`` (the last one stays: the log says where it
    starts)."""
    driver(session).execute("DELETE FROM account_value_changes WHERE seq < ?", (upto,))


def expired_accounts(session: Session, today: dt.date) -> list[str]:
    """The accounts whose cached row no longer holds on ``today`` (the day moved them)."""
    day = today.isoformat()
    rows = driver(session).execute(
        f"SELECT account_id FROM account_value_cache c WHERE account_id != ? AND NOT ({_FRESH})",
        (TIERS_MARK, day, day),
    )
    return [row[0] for row in rows.fetchall()]


def tiers_mark(session: Session) -> tuple[int, str, str] | None:
    """``(token, as_of, valid_until)`` of the row that says the tiers are up to date: the
    stamp of the table it was written for, its day, and the first day one of its rows no
    longer holds; ``None`` if a figure changed since."""
    row = (
        driver(session)
        .execute(
            "SELECT stamp, as_of, valid_until FROM account_value_cache WHERE account_id = ?",
            (TIERS_MARK,),
        )
        .fetchone()
    )
    return None if row is None else (row[0], row[1], row[2])


def tiers_up_to_date(session: Session) -> bool:
    """Whether the tiers were written after the last change of any figure."""
    row = driver(session).execute(
        "SELECT 1 FROM account_value_cache WHERE account_id = ?", (TIERS_MARK,)
    )
    return row.fetchone() is not None


def mark_tiers_up_to_date(session: Session, today: dt.date, *, token: int) -> str:
    """Say the tiers are up to date (:func:`tiers_mark`); the first day a row no longer
    holds, as written in it."""
    connection = driver(session)
    row = connection.execute(
        "SELECT min(valid_until) FROM account_value_cache WHERE account_id != ?", (TIERS_MARK,)
    ).fetchone()
    first = str(row[0] or dt.date.max.isoformat())
    values = (TIERS_MARK, today.isoformat(), *([0] * 9), None, 0.0, None, None)
    marks = ", ".join("?" * len(WRITE_COLUMNS))
    connection.execute(
        f"INSERT OR REPLACE INTO account_value_cache ({', '.join(WRITE_COLUMNS)}) VALUES ({marks})",
        (*values, first, token),
    )
    return first


def write_cache(session: Session, rows: Sequence[Sequence[Any]]) -> None:
    """Insert or replace cached rows (tuples in :data:`WRITE_COLUMNS` order); the tiers are
    no longer up to date."""
    if not rows:
        return
    names = ", ".join(WRITE_COLUMNS)
    marks = ", ".join("?" * len(WRITE_COLUMNS))
    connection = driver(session)
    connection.execute("DELETE FROM account_value_cache WHERE account_id = ?", (TIERS_MARK,))
    connection.executemany(
        f"INSERT OR REPLACE INTO account_value_cache ({names}) VALUES ({marks})", rows
    )


def write_tiers(session: Session, changed: Sequence[tuple[str, str, str]], stamp: int) -> None:
    """Set ``(account_id, strategic_tier, pareto_tier)`` of cached rows (and their stamp)."""
    if changed:
        driver(session).executemany(
            "UPDATE account_value_cache SET strategic_tier = ?, pareto_tier = ?, stamp = ? "
            "WHERE account_id = ?",
            [(s, p, stamp, i) for i, s, p in changed],
        )


def cached_row(session: Session, account_id: str) -> Row | None:
    """One account's cached row (:data:`CACHE_COLUMNS`), whatever its day (the account id,
    then ``None`` for the owner, then the figures: :func:`cached_rows`' order)."""
    columns = ", ".join(CACHE_COLUMNS[2:])
    row = session.execute(
        text(f"SELECT account_id, NULL, {columns} FROM account_value_cache WHERE account_id = :id"),
        {"id": account_id},
    ).one_or_none()
    return tuple(row) if row is not None else None


def cached_tiers(session: Session, account_ids: Sequence[str]) -> dict[str, str]:
    """The strategic tier last written for each of ``account_ids`` that has one."""
    statement = text(
        "SELECT account_id, strategic_tier FROM account_value_cache "
        "WHERE account_id IN :ids AND strategic_tier IS NOT NULL"
    ).bindparams(bindparam("ids", expanding=True))
    tiers: dict[str, str] = {}
    for chunk in chunked(account_ids):
        tiers.update((row[0], row[1]) for row in session.execute(statement, {"ids": chunk}))
    return tiers
