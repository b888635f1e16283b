"""Sending back what a server restored from a backup no longer has (nothing is lost).

The server tells its devices it was restored by a new *epoch* (``sfa-server epoch rotate``,
the last step of the restore procedure; see ``sync_server/services/epochs.py``), or, when
the epoch was not rotated, by answering ``cursor_ahead`` to a cursor it never handed out.
The engine then starts a *restore check* (:func:`begin`): the cursor goes back to 0 and every
record this device knows is noted in ``sync_restore_check``. Each page of the full pull that
follows is compared with the local copy before it is applied (:func:`compare`):

* a field whose local value is newer than the restored server's (its version is higher, in
  the numbering both share up to the restore) is queued again as a ``set`` based on the
  server's version, so it applies cleanly;
* a field somebody changed *after* the restore (its version is above the epoch's floor), or
  of a record created after it, is queued as a concurrent ``set``: the conflict rule decides,
  and the value not kept is recorded as a Conflict, never silently overwritten. Re-sent values
  carry a clock stamp just before the restore, so an edit made since the restore wins;
* a local delete (or undelete) the server forgot is queued again the same way.

Queued fields are pending, so the page keeps the local values (the server's are shadowed)
until the server answers. When the pull ends (:func:`finish`), records the restored server
never showed are queued as ``create`` with their current local values (their pending edits
folded in), parents before children. Every step commits with the page it belongs to, so an
interrupted check resumes at the next sync.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from sfa_desktop.store.models.sync_state import OutboxEntry, RecordSyncState, RestoreCheck
from sfa_desktop.store.repositories.records import get_record
from sync_server.protocol.catalog import CATALOG, COMMON_FIELD_NAMES, ENTITIES, EntitySpec
from sync_server.protocol.chunks import chunked
from sync_server.protocol.hlc import Stamp
from sync_server.protocol.values import to_wire
from sync_server.protocol.wire import ChangeKind, MutationOp, RecordChange

from . import bookkeeping, local_records, outbox

_ORDER = {spec.name: index for index, spec in enumerate(ENTITIES)}


@dataclass(frozen=True)
class Recheck:
    """A restore check in progress."""

    epoch: str | None
    #: field versions above it were written after the restore; None: the epoch did not change
    #: (the versions of the restored server are all in the numbering this device knows)
    floor: int | None
    #: the stamp re-sent values carry
    stamp: str

    def to_json(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "floor": self.floor, "stamp": self.stamp}


def begin(
    session: Session, *, epoch: str | None, floor: int | None, restored_at_ms: int, node: str
) -> Recheck:
    """Start (or restart) a restore check: pull everything again and compare."""
    check = Recheck(epoch, floor, str(Stamp(max(0, restored_at_ms - 1), 0, node)))
    bookkeeping.set_json_meta(session, bookkeeping.SyncMetaKey.RESTORE_CHECK, check.to_json())
    if epoch is not None:
        bookkeeping.set_epoch(session, epoch)
    bookkeeping.set_cursor(session, "0")
    known = select(RecordSyncState.record_id, RecordSyncState.entity)
    session.execute(
        insert(RestoreCheck).from_select(["record_id", "entity"], known).prefix_with("OR IGNORE")
    )
    return check


def current(session: Session) -> Recheck | None:
    data = bookkeeping.get_json_meta(session, bookkeeping.SyncMetaKey.RESTORE_CHECK)
    if not isinstance(data, dict) or not isinstance(data.get("stamp"), str):
        return None
    floor = data.get("floor")
    epoch = data.get("epoch")
    return Recheck(
        epoch if isinstance(epoch, str) else None,
        floor if isinstance(floor, int) else None,
        data["stamp"],
    )


def compare(
    session: Session, changes: Sequence[RecordChange], check: Recheck, *, now: dt.datetime
) -> int:
    """Queue the local values of this page's records the restored server lacks; returns how
    many entries were queued. Runs before the page is applied, in the same transaction."""
    latest: dict[str, RecordChange] = {}
    for change in changes:
        latest.pop(change.record_id, None)
        latest[change.record_id] = change
    ids = list(latest)
    for chunk in chunked(ids):
        session.execute(delete(RestoreCheck).where(RestoreCheck.record_id.in_(chunk)))
    pending = outbox.pending_fields_by_record(session, ids)
    queued = 0
    for change in latest.values():
        spec = CATALOG.get(change.entity)
        if change.kind is ChangeKind.LEFT_SCOPE or spec is None or spec.server_managed:
            continue
        if not local_records.known_entity(spec.name):
            continue
        queued += _compare_record(
            session, spec, change, check, pending.get(change.record_id), now=now
        )
    return queued


#: (operation, field, wire value, base version) of one entry to queue again
_Entry = tuple[MutationOp, str | None, Any, int]


@dataclass
class _RecordCheck:
    """One record as this device has it against the restored server's copy, and what to send
    back (the entries, and the server versions the re-sent fields are now based on)."""

    change: RecordChange
    check: Recheck
    local_versions: dict[str, int]
    busy: set[str]
    created_after_restore: bool
    entries: list[_Entry] = field(default_factory=list)
    resent_versions: dict[str, int] = field(default_factory=dict)

    def newer_here(self, name: str, server_version: int) -> bool:
        mine = self.local_versions.get(name, 0)
        return should_resend(mine, server_version, self.check, self.created_after_restore)

    def send_again(
        self, op: MutationOp, name: str, value: Any, *, server_version: int, base: int
    ) -> None:
        based_on = resend_base(base, self.check, self.created_after_restore)
        self.entries.append((op, None if op is not MutationOp.SET else name, value, based_on))
        self.resent_versions[name] = server_version


def _compare_record(
    session: Session,
    spec: EntitySpec,
    change: RecordChange,
    check: Recheck,
    pending: set[str] | None,
    *,
    now: dt.datetime,
) -> int:
    known = bookkeeping.record_versions(session, change.record_id)
    local = get_record(session, spec.name, change.record_id)
    if known is None or local is None:
        return 0
    created_after_restore = check.floor is not None and change.version < check.floor
    record = _RecordCheck(change, check, known[1], pending or set(), created_after_restore)
    local_deleted = local["deleted_at"] is not None
    if not _compare_deletion(record, local_deleted):
        return 0
    if not local_deleted:  # a delete the server forgot: its fields no longer matter
        _compare_fields(record, spec, local)
    return _queue(session, spec, record, now=now)


def _compare_deletion(record: _RecordCheck, local_deleted: bool) -> bool:
    """Send back a delete or an undelete the server forgot; False if the record is settled
    (deleted on both sides, a delete still pending here, or the server's is the newer)."""
    server_deleted = record.change.values.get("deleted_at") is not None
    deleted_field = bookkeeping.DELETED_FIELD
    if local_deleted == server_deleted or deleted_field in record.busy:
        return not (local_deleted or server_deleted)
    server_version = record.change.versions.get(deleted_field, 0)
    if not record.newer_here(deleted_field, server_version):
        return False  # the server's delete or undelete is the newer: take it
    op = MutationOp.DELETE if local_deleted else MutationOp.UNDELETE
    record.send_again(
        op, deleted_field, None, server_version=server_version, base=record.change.version
    )
    return True


def _compare_fields(record: _RecordCheck, spec: EntitySpec, local: dict[str, Any]) -> None:
    """Send back each field whose local value the restored server may lack."""
    for spec_field in spec.fields:
        name = spec_field.name
        if name in record.busy or name in COMMON_FIELD_NAMES or name in spec.readonly_fields:
            continue
        mine = to_wire(spec_field, local[name]) if local.get(name) is not None else None
        if mine == record.change.values.get(name):
            continue
        server_version = record.change.versions.get(name, 0)
        if record.newer_here(name, server_version):
            record.send_again(
                MutationOp.SET, name, mine, server_version=server_version, base=server_version
            )


def _queue(session: Session, spec: EntitySpec, record: _RecordCheck, *, now: dt.datetime) -> int:
    """Queue the record's entries; its re-sent fields are now based on the server's versions."""
    if not record.entries:
        return 0
    change = record.change
    merged = {**record.local_versions, **record.resent_versions}
    row = bookkeeping.version_row(change.record_id, spec.name, change.version, merged)
    bookkeeping.save_versions(session, [row])
    for op, field_name, value, field_base in record.entries:
        outbox.add_entry(
            session,
            entity=spec.name,
            record_id=change.record_id,
            op=op,
            field=field_name,
            value=value,
            base_version=field_base,
            stamp=Stamp.parse(record.check.stamp),
            now=now,
        )
    return len(record.entries)


def should_resend(mine: int, theirs: int, check: Recheck, created_after_restore: bool) -> bool:
    """Whether the local value (version ``mine``) may be one the restored server lacks."""
    if created_after_restore:
        return True  # recreated since the restore: the clock decides
    if check.floor is not None and theirs > check.floor:
        return True  # changed since the restore: the clock decides
    return mine > theirs


def resend_base(server_version: int, check: Recheck, created_after_restore: bool) -> int:
    """The base version that makes a re-sent value conflict only with changes made after the
    restore: the server's version when it is the restored one, else below every such change."""
    if created_after_restore:
        return 0
    if check.floor is not None and server_version > check.floor:
        return check.floor
    return server_version


def finish(session: Session, check: Recheck, *, now: dt.datetime) -> int:
    """The full pull is done: queue the records the restored server never showed as creates;
    ends the check. Returns how many entries were queued."""
    missing = list(session.execute(select(RestoreCheck.record_id, RestoreCheck.entity)))
    missing.sort(key=lambda row: _ORDER.get(row.entity, len(_ORDER)))
    queued = 0
    for record_id, entity in missing:
        queued += _create_again(session, record_id, entity, check, now=now)
    session.execute(delete(RestoreCheck))
    bookkeeping.set_json_meta(session, bookkeeping.SyncMetaKey.RESTORE_CHECK, None)
    return queued


def _create_again(
    session: Session, record_id: str, entity: str, check: Recheck, *, now: dt.datetime
) -> int:
    spec = CATALOG.get(entity)
    if spec is None or spec.server_managed or spec.server_created:
        return 0
    if not local_records.known_entity(entity):
        return 0
    local = get_record(session, entity, record_id)
    # the record's pending edits are folded into the create (their values are in the record)
    session.execute(delete(OutboxEntry).where(OutboxEntry.record_id == record_id))
    bookkeeping.drop_shadow(session, record_id)
    bookkeeping.forget_versions(session, [record_id])
    if local is None or local["deleted_at"] is not None:
        return 0
    values = {
        f.name: to_wire(f, local[f.name]) for f in spec.fields if local.get(f.name) is not None
    }
    outbox.add_create(
        session,
        entity=entity,
        record_id=record_id,
        values=values,
        stamp=Stamp.parse(check.stamp),
        now=now,
    )
    return 1


def restored_at_ms(started_at: str) -> int:
    """Milliseconds of an epoch's ``started_at`` (wire form)."""
    parsed = dt.datetime.fromisoformat(started_at.replace("Z", "+00:00"))
    return int(parsed.timestamp() * 1000)
