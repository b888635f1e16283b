"""Who may write what on a record: manager-only fields, status transitions, frozen snapshots.

The catalog attaches a :class:`RecordAuthority` to the entities that need one (quotes, forecast
submissions); the server enforces it on every push and the desktop client checks the same
declarations before it queues an edit, so both give the same ``code``:

* ``manager_only_field`` — the field records a manager's decision (an approval, a forecast
  adjustment): only someone above the record's owner in the manager tree, or an admin, writes it.
* ``must_be_actor`` — a field naming the decision maker (``approved_by_id``) can only name the
  person writing it: nobody approves in someone else's name.
* ``forbidden_transition`` — the status change is not in the entity's :class:`StatusFlow`, or
  the writer's role may not make it.
* ``snapshot_frozen`` — after its create, a snapshot (a submitted forecast) keeps its figures:
  only the manager fields may still be written, and it cannot be deleted (history is kept).

"Manager" always means *of the record's owner*: a user above the owner in the manager tree (the
owner themselves is not their own manager), or an admin. The server itself (imports, admin
commands) is not bound by these rules.

These rules only narrow which writes are accepted; they change neither storage nor the wire,
so they are kept out of the catalog fingerprint (see :func:`.versions.catalog_fingerprint`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any

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
class RecordAuthority:
    """The write rules of one entity beyond "the record is in your scope"."""

    #: the field naming the user whose managers decide (``owner_id``)
    owner_field: str = "owner_id"
    #: fields only the owner's managers (or an admin) may write
    manager_fields: frozenset[str] = frozenset()
    #: fields that, when set, must name the user writing them
    actor_fields: frozenset[str] = frozenset()
    #: the status field's allowed transitions, if the entity has one
    status: StatusFlow | None = None
    #: a snapshot: after the create only ``manager_fields`` change, and it is never deleted
    frozen_after_create: bool = False


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


class WriteRefused(ValueRejected):
    """The writer may not make this change; ``code`` says which rule refused it."""


#: Conditions a :class:`Grant` may name: ``(writer, record after the write) -> bool``.
#: Empty today; e.g. issue 10 adds "discounts_within_limit" for a rep's self-approval.
Condition = Callable[[Writer, Mapping[str, Any]], bool]
CONDITIONS: dict[str, Condition] = {}


def _granted(grants: tuple[Grant, ...], writer: Writer, record: Mapping[str, Any]) -> bool:
    for grant in grants:
        if grant.role is Role.MANAGER and not writer.is_manager:
            continue
        if grant.condition is not None:
            check = CONDITIONS.get(grant.condition)
            if check is None or not check(writer, record):
                continue
        return True
    return False


def check_write(
    authority: RecordAuthority | None,
    writer: Writer,
    *,
    name: str,
    value: Any,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
) -> None:
    """Raise :class:`WriteRefused` unless ``writer`` may give field ``name`` the ``value``.

    ``before`` is the record as stored (None for a create), ``after`` the record with the write.
    """
    if authority is None or writer.is_server:
        return
    if (
        before is not None
        and authority.frozen_after_create
        and name not in authority.manager_fields
    ):
        raise WriteRefused(name, "snapshot_frozen", "a submitted snapshot cannot be changed")
    old = None if before is None else before.get(name)
    if name in authority.manager_fields and value != old and not writer.is_manager:
        raise WriteRefused(
            name, "manager_only_field", "only a manager of the owner may write this field"
        )
    if name in authority.actor_fields and value is not None and value not in (old, writer.user_id):
        raise WriteRefused(name, "must_be_actor", "this field can only name yourself")
    flow = authority.status
    if flow is not None and name == flow.field:
        source = None if before is None else before.get(name)
        if source == value and before is not None:
            return
        transition = flow.transition(source, str(value))
        if transition is None or not _granted(transition.by, writer, after):
            start = "new" if source is None else source
            raise WriteRefused(
                name, "forbidden_transition", f"{start} → {value} is not allowed for you"
            )


def check_create(
    authority: RecordAuthority | None, writer: Writer, values: Mapping[str, Any]
) -> None:
    """Check every field of a create (the status must be an initial one)."""
    if authority is None:
        return
    status = authority.status.field if authority.status is not None else None
    for name in sorted(values, key=lambda n: n == status):  # fields first, then the status
        check_write(authority, writer, name=name, value=values[name], before=None, after=values)


def check_delete(authority: RecordAuthority | None, writer: Writer) -> None:
    if authority is not None and authority.frozen_after_create and not writer.is_server:
        raise WriteRefused("deleted_at", "snapshot_frozen", "a submitted snapshot is never deleted")


def owner_of(authority: RecordAuthority | None, record: Mapping[str, Any]) -> str | None:
    """The user whose managers decide on ``record`` (None when the entity has no rules)."""
    if authority is None:
        return None
    owner = record.get(authority.owner_field)
    return owner if isinstance(owner, str) else None


# --- the declarations ----------------------------------------------------------------------------

QUOTE_STATUS_FLOW = StatusFlow(
    "status",
    (
        Transition(None, "draft"),
        Transition("draft", "pending_approval"),
        # Issue 10 adds Grant(Role.ANYONE, "discounts_within_limit") here (self-approval).
        Transition("pending_approval", "approved", by=MANAGER),
        Transition("approved", "sent"),
        Transition("sent", "accepted"),
        Transition("sent", "rejected"),
        Transition("sent", "expired"),
    ),
)

QUOTE_AUTHORITY = RecordAuthority(
    manager_fields=frozenset({"approved_by_id", "approved_at"}),
    actor_fields=frozenset({"approved_by_id"}),
    status=QUOTE_STATUS_FLOW,
)

FORECAST_SUBMISSION_AUTHORITY = RecordAuthority(
    manager_fields=frozenset(
        {"manager_id", "manager_adjustment", "manager_note", "manager_adjusted_at"}
    ),
    actor_fields=frozenset({"manager_id"}),
    frozen_after_create=True,
)
