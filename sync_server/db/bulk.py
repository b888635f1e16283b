"""Statements over many rows at once: the hot path of a push (hundreds of rows a batch).

SQLAlchemy's ``executemany`` processes every parameter of every row in Python before the
driver sees it, the driver then sends one statement per row, and an ``IN`` list of N ids is
rendered as N parameters each time. On PostgreSQL these helpers avoid that: ``insert_many``
sends every row in one JSON array (encoded in Rust by pydantic-core) that one statement
unpacks with ``json_populate_recordset``; ``update_many`` hands psycopg plain rows to
pipeline (large rows: cheaper for the database than unpacking JSON), their documents encoded
ahead if the caller wishes (``encode_rows``); ``select_by_keys`` sends an id list as one
array parameter and reads its rows straight from psycopg. On SQLite (in-process, no round
trips) they are ordinary SQLAlchemy statements. Either way the rows are the same, JSON nulls
included (tests/server/test_bulk.py).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from functools import cache
from typing import Any

import pydantic_core
from sqlalchemy import (
    JSON,
    Table,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

Row = Mapping[str, Any]


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def select_by_keys(
    session: Session,
    table: Table,
    *,
    columns: Sequence[str],
    key: str,
    values: Collection[str],
    order_by: str,
    lock: bool,
    equal: Mapping[str, str] | None = None,
) -> list[tuple[Any, ...]]:
    """``columns`` of the rows whose ``key`` is one of ``values`` (and whose ``equal`` columns
    have those values), in ``order_by`` order (the order ``lock`` locks them in: ``FOR
    UPDATE``). On PostgreSQL the rows come straight from psycopg (JSON already decoded by it),
    not through SQLAlchemy's result processing."""
    if not values:
        return []
    equal = equal or {}
    if not _is_postgres(session):
        query = select(*(table.c[name] for name in columns)).where(
            table.c[key].in_(list(values)), *(table.c[name] == v for name, v in equal.items())
        )
        query = query.order_by(table.c[order_by])
        if lock:
            query = query.with_for_update()
        return [tuple(row) for row in session.execute(query)]
    sql, results = _select_sql(table, tuple(columns), key, order_by, lock, tuple(equal))
    driver_connection = session.connection().connection.driver_connection
    assert driver_connection is not None
    with driver_connection.cursor() as cursor:
        cursor.execute(sql, [_text_array(values), *equal.values()])
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    if not results:
        return rows
    dialect = session.get_bind().dialect
    converted = []
    for row in rows:
        values_ = list(row)
        for index, column_type in results:
            values_[index] = column_type.process_result_value(values_[index], dialect)
        converted.append(tuple(values_))
    return converted


def insert_many(session: Session, table: Table, rows: Sequence[Row]) -> None:
    """Insert ``rows`` (dicts of column values, every row with the same columns)."""
    if not rows:
        return
    if not _is_postgres(session):
        session.execute(insert(table), list(rows))
        return
    _run_with_rows(session, _insert_sql(table, tuple(rows[0])), table, rows)


def update_many(session: Session, table: Table, *, key: str, rows: Sequence[Row]) -> None:
    """Update the row whose ``key`` column equals each row's ``key`` value (keys unique) with
    its other values (rows as they are, or as :func:`encode_rows` made them)."""
    if not rows:
        return
    columns = tuple(name for name in rows[0] if name != key)
    if not _is_postgres(session):
        statement = (
            update(table)
            .where(table.c[key] == bindparam(f"old_{key}"))
            .values({name: bindparam(f"new_{name}") for name in columns})
        )
        renamed = [
            {f"old_{key}": row[key], **{f"new_{name}": row[name] for name in columns}}
            for row in rows
        ]
        session.connection().execute(statement, renamed)
        return
    if not isinstance(rows, EncodedRows):
        rows = encode_rows(session, table, rows)
    # psycopg pipelines the rows, one prepared statement each: for large rows this costs
    # PostgreSQL less than unpacking them from one JSON document
    driver_connection = session.connection().connection.driver_connection
    assert driver_connection is not None
    with driver_connection.cursor() as cursor:
        cursor.executemany(_update_sql(table, key, columns), rows)


class EncodedRows(list[dict[str, Any]]):
    """Rows whose values are ready for the driver (see :func:`encode_rows`)."""


def encode_rows(session: Session, table: Table, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """``rows`` for :func:`update_many` with their JSON documents encoded now (on PostgreSQL;
    SQLite rows are returned as they are). A caller that holds a lock while it writes encodes
    them before taking it; values it changes later (a number) may be set in the rows."""
    if not rows or not _is_postgres(session):
        return [dict(row) for row in rows]
    from psycopg.types.json import Json  # the server's PostgreSQL driver

    dialect = session.get_bind().dialect
    checks = _checks(table, tuple(rows[0]))
    documents = [name for name in rows[0] if isinstance(table.c[name].type, JSON)]
    return EncodedRows(
        {
            **row,
            **{name: check.process_bind_param(row[name], dialect) for name, check in checks},
            **{name: Json(pydantic_core.to_json(row[name]), dumps=_encoded) for name in documents},
        }
        for row in rows
    )


def _encoded(document: bytes) -> bytes:
    return document


# --- PostgreSQL ------------------------------------------------------------------------------


def _run_with_rows(session: Session, sql: str, table: Table, rows: Sequence[Row]) -> None:
    """Run ``sql``, whose one parameter is the rows as a JSON array of objects."""
    checks = _checks(table, tuple(rows[0]))
    if checks:
        dialect = session.get_bind().dialect
        rows = [
            {
                **row,
                **{name: check.process_bind_param(row[name], dialect) for name, check in checks},
            }
            for row in rows
        ]
    document = pydantic_core.to_json(rows).decode()
    driver_connection = session.connection().connection.driver_connection
    assert driver_connection is not None
    with driver_connection.cursor() as cursor:
        cursor.execute(sql, [document])


def _text_array(values: Collection[str]) -> str:
    """A PostgreSQL array literal of strings (each quoted; ``"`` and ``\\`` escaped)."""
    quoted = (v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return "{" + ",".join(f'"{v}"' for v in quoted) + "}"


@cache
def _select_sql(
    table: Table,
    columns: tuple[str, ...],
    key: str,
    order_by: str,
    lock: bool,
    equal: tuple[str, ...] = (),
) -> tuple[str, tuple[tuple[int, TypeDecorator[Any]], ...]]:
    names = ", ".join(_name(name) for name in columns)
    also = "".join(f" AND {_name(name)} = %s" for name in equal)
    sql = (
        f"SELECT {names} FROM {_name(table.name)} WHERE {_name(key)} = ANY(%s::varchar[]){also} "
        f"ORDER BY {_name(order_by)}" + (" FOR UPDATE" if lock else "")
    )
    results = []
    for index, name in enumerate(columns):
        column_type = table.c[name].type
        if isinstance(column_type, TypeDecorator):
            results.append((index, column_type))
    return sql, tuple(results)


def _name(name: str) -> str:
    """Our table and column names need no quoting (checked, not assumed)."""
    if not (name.isidentifier() and name.islower()):
        raise ValueError(f"unexpected SQL name {name!r}")
    return name


def _value(table: Table, name: str) -> str:
    """Column ``name`` of the unpacked rows ``v``: a JSON null stays a JSON null (as SQLAlchemy's
    JSON type writes None), where ``json_populate_recordset`` would make it SQL NULL."""
    if isinstance(table.c[name].type, JSON):
        return f"COALESCE(v.{_name(name)}, 'null'::json)"
    return f"v.{_name(name)}"


def _rows(table: Table) -> str:
    return f"json_populate_recordset(NULL::{_name(table.name)}, %s::json) WITH ORDINALITY AS v"


@cache
def _insert_sql(table: Table, columns: tuple[str, ...]) -> str:
    names = ", ".join(_name(name) for name in columns)
    values = ", ".join(_value(table, name) for name in columns)
    return (
        f"INSERT INTO {_name(table.name)} ({names}) "
        f"SELECT {values} FROM {_rows(table)} ORDER BY v.ordinality"  # ids in the given order
    )


@cache
def _update_sql(table: Table, key: str, columns: tuple[str, ...]) -> str:
    assignments = ", ".join(f"{_name(name)} = %({name})s" for name in columns)
    return f"UPDATE {_name(table.name)} SET {assignments} WHERE {_name(key)} = %({key})s"


@cache
def _checks(table: Table, columns: tuple[str, ...]) -> tuple[tuple[str, TypeDecorator[Any]], ...]:
    """Columns of custom types, whose check SQLAlchemy would run (aware UTC datetimes)."""
    found = []
    for name in columns:
        column_type = table.c[name].type
        if isinstance(column_type, TypeDecorator):
            found.append((name, column_type))
    return tuple(found)
