"""Statements over many rows at once: the hot path of a push (hundreds of rows a batch).

SQLAlchemy's ``executemany`` processes every parameter of every row in Python before the
driver sees it, and renders an ``IN`` list of N ids as N parameters each time. On PostgreSQL
these helpers skip both: ``insert_many``/``update_many`` hand psycopg one prepared statement
and plain row dicts (JSON wrapped, datetimes checked), which it pipelines; ``any_of`` sends
an id list as one array parameter. On SQLite (in-process, no round trips) they are ordinary
SQLAlchemy statements. Either way the rows written are the same (tests/server/test_bulk.py).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import JSON, ColumnElement, String, Table, any_, bindparam, insert, update
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

Row = Mapping[str, Any]
_Convert = Callable[[Any], Any]
#: how a column's values are converted: "json", or the custom type that converts them
_Kind = str | TypeDecorator[Any]


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def any_of(session: Session, column: ColumnElement[str], values: Collection[str]) -> Any:
    """``column IN values``; on PostgreSQL ``column = ANY(array)``, one parameter however many."""
    if _is_postgres(session):
        return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(String())))
    return column.in_(list(values))


def insert_many(session: Session, table: Table, rows: Sequence[Row]) -> None:
    """Insert ``rows`` (dicts of column values, every row with the same columns)."""
    if not rows:
        return
    if not _is_postgres(session):
        session.execute(insert(table), list(rows))
        return
    sql, kinds = _insert_sql(table, tuple(rows[0]))
    _run_many(session, sql, kinds, rows)


def update_many(session: Session, table: Table, *, key: str, rows: Sequence[Row]) -> None:
    """Update the row whose ``key`` column equals each row's ``key`` value with its other values."""
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
    sql, kinds = _update_sql(table, key, columns)
    _run_many(session, sql, kinds, rows)


# --- PostgreSQL ------------------------------------------------------------------------------


def _run_many(session: Session, sql: str, kinds: Mapping[str, _Kind], rows: Sequence[Row]) -> None:
    """``executemany`` straight on psycopg, which pipelines the rows in one round trip."""
    connection = session.connection()
    converters = {name: _converter(kind, connection.dialect) for name, kind in kinds.items()}
    if converters:
        rows = [
            {**row, **{name: convert(row[name]) for name, convert in converters.items()}}
            for row in rows
        ]
    driver_connection = connection.connection.driver_connection
    assert driver_connection is not None
    with driver_connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _name(name: str) -> str:
    """Our table and column names need no quoting (checked, not assumed)."""
    if not (name.isidentifier() and name.islower()):
        raise ValueError(f"unexpected SQL name {name!r}")
    return name


@cache
def _insert_sql(table: Table, columns: tuple[str, ...]) -> tuple[str, dict[str, _Kind]]:
    names = ", ".join(_name(name) for name in columns)
    values = ", ".join(f"%({name})s" for name in columns)
    sql = f"INSERT INTO {_name(table.name)} ({names}) VALUES ({values})"
    return sql, _kinds(table, columns)


@cache
def _update_sql(table: Table, key: str, columns: tuple[str, ...]) -> tuple[str, dict[str, _Kind]]:
    assignments = ", ".join(f"{_name(name)} = %({name})s" for name in columns)
    sql = f"UPDATE {_name(table.name)} SET {assignments} WHERE {_name(key)} = %({key})s"
    return sql, _kinds(table, columns)


def _kinds(table: Table, columns: Sequence[str]) -> dict[str, _Kind]:
    """The columns whose values SQLAlchemy would convert: JSON and custom types."""
    kinds: dict[str, _Kind] = {}
    for name in columns:
        column_type = table.c[name].type
        if isinstance(column_type, JSON):
            kinds[name] = "json"
        elif isinstance(column_type, TypeDecorator):
            kinds[name] = column_type
    return kinds


def _converter(kind: _Kind, dialect: Dialect) -> _Convert:
    if isinstance(kind, TypeDecorator):
        decorated = kind

        def convert(value: Any) -> Any:
            return decorated.process_bind_param(value, dialect)  # aware UTC datetimes

        return convert
    from psycopg.types.json import Json  # the server's PostgreSQL driver

    return Json  # None too: SQLAlchemy's JSON type stores it as JSON null
