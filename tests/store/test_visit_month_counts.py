"""``visit_month_counts``: the triggers on ``visits`` keep each owner's done visits and meetings
per month (and those with an outcome) equal to a fresh count, through every write path (the
record functions, sync's field writes and hard deletes, bulk inserts), and the migration fills
it from the visits already there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, example, given, settings
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

from .conftest import NOW, add_account, add_user

FROM_SCRATCH = """
    SELECT owner_id, substr(planned_start, 1, 7), count(*),
           sum(outcome IS NOT NULL AND trim(outcome) != '')
    FROM visits WHERE deleted_at IS NULL AND status = 'done' AND kind IN ('visit', 'meeting')
      AND planned_start IS NOT NULL
    GROUP BY owner_id, substr(planned_start, 1, 7)
"""


def counts(session: Session) -> dict[tuple[str, str], tuple[int, int]]:
    """The stored counts, months with nothing left out (the same as no row)."""
    rows = session.execute(
        text("SELECT owner_id, month, done, with_outcome FROM visit_month_counts")
    )
    return {(r[0], r[1]): (r[2], r[3]) for r in rows if r[2] or r[3]}


def from_scratch(session: Session) -> dict[tuple[str, str], tuple[int, int]]:
    return {(r[0], r[1]): (r[2], r[3]) for r in session.execute(text(FROM_SCRATCH))}


KINDS = ("visit", "meeting", "call")
STATUSES = ("planned", "done", "cancelled")
OUTCOMES = (None, "", "   ", "Pedido de 40 cajas")
instants = st.one_of(
    st.none(),
    st.integers(0, 200).map(lambda days: NOW + dt.timedelta(days=days, hours=days % 24)),
)
operations = st.lists(
    st.tuples(
        st.sampled_from(
            [
                *("insert", "bulk", "status", "kind", "start", "outcome", "owner"),
                *("soft_delete", "undelete", "wire", "hard_delete"),
            ]
        ),
        st.integers(0, 30),  # which visit
        st.integers(0, 1),  # which owner
        st.sampled_from(KINDS),
        st.sampled_from(STATUSES),
        instants,
        st.sampled_from(OUTCOMES),
    ),
    max_size=30,
)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=operations)
@example(  # an outcome written, then blanked, on a done visit
    steps=[
        ("insert", 0, 0, "visit", "done", NOW, None),
        ("outcome", 0, 0, "visit", "done", NOW, "Pedido de 40 cajas"),
        ("wire", 0, 0, "visit", "done", NOW, " "),
    ]
)
def test_the_counts_follow_every_write(session: Session, steps: list[Any]) -> None:
    session.execute(text("DELETE FROM visits"))
    owners = list(session.execute(text("SELECT id FROM users ORDER BY id")).scalars())
    while len(owners) < 2:
        owners.append(add_user(session, f"Rep {len(owners)}", email=f"r{len(owners)}@x.es"))
    account = session.execute(text("SELECT id FROM accounts LIMIT 1")).scalar() or add_account(
        session, owners[0], "Cuenta"
    )
    visits: list[str] = []
    for op, which, owner_no, kind, status, instant, outcome in steps:
        owner = owners[owner_no]
        fields = {
            "account_id": account,
            "owner_id": owner,
            "kind": kind,
            "status": status,
            "planned_start": instant,
            "outcome": outcome,
        }
        if op == "insert" or not visits:
            visits.append(insert_record(session, "visit", fields, now=NOW))
            continue
        if op == "bulk":
            before = set(session.execute(text("SELECT id FROM visits")).scalars())
            bulk_insert(session, "visit", [fields, {**fields, "status": "done"}], now=NOW)
            visits.extend(set(session.execute(text("SELECT id FROM visits")).scalars()) - before)
            continue
        visit = visits[which % len(visits)]
        live = session.execute(
            text("SELECT deleted_at IS NULL FROM visits WHERE id = :id"), {"id": visit}
        ).scalar()
        if live is None:
            continue  # hard deleted
        _edit(session, op, visit, live=live, fields=fields)
        assert counts(session) == from_scratch(session), (op, visit)
    assert counts(session) == from_scratch(session)


def _edit(session: Session, op: str, visit: str, *, live: bool, fields: dict[str, Any]) -> None:
    """One step that changes a stored visit (soft-deleted ones only take the wire steps)."""
    spec = CATALOG["visit"]
    changed = {"start": "planned_start", "owner": "owner_id"}.get(op, op)
    if op in {"status", "kind", "start", "outcome", "owner"} and live:
        update_record(session, "visit", visit, {changed: fields[changed]}, now=NOW)
    elif op == "soft_delete" and live:
        soft_delete(session, "visit", visit, now=NOW)
    elif op == "undelete":
        local_records.write_wire_value(session, spec, visit, "deleted_at", None)
    elif op == "wire":  # sync pull writes one field at a time
        local_records.write_wire_value(session, spec, visit, "status", fields["status"])
        local_records.write_wire_value(session, spec, visit, "outcome", fields["outcome"])
    elif op == "hard_delete":
        local_records.hard_delete(session, "visit", [visit])


def test_the_migration_counts_the_visits_already_there(db: Database) -> None:
    with db.session() as session:
        owner = add_user(session)
        account = add_account(session, owner, "Uno")
        for kind, status, days, outcome in [
            ("visit", "done", 0, "Bien"),
            ("meeting", "done", 1, None),
            ("visit", "done", 40, " "),
            ("call", "done", 2, "Llamada"),
            ("visit", "planned", 3, None),
        ]:
            values = {
                "account_id": account,
                "owner_id": owner,
                "kind": kind,
                "status": status,
                "planned_start": NOW + dt.timedelta(days=days),
                "outcome": outcome,
            }
            insert_record(session, "visit", values, now=NOW)
        session.commit()
    with db.engine.begin() as connection:
        downgrade_to(connection, "0023_account_segment_cache")
        upgrade_to_head(connection)
    with db.session() as session:
        assert (
            counts(session)
            == from_scratch(session)
            == {
                (owner, "2026-11"): (2, 1),
                (owner, "2027-01"): (1, 0),
            }
        )
