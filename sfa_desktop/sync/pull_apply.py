"""Applying one pulled page to the local store, in the caller's transaction (SPEC §4.4–4.7).

* A field with a pending local edit is never overwritten: the local value stays visible until
  the server answers the edit; the server's value is kept aside as the field's *shadow*.
* Tombstones are upserts that carry ``deleted_at``.
* "Left scope" drops the record, unless it still has pending edits: then it is dropped after
  they are pushed (:func:`drop_deferred`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sfa_desktop.store.bulk_insert import BulkInsert
from sfa_desktop.store.models import Conflict
from sfa_desktop.store.models.sync_state import (
    DeferredDrop,
    OutboxEntry,
    RecordSyncState,
    ShadowValue,
)
from sync_server.protocol.catalog import CONFLICT
from sync_server.protocol.chunks import chunked
from sync_server.protocol.wire import ChangeKind, RecordChange

from . import bookkeeping, faults, local_records, outbox, pulled_pages
from .pulled_pages import PulledPage


@dataclass
class PageResult:
    applied: int = 0
    dropped: int = 0
    deferred: int = 0
    skipped: int = 0
    #: open conflicts received that this device had not seen before
    conflicts: int = 0

    def add(self, other: PageResult) -> None:
        """Count ``other`` (a later page of the same transaction) in."""
        self.applied += other.applied
        self.dropped += other.dropped
        self.deferred += other.deferred
        self.skipped += other.skipped
        self.conflicts += other.conflicts


def apply_pulled(session: Session, page: PulledPage, bulk: BulkInsert | None = None) -> PageResult:
    """Write a pulled page: its ready-made rows in bulk when it is a bulk page and no local edit
    waits to be pushed (nothing to merge around), else change by change (:func:`apply_page`).

    ``bulk``: the transaction's :class:`~sfa_desktop.store.bulk_insert.BulkInsert`, for a bulk
    page's new records; the caller settles it before the commit."""
    if page.bulk and not _local_work_waiting(session):
        applied, skipped = pulled_pages.bulk_apply(session, page, bulk)
        return PageResult(applied=applied, skipped=skipped)
    if bulk is not None:
        bulk.settle()  # what follows writes with the triggers on
    return apply_page(session, page.changes)


def _local_work_waiting(session: Session) -> bool:
    """Edits waiting to be pushed, or records waiting to leave once they are."""
    return (
        session.scalar(select(OutboxEntry.seq).limit(1)) is not None
        or session.scalar(select(DeferredDrop.record_id).limit(1)) is not None
    )


def apply_page(session: Session, changes: Sequence[RecordChange]) -> PageResult:
    """Write a page of changes; later changes of one record replace earlier ones."""
    result = PageResult()
    latest: dict[str, RecordChange] = {}
    for change in changes:
        latest.pop(change.record_id, None)
        latest[change.record_id] = change
    pending = _pending_fields(session, latest)
    result.conflicts = _new_conflicts(session, latest.values())
    rows: dict[str, list[tuple[Any, ...]]] = {}
    versions: list[tuple[Any, ...]] = []
    left: list[RecordChange] = []
    for change in latest.values():
        if not local_records.known_entity(change.entity):
            result.skipped += 1
            continue
        if change.kind is ChangeKind.LEFT_SCOPE:
            left.append(change)
            continue
        result.applied += 1
        fields = pending.get(change.record_id)
        if fields:
            _apply_around_pending(session, change, fields)
            continue
        rows.setdefault(change.entity, []).append(
            local_records.row_params(change.entity, change.values, change.record_id)
        )
        versions.append(_version_row(change, change.versions))
    for entity, entity_rows in rows.items():
        local_records.upsert_rows(session, entity, entity_rows)
        faults.reached("pull.mid_page")
    bookkeeping.save_versions(session, versions)
    arrived = [c.record_id for c in latest.values() if c.kind is not ChangeKind.LEFT_SCOPE]
    _forget_deferred(session, arrived)
    for change in left:
        if pending.get(change.record_id):
            _defer_drop(session, change)
            result.deferred += 1
        else:
            _drop(session, change.entity, [change.record_id])
            result.dropped += 1
    return result


def _new_conflicts(session: Session, changes: Iterable[RecordChange]) -> int:
    """Open conflicts this device has not seen before (read before the page is written: a
    conflict re-sent — a pull from the start, a record touched again — is not new)."""
    open_ids = [
        c.record_id
        for c in changes
        if c.entity == CONFLICT.name
        and c.kind is ChangeKind.UPSERT
        and not c.values.get("resolved")
        and c.values.get("deleted_at") is None
    ]
    known: set[str] = set()
    for chunk in chunked(open_ids):
        known.update(session.scalars(select(Conflict.id).where(Conflict.id.in_(chunk))))
    return len(open_ids) - len(known)


def _pending_fields(session: Session, record_ids: Iterable[str]) -> dict[str, set[str]]:
    """Pending local fields of these records (one probe when the outbox is empty, as it is
    during most of a first sync)."""
    if session.scalar(select(OutboxEntry.seq).limit(1)) is None:
        return {}
    return outbox.pending_fields_by_record(session, record_ids)


def _version_row(change: RecordChange, field_versions: dict[str, int]) -> bookkeeping.VersionRow:
    return bookkeeping.version_row(change.record_id, change.entity, change.version, field_versions)


def _apply_around_pending(session: Session, change: RecordChange, pending: set[str]) -> None:
    """Take the server's values except for pending fields, whose server value is shadowed."""
    known = bookkeeping.record_versions(session, change.record_id)
    old_record_version, old_fields = known if known else (0, {})
    for field in pending:
        bookkeeping.keep_shadow(
            session,
            entity=change.entity,
            record_id=change.record_id,
            field=field,
            value=change.values.get(field),
            version=change.versions.get(field, 0),
        )
    if local_records.exists(session, change.entity, change.record_id):
        values = {k: v for k, v in change.values.items() if k not in pending and k != "id"}
        names = local_records.columns_of(change.entity)
        values.update({n: None for n in names if n not in change.values and n not in pending})
        values.pop("id", None)
        local_records.update_columns(session, change.entity, change.record_id, values)
    else:
        row = local_records.row_params(change.entity, change.values, change.record_id)
        local_records.upsert_rows(session, change.entity, [row])
    field_versions = dict(change.versions)
    for field in pending:
        if field in old_fields:
            field_versions[field] = old_fields[field]
        else:
            field_versions.pop(field, None)
    record_version = change.version
    if bookkeeping.DELETED_FIELD in pending:
        record_version = old_record_version
    row = bookkeeping.version_row(change.record_id, change.entity, record_version, field_versions)
    bookkeeping.save_versions(session, [row])


def _defer_drop(session: Session, change: RecordChange) -> None:
    statement = sqlite_insert(DeferredDrop).values(record_id=change.record_id, entity=change.entity)
    session.execute(statement.on_conflict_do_nothing())


def _forget_deferred(session: Session, record_ids: list[str]) -> None:
    if not record_ids or session.scalar(select(DeferredDrop.record_id).limit(1)) is None:
        return
    for chunk in chunked(record_ids):
        session.execute(delete(DeferredDrop).where(DeferredDrop.record_id.in_(chunk)))


def _drop(session: Session, entity: str, record_ids: list[str]) -> None:
    local_records.hard_delete(session, entity, record_ids)
    session.execute(delete(RecordSyncState).where(RecordSyncState.record_id.in_(record_ids)))
    session.execute(delete(ShadowValue).where(ShadowValue.record_id.in_(record_ids)))
    session.execute(delete(DeferredDrop).where(DeferredDrop.record_id.in_(record_ids)))


def drop_record(session: Session, entity: str, record_id: str) -> None:
    """Remove one record and its sync state (a create the server refused)."""
    if local_records.known_entity(entity):
        _drop(session, entity, [record_id])


def drop_deferred(session: Session) -> int:
    """Drop the records that left scope once nothing of theirs is left to push."""
    waiting = list(session.scalars(select(DeferredDrop)))
    if not waiting:
        return 0
    still_pending = outbox.pending_record_ids(session)
    dropped = 0
    for row in waiting:
        if row.record_id not in still_pending:
            _drop(session, row.entity, [row.record_id])
            dropped += 1
    return dropped
