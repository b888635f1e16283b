"""Generic create/read/update/soft-delete of any catalog entity, by entity name.

These functions are the single path for writing synced records, so that sync can hook in: the
caller writes one outbox entry per changed field (``update_record`` returns them) in the same
transaction. Values are Python values typed per the catalog (see :mod:`.record_values`); bad
data raises :class:`~sfa_desktop.store.errors.InvalidRecord` and writes nothing.

Records come back as plain dicts (common fields + catalog fields), never ORM objects.
Referential checks: a REF that the *user* sets must name an existing, live record
(``check_refs=True``); sync applies server data with ``check_refs=False`` because records
may arrive in any order (see :mod:`sfa_desktop.store.models.base`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sync_server.protocol.catalog import COMMON_FIELD_NAMES, EntitySpec, FieldType
from sync_server.protocol.chunks import chunked
from sync_server.protocol.ids import new_id

from ..errors import InvalidRecord, RecordDeleted, RecordNotFound
from ..models import MODEL_BY_ENTITY
from .record_values import check_id, check_timestamp, record_checker, resolve_entity

#: Rows per executemany batch in :func:`bulk_insert`.
BULK_BATCH_SIZE = 5000
_UNIQUE_FAILED = re.compile(r"UNIQUE constraint failed: (\w+)\.(\w+)")


def get_record(session: Session, entity: str, record_id: str) -> dict[str, Any] | None:
    """The record with its common and catalog fields, or ``None``.

    A soft-deleted record is returned too (``deleted_at`` is set): callers decide.
    """
    spec, model = resolve_entity(entity)
    table = _table(model)
    columns = [table.c[name] for name in _record_columns(spec)]
    row = session.execute(select(*columns).where(table.c.id == record_id)).one_or_none()
    return dict(row._mapping) if row is not None else None


def live_records_where(
    session: Session, entity: str, field: str, value: Any
) -> list[dict[str, Any]]:
    """The live records whose ``field`` equals ``value`` (a quote's lines), oldest first."""
    spec, model = resolve_entity(entity)
    table = _table(model)
    columns = [table.c[name] for name in _record_columns(spec)]
    query = (
        select(*columns)
        .where(table.c[field] == value, table.c.deleted_at.is_(None))
        .order_by(table.c.id)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def values_taken(
    session: Session, entity: str, values: Mapping[str, Any], *, other_than: str | None
) -> bool:
    """Whether a record other than ``other_than`` (deleted ones too) has every field of
    ``values`` equal to its value there (a unique key such as a quote's number and revision)."""
    _, model = resolve_entity(entity)
    table = _table(model)
    query = select(table.c.id).where(*(table.c[name] == value for name, value in values.items()))
    if other_than is not None:
        query = query.where(table.c.id != other_than)
    return session.execute(query.limit(1)).first() is not None


def insert_record(
    session: Session,
    entity: str,
    values: Mapping[str, Any],
    *,
    now: dt.datetime,
    check_refs: bool = True,
) -> str:
    """Insert a new record and return its id (a new UUIDv7 unless ``values["id"]`` is given).

    Missing fields get their catalog defaults; ``created_at``/``updated_at`` are ``now``.
    """
    spec, model = resolve_entity(entity)
    now = _aware(now)
    if any(name in values for name in ("created_at", "updated_at", "deleted_at")):
        raise InvalidRecord(entity, None, "timestamps are set by the store")
    row = _complete_row(spec, values, now=now)
    if check_refs:
        _check_refs(session, spec, row, fields=spec.field_names)
    table = _table(model)
    if session.execute(select(table.c.id).where(table.c.id == row["id"])).first():
        raise InvalidRecord(entity, "id", f"a {entity} with id {row['id']!r} already exists")
    _insert_rows(session, spec, table, [row])
    return str(row["id"])


def update_record(
    session: Session,
    entity: str,
    record_id: str,
    changes: Mapping[str, Any],
    *,
    now: dt.datetime,
    check_refs: bool = True,
) -> dict[str, tuple[Any, Any]]:
    """Apply ``changes`` and return ``{field: (old, new)}`` for the fields that really changed.

    Nothing is written (not even ``updated_at``) when no value changes.
    """
    spec, model = resolve_entity(entity)
    now = _aware(now)
    checked = record_checker(spec).check_fields(changes)
    current = _live_record(session, spec, record_id)
    changed = {
        name: (current[name], value)
        for name, value in checked.items()
        if not _same(current[name], value)
    }
    if not changed:
        return {}
    new_values = {name: pair[1] for name, pair in changed.items()}
    if check_refs:
        _check_refs(session, spec, new_values, fields=tuple(new_values))
    table = _table(model)
    statement = (
        update(table).where(table.c.id == current["id"]).values(**new_values, updated_at=now)
    )
    with session.begin_nested():
        _execute_guarded(session, spec, statement)
    return changed


def soft_delete(session: Session, entity: str, record_id: str, *, now: dt.datetime) -> bool:
    """Mark the record deleted (a tombstone); ``False`` if it already was.

    Children are not touched: deleting an account's contacts is a use case's decision.
    """
    spec, model = resolve_entity(entity)
    now = _aware(now)
    try:
        current = _live_record(session, spec, record_id)
    except RecordDeleted:
        return False
    table = _table(model)
    session.execute(
        update(table).where(table.c.id == current["id"]).values(deleted_at=now, updated_at=now)
    )
    return True


def undelete(session: Session, entity: str, record_id: str, *, now: dt.datetime) -> bool:
    """Bring a tombstoned record back; ``False`` if it was not deleted."""
    spec, model = resolve_entity(entity)
    current = get_record(session, spec.name, record_id)
    if current is None:
        raise RecordNotFound(spec.name, record_id)
    if current["deleted_at"] is None:
        return False
    table = _table(model)
    session.execute(
        update(table)
        .where(table.c.id == current["id"])
        .values(deleted_at=None, updated_at=_aware(now))
    )
    return True


def bulk_insert(
    session: Session,
    entity: str,
    rows: Sequence[Mapping[str, Any]],
    *,
    now: dt.datetime | None = None,
) -> None:
    """Insert many records at once (demo data, benchmarks): all or nothing.

    Rows are checked like :func:`insert_record` but may carry ``id``, ``created_at``,
    ``updated_at`` and ``deleted_at``; missing timestamps default to ``now``. References are
    not checked. Written with executemany in batches, no ORM objects.
    """
    spec, model = resolve_entity(entity)
    default_now = _aware(now) if now is not None else None
    complete = [_complete_row(spec, row, now=default_now, allow_timestamps=True) for row in rows]
    if not complete:
        return
    ids = [row["id"] for row in complete]
    if len(set(ids)) != len(ids):
        raise InvalidRecord(entity, "id", "the same id appears twice")
    _insert_rows(session, spec, _table(model), complete)


# --- helpers -----------------------------------------------------------------------------------


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


def _record_columns(spec: EntitySpec) -> tuple[str, ...]:
    return ("id", "created_at", "updated_at", "deleted_at", *spec.field_names)


def _aware(now: dt.datetime) -> dt.datetime:
    if not isinstance(now, dt.datetime) or now.utcoffset() is None:
        raise ValueError("now must be a timezone-aware datetime")
    return now.astimezone(dt.UTC)


def _complete_row(
    spec: EntitySpec,
    values: Mapping[str, Any],
    *,
    now: dt.datetime | None,
    allow_timestamps: bool = False,
) -> dict[str, Any]:
    """Checked values + defaults + id + timestamps: a full row ready to insert."""
    checker = record_checker(spec)
    extra = COMMON_FIELD_NAMES if allow_timestamps else _ID_ONLY
    checked = checker.check_fields(values, allowed_extra=extra)
    raw_id = values.get("id")
    created = check_timestamp(spec.name, "created_at", values.get("created_at", now), required=True)
    row: dict[str, Any] = {
        "id": check_id(spec.name, raw_id) if raw_id is not None else new_id(),
        "created_at": created,
        "updated_at": check_timestamp(
            spec.name, "updated_at", values.get("updated_at", created), required=True
        ),
        "deleted_at": check_timestamp(
            spec.name, "deleted_at", values.get("deleted_at"), required=False
        ),
    }
    row.update(checker.complete(checked))
    return row


_ID_ONLY = frozenset({"id"})


def _live_record(session: Session, spec: EntitySpec, record_id: str) -> dict[str, Any]:
    record = get_record(session, spec.name, record_id) if isinstance(record_id, str) else None
    if record is None:
        raise RecordNotFound(spec.name, str(record_id))
    if record["deleted_at"] is not None:
        raise RecordDeleted(spec.name, record_id)
    return record


def _check_refs(
    session: Session, spec: EntitySpec, values: Mapping[str, Any], *, fields: Sequence[str]
) -> None:
    for name in fields:
        field = spec.field(name)
        value = values.get(name)
        if field.type is not FieldType.REF or field.ref is None or value is None:
            continue
        target = _table(MODEL_BY_ENTITY[field.ref])
        found = session.execute(
            select(target.c.deleted_at).where(target.c.id == value)
        ).one_or_none()
        if found is None:
            raise InvalidRecord(spec.name, name, f"no {field.ref} with id {value!r}")
        if found[0] is not None:
            raise InvalidRecord(spec.name, name, f"the {field.ref} {value!r} has been deleted")


def _insert_rows(
    session: Session, spec: EntitySpec, table: Table, rows: list[dict[str, Any]]
) -> None:
    """Insert complete rows with executemany, converting values with the columns' own types."""
    names = list(rows[0])
    dialect = session.get_bind().dialect
    quote = dialect.identifier_preparer.quote
    processors = [table.c[name].type.bind_processor(dialect) for name in names]
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
        f"VALUES ({', '.join('?' for _ in names)})"
    )
    pairs = list(zip(names, processors, strict=True))
    connection = session.connection()
    with session.begin_nested():
        for batch in chunked(rows, BULK_BATCH_SIZE):
            params = [
                tuple(
                    row[name] if process is None else process(row[name]) for name, process in pairs
                )
                for row in batch
            ]
            _execute_guarded(session, spec, statement, params, connection=connection)


def _execute_guarded(
    session: Session,
    spec: EntitySpec,
    statement: Any,
    params: Any = None,
    *,
    connection: Connection | None = None,
) -> None:
    """Execute, turning a UNIQUE violation into :class:`InvalidRecord` for that field."""
    try:
        if connection is not None:
            connection.exec_driver_sql(statement, params)
        else:
            session.execute(statement, params)
    except IntegrityError as exc:
        match = _UNIQUE_FAILED.search(str(exc.orig))
        field = match.group(2) if match else None
        reason = "this value is already used by another record" if match else str(exc.orig)
        raise InvalidRecord(spec.name, field, reason) from None


def _same(old: Any, new: Any) -> bool:
    return type(old) is type(new) and bool(old == new)
