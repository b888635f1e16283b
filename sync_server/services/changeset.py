"""The writes of one transaction, gathered in memory and written at the end in one go.

Merge logic reads and changes :class:`StoredRecord` objects held here; ``flush`` then writes
the audit entries, takes the change-feed counter (its row lock is held until commit, see
``allocate_sequence``), numbers scope exits first and changed records after them (a record
that left somebody's scope and came back in one transaction must reach them as "left" then
"upsert"), and writes records and exits in bulk. Everything that needs no change number is
written before the counter is taken (push also stores its answers first), and the changed
records' documents are encoded before it too, so the serialized part of a transaction is only
the numbered writes and the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from sync_server.db import records
from sync_server.db.audit import insert_audit_entries
from sync_server.db.models import EVERYONE
from sync_server.db.records import ScopeExitRow, StoredRecord

from .actor import Actor


@dataclass(frozen=True)
class PendingExit:
    entity: str
    record_id: str
    old_owner_id: str
    new_owner_id: str


class ChangeSet:
    """Records loaded (and locked) for one transaction, and what changed in them."""

    def __init__(self, session: Session, *, actor: Actor, now: dt.datetime) -> None:
        self.session = session
        self.actor = actor
        self.now = now
        self._records: dict[str, StoredRecord] = {}
        self._missing: set[str] = set()
        self._exits: list[PendingExit] = []
        self._audit: list[dict[str, Any]] = []

    # --- reading -------------------------------------------------------------------------------

    def load(self, ids: Iterable[str]) -> None:
        """Load (and lock) the records not loaded yet; remember which ids do not exist."""
        wanted = {i for i in ids if i not in self._records and i not in self._missing}
        if not wanted:
            return
        found = records.load_records(self.session, ids=wanted, lock=True)
        self._records.update(found)
        self._missing.update(wanted - found.keys())

    def get(self, record_id: str) -> StoredRecord | None:
        """The record (loading it if needed), or None when no record has this id."""
        self.load([record_id])
        return self._records.get(record_id)

    def children(self, parent_ids: Collection[str]) -> list[StoredRecord]:
        """Records whose scope comes from one of ``parent_ids``, including ones created here."""
        loaded = records.load_children(self.session, parent_ids=parent_ids, lock=True)
        for row in loaded:
            self._records.setdefault(row.id, row)
            self._missing.discard(row.id)
        ids = set(parent_ids)
        return [r for r in self._records.values() if r.parent_id in ids]

    def with_value(self, entity: str, field: str, value: str) -> list[StoredRecord]:
        """The ``entity`` records whose ``field`` is ``value``, including ones changed here."""
        for record_id in records.ids_with_value(
            self.session, entity=entity, field=field, value=value
        ):
            self.get(record_id)
        return [
            r for r in self._records.values() if r.entity == entity and r.data.get(field) == value
        ]

    # --- writing -------------------------------------------------------------------------------

    def add(self, record: StoredRecord) -> None:
        record.is_new = True
        record.dirty = True
        self._records[record.id] = record
        self._missing.discard(record.id)

    @staticmethod
    def touch(record: StoredRecord) -> None:
        record.dirty = True

    def note_exit(self, record: StoredRecord, *, old_owner_id: str, new_owner_id: str) -> None:
        if old_owner_id != EVERYONE and old_owner_id != new_owner_id:
            self._exits.append(PendingExit(record.entity, record.id, old_owner_id, new_owner_id))

    def audit(
        self,
        record: StoredRecord,
        *,
        action: str,
        field: str | None,
        old: Any,
        new: Any,
        hlc: str | None,
    ) -> None:
        self._audit.append(
            {
                "at": self.now,
                "user_id": self.actor.user_id,
                "device_id": self.actor.device_id,
                "entity": record.entity,
                "record_id": record.id,
                "action": action,
                "field": field,
                "old_value": old,
                "new_value": new,
                "hlc": hlc,
            }
        )

    def flush(self) -> None:
        """Write everything changed; the counter, taken last, stays locked until commit."""
        insert_audit_entries(self.session, entries=self._audit)
        self._audit.clear()
        dirty = [r for r in self._records.values() if r.dirty]
        count = len(self._exits) + len(dirty)
        if count:
            # encoded now: the counter's lock is held from here to commit
            updates = records.RecordUpdates(self.session, [r for r in dirty if not r.is_new])
            seq = records.allocate_sequence(self.session, count=count)
            exits: list[ScopeExitRow] = []
            for pending in self._exits:
                exits.append(ScopeExitRow(seq, **vars(pending), at=self.now))
                seq += 1
            for record in dirty:
                record.seq = seq
                seq += 1
            records.insert_records(self.session, records=[r for r in dirty if r.is_new])
            updates.write()
            records.insert_scope_exits(self.session, exits=exits)
            for record in dirty:
                record.dirty = record.is_new = False
        self._exits.clear()
