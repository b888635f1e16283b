"""``account_visit_due``: the triggers on ``accounts`` and ``account_visit_summary`` keep it
equal to a computation from scratch (in Python, from the accounts and their activities).

Every write path of both tables is exercised: the record functions the editing services use,
sync pull apply's field writes, whole-record upserts, undeletes and hard deletes, and bulk
inserts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from sfa_desktop.domain.strategic_tiers import CATALOG_DEFAULT_CADENCE
from sfa_desktop.store.database import Database
from sfa_desktop.store.migrator import downgrade_to, upgrade_to_head
from sfa_desktop.store.models.local import NOTHING_PLANNED
from sfa_desktop.store.repositories.records import (
    bulk_insert,
    insert_record,
    soft_delete,
    update_record,
)
from sfa_desktop.store.repositories.today import cadence_facts
from sfa_desktop.store.types import parse_utc
from sfa_desktop.sync import local_records
from sync_server.protocol.catalog import CATALOG

from .conftest import NOW, add_account, add_user

Row = tuple[Any, ...]
COLUMNS = (
    "account_id, owner_id, tier_cadence, day, planned_in, name, city, cadence_days, "
    "created_at, last_done_at, next_planned_at"
)


def stored(session: Session) -> set[Row]:
    rows = session.execute(text(f"SELECT {COLUMNS} FROM account_visit_due"))
    return {(row[0], row[1], bool(row[2]), *row[3:]) for row in rows}


def from_scratch(session: Session) -> set[Row]:
    """Each live account with a cadence: due on its creation day (never visited), or its last
    visit's day + cadence, or (at the catalog default) its last visit's day, tier to come."""
    last: dict[str, tuple[dt.datetime, str]] = {}
    planned: dict[str, tuple[dt.datetime, str]] = {}
    visits = session.execute(
        text(
            "SELECT account_id, status, planned_start, checked_in_at FROM visits "
            "WHERE deleted_at IS NULL"
        )
    )
    for account, status, start, checked_in in visits:
        if status == "done" and (checked_in or start):
            done = (parse_utc(checked_in or start), checked_in or start)
            last[account] = max(last.get(account, done), done)
        elif status == "planned" and start:
            first = (parse_utc(start), start)
            planned[account] = min(planned.get(account, first), first)
    rows: set[Row] = set()
    accounts = session.execute(
        text(
            "SELECT id, owner_id, visit_cadence_days, created_at, name, city FROM accounts "
            "WHERE deleted_at IS NULL AND visit_cadence_days > 0"
        )
    )
    for account, owner, cadence, created, name, city in accounts:
        tier = account in last and cadence == CATALOG_DEFAULT_CADENCE
        if account not in last:
            day = parse_utc(created).date()
        elif tier:
            day = last[account][0].date()
        else:
            day = last[account][0].date() + dt.timedelta(days=cadence)
        lead = (planned[account][0].date() - day).days if account in planned else NOTHING_PLANNED
        done, first = last.get(account, (None, None))[1], planned.get(account, (None, None))[1]
        rows.add(
            (account, owner, tier, day.isoformat(), lead, name, city, cadence, created, done, first)
        )
    return rows


instants = st.one_of(
    st.none(),
    st.integers(min_value=-90 * 24, max_value=90 * 24).map(
        lambda hours: NOW + dt.timedelta(hours=7 * hours)
    ),
)
CADENCES = st.sampled_from([None, 14, CATALOG_DEFAULT_CADENCE, 60])
ACCOUNT_OPS = [
    "account",
    "cadence",
    "rename",
    "owner",
    "created",
    "account_delete",
    "account_undelete",
    "account_upsert",
    "account_hard_delete",
]
VISIT_OPS = ["visit", "bulk", "status", "start", "check_in", "move", "visit_delete", "wire"]
operations = st.lists(
    st.tuples(
        st.sampled_from(ACCOUNT_OPS + VISIT_OPS),
        st.integers(min_value=0, max_value=30),  # which visit or account
        st.sampled_from(("planned", "done", "cancelled")),
        instants,
        CADENCES,
    ),
    max_size=40,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_the_due_table_follows_every_write(session: Session, steps: list[Any]) -> None:
    session.execute(text("DELETE FROM visits"))
    session.execute(text("DELETE FROM accounts"))
    owners = list(session.execute(text("SELECT id FROM users ORDER BY id")).scalars())
    while len(owners) < 2:
        owners.append(add_user(session, f"Rep {len(owners)}", rep_code=f"R{len(owners)}"))
    accounts = [add_account(session, owners[0], "Cuenta 0")]
    visits: list[str] = []

    for op, which, status, instant, cadence in steps:
        account = accounts[which % len(accounts)]
        if op in ACCOUNT_OPS:
            _edit_account(session, op, account, accounts, owners, instant, cadence)
        else:
            _edit_visit(session, op, which, visits, account, status, instant)
        assert stored(session) == from_scratch(session), op

    assert stored(session) == from_scratch(session)


def _live(session: Session, table: str, record: str) -> bool | None:
    """Whether the record is live; ``None``: hard deleted."""
    found = session.execute(
        text(f"SELECT deleted_at IS NULL FROM {table} WHERE id = :id"), {"id": record}
    ).scalar()
    return None if found is None else bool(found)


def _edit_account(
    session: Session,
    op: str,
    account: str,
    accounts: list[str],
    owners: list[str],
    instant: dt.datetime | None,
    cadence: int | None,
) -> None:
    spec = CATALOG["account"]
    live = _live(session, "accounts", account)
    if op == "account" or live is None:
        values = {"name": f"Cuenta {len(accounts)}", "owner_id": owners[0]}
        values["visit_cadence_days"] = cadence
        accounts.append(insert_record(session, "account", values, now=instant or NOW))
    elif op == "rename" and live:
        update_record(
            session, "account", account, {"name": f"Otra {cadence}", "city": "Lugo"}, now=NOW
        )
    elif op == "cadence" and live:
        update_record(session, "account", account, {"visit_cadence_days": cadence}, now=NOW)
    elif op == "owner" and live:
        owner = owners[len(accounts) % 2] if instant is None else owners[instant.hour % 2]
        update_record(session, "account", account, {"owner_id": owner}, now=NOW)
    elif op == "created":  # sync pull writes the common fields of a record it has
        wire = (instant or NOW).isoformat(timespec="microseconds").replace("+00:00", "Z")
        local_records.update_columns(session, "account", account, {"created_at": wire})
    elif op == "account_delete" and live:
        soft_delete(session, "account", account, now=NOW)
    elif op == "account_undelete":
        local_records.write_wire_value(session, spec, account, "deleted_at", None)
    elif op == "account_upsert":  # a whole record pulled again
        row = session.execute(
            text("SELECT * FROM accounts WHERE id = :id"), {"id": account}
        ).mappings()
        values = dict(row.one())
        values["visit_cadence_days"] = cadence
        params = local_records.row_params("account", values, account)
        local_records.upsert_rows(session, "account", [params])
    elif op == "account_hard_delete":
        local_records.hard_delete(session, "account", [account])


def _edit_visit(
    session: Session,
    op: str,
    which: int,
    visits: list[str],
    account: str,
    status: str,
    instant: dt.datetime | None,
) -> None:
    owner = session.execute(text("SELECT id FROM users ORDER BY id LIMIT 1")).scalar()
    fields = {
        "account_id": account,
        "owner_id": owner,
        "kind": "visit",
        "status": status,
        "planned_start": instant,
    }
    if _live(session, "accounts", account) is None:
        return  # its account was hard deleted
    if op == "visit" or not visits:
        visits.append(insert_record(session, "visit", fields, now=NOW, check_refs=False))
        return
    if op == "bulk":
        before = set(session.execute(text("SELECT id FROM visits")).scalars())
        bulk_insert(session, "visit", [fields, {**fields, "status": "done"}], now=NOW)
        visits.extend(set(session.execute(text("SELECT id FROM visits")).scalars()) - before)
        return
    visit = visits[which % len(visits)]
    live = _live(session, "visits", visit)
    spec = CATALOG["visit"]
    if live:
        change = {
            "status": {"status": status},
            "start": {"planned_start": instant},
            "check_in": {"checked_in_at": instant},
            "move": {"account_id": account},
        }.get(op)
        if change is not None:
            update_record(session, "visit", visit, change, now=NOW, check_refs=False)
        elif op == "visit_delete":
            soft_delete(session, "visit", visit, now=NOW)
    if op == "wire" and live is not None:
        local_records.write_wire_value(session, spec, visit, "status", status)
        local_records.write_wire_value(session, spec, visit, "deleted_at", None)


def test_the_migration_fills_the_due_table(db: Database) -> None:
    with db.session() as session:
        owner = add_user(session)
        never = add_account(session, owner, "Nunca")
        visited = add_account(session, owner, "Visitada", visit_cadence_days=14)
        default = add_account(session, owner, "Por defecto")
        add_account(session, owner, "Sin ritmo", visit_cadence_days=None)
        for account, status, days in [
            (visited, "done", -20),
            (visited, "planned", 3),
            (default, "done", -40),
        ]:
            values = {
                "account_id": account,
                "owner_id": owner,
                "kind": "visit",
                "status": status,
                "planned_start": NOW + dt.timedelta(days=days),
            }
            insert_record(session, "visit", values, now=NOW)
        session.commit()
    with db.engine.begin() as connection:
        downgrade_to(connection, "0021_account_value_valid_until")
        upgrade_to_head(connection)
    with db.session() as session:
        rows = {row[0]: row[2:5] for row in stored(session)}
        assert stored(session) == from_scratch(session)
        assert set(rows) == {never, visited, default}
        assert rows[never] == (False, NOW.date().isoformat(), NOTHING_PLANNED)
        assert rows[visited] == (False, (NOW.date() - dt.timedelta(days=6)).isoformat(), 9)
        assert rows[default] == (
            True,
            (NOW.date() - dt.timedelta(days=40)).isoformat(),
            NOTHING_PLANNED,
        )


def test_today_reads_two_ranges_of_the_due_table(session: Session) -> None:
    """The overdue candidates: two searches of ``account_visit_due`` by its key (owner, kind,
    day), a seek in the value cache per row, and no table read whole."""
    owner = add_user(session)
    for n in range(3):
        add_account(session, owner, f"Cuenta {n}", visit_cadence_days=14 * (n + 1))
    statements: list[str] = []
    driver = session.connection().connection.driver_connection
    driver.set_trace_callback(statements.append)
    try:
        facts = cadence_facts(
            session, owner_id=owner, today=NOW.date(), tier_cadences={"mvc": 14}, as_text=True
        )
    finally:
        driver.set_trace_callback(None)
    assert len(facts) == 3  # created today: due today (UTC), a candidate
    (query,) = [sql for sql in statements if "FROM account_visit_due" in sql]
    plan = [row[3] for row in driver.execute(f"EXPLAIN QUERY PLAN {query}")]
    reads = [step for step in plan if step.startswith(("SCAN", "SEARCH"))]
    assert (
        reads
        == [
            "SEARCH d USING PRIMARY KEY (owner_id=? AND tier_cadence=? AND day<?)",
            "SEARCH c USING PRIMARY KEY (account_id=?) LEFT-JOIN",
        ]
        * 2
    ), plan
