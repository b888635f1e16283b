"""Acting on the server's answers to a pushed batch, in the caller's transaction (SPEC §4.2–4.3).

Each answered entry leaves the outbox. Then, per field, once its last pending edit is answered:

* kept (applied, merged, or a conflict the local value won): the field's server version is the
  one the server returned; the shadow is forgotten;
* not kept (a conflict the local value lost): the server's value (the shadow) is put back; the
  Conflict record itself arrives with the next pull;
* rejected: the entry is moved to the rejected list with the server's reason and the server's
  value is put back; a refused *create* removes the local record (its fields stay in the
  rejected list, so nothing is lost), and every later change of that record — in the batch or
  still queued — joins the list as ``create_refused`` with the create's reason: every value
  the user typed stays visible.

The versions and shadows of the batch's records are read once, updated in memory and written
back with ``executemany``: acknowledging a thousand edits is a handful of statements.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from sfa_desktop.store.models.sync_state import RecordSyncState, RejectedMutation, ShadowValue
from sync_server.protocol.catalog import CATALOG
from sync_server.protocol.chunks import chunked
from sync_server.protocol.wire import MutationOp, MutationResult, MutationStatus

from . import bookkeeping, local_records, outbox
from .errors import ProtocolMismatch
from .outbox import PendingEntry
from .pull_apply import drop_record


@dataclass
class AckResult:
    pushed: int = 0
    conflicts: int = 0
    rejected: int = 0


@dataclass
class _Versions:
    entity: str
    version: int
    fields: dict[str, int]


@dataclass
class _Shadow:
    entity: str
    value: Any
    version: int


@dataclass
class _Batch:
    """The sync state of the batch's records, loaded once and written back at the end."""

    versions: dict[str, _Versions]
    shadows: dict[tuple[str, str], _Shadow]
    remaining: Counter[tuple[str, str]]
    changed_versions: set[str] = field(default_factory=set)
    changed_shadows: set[tuple[str, str]] = field(default_factory=set)

    def bump(self, record_id: str, entity: str, name: str, version: int) -> None:
        """The server holds field ``name`` at ``version``. Only that field's version moves: the
        record version says up to where the client has seen *every* field (a pull sets it), and
        a delete's base is that version, so raising it here would make the server take other
        users' unseen edits as seen (and tombstone them without a conflict)."""
        current = self.versions.setdefault(record_id, _Versions(entity, 0, {}))
        current.fields[name] = max(current.fields.get(name, 0), version)
        self.changed_versions.add(record_id)

    def set_shadow(self, key: tuple[str, str], shadow: _Shadow | None) -> None:
        if shadow is None:
            self.shadows.pop(key, None)
        else:
            self.shadows[key] = shadow
        self.changed_shadows.add(key)


def acknowledge(
    session: Session,
    entries: Sequence[PendingEntry],
    results: Sequence[MutationResult],
    *,
    now: dt.datetime,
) -> AckResult:
    """Apply the answers ``results`` to the pushed ``entries`` (same order)."""
    if len(results) != len(entries) or any(
        r.mutation_id != e.mutation_id for e, r in zip(entries, results, strict=False)
    ):
        raise ProtocolMismatch("the server's push answer does not match the mutations sent")
    record_ids = {e.record_id for e in entries}
    answers = _Answers(session, now, _load(session, record_ids), record_ids)
    for entry, result in zip(entries, results, strict=True):
        answers.take(entry, result)
    _save(session, answers.batch)
    outbox.remove(session, [e.mutation_id for e in entries])
    if answers.refused:
        answers.outcome.rejected += _reject_queued(session, answers.refused, now=now)
    return answers.outcome


@dataclass
class _Answers:
    """The answers of one batch, taken one entry after another."""

    session: Session
    now: dt.datetime
    batch: _Batch
    record_ids: set[str]
    outcome: AckResult = field(default_factory=AckResult)
    #: record id -> the server's answer to its create, which it refused
    refused: dict[str, MutationResult] = field(default_factory=dict)

    def take(self, entry: PendingEntry, result: MutationResult) -> None:
        for name in entry.touched_fields:
            self.batch.remaining[(entry.record_id, name)] -= 1
        self.outcome.pushed += 1
        if (create := self.refused.get(entry.record_id)) is not None:
            if not result.kept:  # the record is gone here: the value stays in the list
                self._reject(entry, _follows_refused(entry, create))
        elif result.status is MutationStatus.REJECTED:
            self._reject(entry, result)
            if entry.op is MutationOp.CREATE:
                self._drop_refused_create(entry, result)
            else:
                _restore(self.session, self.batch, entry)
        else:
            if result.status is MutationStatus.CONFLICT:
                self.outcome.conflicts += 1
            if result.kept:
                _kept(self.session, self.batch, entry, result)
            else:
                _restore(self.session, self.batch, entry)

    def _reject(self, entry: PendingEntry, result: MutationResult) -> None:
        self.outcome.rejected += 1
        _reject(self.session, entry, result, now=self.now)

    def _drop_refused_create(self, entry: PendingEntry, result: MutationResult) -> None:
        """The local record goes (its values stay in the rejected list); the batch's sync
        state is written first and read again after."""
        _save(self.session, self.batch)
        drop_record(self.session, entry.entity, entry.record_id)
        self.batch = _load(self.session, self.record_ids, self.batch.remaining)
        self.refused[entry.record_id] = result


def _load(
    session: Session, record_ids: set[str], remaining: Counter[tuple[str, str]] | None = None
) -> _Batch:
    versions: dict[str, _Versions] = {}
    shadows: dict[tuple[str, str], _Shadow] = {}
    for chunk in chunked(record_ids):
        for row in session.scalars(
            select(RecordSyncState).where(RecordSyncState.record_id.in_(chunk))
        ):
            versions[row.record_id] = _Versions(row.entity, row.version, dict(row.field_versions))
        for shadow in session.scalars(select(ShadowValue).where(ShadowValue.record_id.in_(chunk))):
            key = (shadow.record_id, shadow.field)
            shadows[key] = _Shadow(shadow.entity, shadow.value, shadow.version)
    if remaining is None:
        remaining = Counter()
        for pending in outbox.entries_for(session, record_ids):
            for name in pending.touched_fields:
                remaining[(pending.record_id, name)] += 1
    return _Batch(versions, shadows, remaining)


_SHADOW_SQL = (
    "INSERT INTO sync_shadow (record_id, field, entity, value, version) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT(record_id, field) DO UPDATE SET value = excluded.value, "
    "version = excluded.version"
)


def _save(session: Session, batch: _Batch) -> None:
    connection = session.connection()
    bookkeeping.save_versions(
        session,
        [
            bookkeeping.version_row(rid, v.entity, v.version, v.fields)
            for rid in batch.changed_versions
            if (v := batch.versions.get(rid)) is not None
        ],
    )
    gone = [key for key in batch.changed_shadows if key not in batch.shadows]
    kept = [key for key in batch.changed_shadows if key in batch.shadows]
    if gone:
        connection.exec_driver_sql(
            "DELETE FROM sync_shadow WHERE record_id = ? AND field = ?", gone
        )
    if kept:
        connection.exec_driver_sql(
            _SHADOW_SQL,
            [
                (r, f, s.entity, None if s.value is None else json.dumps(s.value), s.version)
                for (r, f) in kept
                if (s := batch.shadows[(r, f)]) is not None
            ],
        )
    batch.changed_versions.clear()
    batch.changed_shadows.clear()


def _field_of(entry: PendingEntry) -> str:
    if entry.op is MutationOp.SET and entry.field is not None:
        return entry.field
    return bookkeeping.DELETED_FIELD


def _kept(session: Session, batch: _Batch, entry: PendingEntry, result: MutationResult) -> None:
    version = result.version or 0
    if entry.op is MutationOp.CREATE:
        known = batch.versions.get(entry.record_id)
        for name in entry.touched_fields:
            if known is None or name not in known.fields:
                batch.bump(entry.record_id, entry.entity, name, version)
            _settle(session, batch, entry, name, version)
        if not entry.touched_fields:
            batch.bump(entry.record_id, entry.entity, "id", version)
        return
    name = _field_of(entry)
    batch.bump(entry.record_id, entry.entity, name, version)
    key = (entry.record_id, name)
    shadow = batch.shadows.get(key)
    if batch.remaining[key] > 0:
        if shadow is not None and shadow.version < version:  # the server now holds this value
            batch.set_shadow(key, _Shadow(entry.entity, entry.value, version))
    else:
        _settle(session, batch, entry, name, version)


def _settle(session: Session, batch: _Batch, entry: PendingEntry, name: str, version: int) -> None:
    """The field's last pending edit was kept at ``version``: forget its shadow.

    A shadow at least as new as ``version`` was pulled while the answer was on its way (an
    answer lost and the push replayed after a pull): it is what the server holds now — our
    value in the server's canonical form, or another device's later edit — so it goes into
    the record instead of being dropped with the shadow.
    """
    key = (entry.record_id, name)
    if batch.remaining[key] > 0 or (shadow := batch.shadows.get(key)) is None:
        return
    if shadow.version >= version and local_records.known_entity(entry.entity):
        spec = CATALOG[entry.entity]
        local_records.write_wire_value(session, spec, entry.record_id, name, shadow.value)
        batch.bump(entry.record_id, entry.entity, name, shadow.version)
    batch.set_shadow(key, None)


def _restore(session: Session, batch: _Batch, entry: PendingEntry) -> None:
    """The server did not take the value: put its own back once nothing else is pending."""
    for name in entry.touched_fields:
        key = (entry.record_id, name)
        if batch.remaining[key] > 0:
            continue
        shadow = batch.shadows.get(key)
        if shadow is None:
            continue  # never synced, or the server's newer value is still to be pulled
        if local_records.known_entity(entry.entity):
            spec = CATALOG[entry.entity]
            local_records.write_wire_value(session, spec, entry.record_id, name, shadow.value)
        if shadow.version:
            batch.bump(entry.record_id, entry.entity, name, shadow.version)
        batch.set_shadow(key, None)


#: the code of a change to a new record the server refused (the create's reason follows)
CREATE_REFUSED = "create_refused"


def _follows_refused(entry: PendingEntry, create: MutationResult) -> MutationResult:
    reason = create.message or create.code or "rejected"
    return MutationResult(
        mutation_id=entry.mutation_id,
        status=MutationStatus.REJECTED,
        code=CREATE_REFUSED,
        message=f"the new record was refused ({create.code}: {reason})",
    )


def _reject_queued(
    session: Session, refused: dict[str, MutationResult], *, now: dt.datetime
) -> int:
    """Move the changes of refused new records still queued to the rejected list."""
    queued = outbox.entries_for(session, refused)
    for entry in queued:
        _reject(session, entry, _follows_refused(entry, refused[entry.record_id]), now=now)
    outbox.remove(session, [e.mutation_id for e in queued])
    return len(queued)


def _reject(
    session: Session, entry: PendingEntry, result: MutationResult, *, now: dt.datetime
) -> None:
    session.execute(
        insert(RejectedMutation).values(
            mutation_id=entry.mutation_id,
            entity=entry.entity,
            record_id=entry.record_id,
            op=entry.op.value,
            field=entry.field,
            value=entry.value,
            code=(result.code or "rejected")[:60],
            message=result.message,
            rejected_at=now,
            dismissed_at=None,
        )
    )
