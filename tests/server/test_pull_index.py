"""A user's pull reads index ranges of the owners they see, never other users' records.

The server holds many records of other owners and a few of one rep's (some of them conflicts
the rep takes part in without owning them). The rep's pull must find exactly theirs, in
change order, each once, and the database must plan it as index ranges on
``(scope_owner_id, seq)`` / ``(scope_other_id, seq)``: no scan of the whole feed, whose cost
would grow with everybody else's records.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, text

from sync_server.db import records
from sync_server.db.database import Database

REP = "00000000-0000-4000-8000-00000000beef"
PARTNER = "00000000-0000-4000-8000-00000000cafe"
OTHERS = 20_000

_OWNER = f"""CASE WHEN n % 500 = 7 THEN '{REP}'
    WHEN n % 2000 = 3 THEN '{PARTNER}' ELSE 'other-' || (n % 97) END"""
_OTHER = f"CASE WHEN n % 2000 = 3 OR n % 4000 = 11 THEN '{REP}' END"
_POSTGRES_FILL = f"""
INSERT INTO records (id, entity, seq, version, scope_owner_id, scope_other_id, parent_id,
    data, versions, stamps, created_at, updated_at)
SELECT lpad(to_hex(n), 8, '0') || '-0000-4000-8000-000000000000', 'account', n, 1,
    {_OWNER}, {_OTHER}, NULL, '{{}}', '{{}}', '{{}}', now(), now()
FROM generate_series(1, {OTHERS}) AS n"""
_SQLITE_FILL = f"""
WITH RECURSIVE numbers(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM numbers WHERE n < {OTHERS})
INSERT INTO records (id, entity, seq, version, scope_owner_id, scope_other_id, parent_id,
    data, versions, stamps, created_at, updated_at)
SELECT printf('%08x-0000-4000-8000-000000000000', n), 'account', n, 1,
    {_OWNER}, {_OTHER}, NULL, '{{}}', '{{}}', '{{}}', datetime('now'), datetime('now')
FROM numbers"""


def _owner(n: int) -> str:
    return REP if n % 500 == 7 else PARTNER if n % 2000 == 3 else f"other-{n % 97}"


def _visible_to(owners: set[str]) -> list[int]:
    return [
        n
        for n in range(1, OTHERS + 1)
        if _owner(n) in owners or ((n % 2000 == 3 or n % 4000 == 11) and REP in owners)
    ]


@pytest.fixture
def crowded(database: Database) -> Database:
    with database.write_session() as session:
        session.execute(text(_SQLITE_FILL if database.is_sqlite else _POSTGRES_FILL))
        session.execute(text(f"UPDATE counters SET value = {OTHERS}"))
    with database.engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
    return database


def _statements(database: Database) -> Iterator[list[tuple[str, Any]]]:
    captured: list[tuple[str, Any]] = []

    def capture(_c: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        captured.append((statement, params))

    event.listen(database.engine, "before_cursor_execute", capture)
    try:
        yield captured
    finally:
        event.remove(database.engine, "before_cursor_execute", capture)


def _plan(database: Database, statement: str, params: Any) -> str:
    explain = "EXPLAIN QUERY PLAN " if database.is_sqlite else "EXPLAIN "
    raw = database.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(explain + statement, params)
        return "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())
    finally:
        raw.close()


@pytest.mark.parametrize(
    ("owners", "after"), [({REP, "*"}, 0), ({REP, "*"}, 9_000), ({REP, PARTNER, "*"}, 0)]
)
def test_a_pull_finds_each_visible_record_once_in_order(
    crowded: Database, owners: set[str], after: int
) -> None:
    expected = [n for n in _visible_to(owners) if n > after]
    assert len(expected) > 20
    delivered: list[int] = []
    with crowded.read_session() as session:
        assert records.count_pending(session, after=after, upto=OTHERS, owners=owners) == len(
            expected
        )
        cursor = after
        while True:
            page = records.pull_records(session, after=cursor, upto=OTHERS, owners=owners, limit=7)
            delivered += [r.seq for r in page]
            if len(page) < 7:
                break
            cursor = page[-1].seq
    assert delivered == expected


def test_a_reps_pull_is_planned_as_index_ranges(crowded: Database) -> None:
    owners = frozenset({REP, "*"})
    captured = _statements(crowded)
    statements = next(captured)
    with crowded.read_session() as session:
        records.pull_records(session, after=0, upto=OTHERS, owners=owners, limit=5001)
        records.count_pending(session, after=0, upto=OTHERS, owners=owners)
    next(captured, None)
    selects = [(s, p) for s, p in statements if s.startswith("SELECT")]
    assert len(selects) == 2
    for statement, params in selects:
        plan = _plan(crowded, statement, params)
        assert "ix_records_scope_owner_id_seq" in plan, plan
        assert "ix_records_scope_other_id_seq" in plan, plan
        if crowded.is_sqlite:
            assert "SCAN records" not in plan, plan
        else:
            assert "Seq Scan on records" not in plan, plan
            assert "uq_records_seq" not in plan, plan
