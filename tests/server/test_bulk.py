"""The bulk helpers write exactly what SQLAlchemy's own statements write, on both databases.

On PostgreSQL they bypass SQLAlchemy's per-row processing (see sync_server/db/bulk.py), so
every kind of value a push stores is written both ways and read back: JSON documents of each
shape (null, strings with quotes and non-ASCII, numbers, lists, objects), NULL columns and
aware datetimes in another time zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from sync_server.db.bulk import insert_many, select_by_keys, update_many
from sync_server.db.database import Database
from sync_server.db.models import AuditEntry, Record

_audit = cast(Table, AuditEntry.__table__)
_records = cast(Table, Record.__table__)
MADRID = dt.timezone(dt.timedelta(hours=1))
AT = dt.datetime(2026, 11, 25, 10, 30, 15, 123456, tzinfo=MADRID)

VALUES: list[Any] = [
    None,
    "",
    'comillas "dobles" y \\barras\\ — ñandú 🦤',
    0,
    -12,
    2**70,
    "1.50",
    True,
    [],
    ["a", 1, None, {"b": [2]}],
    {},
    {"name": "Ferretería", "tags": ["x"], "n": None},
]


def _audit_row(n: int, old: Any, new: Any) -> dict[str, Any]:
    return {
        "at": AT,
        "user_id": None if n % 2 else f"user-{n}",
        "device_id": f"device-{n}",
        "entity": "account",
        "record_id": f"{n:08d}-0000-0000-0000-000000000000",
        "action": "set",
        "field": None if n % 3 == 0 else "notes",
        "old_value": old,
        "new_value": new,
        "hlc": None,
    }


def _read_audit(session: Session) -> list[tuple[Any, ...]]:
    columns = [c for c in _audit.c if c.name != "id"]
    rows = session.execute(select(*columns).order_by(_audit.c.id)).all()
    return [tuple(row) for row in rows]


def _null_json(session: Session) -> list[tuple[bool, bool]]:
    """SQL NULL or JSON null, which the values above cannot tell apart."""
    query = select(_audit.c.old_value.is_(None), _audit.c.new_value.is_(None))
    return [(row[0], row[1]) for row in session.execute(query.order_by(_audit.c.id))]


def test_insert_many_writes_what_sqlalchemy_writes(database: Database) -> None:
    rows = [_audit_row(n, old, VALUES[-n - 1]) for n, old in enumerate(VALUES)]
    with database.write_session() as session:
        session.execute(insert(_audit), rows)
    with database.read_session() as session:
        expected, expected_nulls = _read_audit(session), _null_json(session)
    with database.write_session() as session:
        session.execute(_audit.delete())
        insert_many(session, _audit, rows)
        insert_many(session, _audit, [])
    with database.read_session() as session:
        assert _read_audit(session) == expected
        assert _null_json(session) == expected_nulls
    assert [row[-3:-1] for row in expected] == [(r["old_value"], r["new_value"]) for r in rows]
    assert {row[0] for row in expected} == {AT}


def _record_row(n: int) -> dict[str, Any]:
    return {
        "id": f"{n:08d}-0000-0000-0000-000000000000",
        "entity": "account",
        "seq": n + 1,
        "version": 1,
        "scope_owner_id": "owner",
        "scope_other_id": None,
        "parent_id": None,
        "data": {"name": f"Cuenta {n}"},
        "versions": {"name": 1},
        "stamps": {"name": ["0", None, None]},
        "created_at": AT,
        "updated_at": AT,
        "deleted_at": None,
    }


def _changes(n: int, value: Any) -> dict[str, Any]:
    return {
        "id": f"{n:08d}-0000-0000-0000-000000000000",
        "seq": 100 + n,
        "version": 2,
        "scope_other_id": None if n % 2 else "other",
        "data": {"name": f"Cuenta {n}", "notes": value},
        "versions": {"name": 1, "notes": 2},
        "updated_at": AT + dt.timedelta(minutes=n),
        "deleted_at": None if n % 3 else AT,
    }


def _read_records(session: Session) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in session.execute(select(_records).order_by(_records.c.id))]


def test_update_many_writes_what_sqlalchemy_writes(database: Database) -> None:
    originals = [_record_row(n) for n in range(len(VALUES))]
    changes = [_changes(n, value) for n, value in enumerate(VALUES)]
    columns = [name for name in changes[0] if name != "id"]
    statement = (
        update(_records)
        .where(_records.c.id == bindparam("old_id"))
        .values({name: bindparam(f"new_{name}") for name in columns})
    )
    with database.write_session() as session:
        session.execute(insert(_records), originals)
        session.connection().execute(
            statement,
            [{"old_id": c["id"], **{f"new_{k}": c[k] for k in columns}} for c in changes],
        )
    with database.read_session() as session:
        expected = _read_records(session)
    with database.write_session() as session:
        session.execute(_records.delete())
        insert_many(session, _records, originals)
        update_many(session, _records, key="id", rows=changes)
        update_many(session, _records, key="id", rows=[])
    with database.read_session() as session:
        assert _read_records(session) == expected
    assert [row[7]["notes"] for row in expected] == VALUES  # data, as it was given


@pytest.mark.parametrize("count", [0, 1, 3, 6000])
def test_select_by_keys_matches_the_same_rows_as_in(database: Database, count: int) -> None:
    with database.write_session() as session:
        insert_many(session, _audit, [_audit_row(n, None, n) for n in range(10)])
    wanted = [f"{n:08d}-0000-0000-0000-000000000000" for n in range(1, 1 + count)]
    with database.read_session() as session:
        found = select_by_keys(
            session,
            _audit,
            columns=("new_value",),
            key="record_id",
            values=wanted,
            order_by="id",
            lock=False,
        )
        query = select(_audit.c.new_value).where(_audit.c.record_id.in_(wanted))
        expected = sorted(session.scalars(query))
    assert sorted(value for (value,) in found) == expected == list(range(1, min(count, 9) + 1))


@pytest.mark.parametrize("device", ["device-4", "device-5", 'it\'s \\ "odd"', "absent"])
def test_select_by_keys_also_filters_by_equal_columns(database: Database, device: str) -> None:
    rows = [_audit_row(n, None, n) for n in range(8)]
    rows[5]["device_id"] = 'it\'s \\ "odd"'
    rows[6]["record_id"] = rows[4]["record_id"]  # the same key, another device
    with database.write_session() as session:
        insert_many(session, _audit, rows)
    wanted = [rows[n]["record_id"] for n in (4, 5, 7)]
    with database.read_session() as session:
        found = select_by_keys(
            session,
            _audit,
            columns=("device_id", "new_value"),
            key="record_id",
            values=wanted,
            order_by="id",
            lock=False,
            equal={"device_id": device},
        )
    expected = [(r["device_id"], n) for n, r in enumerate(rows)]
    assert found == [(d, n) for d, n in expected if d == device and rows[n]["record_id"] in wanted]


AWKWARD_KEYS = ['a"b', "c\\d", "e,f", "{g}", "h i", "NULL", "", "ñandú", "j'k", '\\"']


def test_select_by_keys_takes_any_text(database: Database) -> None:
    """Keys travel as one array literal on PostgreSQL: quotes, backslashes, commas, braces."""
    rows = [{**_audit_row(n, None, n), "record_id": key} for n, key in enumerate(AWKWARD_KEYS)]
    with database.write_session() as session:
        insert_many(session, _audit, rows)
    wanted = [*AWKWARD_KEYS[1:], "absent"]
    with database.write_session() as session:
        found = select_by_keys(
            session,
            _audit,
            columns=("record_id", "at", "new_value"),
            key="record_id",
            values=wanted,
            order_by="id",
            lock=True,
        )
        assert found == [(key, AT, n) for n, key in enumerate(AWKWARD_KEYS) if n]
        assert all(when.tzinfo is dt.UTC for _, when, _ in found)
        assert (
            select_by_keys(
                session,
                _audit,
                columns=("id",),
                key="record_id",
                values=[],
                order_by="id",
                lock=False,
            )
            == []
        )
