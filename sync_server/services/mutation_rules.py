"""The checks a mutation passes before anything is written (SPEC §4, §6).

Every check raises :class:`Rejected` with a code. Checks that need no record (entity, field,
value type, read-only rules) run first, so a rejection never depends on whether a record exists.
The rules the catalog declares on values (formats, bounds: :mod:`~sync_server.protocol.field_rules`)
and on who may write what (:mod:`~sync_server.protocol.authority`) run next, against the record
as it would be after the write.
A record the user may not see is reported exactly like a record that does not exist
(``not_found``, or ``bad_reference`` for a parent), so probing other users' ids reveals nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sync_server.clock import to_millis
from sync_server.db import records
from sync_server.db.models import EVERYONE
from sync_server.db.records import StoredRecord
from sync_server.protocol.authority import (
    Writer,
    check_create,
    check_creator,
    check_delete,
    check_write,
    owner_of,
)
from sync_server.protocol.catalog import (
    CATALOG,
    COMMON_FIELD_NAMES,
    EntitySpec,
    FieldSpec,
    ScopeRule,
)
from sync_server.protocol.field_rules import check_field_rules, dependent_fields
from sync_server.protocol.hlc import InvalidStamp, Stamp, clamp
from sync_server.protocol.ids import canonical_id, canonical_id_or_none
from sync_server.protocol.values import ValueRejected, check_wire_value

from .actor import Actor, SyncContext
from .changeset import ChangeSet
from .errors import Rejected
from .rule_context import ServerRuleContext
from .scopes import Directory, Visibility

NOT_FOUND_MESSAGE = "no such record"


def is_owner_field(spec: EntitySpec, name: str) -> bool:
    """Fields that assign a record to a user (only within the writer's own team)."""
    return name == "owner_id" or (spec.scope is ScopeRule.OWNER and name == spec.scope_field)


class MutationRules:
    """The checks for one actor during one transaction."""

    def __init__(
        self,
        *,
        actor: Actor,
        directory: Directory,
        visibility: Visibility,
        changes: ChangeSet,
        context: SyncContext,
    ) -> None:
        self.actor = actor
        self.directory = directory
        self.visibility = visibility
        self.changes = changes
        self.context = context
        self._left_recently: dict[str, bool] = {}
        self._team: set[str] | None = None
        #: stamps of the batch, parsed and clamped by :meth:`observe`
        self._stamps: dict[str, Stamp] = {}
        self.rule_context = ServerRuleContext(changes, directory, context)

    # --- checks that need no record -------------------------------------------------------

    def entity(self, name: str) -> EntitySpec:
        spec = CATALOG.get(name)
        if spec is None:
            raise Rejected("unknown_entity", f"unknown entity {name!r}")
        if spec.server_managed and not self.actor.is_system:
            raise Rejected("read_only", f"{name} records are managed by the server")
        return spec

    @staticmethod
    def record_id(text: str) -> str:
        try:
            return canonical_id(text)
        except (ValueError, TypeError):
            raise Rejected("bad_id", "record ids are UUIDs") from None

    def observe(self, texts: Iterable[str]) -> None:
        """Read a batch's clock stamps and move the server clock past the latest, once.

        Every stamp the server makes while applying the batch (a conflict's) then sorts
        after all of them, as if each had been observed in turn, at a fraction of the cost.
        Texts that are no stamps are left for :meth:`stamp` to refuse."""
        now_ms = to_millis(self.context.now())
        latest: Stamp | None = None
        for text in texts:
            try:
                stamp = clamp(Stamp.parse(text), now_ms, self.context.max_drift_ms)
            except InvalidStamp:
                continue
            self._stamps[text] = stamp
            if latest is None or stamp > latest:
                latest = stamp
        if latest is not None:
            self.context.hlc.observe(latest)

    def stamp(self, text: str) -> Stamp:
        """The mutation's clock stamp, clamped to the server clock (SPEC §4.3)."""
        observed = self._stamps.get(text)
        if observed is not None:
            return observed
        try:
            stamp = Stamp.parse(text)
        except InvalidStamp:
            raise Rejected("bad_hlc", "not a hybrid-logical-clock stamp") from None
        stamp = clamp(stamp, to_millis(self.context.now()), self.context.max_drift_ms)
        self.context.hlc.observe(stamp)
        return stamp

    def writable_field(self, spec: EntitySpec, name: str | None) -> FieldSpec:
        if name is None:
            raise Rejected("bad_mutation", "a set names the field it changes")
        if name in COMMON_FIELD_NAMES:
            raise Rejected("read_only", f"{name} is maintained by the server")
        if not spec.has_field(name):
            raise Rejected("unknown_field", f"{spec.name} has no field {name!r}")
        if name in spec.readonly_fields and not self.actor.is_system:
            raise Rejected("read_only", f"{spec.name}.{name} cannot be changed")
        return spec.field(name)

    @staticmethod
    def value(field: FieldSpec, value: Any) -> Any:
        """The value in canonical wire form if it fits the field's type."""
        try:
            return check_wire_value(field, value)
        except ValueRejected as error:
            raise Rejected(error.code, str(error)) from None

    @staticmethod
    def valid(field: FieldSpec, value: Any, record: dict[str, Any]) -> Any:
        """The value in canonical form if it passes the field's declared rules (formats,
        bounds); ``record`` is the record as it would be after the write."""
        try:
            return check_field_rules(field, value, record=record)
        except ValueRejected as error:
            raise Rejected(error.code, str(error)) from None

    def initial_values(self, spec: EntitySpec, record_id: str, raw: Any) -> dict[str, Any]:
        """The checked fields of a create, with catalog defaults for the ones left out.

        Common fields (id, timestamps) are maintained by the server and ignored, except that
        an ``id`` must match the record id.
        """
        if not isinstance(raw, dict):
            raise Rejected("bad_value", "a create carries an object of field values")
        values: dict[str, Any] = {}
        for name, value in raw.items():
            if name == "id" and value is not None and canonical_id_or_none(value) != record_id:
                raise Rejected("bad_value", "id: does not match the record id")
            if name in COMMON_FIELD_NAMES:
                continue
            values[name] = self.value(self.writable_field(spec, name), value)
        for field in spec.fields:
            if values.get(field.name) is None and field.default is not None:
                values[field.name] = self.value(field, field.default)
            if field.required and values.get(field.name) is None:
                raise Rejected("required", f"{field.name}: a value is required")
        for name, value in list(values.items()):
            values[name] = self.valid(spec.field(name), value, values)
        return {name: value for name, value in values.items() if value is not None}

    # --- checks on users and records ----------------------------------------------------------

    def owner(self, spec: EntitySpec, name: str, user_id: Any) -> None:
        """Reps assign records only to themselves, managers to their team, admins to anyone."""
        if not is_owner_field(spec, name) or user_id is None:
            return
        if not self.actor.is_admin:
            assert self.actor.user_id is not None
            if user_id not in self.directory.team(self.actor.user_id):
                raise Rejected("forbidden", "records can only be assigned within your team")
        entry = self.directory.get(user_id)
        if entry is None or not entry.active:
            raise Rejected("bad_reference", f"{name}: no active user with this id")

    def may_touch(self, record: StoredRecord) -> bool:
        """Whether the actor may change ``record``: it is in scope, or left it only lately.

        The grace period lets a previous owner's devices push the edits they made offline
        before they heard of a reassignment (SPEC §4.7: nothing is lost).
        """
        if self.visibility.sees_any((record.scope_owner_id, record.scope_other_id)):
            return record.scope_owner_id != EVERYONE or self.actor.is_system
        return self._left_lately(record.id)

    def _left_lately(self, record_id: str) -> bool:
        team = self.visibility.team_members()
        grace = self.context.left_scope_grace
        if not team or not grace:
            return False
        if record_id not in self._left_recently:
            self._left_recently[record_id] = records.left_scope_since(
                self.changes.session,
                record_id=record_id,
                owners=team,
                since=self.context.now() - grace,
            )
        return self._left_recently[record_id]

    def record(self, record_id: str, entity: str, *, code: str = "not_found") -> StoredRecord:
        """The record the actor may touch, or :class:`Rejected` (the same for "not yours")."""
        record = self.changes.get(record_id)
        if record is None or record.entity != entity or not self.may_touch(record):
            message = NOT_FOUND_MESSAGE if code == "not_found" else "no such record to refer to"
            raise Rejected(code, message)
        return record

    def parent(self, spec: EntitySpec, value: Any) -> StoredRecord:
        """The record a PARENT-scoped ``spec`` record would hang from."""
        assert spec.scope_field is not None
        parent_entity = spec.field(spec.scope_field).ref or ""
        return self.record(str(value), parent_entity, code="bad_reference")

    def scope_for_new(self, spec: EntitySpec, values: dict[str, Any]) -> tuple[str, str | None]:
        """(scope owner, parent id) for a new record; checks the actor may create it there."""
        if spec.scope is ScopeRule.OWNER:
            assert spec.scope_field is not None
            owner = values[spec.scope_field]
            self.owner(spec, spec.scope_field, owner)
            return owner, None
        if spec.scope is ScopeRule.PARENT:
            assert spec.scope_field is not None
            parent = self.parent(spec, values[spec.scope_field])
            return parent.scope_owner_id, parent.id
        if spec.scope is ScopeRule.PARTICIPANTS:
            raise Rejected("read_only", f"{spec.name} records are created by the server")
        return EVERYONE, None

    def change(self, spec: EntitySpec, record: StoredRecord, name: str, value: Any) -> None:
        """Checks for setting ``name`` of ``record`` to ``value`` beyond the value itself."""
        after = {**record.data, name: value}
        for dependent in dependent_fields(spec, name):
            if after.get(dependent.name) is not None:
                self.valid(dependent, after[dependent.name], after)
        self.may_write(spec, name, value, before=record, after=after)
        self.owner(spec, name, value)
        if spec.scope is ScopeRule.PARENT and name == spec.scope_field:
            self.parent(spec, value)

    # --- who may write what (manager fields, transitions, frozen snapshots) ---------------------

    def writer(self, spec: EntitySpec, record: dict[str, Any]) -> Writer:
        """The actor as the catalog's write rules see them, for ``record``'s owner."""
        if self.actor.is_system:
            return Writer(user_id=None, is_admin=True, manages_owner=True)
        assert self.actor.user_id is not None
        if self._team is None:
            self._team = self.directory.team(self.actor.user_id)
        owner = owner_of(spec.authority, record)
        manages = owner is not None and owner != self.actor.user_id and owner in self._team
        return Writer(self.actor.user_id, self.actor.is_admin, manages)

    def may_create_at_all(self, spec: EntitySpec, record_id: str, values: dict[str, Any]) -> None:
        """Whether the actor may create such a record whatever its fields (a forecast
        adjustment: a manager above the owner), asked before the owner's scope."""
        record = {**values, "id": record_id}
        try:
            check_creator(
                spec.authority, self.writer(spec, record), record, context=self.rule_context
            )
        except ValueRejected as error:
            raise Rejected(error.code, str(error)) from None

    def may_create(self, spec: EntitySpec, record_id: str, values: dict[str, Any]) -> None:
        record = {**values, "id": record_id}
        try:
            check_create(
                spec.authority,
                self.writer(spec, record),
                record,
                context=self.rule_context,
                entity=spec.name,
            )
        except ValueRejected as error:
            raise Rejected(error.code, str(error)) from None

    def may_write(
        self,
        spec: EntitySpec,
        name: str,
        value: Any,
        *,
        before: StoredRecord,
        after: dict[str, Any],
    ) -> None:
        stored = {**before.data, "id": before.id}
        try:
            check_write(
                spec.authority,
                self.writer(spec, stored),
                name=name,
                value=value,
                before=stored,
                after={**after, "id": before.id},
                context=self.rule_context,
                entity=spec.name,
            )
        except ValueRejected as error:
            raise Rejected(error.code, str(error)) from None

    def may_delete(self, spec: EntitySpec, record: StoredRecord) -> None:
        stored = {**record.data, "id": record.id}
        try:
            check_delete(
                spec.authority, self.writer(spec, stored), stored, context=self.rule_context
            )
        except ValueRejected as error:
            raise Rejected(error.code, str(error)) from None
