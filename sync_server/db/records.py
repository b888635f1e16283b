"""Data access for synced records, the change-feed counter and scope exits.

The functions work on :class:`StoredRecord`, a plain in-memory copy of a ``records`` row, so
the merge logic never touches SQL. Statements run in bulk (one statement per batch for reads
and inserts, a pipelined ``executemany`` for updates, see :mod:`.bulk`), which keeps a push of
hundreds of mutations to a handful of round trips.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Row,
    Table,
    Text,
    and_,
    func,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy import cast as sa_cast
from sqlalchemy.orm import Session

from sync_server.protocol.chunks import chunked

from .base import WireInstant
from .bulk import encode_rows, insert_many, select_by_keys, update_many
from .models import CHANGE_FEED_COUNTER, Counter, Record, ScopeExit

_records = cast(Table, Record.__table__)
_exits = cast(Table, ScopeExit.__table__)
_counters = cast(Table, Counter.__table__)


@dataclass
class StoredRecord:
    """A synced record as the merge logic sees it."""

    id: str
    entity: str
    version: int
    scope_owner_id: str
    scope_other_id: str | None
    parent_id: str | None
    data: dict[str, Any]
    versions: dict[str, int]
    stamps: dict[str, list[Any]]
    created_at: dt.datetime
    updated_at: dt.datetime
    deleted_at: dt.datetime | None = None
    seq: int = 0
    #: not yet in the database
    is_new: bool = False
    #: changed in memory: needs writing and a new sequence value
    dirty: bool = field(default=False, compare=False)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @classmethod
    def first_version(
        cls,
        record_id: str,
        entity: str,
        data: dict[str, Any],
        *,
        scope: tuple[str, str | None],
        parent_id: str | None,
        signature: list[Any],
        at: dt.datetime,
    ) -> StoredRecord:
        """A new record at version 1: every field at version 1 with the same ``signature``
        (stamp, user, device); ``scope`` is its owner and second owner."""
        return cls(
            id=record_id,
            entity=entity,
            version=1,
            scope_owner_id=scope[0],
            scope_other_id=scope[1],
            parent_id=parent_id,
            data=data,
            versions=dict.fromkeys(data, 1),
            stamps={name: list(signature) for name in data},
            created_at=at,
            updated_at=at,
        )


@dataclass(frozen=True)
class ScopeExitRow:
    seq: int
    entity: str
    record_id: str
    old_owner_id: str
    new_owner_id: str
    at: dt.datetime


def _to_record(row: Row[Any]) -> StoredRecord:
    return StoredRecord(
        id=row.id,
        entity=row.entity,
        version=row.version,
        scope_owner_id=row.scope_owner_id,
        scope_other_id=row.scope_other_id,
        parent_id=row.parent_id,
        data=row.data,
        versions=row.versions,
        stamps=row.stamps,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
        seq=row.seq,
    )


#: the stored columns of :class:`StoredRecord`, in the order of its fields
_STORED_COLUMNS = (
    "id",
    "entity",
    "version",
    "scope_owner_id",
    "scope_other_id",
    "parent_id",
    "data",
    "versions",
    "stamps",
    "created_at",
    "updated_at",
    "deleted_at",
    "seq",
)


def _load(session: Session, *, key: str, values: Collection[str], lock: bool) -> list[StoredRecord]:
    """Records whose ``key`` column is one of ``values``, locked in id order with ``lock``."""
    found: list[StoredRecord] = []
    for chunk in chunked(sorted(set(values))):
        rows = select_by_keys(
            session,
            _records,
            columns=_STORED_COLUMNS,
            key=key,
            values=chunk,
            order_by="id",
            lock=lock,
        )
        found.extend(StoredRecord(*row) for row in rows)
    return found


def load_records(session: Session, *, ids: Collection[str], lock: bool) -> dict[str, StoredRecord]:
    """The records with these ids (missing ones are simply absent).

    With ``lock`` the rows are locked for update in id order, so two transactions locking
    overlapping sets wait for each other instead of deadlocking.
    """
    return {r.id: r for r in _load(session, key="id", values=ids, lock=lock)}


def load_children(
    session: Session, *, parent_ids: Collection[str], lock: bool
) -> list[StoredRecord]:
    """Records whose scope comes directly from one of ``parent_ids``."""
    return _load(session, key="parent_id", values=parent_ids, lock=lock)


def conflicts_about(session: Session, *, record_ids: Collection[str]) -> list[str]:
    """Ids of the open conflicts about any of ``record_ids`` (rare: reassignments only)."""
    about = _records.c.data["record_id"].as_string()
    resolved = _records.c.data["resolved"].as_boolean()
    found: list[str] = []
    for chunk in chunked(sorted(set(record_ids))):
        query = select(_records.c.id).where(
            _records.c.entity == "conflict",
            about.in_(chunk),
            or_(resolved.is_(None), resolved.is_(False)),
        )
        found.extend(session.scalars(query))
    return found


def ids_with_value(session: Session, *, entity: str, field: str, value: str) -> list[str]:
    """Ids of the ``entity`` records (deleted ones too) whose text ``field`` is ``value``.

    Not indexed: used for unique keys (quote numbers, account tax ids), checked once per
    create or change of the key's first field.
    """
    query = select(_records.c.id).where(
        _records.c.entity == entity, _records.c.data[field].as_string() == value
    )
    return list(session.scalars(query))


def records_of_entity(session: Session, *, entity: str) -> list[StoredRecord]:
    """Every record of one entity (for server-managed reference data, which is small)."""
    query = select(_records).where(_records.c.entity == entity).order_by(_records.c.seq)
    return [_to_record(row) for row in session.execute(query)]


def allocate_sequence(session: Session, *, count: int) -> int:
    """Reserve ``count`` change-feed values; returns the first.

    The counter row stays locked until the transaction ends, so whoever takes the next values
    commits after us: sequence order is commit order, and a pull resuming after value N can
    never miss a value below N that commits later.
    """
    counter = _counters.c
    new_value = session.execute(
        update(_counters)
        .where(counter.name == CHANGE_FEED_COUNTER)
        .values(value=counter.value + count)
        .returning(counter.value)
    ).scalar_one()
    return int(new_value) - count + 1


def latest_sequence(session: Session) -> int:
    """The highest change-feed value handed out (every lower one is committed or abandoned)."""
    query = select(_counters.c.value).where(_counters.c.name == CHANGE_FEED_COUNTER)
    return int(session.execute(query).scalar_one())


def _row_values(record: StoredRecord) -> dict[str, Any]:
    return {
        "seq": record.seq,
        "version": record.version,
        "scope_owner_id": record.scope_owner_id,
        "scope_other_id": record.scope_other_id,
        "parent_id": record.parent_id,
        "data": record.data,
        "versions": record.versions,
        "stamps": record.stamps,
        "updated_at": record.updated_at,
        "deleted_at": record.deleted_at,
    }


def insert_records(session: Session, *, records: Sequence[StoredRecord]) -> None:
    rows = [
        {**_row_values(r), "id": r.id, "entity": r.entity, "created_at": r.created_at}
        for r in records
    ]
    insert_many(session, _records, rows)


class RecordUpdates:
    """The writes of changed records, encoded when made (before the change-feed counter is
    taken: :func:`allocate_sequence` holds it until commit) and written with the sequence
    values the records hold by then (:meth:`write`)."""

    def __init__(self, session: Session, records: Sequence[StoredRecord]) -> None:
        self._session = session
        self._records = list(records)
        rows = [{"id": r.id, **_row_values(r)} for r in self._records]
        self._rows = encode_rows(session, _records, rows)

    def write(self) -> None:
        for row, record in zip(self._rows, self._records, strict=True):
            row["seq"] = record.seq
        update_many(self._session, _records, key="id", rows=self._rows)


def insert_scope_exits(session: Session, *, exits: Sequence[ScopeExitRow]) -> None:
    insert_many(session, _exits, [vars(e) for e in exits])


@dataclass(frozen=True, slots=True)
class PulledRecord:
    """What a pull delivers of a record (no merge bookkeeping)."""

    id: str
    entity: str
    seq: int
    version: int
    #: the stored JSON text of the field values and of the field versions, as kept (a pull
    #: sends them on without decoding them)
    data: str
    versions: str
    #: the instants in their wire form (``format_datetime``), written by the database
    created_at: str
    updated_at: str
    deleted_at: str | None


_INSTANTS = ("created_at", "updated_at", "deleted_at")
_AS_TEXT = ("data", "versions")


def _pulled_column(name: str) -> Any:
    column = getattr(_records.c, name)
    if name in _INSTANTS:
        return WireInstant(column).label(name)
    if name in _AS_TEXT:
        return sa_cast(column, Text).label(name)
    return column


_PULLED_COLUMNS = [_pulled_column(name) for name in PulledRecord.__slots__]


#: above this many visible scope owners a pull reads the whole feed in order instead of one
#: index range per owner (SQLite allows 500 terms in a compound SELECT; such a team sees
#: most of the data anyway)
MAX_OWNER_RANGES = 100


def _owner_ranges(
    columns: Sequence[Any], *, after: int, upto: int, owners: Collection[str], limit: int | None
) -> list[Any]:
    """One ordered index range per visible owner: ``(scope_owner_id, seq)`` for records they
    own, ``(scope_other_id, seq)`` for conflicts they take part in and do not own (so no
    record appears twice). The reads never touch other users' records."""
    r = _records.c
    members = sorted(owners)
    in_range = and_(r.seq > after, r.seq <= upto)
    wheres = [and_(r.scope_owner_id == owner, in_range) for owner in members]
    wheres += [
        and_(r.scope_other_id == owner, r.scope_owner_id.not_in(members), in_range)
        for owner in members
    ]
    ranges = []
    for where in wheres:
        query = select(*columns).where(where)
        if limit is not None:
            query = query.order_by(r.seq).limit(limit)
        ranges.append(select(query.subquery()))
    return ranges


def _changed_and_visible(
    *, after: int, upto: int, owners: Collection[str] | None
) -> ColumnElement[bool]:
    """Changed in ``(after, upto]`` and seen by one of ``owners`` (all when None), as one
    condition: for no owner filter, or one too wide for an index range per owner."""
    r = _records.c
    condition = and_(r.seq > after, r.seq <= upto)
    if owners is None:
        return condition
    members = list(owners)
    return and_(condition, or_(r.scope_owner_id.in_(members), r.scope_other_id.in_(members)))


def pull_records(
    session: Session, *, after: int, upto: int, owners: Collection[str] | None, limit: int
) -> list[PulledRecord]:
    """Records changed in ``(after, upto]`` visible to ``owners`` (all when None), by sequence.

    For a user it merges the first ``limit`` changes of each visible owner (index ranges,
    see :func:`_owner_ranges`), so its cost depends on what the user sees, not on how many
    records other users have.
    """
    if owners is None or len(owners) > MAX_OWNER_RANGES:
        condition = _changed_and_visible(after=after, upto=upto, owners=owners)
        query = select(*_PULLED_COLUMNS).where(condition).order_by(_records.c.seq).limit(limit)
    else:
        ranges = _owner_ranges(_PULLED_COLUMNS, after=after, upto=upto, owners=owners, limit=limit)
        merged = union_all(*ranges).subquery()
        query = select(merged).order_by(merged.c.seq).limit(limit)
    return [PulledRecord(*row) for row in session.execute(query)]


def count_pending(
    session: Session, *, after: int, upto: int, owners: Collection[str] | None
) -> int:
    """How many visible records changed in ``(after, upto]``."""
    if owners is None or len(owners) > MAX_OWNER_RANGES:
        condition = _changed_and_visible(after=after, upto=upto, owners=owners)
        query = select(func.count()).where(condition)
    else:
        ranges = _owner_ranges([_records.c.seq], after=after, upto=upto, owners=owners, limit=None)
        query = select(func.count()).select_from(union_all(*ranges).subquery())
    return int(session.execute(query).scalar_one())


def pull_exits(
    session: Session, *, after: int, upto: int, owners: Collection[str], limit: int
) -> list[ScopeExitRow]:
    """Scope exits in ``(after, upto]`` that take a record out of sight of ``owners``."""
    members = list(owners)
    e = _exits.c
    query = (
        select(_exits)
        .where(
            e.seq > after,
            e.seq <= upto,
            e.old_owner_id.in_(members),
            e.new_owner_id.not_in(members),
        )
        .order_by(e.seq)
        .limit(limit)
    )
    return [ScopeExitRow(**row._mapping) for row in session.execute(query)]


def count_exits_after(session: Session, *, after: int) -> int:
    """How many records (conflicts about them aside) left somebody's scope after ``after``."""
    query = (
        select(func.count())
        .select_from(_exits)
        .where(_exits.c.seq > after, _exits.c.entity != "conflict")
    )
    return int(session.execute(query).scalar_one())


def left_scope_since(
    session: Session, *, record_id: str, owners: Collection[str], since: dt.datetime
) -> bool:
    """Whether the record left the scope of one of ``owners`` at or after ``since``."""
    e = _exits.c
    query = (
        select(e.seq)
        .where(e.record_id == record_id, e.old_owner_id.in_(list(owners)), e.at >= since)
        .limit(1)
    )
    return session.execute(query).first() is not None
