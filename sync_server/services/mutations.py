"""Applying one mutation (create, set or delete) to the records of a :class:`ChangeSet`.

The rules, in SPEC terms:

* **set** — a field conflicts only when its server version is newer than the mutation's
  ``base_version``; then the later clock stamp wins and the value not kept becomes a Conflict
  record. Writes from the device that wrote the current value never conflict with it (a
  device's own edits are already in order). Setting the value the server already has is a no-op.
* **create** — one mutation with every initial field. If the id exists already (another device
  created the same record), identical fields are a no-op and differing ones are treated as sets
  with base version 0, so they are decided like concurrent edits.
* **delete** — a tombstone. When fields changed after the version the deleting device saw
  (``base_version``), the clock decides: a delete later than every such edit wins and each edit
  it removes becomes a Conflict; an edit later than the delete keeps the record and the delete
  becomes a Conflict. An edit reaching a deleted record is a Conflict, never a resurrection.
* **undelete** — the explicit way back: whoever may delete the record brings it back (keeping
  a value that lost to a delete); refused with ``parent_deleted`` while the record it hangs
  from is deleted. Audited like every change; every device that sees the record pulls it.

Nothing is dropped without a Conflict record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sync_server.clock import from_millis
from sync_server.db.records import StoredRecord
from sync_server.protocol.catalog import EntitySpec
from sync_server.protocol.hlc import InvalidStamp, Stamp
from sync_server.protocol.merge import FieldDecision, decide_field
from sync_server.protocol.values import format_datetime
from sync_server.protocol.wire import Mutation, MutationOp, MutationResult, MutationStatus

from .conflicts import Author, ConflictReason, Edit, FieldConflict, record_conflict
from .errors import Rejected
from .mutation_rules import MutationRules
from .reassignment import rescope, scope_field_of


@dataclass(frozen=True)
class Outcome:
    status: MutationStatus
    kept: bool
    version: int
    conflict_id: str | None = None
    code: str | None = None


def _parse(stamp: str | None) -> Stamp | None:
    try:
        return Stamp.parse(stamp) if stamp else None
    except InvalidStamp:
        return None


class MutationApplier:
    """Applies mutations for one actor inside one transaction."""

    def __init__(self, rules: MutationRules) -> None:
        self.rules = rules
        self.changes = rules.changes
        self.actor = rules.actor

    def apply(self, mutation: Mutation) -> MutationResult:
        try:
            spec = self.rules.entity(mutation.entity)
            record_id = self.rules.record_id(mutation.record_id)
            stamp = self.rules.stamp(mutation.hlc)
            if mutation.op is MutationOp.CREATE:
                outcome = self._create(spec, record_id, mutation, stamp)
            elif mutation.op is MutationOp.SET:
                outcome = self._set(spec, record_id, mutation, stamp)
            elif mutation.op is MutationOp.UNDELETE:
                outcome = self._undelete(spec, record_id, mutation, stamp)
            else:
                outcome = self._delete(spec, record_id, mutation, stamp)
        except Rejected as rejection:
            return MutationResult(
                mutation_id=mutation.mutation_id,
                status=MutationStatus.REJECTED,
                code=rejection.code,
                message=rejection.message,
            )
        return MutationResult(
            mutation_id=mutation.mutation_id,
            status=outcome.status,
            code=outcome.code,
            version=outcome.version,
            kept=outcome.kept,
            conflict_id=outcome.conflict_id,
        )

    # --- create ---------------------------------------------------------------------------------

    def _create(
        self, spec: EntitySpec, record_id: str, mutation: Mutation, stamp: Stamp
    ) -> Outcome:
        if spec.server_created and not self.actor.is_system:
            raise Rejected("read_only", f"{spec.name} records are created by the server")
        if mutation.field is not None:
            raise Rejected("bad_mutation", "a create carries its fields in value, not field")
        values = self.rules.initial_values(spec, record_id, mutation.value)
        existing = self.changes.get(record_id)
        if existing is not None:
            return self._create_again(spec, existing, values, stamp)
        self.rules.may_create_at_all(spec, record_id, values)
        owner, parent_id = self.rules.scope_for_new(spec, values)
        for name, value in values.items():
            self.rules.owner(spec, name, value)
        self.rules.may_create(spec, record_id, values)
        record = StoredRecord.first_version(
            record_id,
            spec.name,
            values,
            scope=(owner, None),
            parent_id=parent_id,
            signature=self._signature(stamp),
            at=from_millis(stamp.wall_ms),
        )
        self.changes.add(record)
        self.changes.audit(
            record, action="create", field=None, old=None, new=dict(values), hlc=str(stamp)
        )
        return Outcome(MutationStatus.APPLIED, True, 1)

    def _create_again(
        self, spec: EntitySpec, existing: StoredRecord, values: dict[str, Any], stamp: Stamp
    ) -> Outcome:
        if existing.entity != spec.name or not self.rules.may_touch(existing):
            raise Rejected("id_taken", "another record already uses this id")
        changed = {n: v for n, v in values.items() if existing.data.get(n) != v}
        for name, value in changed.items():
            self.rules.change(spec, existing, name, value)
        outcomes = [
            self._set_field(spec, existing, name, value, base_version=0, stamp=stamp)
            for name, value in changed.items()
        ]
        if not outcomes:
            return Outcome(MutationStatus.APPLIED, True, existing.version)
        statuses = {o.status for o in outcomes}
        first_conflict = next((o for o in outcomes if o.conflict_id), None)
        status = MutationStatus.APPLIED
        for strongest in (MutationStatus.MERGED, MutationStatus.CONFLICT):
            if strongest in statuses:
                status = strongest
        return Outcome(
            status,
            all(o.kept for o in outcomes),
            existing.version,
            first_conflict.conflict_id if first_conflict else None,
            first_conflict.code if first_conflict else None,
        )

    # --- set ------------------------------------------------------------------------------------

    def _set(self, spec: EntitySpec, record_id: str, mutation: Mutation, stamp: Stamp) -> Outcome:
        field = self.rules.writable_field(spec, mutation.field)
        value = self.rules.value(field, mutation.value)
        record = self.rules.record(record_id, spec.name)
        value = self.rules.valid(field, value, {**record.data, field.name: value})
        if record.data.get(field.name) != value:
            self.rules.change(spec, record, field.name, value)
        return self._set_field(spec, record, field.name, value, mutation.base_version, stamp)

    def _set_field(
        self,
        spec: EntitySpec,
        record: StoredRecord,
        name: str,
        value: Any,
        base_version: int,
        stamp: Stamp,
    ) -> Outcome:
        incoming = Author(self.actor.user_id, self.actor.device_id, str(stamp))
        version = record.versions.get(name, 0)
        if record.is_deleted:
            conflict_id = self._conflict(
                FieldConflict(
                    record,
                    name,
                    kept_value=None,
                    lost_value=value,
                    kept=Author.of_field(record, "deleted_at"),
                    lost=incoming,
                    reason=ConflictReason.RECORD_DELETED,
                )
            )
            return Outcome(
                MutationStatus.CONFLICT, False, version, conflict_id, ConflictReason.RECORD_DELETED
            )
        current = record.data.get(name)
        if current == value:
            return Outcome(MutationStatus.APPLIED, True, version)
        author = Author.of_field(record, name)
        decision = self._decide(author, version, base_version, stamp)
        if decision is FieldDecision.INCOMING_LOSES:
            conflict_id = self._concurrent_edit(
                record, name, kept=(current, author), lost=(value, incoming)
            )
            return Outcome(
                MutationStatus.CONFLICT, False, version, conflict_id, ConflictReason.CONCURRENT_EDIT
            )
        merged = decision is FieldDecision.APPLY and self._others_changed(
            record, name, base_version
        )
        new_version = self._write(spec, record, name, value, stamp)
        if decision is FieldDecision.INCOMING_WINS:
            return self._overwritten(record, name, value, current, incoming, author, new_version)
        status = MutationStatus.MERGED if merged else MutationStatus.APPLIED
        return Outcome(status, True, new_version)

    def _decide(
        self, author: Author, version: int, base_version: int, stamp: Stamp
    ) -> FieldDecision:
        """Whether a change of a field last written by ``author`` applies, wins or loses."""
        if self._own_write(author):
            return FieldDecision.APPLY
        return decide_field(
            server_version=version,
            base_version=base_version,
            server_stamp=_parse(author.hlc),
            incoming_stamp=stamp,
        )

    def _overwritten(
        self,
        record: StoredRecord,
        name: str,
        value: Any,
        current: Any,
        incoming: Author,
        author: Author,
        new_version: int,
    ) -> Outcome:
        """The incoming change won over a concurrent edit: the overwritten value is a conflict."""
        conflict_id = self._concurrent_edit(
            record, name, kept=(value, incoming), lost=(current, author)
        )
        return Outcome(
            MutationStatus.CONFLICT,
            True,
            new_version,
            conflict_id,
            ConflictReason.CONCURRENT_EDIT,
        )

    def _write(
        self, spec: EntitySpec, record: StoredRecord, name: str, value: Any, stamp: Stamp
    ) -> int:
        old = record.data.get(name)
        record.version += 1
        record.data[name] = value
        record.versions[name] = record.version
        record.stamps[name] = self._signature(stamp)
        record.updated_at = max(record.updated_at, from_millis(stamp.wall_ms))
        self.changes.touch(record)
        self.changes.audit(record, action="set", field=name, old=old, new=value, hlc=str(stamp))
        if scope_field_of(spec) == name:
            rescope(self.changes, record)
        return record.version

    # --- delete ---------------------------------------------------------------------------------

    def _delete(
        self, spec: EntitySpec, record_id: str, mutation: Mutation, stamp: Stamp
    ) -> Outcome:
        if spec.server_created and not self.actor.is_system:
            raise Rejected("read_only", f"{spec.name} records are managed by the server")
        record = self.rules.record(record_id, spec.name)
        self.rules.may_delete(spec, record)
        if record.is_deleted:
            return Outcome(MutationStatus.APPLIED, True, record.version)
        unseen = [
            name
            for name, version in record.versions.items()
            if version > mutation.base_version
            and not self._own_write(Author.of_field(record, name))
        ]
        if not unseen:
            return Outcome(MutationStatus.APPLIED, True, self._tombstone(record, stamp))
        incoming = Author(self.actor.user_id, self.actor.device_id, str(stamp))
        stamps = {name: _parse(Author.of_field(record, name).hlc) for name in unseen}
        latest = max(unseen, key=lambda n: stamps[n] or Stamp(0, 0, "0"))
        latest_stamp = stamps[latest]
        if latest_stamp is not None and latest_stamp > stamp:
            deleted_at = format_datetime(from_millis(stamp.wall_ms))
            conflict_id = self._conflict(
                FieldConflict(
                    record,
                    "deleted_at",
                    kept_value=None,
                    lost_value=deleted_at,
                    kept=Author.of_field(record, latest),
                    lost=incoming,
                    reason=ConflictReason.EDITED_AFTER_DELETE,
                )
            )
            return Outcome(
                MutationStatus.CONFLICT,
                False,
                record.version,
                conflict_id,
                ConflictReason.EDITED_AFTER_DELETE,
            )
        conflict_ids = [
            self._conflict(
                FieldConflict(
                    record,
                    name,
                    kept_value=None,
                    lost_value=record.data.get(name),
                    kept=incoming,
                    lost=Author.of_field(record, name),
                    reason=ConflictReason.DELETED_AFTER_EDIT,
                )
            )
            for name in unseen
        ]
        version = self._tombstone(record, stamp)
        return Outcome(
            MutationStatus.CONFLICT,
            True,
            version,
            conflict_ids[0],
            ConflictReason.DELETED_AFTER_EDIT,
        )

    # --- undelete -------------------------------------------------------------------------------

    def _undelete(
        self, spec: EntitySpec, record_id: str, mutation: Mutation, stamp: Stamp
    ) -> Outcome:
        if spec.server_created and not self.actor.is_system:
            raise Rejected("read_only", f"{spec.name} records are managed by the server")
        if mutation.field is not None or mutation.value is not None:
            raise Rejected("bad_mutation", "an undelete carries no field and no value")
        record = self.rules.record(record_id, spec.name)
        self.rules.may_delete(spec, record)  # whoever may delete a record may bring it back
        if not record.is_deleted:
            return Outcome(MutationStatus.APPLIED, True, record.version)
        parent = self.changes.get(record.parent_id) if record.parent_id else None
        if parent is not None and parent.is_deleted:
            raise Rejected(
                "parent_deleted", f"the {parent.entity} this record belongs to is deleted"
            )
        old = format_datetime(record.deleted_at) if record.deleted_at else None
        record.version += 1
        record.deleted_at = None
        record.versions["deleted_at"] = record.version
        record.stamps["deleted_at"] = self._signature(stamp)
        record.updated_at = max(record.updated_at, from_millis(stamp.wall_ms))
        self.changes.touch(record)
        self.changes.audit(
            record, action="undelete", field="deleted_at", old=old, new=None, hlc=str(stamp)
        )
        return Outcome(MutationStatus.APPLIED, True, record.version)

    def _tombstone(self, record: StoredRecord, stamp: Stamp) -> int:
        when = from_millis(stamp.wall_ms)
        record.version += 1
        record.deleted_at = when
        record.versions["deleted_at"] = record.version
        record.stamps["deleted_at"] = self._signature(stamp)
        record.updated_at = max(record.updated_at, when)
        self.changes.touch(record)
        self.changes.audit(
            record,
            action="delete",
            field="deleted_at",
            old=None,
            new=format_datetime(when),
            hlc=str(stamp),
        )
        return record.version

    # --- helpers --------------------------------------------------------------------------------

    def _signature(self, stamp: Stamp) -> list[Any]:
        return [str(stamp), self.actor.user_id, self.actor.device_id]

    def _own_write(self, author: Author) -> bool:
        return author.device_id is not None and author.device_id == self.actor.device_id

    def _others_changed(self, record: StoredRecord, name: str, base_version: int) -> bool:
        """Whether another device changed another field after ``base_version`` (a merge)."""
        if record.version <= base_version:
            return False
        own = self.actor.device_id
        for field, version in record.versions.items():
            if version > base_version and field != name:
                signature = record.stamps.get(field) or ()
                if own is None or len(signature) < 3 or signature[2] != own:
                    return True
        return False

    def _concurrent_edit(self, record: StoredRecord, name: str, *, kept: Edit, lost: Edit) -> str:
        """A conflict between two edits of ``record.name``."""
        (kept_value, kept_by), (lost_value, lost_by) = kept, lost
        reason = ConflictReason.CONCURRENT_EDIT
        return self._conflict(
            FieldConflict(record, name, kept_value, lost_value, kept_by, lost_by, reason)
        )

    def _conflict(self, conflict: FieldConflict) -> str:
        return record_conflict(
            self.changes,
            conflict,
            stamp=self.rules.context.server_stamp(),
            directory=self.rules.directory,
        )
