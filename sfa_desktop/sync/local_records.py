"""Low-level writes of server data into the local tables (sync only, never the UI).

Server values arrive already checked by the server, in wire form; the local storage of every
wire type is the same text (UTC instants, ISO dates, exact decimals), so rows are written with
``executemany`` straight from the wire values: a first sync of a big territory is a bulk load.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table, update
from sqlalchemy.orm import Session

from sfa_desktop.store.bulk_insert import BulkInsert
from sfa_desktop.store.models import MODEL_BY_ENTITY
from sync_server.protocol.catalog import CATALOG, EntitySpec, FieldSpec, FieldType
from sync_server.protocol.chunks import chunked
from sync_server.protocol.values import parse_datetime, to_python

from .bookkeeping import DELETED_FIELD

COMMON_COLUMNS = ("id", "created_at", "updated_at", "deleted_at")


def table_of(entity: str) -> Table:
    table: Table = MODEL_BY_ENTITY[entity].__table__  # type: ignore[assignment]
    return table


def known_entity(entity: str) -> bool:
    return entity in CATALOG and entity in MODEL_BY_ENTITY


def _json_param(value: Any) -> Any:
    return None if value is None else json.dumps(value)


def _identity(value: Any) -> Any:
    return value


def _converter(field: FieldSpec) -> Callable[[Any], Any]:
    if field.type in (FieldType.TAGS, FieldType.JSON):
        return _json_param
    return _identity


@cache
def _columns(entity: str) -> tuple[tuple[str, ...], tuple[Callable[[Any], Any], ...]]:
    spec = CATALOG[entity]
    names = (*COMMON_COLUMNS, *spec.field_names)
    converters = (*(_identity for _ in COMMON_COLUMNS), *(_converter(f) for f in spec.fields))
    return names, converters


@cache
def json_positions(entity: str) -> tuple[int, ...]:
    """Where in a row the values stored as JSON text are (tags, JSON fields)."""
    return tuple(i for i, c in enumerate(_columns(entity)[1]) if c is _json_param)


def columns_of(entity: str) -> tuple[str, ...]:
    """The synced columns of an entity's table: common fields, then catalog fields."""
    return _columns(entity)[0]


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@cache
def _upsert_sql(entity: str) -> str:
    names, _ = _columns(entity)
    table = table_of(entity).name
    updates = ", ".join(f"{_quote(n)} = excluded.{_quote(n)}" for n in names if n != "id")
    return (
        f"INSERT INTO {_quote(table)} ({', '.join(_quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)}) ON CONFLICT(id) DO UPDATE SET {updates}"
    )


def row_params(entity: str, values: Mapping[str, Any], record_id: str) -> tuple[Any, ...]:
    """The parameters of one row of :func:`upsert_rows`, from the pulled wire values."""
    row = list(map(values.get, _columns(entity)[0]))
    for position in json_positions(entity):
        row[position] = _json_param(row[position])
    row[0] = record_id
    return tuple(row)


def upsert_rows(session: Session, entity: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert or fully replace whole records (``INSERT … ON CONFLICT DO UPDATE``)."""
    if rows:
        session.connection().exec_driver_sql(_upsert_sql(entity), list(rows))


@cache
def _insert_sql(entity: str) -> str:
    names, _ = _columns(entity)
    table = table_of(entity).name
    return (
        f"INSERT INTO {_quote(table)} ({', '.join(_quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )


def write_rows(
    session: Session, entity: str, rows: Sequence[tuple[Any, ...]], bulk: BulkInsert | None
) -> None:
    """:func:`upsert_rows`, or, when none of these records is here yet and there are enough
    of them (a first sync's pages), plain inserts through ``bulk`` (its derived tables brought
    up to date once, when it settles)."""
    if not rows:
        return
    table = table_of(entity).name
    if bulk is None:
        upsert_rows(session, entity, rows)
    elif bulk.takes(table, len(rows)) and not _any_exists(session, table, rows):
        bulk.insert(table, _insert_sql(entity), rows)
    else:
        bulk.settle()  # an update's triggers read what the deferred insert triggers keep
        upsert_rows(session, entity, rows)


def _any_exists(session: Session, table: str, rows: Sequence[tuple[Any, ...]]) -> bool:
    connection = session.connection()
    for chunk in chunked([row[0] for row in rows]):
        sql = f"SELECT 1 FROM {_quote(table)} WHERE id IN ({', '.join('?' * len(chunk))}) LIMIT 1"
        if connection.exec_driver_sql(sql, tuple(chunk)).first() is not None:
            return True
    return False


def update_columns(
    session: Session, entity: str, record_id: str, values: Mapping[str, Any]
) -> None:
    """Write some wire ``values`` (common fields included) of one existing record."""
    names, converters = _columns(entity)
    convert = dict(zip(names, converters, strict=True))
    chosen = [n for n in names if n in values and n != "id"]
    if not chosen:
        return
    table = table_of(entity).name
    sql = f"UPDATE {_quote(table)} SET {', '.join(f'{_quote(n)} = ?' for n in chosen)} WHERE id = ?"
    params = (*(convert[n](values[n]) for n in chosen), record_id)
    session.connection().exec_driver_sql(sql, params)


def exists(session: Session, entity: str, record_id: str) -> bool:
    table = table_of(entity).name
    found = session.connection().exec_driver_sql(
        f"SELECT 1 FROM {_quote(table)} WHERE id = ?", (record_id,)
    )
    return found.first() is not None


def hard_delete(session: Session, entity: str, record_ids: Iterable[str]) -> None:
    """Remove records for good (they left this user's scope, or never reached the server)."""
    params = [(record_id,) for record_id in record_ids]
    if params:
        table = table_of(entity).name
        session.connection().exec_driver_sql(f"DELETE FROM {_quote(table)} WHERE id = ?", params)


def write_wire_value(
    session: Session, spec: EntitySpec, record_id: str, field: str, value: Any
) -> None:
    """Put the server's wire ``value`` of one field back into the local record."""
    table = table_of(spec.name)
    if field == DELETED_FIELD:
        python = parse_datetime(value, field=field) if value else None
    else:
        python = to_python(spec.field(field), value)
    session.execute(update(table).where(table.c.id == record_id).values({field: python}))
