"""Who may write what on a record: manager-only fields, status transitions, frozen records.

The catalog attaches a :class:`RecordAuthority` (declared in :mod:`.authorities`) to the entities
that need one (quotes and their lines, forecast submissions); the server enforces it on every push and the desktop client
checks the same declarations before it queues an edit, so both give the same ``code``:

* ``manager_only_field`` — the field records a manager's decision (an approval, a forecast
  adjustment): only someone above the record's owner in the manager tree, or an admin, writes it.
* ``must_be_actor`` — a field naming the decision maker (``approved_by_id``) can only name the
  person writing it: nobody approves in someone else's name.
* ``forbidden_transition`` — the status change is not in the entity's :class:`StatusFlow`, or
  the writer's role may not make it (or a condition of the grant does not hold: a rep approves
  their own quote only when every discount is within their limit).
* ``reason_required`` — the status change needs a reason written with it (a rejected quote, an
  opportunity closed lost).
* ``manager_only`` — the whole record is a manager's decision (a forecast adjustment): only
  someone above the record's owner in the manager tree, or an admin, creates it.
* ``snapshot_frozen`` — after its create, a snapshot (a submitted forecast) keeps its figures:
  only the manager fields may still be written, and it cannot be deleted (history is kept).
* ``history_read_only`` — a history record (an opportunity's stage change) is written once,
  with the change it records, and never changed or deleted by anyone but the server.
* ``quote_frozen`` — a quote past approval (approved, sent, accepted, rejected, expired, or an
  old revision) keeps its content and its lines: only its status moves on, with the fields the
  transitions set; it is not deleted. Changes need a new revision.
* ``history_mismatch`` — a history record is created with the change it records: its values
  (an opportunity stage change's new stage and close date) must be the record's current ones,
  and something must have changed (from ≠ to).
* ``duplicate_number`` — another record already has these values of a unique key (a quote's
  ``(number, revision)``: the revisions of a quote share its number); the code names the
  key's first field. The client checks its own records; the server checks them all.
  An account's ``tax_id`` is such a key (``duplicate_tax_id``): tax ids are stored canonical
  (``B12345674``, whatever was typed), and an account without one is never a duplicate.
* ``invalid_revision`` — a quote's ``previous_quote_id`` names a quote that is not its previous
  revision: the same number with the revision one less (the lineage "Q-ANA-2026-0012 rev. 1 →
  rev. 2" cannot be forged or crossed with another quote).

Conditions and parent rules read more than the record being written (a quote's lines, the
owner's discount limit, a line's quote): each side passes a :class:`RuleContext` built from
its own records — the server from its database, the client from its local store.

"Manager" always means *of the record's owner*: a user above the owner in the manager tree (the
owner themselves is not their own manager), or an admin. The server itself (imports, admin
commands) is not bound by these rules.

These rules only narrow which writes are accepted; they change neither storage nor the wire,
so they are kept out of the catalog fingerprint (see :func:`.versions.catalog_fingerprint`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, Protocol

from .rejections import ValueRejected


class Role(StrEnum):
    """Whom a grant is for, relative to the record's owner."""

    #: anybody who may write the record at all (its owner, their managers, admins)
    ANYONE = "anyone"
    #: a user above the record's owner in the manager tree, or an admin
    MANAGER = "manager"


@dataclass(frozen=True)
class Grant:
    """A role allowed to do something, optionally only when a named condition holds.

    A condition is a name the enforcing code looks up (see :data:`CONDITIONS`); a condition
    nobody has implemented never holds, so declaring one can only narrow a grant.
    """

    role: Role
    condition: str | None = None


ANYONE = (Grant(Role.ANYONE),)
MANAGER = (Grant(Role.MANAGER),)


@dataclass(frozen=True)
class Transition:
    """``source`` → ``target`` of a status field; ``source`` None is the status of a create."""

    source: str | None
    target: str
    by: tuple[Grant, ...] = ANYONE


@dataclass(frozen=True)
class StatusFlow:
    """The allowed values a status field moves through, and who may move it."""

    field: str
    transitions: tuple[Transition, ...]
    #: (target status, field): moving to the status needs the field written (a reason)
    reasons: tuple[tuple[str, str], ...] = ()
    _by_pair: dict[tuple[str | None, str], Transition] = dataclass_field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        self._by_pair.update({(t.source, t.target): t for t in self.transitions})

    def transition(self, source: str | None, target: str) -> Transition | None:
        return self._by_pair.get((source, target))

    @property
    def initial(self) -> tuple[str, ...]:
        """The statuses a record may be created in."""
        return tuple(t.target for t in self.transitions if t.source is None)


@dataclass(frozen=True)
class FrozenOutside:
    """A record whose content is frozen once its status leaves ``statuses`` (a quote past
    approval): only ``still_written`` fields (and the status) change after that, and it is
    never deleted. Refusals carry ``code``."""

    statuses: frozenset[str]
    still_written: frozenset[str] = frozenset()
    code: str = "quote_frozen"


@dataclass(frozen=True)
class FrozenWithParent:
    """A record frozen whenever the record it belongs to is (a quote line with its quote):
    it is then not created, changed or deleted."""

    field: str
    entity: str
    parent: RecordAuthority


@dataclass(frozen=True)
class RevisionOf:
    """A record that may revise an earlier one of its entity: ``link`` names the earlier
    revision, which must have the same ``key`` and the ``counter`` one less."""

    link: str
    key: str
    counter: str
    code: str = "invalid_revision"


@dataclass(frozen=True)
class MatchesParent:
    """A record written with a change of the record it belongs to (a stage change with its
    opportunity): when it is created, each ``(own field, parent field)`` of ``pairs`` holds the
    parent's current value, or the create is refused with ``code``."""

    field: str
    entity: str
    pairs: tuple[tuple[str, str], ...]
    #: ``(before, after)`` fields of the record itself, at least one of which differs: it
    #: records a change, not the same state twice
    changes: tuple[tuple[str, str], ...] = ()
    code: str = "history_mismatch"


@dataclass(frozen=True)
class RecordAuthority:
    """The write rules of one entity beyond "the record is in your scope"."""

    #: the field naming the user whose managers decide (``owner_id``); None for a record
    #: without an owner of its own (a quote line: only its quote's state matters)
    owner_field: str | None = "owner_id"
    #: who may create the record at all (refused with ``manager_only`` otherwise)
    created_by: tuple[Grant, ...] = ANYONE
    #: fields only the owner's managers (or an admin) may write
    manager_fields: frozenset[str] = frozenset()
    #: fields that, when set, must name the user writing them
    actor_fields: frozenset[str] = frozenset()
    #: the status field's allowed transitions, if the entity has one
    status: StatusFlow | None = None
    #: a snapshot: after the create only ``manager_fields`` change, and it is never deleted
    frozen_after_create: bool = False
    #: the code refusing a write to a record frozen after its create
    frozen_code: str = "snapshot_frozen"
    #: the record's content is frozen outside some statuses (see :class:`FrozenOutside`)
    frozen_outside: FrozenOutside | None = None
    #: the record is frozen with the record it belongs to
    frozen_with_parent: FrozenWithParent | None = None
    #: field combinations no two records of the entity share, e.g. ``(("number",
    #: "revision"),)``; refused with ``duplicate_<first field of the key>``
    unique_keys: tuple[tuple[str, ...], ...] = ()
    #: the record revises an earlier record of its entity (see :class:`RevisionOf`)
    revision_of: RevisionOf | None = None
    #: created only with the parent's current values (see :class:`MatchesParent`)
    matches_parent: MatchesParent | None = None

    def is_frozen(self, record: Mapping[str, Any]) -> bool:
        """Whether ``record`` (as stored) is frozen by :attr:`frozen_outside`."""
        rule = self.frozen_outside
        if rule is None or self.status is None:
            return False
        return record.get(self.status.field) not in rule.statuses


@dataclass(frozen=True)
class Writer:
    """The user writing, as the rules see them (each side builds it from its user directory)."""

    user_id: str | None
    is_admin: bool
    #: whether the writer is above the record's owner in the manager tree
    manages_owner: bool

    @property
    def is_server(self) -> bool:
        return self.user_id is None

    @property
    def is_manager(self) -> bool:
        return self.is_server or self.is_admin or self.manages_owner


class RuleContext(Protocol):
    """What the rules read besides the record being written; each side builds one from its
    own records (the server from its database, the client from its local store)."""

    def record(self, entity: str, record_id: str) -> Mapping[str, Any] | None:
        """The record (deleted or not), or None when this side does not have it."""
        ...

    def children(self, entity: str, field: str, parent_id: str) -> Sequence[Mapping[str, Any]]:
        """The live ``entity`` records whose ``field`` is ``parent_id`` (a quote's lines)."""
        ...

    def discount_limit_pct(self, user_id: str) -> Any:
        """The user's discount limit in percent (Decimal or decimal text), None if unknown."""
        ...

    def taken(self, entity: str, values: Mapping[str, Any], record_id: str | None) -> bool:
        """Whether an ``entity`` record other than ``record_id`` (deleted ones too) has every
        field of ``values`` equal to its value there (a unique key)."""
        ...

    def today(self) -> dt.date:
        """Today's date in UTC (both sides use UTC, so they agree on an expiry)."""
        ...


class WriteRefused(ValueRejected):
    """The writer may not make this change; ``code`` says which rule refused it."""


#: Conditions a :class:`Grant` may name: ``(writer, record after the write, context) -> bool``.
Condition = Callable[[Writer, Mapping[str, Any], RuleContext], bool]


def _decimal(value: Any) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def discounts_within_limit(writer: Writer, quote: Mapping[str, Any], context: RuleContext) -> bool:
    """Every item line's discount is within the quote owner's discount limit (an unknown
    limit allows no discount at all)."""
    owner = quote.get("owner_id")
    quote_id = quote.get("id")
    if not isinstance(owner, str) or not isinstance(quote_id, str):
        return False
    limit = _decimal(context.discount_limit_pct(owner)) or Decimal(0)
    for line in context.children("quote_line", "quote_id", quote_id):
        if line.get("kind", "item") not in (None, "item"):
            continue
        discount = _decimal(line.get("discount_pct")) or Decimal(0)
        if discount > limit:
            return False
    return True


def valid_until_passed(writer: Writer, quote: Mapping[str, Any], context: RuleContext) -> bool:
    """The quote's valid-until date is before today (a quote without one never expires)."""
    valid_until = _date(quote.get("valid_until"))
    return valid_until is not None and valid_until < context.today()


CONDITIONS: dict[str, Condition] = {
    "discounts_within_limit": discounts_within_limit,
    "valid_until_passed": valid_until_passed,
}


def _granted(
    grants: tuple[Grant, ...], writer: Writer, record: Mapping[str, Any], context: RuleContext
) -> bool:
    for grant in grants:
        if grant.role is Role.MANAGER and not writer.is_manager:
            continue
        if grant.condition is not None:
            check = CONDITIONS.get(grant.condition)
            if check is None or not check(writer, record, context):
                continue
        return True
    return False


def _check_parent(
    authority: RecordAuthority, records: Sequence[Mapping[str, Any] | None], context: RuleContext
) -> None:
    """Refuse when the record (as before or after the write) belongs to a frozen parent."""
    rule = authority.frozen_with_parent
    if rule is None or rule.parent.frozen_outside is None:
        return
    parent_ids = {r.get(rule.field) for r in records if r is not None}
    for parent_id in sorted(p for p in parent_ids if isinstance(p, str)):
        parent = context.record(rule.entity, parent_id)
        if parent is not None and rule.parent.is_frozen(parent):
            raise WriteRefused(
                rule.field,
                rule.parent.frozen_outside.code,
                f"the {rule.entity} is frozen: make a new revision to change it",
            )


def _check_matches_parent(
    authority: RecordAuthority, values: Mapping[str, Any], context: RuleContext
) -> None:
    rule = authority.matches_parent
    parent_id = None if rule is None else values.get(rule.field)
    if rule is None or not isinstance(parent_id, str):
        return
    parent = context.record(rule.entity, parent_id)
    if parent is None:
        return  # an unknown parent is refused as a bad reference elsewhere
    for own, theirs in rule.pairs:
        if values.get(own) != parent.get(theirs):
            raise WriteRefused(own, rule.code, f"{own} is not the {rule.entity}'s current {theirs}")
    if rule.changes and all(values.get(old) == values.get(new) for old, new in rule.changes):
        raise WriteRefused(rule.changes[0][1], rule.code, "nothing changed")


def _check_unique(
    authority: RecordAuthority,
    name: str,
    record: Mapping[str, Any],
    entity: str | None,
    context: RuleContext,
) -> None:
    """Refuse when writing ``name`` gives ``record`` the values of a unique key another record
    already has (a key with an empty field is never taken)."""
    if entity is None:
        return
    record_id = record.get("id")
    for key in authority.unique_keys:
        if name not in key:
            continue
        values = {field: record.get(field) for field in key}
        if any(value is None for value in values.values()):
            continue
        if context.taken(entity, values, record_id if isinstance(record_id, str) else None):
            raise WriteRefused(
                name, f"duplicate_{key[0]}", f"another {entity} already has this {key[0]}"
            )


def _check_revision(
    authority: RecordAuthority,
    name: str,
    record: Mapping[str, Any],
    entity: str | None,
    context: RuleContext,
) -> None:
    """Refuse when the earlier revision ``record`` names is not its previous one."""
    rule = authority.revision_of
    if rule is None or entity is None or name not in (rule.link, rule.key, rule.counter):
        return
    previous_id = record.get(rule.link)
    if previous_id is None:
        return
    previous = context.record(entity, str(previous_id)) if previous_id != record.get("id") else None
    counter = record.get(rule.counter)
    if (
        previous is None
        or previous.get(rule.key) != record.get(rule.key)
        or not isinstance(counter, int)
        or previous.get(rule.counter) != counter - 1
    ):
        raise WriteRefused(rule.link, rule.code, f"not the previous revision of this {entity}")


def check_write(
    authority: RecordAuthority | None,
    writer: Writer,
    *,
    name: str,
    value: Any,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    context: RuleContext,
    entity: str | None = None,
) -> None:
    """Raise :class:`WriteRefused` unless ``writer`` may give field ``name`` the ``value``.

    ``before`` is the record as stored (None for a create), ``after`` the record with the write.
    ``entity`` (the entity's name) is needed by the unique-field rule only.
    """
    if authority is None or writer.is_server:
        return
    if (
        before is not None
        and authority.frozen_after_create
        and name not in authority.manager_fields
    ):
        raise WriteRefused(name, authority.frozen_code, "this record cannot be changed")
    if before is not None:
        _check_frozen(authority, name, before)
        _check_parent(authority, (before, after), context)
    _check_unique(authority, name, after, entity, context)
    _check_revision(authority, name, after, entity, context)
    old = None if before is None else before.get(name)
    if name in authority.manager_fields and value != old and not writer.is_manager:
        raise WriteRefused(
            name, "manager_only_field", "only a manager of the owner may write this field"
        )
    if name in authority.actor_fields and value is not None and value not in (old, writer.user_id):
        raise WriteRefused(name, "must_be_actor", "this field can only name yourself")
    flow = authority.status
    if flow is not None and name == flow.field:
        _check_transition(flow, writer, value, before, after, context)


def _check_frozen(authority: RecordAuthority, name: str, before: Mapping[str, Any]) -> None:
    rule = authority.frozen_outside
    if rule is None or not authority.is_frozen(before):
        return
    assert authority.status is not None
    if name != authority.status.field and name not in rule.still_written:
        raise WriteRefused(name, rule.code, "this record is frozen: make a new revision")


def _check_transition(
    flow: StatusFlow,
    writer: Writer,
    value: Any,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    context: RuleContext,
) -> None:
    source = None if before is None else before.get(flow.field)
    if source == value and before is not None:
        return
    transition = flow.transition(source, str(value))
    if transition is None or not _granted(transition.by, writer, after, context):
        start = "new" if source is None else source
        raise WriteRefused(
            flow.field, "forbidden_transition", f"{start} → {value} is not allowed for you"
        )
    for target, reason in flow.reasons:
        text = after.get(reason)
        if target == value and (not isinstance(text, str) or not text.strip()):
            raise WriteRefused(reason, "reason_required", f"{value}: a reason is required")


def in_write_order(authority: RecordAuthority | None, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with the status field last: the fields a transition needs (a reason, an
    approver) are written before the status moves, on both sides and in the outbox."""
    status = authority.status.field if authority is not None and authority.status else None
    return dict(sorted(values.items(), key=lambda item: item[0] == status))


def check_creator(
    authority: RecordAuthority | None,
    writer: Writer,
    values: Mapping[str, Any],
    *,
    context: RuleContext,
) -> None:
    """Refuse (``manager_only``) when ``writer`` may not create such a record at all, whatever
    its fields (part of :func:`check_create`; the server asks it first, before whether the
    owner is in the writer's team, so both sides give the same code)."""
    if authority is None or writer.is_server:
        return
    if not _granted(authority.created_by, writer, values, context):
        raise WriteRefused(
            authority.owner_field or "id",
            "manager_only",
            "only a manager above the owner (or an admin) writes this record",
        )


def check_create(
    authority: RecordAuthority | None,
    writer: Writer,
    values: Mapping[str, Any],
    *,
    context: RuleContext,
    entity: str | None = None,
) -> None:
    """Check every field of a create (the status must be an initial one)."""
    if authority is None or writer.is_server:
        return
    check_creator(authority, writer, values, context=context)
    _check_parent(authority, (values,), context)
    _check_matches_parent(authority, values, context)
    for name, value in in_write_order(authority, values).items():
        check_write(
            authority,
            writer,
            name=name,
            value=value,
            before=None,
            after=values,
            context=context,
            entity=entity,
        )


def check_delete(
    authority: RecordAuthority | None,
    writer: Writer,
    record: Mapping[str, Any],
    *,
    context: RuleContext,
) -> None:
    """Check deleting (or bringing back) ``record``: snapshots and frozen records stay."""
    if authority is None or writer.is_server:
        return
    if authority.frozen_after_create:
        raise WriteRefused("deleted_at", authority.frozen_code, "this record is never deleted")
    if authority.frozen_outside is not None and authority.is_frozen(record):
        raise WriteRefused(
            "deleted_at", authority.frozen_outside.code, "this record is frozen: it stays"
        )
    _check_parent(authority, (record,), context)


def owner_of(authority: RecordAuthority | None, record: Mapping[str, Any]) -> str | None:
    """The user whose managers decide on ``record`` (None when the entity has no rules)."""
    if authority is None or authority.owner_field is None:
        return None
    owner = record.get(authority.owner_field)
    return owner if isinstance(owner, str) else None
