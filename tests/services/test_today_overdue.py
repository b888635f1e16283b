"""Today's overdue accounts, found through ``account_visit_due``, are exactly those the cadence
rule picks when every account of the user is read and checked by hand (any time zone, tier,
company cadence, planned visit); the account values summed by SQLite equal those added up
one opportunity at a time."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from new_profiles import open_new_database
from sqlalchemy import text
from sqlalchemy.orm import Session

from sfa_desktop.domain.cadence import days_overdue, is_overdue, next_visit_due
from sfa_desktop.domain.strategic_tiers import (
    BZ,
    CATALOG_DEFAULT_CADENCE,
    MGC,
    MVC,
    OTHER,
    account_cadence,
)
from sfa_desktop.services.customer_values import company_settings
from sfa_desktop.services.today import account_values, overdue_by_value, summed_account_values
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.store.database import Database
from sfa_desktop.store.models import AccountValueCache
from sfa_desktop.store.repositories.records import bulk_insert, insert_record
from sfa_desktop.store.repositories.today import opportunity_facts
from sfa_desktop.store.types import parse_utc
from sync_server.protocol.ids import new_id

TODAY = dt.date(2026, 11, 25)
MIDNIGHT = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
TIERS = ((MVC, 7), (MGC, 14), (OTHER, 45), (BZ, 90))
ZONES = [
    "Europe/Madrid",
    "Asia/Kolkata",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_new_database(tmp_path / "profile" / "sfa.sqlite3")
    yield database
    database.close()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        yield s


def _users(session: Session) -> tuple[str, str]:
    ids = list(session.execute(text("SELECT id FROM users ORDER BY name")).scalars())
    if not ids:
        for name, code in (("Ana", "ANA"), ("Luis", "LUI")):
            values = {"name": name, "email": f"{code}@example.com", "rep_code": code}
            ids.append(insert_record(session, "user", values, now=MIDNIGHT))
    return ids[0], ids[1]


def _cache_row(account_id: str, tier: str | None, as_of: dt.date, value: int) -> dict[str, Any]:
    """A row of the value cache with only what Today reads filled in (the rest 0)."""
    columns = AccountValueCache.__table__.columns
    row: dict[str, Any] = {column.name: 0 for column in columns}
    row.update(account_id=account_id, as_of=as_of.isoformat(), strategic_tier=tier, value=value)
    return row


#: hours from MIDNIGHT: mostly within the cadences (and their edges), some long ago
hours = st.one_of(
    st.builds(lambda day, hour: 24 * day + hour, st.integers(-70, 3), st.integers(0, 23)),
    st.integers(min_value=-24 * 400, max_value=24 * 40),
)
visit = st.tuples(
    st.sampled_from(["done", "planned", "cancelled"]),
    hours,  # planned start, hours from MIDNIGHT
    st.one_of(st.none(), hours),  # checked in
    st.booleans(),  # deleted
)
account = st.tuples(
    st.sampled_from([None, 7, 14, CATALOG_DEFAULT_CADENCE, 60]),
    hours,  # created
    st.booleans(),  # mine
    st.sampled_from([None, "none", MVC, MGC, OTHER, BZ]),  # value cache row: none, no tier…
    st.booleans(),  # cached today (else yesterday)
    st.lists(visit, max_size=4),
)
cadences = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            f"cadence_{tier}_days": st.sampled_from([1, 7, 14, 21, 45, 90])
            for tier in (MVC, MGC, OTHER, BZ)
        }
    ),
)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    accounts=st.lists(account, min_size=1, max_size=12),
    company=cadences,
    clock_hours=st.integers(min_value=0, max_value=47),
    zone=st.sampled_from(ZONES),
)
def test_overdue_accounts_are_those_the_rule_picks_from_every_account(
    session: Session,
    accounts: list[Any],
    company: dict[str, int] | None,
    clock_hours: int,
    zone: str,
) -> None:
    for table in ("visits", "account_value_cache", "accounts", "company"):
        session.execute(text(f"DELETE FROM {table}"))
    me, other = _users(session)
    if company is not None:
        bulk_insert(
            session, "company", [{"name": "ACME", "currency": "EUR", **company}], now=MIDNIGHT
        )
    clock = AgendaClock.fixed(MIDNIGHT + dt.timedelta(hours=clock_hours), ZoneInfo(zone))
    today = clock.today()
    account_rows, visit_rows, cache_rows = [], [], []
    for n, (cadence, created, mine, tier, fresh, visits) in enumerate(accounts):
        account_id = new_id()
        account_rows.append(
            {
                "id": account_id,
                "name": f"Cuenta {n % 3}",
                "owner_id": me if mine else other,
                "visit_cadence_days": cadence,
                "created_at": MIDNIGHT + dt.timedelta(hours=created),
            }
        )
        if tier is not None:
            as_of = today if fresh else today - dt.timedelta(days=1)
            cache_rows.append(_cache_row(account_id, None if tier == "none" else tier, as_of, n))
        for status, start, checked_in, deleted in visits:
            visit_rows.append(
                {
                    "account_id": account_id,
                    "owner_id": me,
                    "kind": "visit",
                    "status": status,
                    "planned_start": MIDNIGHT + dt.timedelta(hours=start),
                    "checked_in_at": (
                        MIDNIGHT + dt.timedelta(hours=checked_in)
                        if checked_in is not None
                        else None
                    ),
                    "deleted_at": MIDNIGHT if deleted else None,
                }
            )
    bulk_insert(session, "account", account_rows, now=MIDNIGHT)
    bulk_insert(session, "visit", visit_rows, now=MIDNIGHT)
    for row in cache_rows:
        _insert_cache_row(session, row)

    found = overdue_by_value(session, owner_id=me, clock=clock)

    assert [_key(row) for row in found] == _by_hand(session, me, clock)


def test_overdue_accounts_at_every_hour_in_every_zone(session: Session) -> None:
    """Hundreds of accounts near their due day, read at each hour of two days in each zone, with
    and without tiers: the edges of the day ranges (local and UTC days one apart) are met."""
    me, _ = _users(session)
    bulk_insert(
        session,
        "company",
        [{"name": "ACME", "currency": "EUR", **{f"cadence_{t}_days": d for t, d in TIERS}}],
        now=MIDNIGHT,
    )
    pick = random.Random(12)
    accounts, visits, cache = [], [], []
    for n in range(200):
        account_id, cadence = new_id(), pick.choice([7, CATALOG_DEFAULT_CADENCE])
        due_in = pick.randint(-2, 2)  # days from today (UTC) it falls due
        created = 24 * (due_in - (0 if n % 3 else cadence)) + pick.randint(-12, 12)
        accounts.append(
            {
                "id": account_id,
                "name": f"Cuenta {n}",
                "owner_id": me,
                "visit_cadence_days": cadence,
                "created_at": MIDNIGHT + dt.timedelta(hours=created),
            }
        )
        if n % 3:  # visited: due a cadence after its last visit
            tier = pick.choice([None, MVC, BZ])
            days = dict(TIERS).get(tier, cadence) if cadence == CATALOG_DEFAULT_CADENCE else cadence
            last = 24 * (due_in - days) + pick.randint(-12, 12)
            visits.append(_visit(account_id, me, "done", last))
            if tier is not None:
                cache.append(_cache_row(account_id, tier, MIDNIGHT.date(), n))
        if pick.random() < 0.5:  # planned around the due day
            visits.append(_visit(account_id, me, "planned", 24 * due_in + pick.randint(-60, 60)))
    bulk_insert(session, "account", accounts, now=MIDNIGHT)
    bulk_insert(session, "visit", visits, now=MIDNIGHT)
    checked = 0
    for with_tiers in (True, False):
        session.execute(text("DELETE FROM account_value_cache"))
        for row in cache if with_tiers else []:
            _insert_cache_row(session, row)
        for zone in ZONES:
            for hour in range(-6, 30):
                clock = AgendaClock.fixed(MIDNIGHT + dt.timedelta(hours=hour), ZoneInfo(zone))
                expected = _by_hand(session, me, clock)
                found = overdue_by_value(session, owner_id=me, clock=clock)
                assert [_key(row) for row in found] == expected, (zone, hour, with_tiers)
                checked += len(expected)
    assert checked > 5_000


def _visit(account_id: str, owner: str, status: str, hours: int) -> dict[str, Any]:
    start = MIDNIGHT + dt.timedelta(hours=hours)
    return {
        "account_id": account_id,
        "owner_id": owner,
        "kind": "visit",
        "status": status,
        "planned_start": start,
    }


def _insert_cache_row(session: Session, row: dict[str, Any]) -> None:
    names = ", ".join(row)
    values = ", ".join(f":{name}" for name in row)
    session.execute(text(f"INSERT INTO account_value_cache ({names}) VALUES ({values})"), row)


def _key(row: Any) -> tuple[Any, ...]:
    return (
        row.account_id,
        row.cadence_days,
        row.last_visit,
        row.days_overdue,
        row.next_planned,
        row.value,
        row.tier,
    )


def _by_hand(session: Session, me: str, clock: AgendaClock) -> list[tuple[Any, ...]]:
    """Every live account of ``me`` read and checked against the cadence rule, in the Today
    order (most valuable, most overdue, name, id); no opportunities: values are the cached
    ones of today, else 0."""
    today, tz = clock.today(), clock.tz
    settings_ = company_settings(session)
    unit = Decimal(1).scaleb(-settings_.digits)

    def local(text_: str | None) -> dt.date | None:
        return parse_utc(text_).astimezone(tz).date() if text_ else None

    last: dict[str, dt.date] = {}
    planned: dict[str, dt.date] = {}
    for account_id, status, start, checked_in in session.execute(
        text(
            "SELECT account_id, status, planned_start, checked_in_at FROM visits "
            "WHERE deleted_at IS NULL"
        )
    ):
        done, start_day = local(checked_in or start), local(start)
        if status == "done" and done is not None:
            last[account_id] = max(last.get(account_id, done), done)
        elif status == "planned" and start_day is not None:
            planned[account_id] = min(planned.get(account_id, start_day), start_day)
    cache = {
        row[0]: (row[1], row[2], row[3])
        for row in session.execute(
            text("SELECT account_id, strategic_tier, as_of, value FROM account_value_cache")
        )
    }
    found = []
    for account_id, name, own, created in session.execute(
        text(
            "SELECT id, name, visit_cadence_days, created_at FROM accounts "
            "WHERE owner_id = :me AND deleted_at IS NULL"
        ),
        {"me": me},
    ):
        tier, as_of, cached = cache.get(account_id, (None, None, None))
        cadence = account_cadence(own, tier, settings_.cadences)
        due = next_visit_due(last.get(account_id), cadence, created=local(created))
        if cadence is None or not is_overdue(due, planned.get(account_id), today):
            continue
        value = Decimal(cached) * unit if as_of == today.isoformat() else Decimal(0)
        row = (
            account_id,
            cadence,
            last.get(account_id),
            days_overdue(due, today),
            planned.get(account_id),
            value,
            tier,
        )
        found.append(((-value, due, name.casefold(), account_id), row))
    return [row for _, row in sorted(found)]


opportunity = st.tuples(
    st.integers(0, 3),  # account
    st.sampled_from(["prospecting", "proposal", "negotiation", "closed_won", "closed_lost"]),
    st.integers(0, 10**9),  # amount, minor units
    st.sampled_from(["EUR", "JPY", "USD"]),
    st.one_of(st.none(), st.integers(0, 100)),  # probability
    st.one_of(  # expected close, days from TODAY: the window's edges, or any
        st.none(), st.sampled_from([-366, -365, -364, 0, 1]), st.integers(-400, 30)
    ),
    st.booleans(),  # deleted
)


@settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(opportunities=st.lists(opportunity, max_size=25))
def test_summed_values_equal_values_added_one_by_one(
    session: Session, opportunities: list[Any]
) -> None:
    session.execute(text("DELETE FROM opportunities"))
    session.execute(text("DELETE FROM accounts"))
    me, _ = _users(session)
    accounts = [new_id() for _ in range(4)]
    bulk_insert(
        session,
        "account",
        [{"id": key, "name": key, "owner_id": me} for key in accounts],
        now=MIDNIGHT,
    )
    _add_opportunities(session, me, accounts, opportunities)
    ids = accounts[:3]  # the fourth's opportunities are never read

    summed = summed_account_values(session, ids, today=TODAY)

    assert summed == account_values(opportunity_facts(session, ids), today=TODAY)


def test_a_sum_too_big_for_sqlite_is_added_one_by_one(session: Session) -> None:
    me, _ = _users(session)
    account_id = new_id()
    bulk_insert(session, "account", [{"id": account_id, "name": "A", "owner_id": me}], now=MIDNIGHT)
    huge = [(0, "closed_won", 2**62, "EUR", None, -10, False)] * 3
    _add_opportunities(session, me, [account_id], huge)

    summed = summed_account_values(session, [account_id], today=TODAY)

    assert summed == {account_id: Decimal(3 * 2**62) / 100}


def _add_opportunities(session: Session, owner: str, accounts: list[str], rows: list[Any]) -> None:
    bulk_insert(
        session,
        "opportunity",
        [
            {
                "account_id": accounts[which % len(accounts)],
                "owner_id": owner,
                "name": "Oportunidad",
                "stage": stage,
                "amount": amount,
                "currency": currency,
                "probability": probability,
                "expected_close_date": (
                    TODAY + dt.timedelta(days=close) if close is not None else None
                ),
                "deleted_at": MIDNIGHT if deleted else None,
            }
            for which, stage, amount, currency, probability, close, deleted in rows
        ],
        now=MIDNIGHT,
    )
