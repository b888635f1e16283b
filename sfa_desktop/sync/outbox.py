"""The outbox: local changes waiting for the server (SPEC §4.1–4.2).

Edits write their entries here in the same transaction as the record change (see
:mod:`sfa_desktop.services.editing`, which also records the last clock stamp used); the engine sends them in ``seq`` order and deletes each
one only after the server answered it, so a crash at any moment loses nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from sfa_desktop.store.models.sync_state import OutboxEntry
from sync_server.protocol.chunks import chunked
from sync_server.protocol.hlc import Stamp
from sync_server.protocol.wire import Mutation, MutationOp

from . import bookkeeping


@dataclass(frozen=True)
class PendingEntry:
    """One outbox row, detached from the session."""

    seq: int
    mutation_id: str
    entity: str
    record_id: str
    op: MutationOp
    field: str | None
    value: Any
    base_version: int
    hlc: str
    attempts: int

    @property
    def touched_fields(self) -> frozenset[str]:
        """The fields whose local value this entry makes pending."""
        if self.op is MutationOp.SET and self.field is not None:
            return frozenset({self.field})
        if self.op in (MutationOp.DELETE, MutationOp.UNDELETE):
            return frozenset({bookkeeping.DELETED_FIELD})
        return frozenset(self.value) if isinstance(self.value, dict) else frozenset()

    def to_mutation(self) -> Mutation:
        return Mutation(
            mutation_id=self.mutation_id,
            entity=self.entity,
            record_id=self.record_id,
            op=self.op,
            field=self.field,
            value=self.value,
            base_version=self.base_version,
            hlc=self.hlc,
        )


def _detached(row: OutboxEntry) -> PendingEntry:
    return PendingEntry(
        seq=row.seq,
        mutation_id=row.mutation_id,
        entity=row.entity,
        record_id=row.record_id,
        op=MutationOp(row.op),
        field=row.field,
        value=row.value,
        base_version=row.base_version,
        hlc=row.hlc,
        attempts=row.attempts,
    )


def add_entry(
    session: Session,
    *,
    entity: str,
    record_id: str,
    op: MutationOp,
    field: str | None,
    value: Any,
    base_version: int,
    stamp: Stamp,
    now: dt.datetime,
) -> str:
    """Queue one entry as given. The ``add_*`` functions below choose its base version from
    what the client has seen; :mod:`.restore_check` calls it directly to queue a value again
    for a server restored from a backup, with the base version and stamp the check chose."""
    mutation_id = str(uuid.uuid4())
    session.execute(
        insert(OutboxEntry).values(
            mutation_id=mutation_id,
            entity=entity,
            record_id=record_id,
            op=op.value,
            field=field,
            value=value,
            base_version=base_version,
            hlc=str(stamp),
            created_at=now,
            attempts=0,
        )
    )
    return mutation_id


def add_create(
    session: Session,
    *,
    entity: str,
    record_id: str,
    values: Mapping[str, Any],
    stamp: Stamp,
    now: dt.datetime,
) -> str:
    """Queue a new record with all its initial fields (wire values)."""
    return add_entry(
        session,
        entity=entity,
        record_id=record_id,
        op=MutationOp.CREATE,
        field=None,
        value=dict(values),
        base_version=0,
        stamp=stamp,
        now=now,
    )


def add_set(
    session: Session,
    *,
    entity: str,
    record_id: str,
    field: str,
    value: Any,
    old_value: Any,
    stamp: Stamp,
    now: dt.datetime,
) -> str:
    """Queue a field change; the first pending edit of a synced field keeps its old value."""
    versions = bookkeeping.record_versions(session, record_id)
    base = versions[1].get(field, 0) if versions else 0
    if versions is not None:
        bookkeeping.keep_shadow_if_missing(
            session, entity=entity, record_id=record_id, field=field, value=old_value, version=base
        )
    return add_entry(
        session,
        entity=entity,
        record_id=record_id,
        op=MutationOp.SET,
        field=field,
        value=value,
        base_version=base,
        stamp=stamp,
        now=now,
    )


def add_delete(
    session: Session, *, entity: str, record_id: str, stamp: Stamp, now: dt.datetime
) -> str:
    """Queue a tombstone; its base is the record version the client last saw."""
    return _add_tombstone_change(
        session,
        MutationOp.DELETE,
        entity=entity,
        record_id=record_id,
        shadow=None,
        stamp=stamp,
        now=now,
    )


def add_undelete(
    session: Session,
    *,
    entity: str,
    record_id: str,
    deleted_at: Any,
    stamp: Stamp,
    now: dt.datetime,
) -> str:
    """Queue bringing a deleted record back; ``deleted_at`` is the tombstone's wire value
    (kept as the shadow, put back if the server refuses)."""
    return _add_tombstone_change(
        session,
        MutationOp.UNDELETE,
        entity=entity,
        record_id=record_id,
        shadow=deleted_at,
        stamp=stamp,
        now=now,
    )


def _add_tombstone_change(
    session: Session,
    op: MutationOp,
    *,
    entity: str,
    record_id: str,
    shadow: Any,
    stamp: Stamp,
    now: dt.datetime,
) -> str:
    """A delete or undelete: based on the record version the client last saw (every field it
    has seen); the tombstone field's current server value (``shadow``) is kept aside."""
    versions = bookkeeping.record_versions(session, record_id)
    base = versions[0] if versions else 0
    if versions is not None:
        bookkeeping.keep_shadow_if_missing(
            session,
            entity=entity,
            record_id=record_id,
            field=bookkeeping.DELETED_FIELD,
            value=shadow,
            version=versions[1].get(bookkeeping.DELETED_FIELD, 0),
        )
    return add_entry(
        session,
        entity=entity,
        record_id=record_id,
        op=op,
        field=None,
        value=None,
        base_version=base,
        stamp=stamp,
        now=now,
    )


# --- reading ------------------------------------------------------------------------------------


def next_batch(session: Session, limit: int) -> list[PendingEntry]:
    """The oldest ``limit`` entries, in the order they were made."""
    rows = session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq).limit(limit))
    return [_detached(row) for row in rows]


def entries_by_id(session: Session, mutation_ids: Iterable[str]) -> list[PendingEntry]:
    """The entries with the given mutation ids that are still queued (oldest first)."""
    ids = list(set(mutation_ids))
    found: list[PendingEntry] = []
    for chunk in chunked(ids):
        rows = session.scalars(select(OutboxEntry).where(OutboxEntry.mutation_id.in_(chunk)))
        found.extend(_detached(row) for row in rows)
    found.sort(key=lambda e: e.seq)
    return found


def pending_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)


def entries_for(session: Session, record_ids: Iterable[str]) -> list[PendingEntry]:
    """Every entry about the given records (oldest first)."""
    ids = list(set(record_ids))
    found: list[PendingEntry] = []
    for chunk in chunked(ids):
        rows = session.scalars(
            select(OutboxEntry).where(OutboxEntry.record_id.in_(chunk)).order_by(OutboxEntry.seq)
        )
        found.extend(_detached(row) for row in rows)
    found.sort(key=lambda e: e.seq)
    return found


def pending_fields_by_record(session: Session, record_ids: Iterable[str]) -> dict[str, set[str]]:
    """{record id: fields with a local value not yet acknowledged} for the given records."""
    pending: dict[str, set[str]] = {}
    for entry in entries_for(session, record_ids):
        pending.setdefault(entry.record_id, set()).update(entry.touched_fields)
    return pending


def pending_fields(session: Session, record_id: str) -> frozenset[str]:
    """The fields of one record whose local value is still pending (the UI marks them)."""
    return frozenset(pending_fields_by_record(session, [record_id]).get(record_id, set()))


def pending_record_ids(session: Session, entity: str | None = None) -> set[str]:
    """Ids of the records with pending local changes (optionally of one entity)."""
    statement = select(OutboxEntry.record_id).distinct()
    if entity is not None:
        statement = statement.where(OutboxEntry.entity == entity)
    return set(session.scalars(statement))


# --- acknowledging --------------------------------------------------------------------------


def remove(session: Session, mutation_ids: Sequence[str]) -> None:
    for chunk in chunked(mutation_ids):
        session.execute(delete(OutboxEntry).where(OutboxEntry.mutation_id.in_(chunk)))


def count_attempt(session: Session, mutation_ids: Sequence[str]) -> None:
    """Note that the server refused these entries, each sent alone (see
    :mod:`.push_failures`: this is what sets a poisoned entry aside)."""
    for chunk in chunked(mutation_ids):
        session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.mutation_id.in_(chunk))
            .values(attempts=OutboxEntry.attempts + 1)
        )
