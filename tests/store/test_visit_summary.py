"""``account_visit_summary``: the triggers on ``visits`` keep it equal to a fresh computation.

Every write path is exercised: the record functions the editing services use (insert,
update, soft delete), what sync pull apply does (field writes through
:func:`~sfa_desktop.sync.local_records.write_wire_value`, undeletes, hard deletes) and
:func:`~sfa_desktop.store.repositories.records.bulk_insert` (demo data, benchmarks).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from sfa_desktop.store.database import Database
from sfa_desktop.store.migrator import downgrade_to, upgrade_to_head
from sfa_desktop.store.repositories.records import (
    bulk_insert,
    insert_record,
    soft_delete,
    update_record,
)
from sfa_desktop.sync import local_records
from sync_server.protocol.catalog import CATALOG
from sync_server.protocol.values import to_wire

from .conftest import NOW, add_account, add_user

STATUSES = ("planned", "done", "cancelled")

FROM_SCRATCH = """
    SELECT account_id,
           max(CASE WHEN status = 'done' THEN coalesce(checked_in_at, planned_start) END),
           min(CASE WHEN status = 'planned' THEN planned_start END)
    FROM visits WHERE deleted_at IS NULL GROUP BY account_id
"""


def summary(session: Session) -> dict[str, tuple[Any, Any]]:
    """The stored summary, rows of ``NULL``\\ s left out (the same as no row)."""
    rows = session.execute(
        text("SELECT account_id, last_done_at, next_planned_at FROM account_visit_summary")
    )
    return {row[0]: (row[1], row[2]) for row in rows if row[1] is not None or row[2] is not None}


def from_scratch(session: Session) -> dict[str, tuple[Any, Any]]:
    rows = session.execute(text(FROM_SCRATCH))
    return {row[0]: (row[1], row[2]) for row in rows if row[1] is not None or row[2] is not None}


instants = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=60 * 24).map(
        lambda minutes: NOW + dt.timedelta(minutes=37 * minutes)
    ),
)
operations = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "insert",
                "bulk",
                "status",
                "start",
                "check_in",
                "move",
                "soft_delete",
                "undelete",
                "wire",
                "hard_delete",
            ]
        ),
        st.integers(min_value=0, max_value=30),  # which visit
        st.integers(min_value=0, max_value=2),  # which account
        st.sampled_from(STATUSES),
        instants,
    ),
    max_size=40,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_the_summary_follows_every_write(session: Session, steps: list[Any]) -> None:
    session.execute(text("DELETE FROM visits"))
    owner = session.execute(text("SELECT id FROM users LIMIT 1")).scalar() or add_user(session)
    accounts = list(session.execute(text("SELECT id FROM accounts ORDER BY id")).scalars())
    while len(accounts) < 3:
        accounts.append(add_account(session, owner, f"Cuenta {len(accounts)}"))
    visits: list[str] = []

    def fields(account: str, status: str, start: dt.datetime | None) -> dict[str, Any]:
        return {
            "account_id": account,
            "owner_id": owner,
            "kind": "visit",
            "status": status,
            "planned_start": start,
        }

    for op, which, account_no, status, instant in steps:
        account = accounts[account_no]
        if op == "insert" or not visits:
            visits.append(
                insert_record(session, "visit", fields(account, status, instant), now=NOW)
            )
            continue
        if op == "bulk":
            rows = [fields(account, status, instant), fields(account, "done", NOW)]
            before = set(session.execute(text("SELECT id FROM visits")).scalars())
            bulk_insert(session, "visit", rows, now=NOW)
            visits.extend(set(session.execute(text("SELECT id FROM visits")).scalars()) - before)
            continue
        visit = visits[which % len(visits)]
        live = session.execute(
            text("SELECT deleted_at IS NULL FROM visits WHERE id = :id"), {"id": visit}
        ).scalar()
        if live is None:
            continue  # hard deleted
        _edit_visit(session, op, visit, live=live, status=status, instant=instant, account=account)
        assert summary(session) == from_scratch(session), (op, visit)

    assert summary(session) == from_scratch(session)


def _edit_visit(
    session: Session,
    op: str,
    visit: str,
    *,
    live: bool,
    status: str,
    instant: dt.datetime | None,
    account: str,
) -> None:
    """One step that changes a stored visit (soft-deleted ones only take the wire steps)."""
    spec = CATALOG["visit"]
    if op in {"status", "start", "check_in", "move"} and live:
        change = {
            "status": {"status": status},
            "start": {"planned_start": instant},
            "check_in": {"checked_in_at": instant},
            "move": {"account_id": account},
        }[op]
        update_record(session, "visit", visit, change, now=NOW)
    elif op == "soft_delete" and live:
        soft_delete(session, "visit", visit, now=NOW)
    elif op == "undelete":
        local_records.write_wire_value(session, spec, visit, "deleted_at", None)
    elif op == "wire":  # sync pull writes one field at a time
        local_records.write_wire_value(session, spec, visit, "status", status)
        wire = to_wire(spec.field("planned_start"), instant) if instant else None
        local_records.write_wire_value(session, spec, visit, "planned_start", wire)
    elif op == "hard_delete":
        local_records.hard_delete(session, "visit", [visit])


def test_the_migration_fills_the_summary_from_existing_visits(db: Database) -> None:
    with db.session() as session:
        owner = add_user(session)
        first, second = add_account(session, owner, "Uno"), add_account(session, owner, "Dos")
        for account, status, hours in [
            (first, "done", 1),
            (first, "done", 5),
            (first, "planned", 30),
            (first, "planned", 50),
            (second, "planned", 10),
            (second, "cancelled", 2),
        ]:
            values = {
                "account_id": account,
                "owner_id": owner,
                "kind": "visit",
                "status": status,
                "planned_start": NOW + dt.timedelta(hours=hours),
            }
            insert_record(session, "visit", values, now=NOW)
        session.commit()
    with db.engine.begin() as connection:
        downgrade_to(connection, "0004_today_indexes")
        upgrade_to_head(connection)
    with db.session() as session:
        expected = from_scratch(session)
        assert summary(session) == expected
        assert expected[first][0] is not None and expected[first][1] is not None
        assert expected[second][0] is None
