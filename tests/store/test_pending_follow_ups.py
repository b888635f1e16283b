"""``pending_follow_ups``: the triggers on ``visits`` keep it equal to a fresh computation.

Exercised through every write path: the record functions the editing services use, the
field writes, undeletes and hard deletes of sync pull apply, and bulk inserts — including a
follow-up that arrives before the activity it follows up (sync pages come in any order).
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
from sync_server.protocol.ids import new_id

from .conftest import NOW, add_account, add_user

FROM_SCRATCH = """
    SELECT v.id, v.owner_id, v.follow_up_date FROM visits v
    WHERE v.status = 'done' AND v.follow_up_date IS NOT NULL AND v.deleted_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM visits f
                      WHERE f.follow_up_of_id = v.id AND f.deleted_at IS NULL)
"""


def stored(session: Session) -> set[tuple[Any, ...]]:
    rows = session.execute(
        text("SELECT visit_id, owner_id, follow_up_date FROM pending_follow_ups")
    )
    return {tuple(row) for row in rows}


def from_scratch(session: Session) -> set[tuple[Any, ...]]:
    return {tuple(row) for row in session.execute(text(FROM_SCRATCH))}


DAYS = st.one_of(st.none(), st.integers(0, 5).map(lambda d: NOW.date() + dt.timedelta(days=d)))
operations = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "insert",
                "follow_up",
                "orphan_follow_up",
                "status",
                "date",
                "soft_delete",
                "undelete",
                "wire_status",
                "hard_delete",
            ]
        ),
        st.integers(min_value=0, max_value=30),
        st.sampled_from(("planned", "done", "cancelled")),
        DAYS,
    ),
    max_size=40,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
def test_pending_follow_ups_follow_every_write(session: Session, steps: list[Any]) -> None:
    session.execute(text("DELETE FROM visits"))
    owner = session.execute(text("SELECT id FROM users LIMIT 1")).scalar() or add_user(session)
    account = session.execute(text("SELECT id FROM accounts LIMIT 1")).scalar() or add_account(
        session, owner, "Talleres Ruiz"
    )
    visits: list[str] = []

    def fields(status: str, day: dt.date | None, of: str | None = None) -> dict[str, Any]:
        return {
            "account_id": account,
            "owner_id": owner,
            "kind": "visit",
            "status": status,
            "planned_start": NOW,
            "follow_up_date": day,
            "follow_up_of_id": of,
        }

    for op, which, status, day in steps:
        if op == "insert" or not visits:
            visits.append(insert_record(session, "visit", fields(status, day), now=NOW))
            continue
        visit = visits[which % len(visits)]
        if op == "orphan_follow_up":  # the follow-up first, the followed activity after it
            parent = new_id()
            bulk_insert(session, "visit", [fields("planned", None, parent)], now=NOW)
            bulk_insert(session, "visit", [{**fields("done", day), "id": parent}], now=NOW)
            visits.append(parent)
            continue
        live = session.execute(
            text("SELECT deleted_at IS NULL FROM visits WHERE id = :id"), {"id": visit}
        ).scalar()
        if live is None:
            continue  # hard deleted
        if op == "follow_up":
            created = insert_record(
                session, "visit", fields("planned", None, visit), now=NOW, check_refs=False
            )
            visits.append(created)
        else:
            _edit_visit(session, op, visit, live=live, status=status, day=day)
        assert stored(session) == from_scratch(session), (op, visit)

    assert stored(session) == from_scratch(session)


def _edit_visit(
    session: Session, op: str, visit: str, *, live: bool, status: str, day: dt.date | None
) -> None:
    """One step that changes a stored visit (soft-deleted ones only take the wire steps)."""
    spec = CATALOG["visit"]
    if op == "status" and live:
        update_record(session, "visit", visit, {"status": status}, now=NOW)
    elif op == "date" and live:
        update_record(session, "visit", visit, {"follow_up_date": day}, now=NOW)
    elif op == "soft_delete" and live:
        soft_delete(session, "visit", visit, now=NOW)
    elif op == "undelete":
        local_records.write_wire_value(session, spec, visit, "deleted_at", None)
    elif op == "wire_status":
        local_records.write_wire_value(session, spec, visit, "status", status)
    elif op == "hard_delete":
        local_records.hard_delete(session, "visit", [visit])


def test_the_migration_fills_pending_follow_ups(db: Database) -> None:
    with db.session() as session:
        owner = add_user(session)
        account = add_account(session, owner, "Óptica Sol")
        base = {"account_id": account, "owner_id": owner, "kind": "visit", "planned_start": NOW}
        due = insert_record(
            session, "visit", {**base, "status": "done", "follow_up_date": NOW.date()}, now=NOW
        )
        done = insert_record(
            session, "visit", {**base, "status": "done", "follow_up_date": NOW.date()}, now=NOW
        )
        insert_record(
            session, "visit", {**base, "status": "planned", "follow_up_of_id": done}, now=NOW
        )
        session.commit()
    with db.engine.begin() as connection:
        downgrade_to(connection, "0006_account_cadence_index")
        upgrade_to_head(connection)
    with db.session() as session:
        assert {row[0] for row in stored(session)} == {due}
        assert stored(session) == from_scratch(session)
