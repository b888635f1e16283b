"""Creating, changing and deleting records: the only way the UI and the CLI edit data.

Each function validates with the domain rules (every bad field reported at once, see
:mod:`.record_rules`), writes the record through the store repositories and, in the same
transaction, the outbox entries sync will push (SPEC §4.1): one ``create`` with every initial
field, one ``set`` per changed field, one ``delete`` (or ``undelete``). Each entry carries the field's last known
server version (0 if never synced) and a fresh hybrid-logical-clock stamp. On any error
nothing is written.

Some writes leave a history record in the same transaction: an opportunity's create and each
change of its stage or expected close date write an ``opportunity_stage_change`` signed by the
signed-in user (see :mod:`sfa_desktop.domain.opportunity_stages`).

Values are Python values typed per the catalog: ``str``, ``int`` (money in minor units),
``float``, ``bool``, ``Decimal``, ``date``, aware ``datetime``, ``list[str]`` for tags.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.domain.opportunity_stages import stage_change_values
from sfa_desktop.store.errors import RecordDeleted, RecordNotFound
from sfa_desktop.store.meta import MetaKey, get_meta, set_meta
from sfa_desktop.store.repositories import records
from sfa_desktop.sync import outbox
from sfa_desktop.sync.bookkeeping import get_meta_stamp, set_meta_stamp
from sfa_desktop.sync.write_turns import take_write_lock
from sync_server.protocol.authority import in_write_order
from sync_server.protocol.catalog import CATALOG, COMMON_FIELD_NAMES, EntitySpec, ScopeRule
from sync_server.protocol.hlc import HybridLogicalClock
from sync_server.protocol.values import format_datetime, to_wire

from .current_user import current_user_id
from .record_rules import check_new_record, check_record_changes
from .write_authority import check_changes, check_new, check_removal


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class EditContext:
    """Who edits, on which device, and the clocks that stamp the edits."""

    #: the signed-in (or demo) user; owner default for new accounts/visits
    user_id: str | None
    device_id: str
    #: aware UTC
    now: Callable[[], dt.datetime]
    clock: HybridLogicalClock


def wall_ms(now: Callable[[], dt.datetime]) -> Callable[[], int]:
    """A millisecond wall clock for the hybrid logical clock, read from ``now``."""
    return lambda: int(now().timestamp() * 1000)


def load_edit_context(session: Session, *, now: Callable[[], dt.datetime] = utc_now) -> EditContext:
    """The context for this profile: the device id is created once and kept in ``app_meta``;
    the clock resumes after the last stamp this device used."""
    device_id = get_meta(session, MetaKey.DEVICE_ID)
    if not device_id:
        device_id = str(uuid.uuid4())
        set_meta(session, MetaKey.DEVICE_ID, device_id)
    clock = HybridLogicalClock(device_id, wall=wall_ms(now), last=get_meta_stamp(session))
    return EditContext(
        user_id=current_user_id(session),
        device_id=device_id,
        now=now,
        clock=clock,
    )


def writable_entity(entity: str, *, creating: bool = False, deleting: bool = False) -> EntitySpec:
    """The catalog spec of an entity the client may write; :class:`DomainError` otherwise."""
    spec = CATALOG.get(entity)
    if spec is None:
        raise DomainError("unknown_entity", params={"entity": entity})
    if spec.server_managed or ((creating or deleting) and spec.server_created):
        raise DomainError("read_only", params={"entity": entity})
    return spec


def _refuse_read_only(spec: EntitySpec, values: Mapping[str, Any]) -> None:
    for name in values:
        if name in COMMON_FIELD_NAMES or name in spec.readonly_fields:
            raise DomainError("read_only", field=name, params={"entity": spec.name})


def _owner_defaults(
    spec: EntitySpec, ctx: EditContext, values: Mapping[str, Any]
) -> dict[str, Any]:
    filled = dict(values)
    if spec.has_field("owner_id") and filled.get("owner_id") is None and ctx.user_id:
        filled["owner_id"] = ctx.user_id
    return filled


def _now(ctx: EditContext) -> dt.datetime:
    now = ctx.now()
    if now.utcoffset() is None:
        raise ValueError("EditContext.now must return an aware datetime")
    return now.astimezone(dt.UTC)


def create_record(
    session: Session, ctx: EditContext, entity: str, values: Mapping[str, Any]
) -> str:
    """Validate and insert a new record, queue its ``create``; returns the new id."""
    spec = writable_entity(entity, creating=True)
    _refuse_read_only(spec, values)
    take_write_lock(session)
    checked = check_new_record(session, spec, _owner_defaults(spec, ctx, values))
    check_new(session, ctx.user_id, spec, checked)
    now = _now(ctx)
    with session.begin_nested():
        record_id = records.insert_record(session, entity, checked, now=now, check_refs=True)
        row = records.get_record(session, entity, record_id)
        assert row is not None
        wire = {f.name: to_wire(f, row[f.name]) for f in spec.fields if row.get(f.name) is not None}
        stamp = ctx.clock.now()
        outbox.add_create(
            session, entity=entity, record_id=record_id, values=wire, stamp=stamp, now=now
        )
        set_meta_stamp(session, stamp)
        _keep_history(session, ctx, entity, None, row)
    return record_id


#: entities whose writes leave a history record, and the rule that builds it
_HISTORY = {"opportunity": ("opportunity_stage_change", stage_change_values)}


def _keep_history(
    session: Session,
    ctx: EditContext,
    entity: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
) -> None:
    """Write the history record a change leaves (an opportunity's stage change), in the same
    transaction. Nobody signed in (a local profile) has no name to sign history with: none."""
    kept = _HISTORY.get(entity)
    if kept is None or ctx.user_id is None:
        return
    history_entity, build = kept
    values = build(before, after, changed_by_id=ctx.user_id, changed_at=_now(ctx))
    if values is not None:
        create_record(session, ctx, history_entity, values)


def _live(session: Session, spec: EntitySpec, record_id: str) -> dict[str, Any]:
    current = records.get_record(session, spec.name, record_id)
    if current is None:
        raise RecordNotFound(spec.name, record_id)
    if current["deleted_at"] is not None:
        raise RecordDeleted(spec.name, record_id)
    return current


def update_record(
    session: Session,
    ctx: EditContext,
    entity: str,
    record_id: str,
    changes: Mapping[str, Any],
) -> dict[str, tuple[Any, Any]]:
    """Validate and apply ``changes``; queue one ``set`` per field that really changed.

    Returns ``{field: (old, new)}`` of those fields (empty when nothing changed).
    """
    spec = writable_entity(entity)
    take_write_lock(session)
    current = _live(session, spec, record_id)
    _refuse_read_only(spec, changes)
    # the status last, so the fields a transition needs reach the server before it
    checked = in_write_order(spec.authority, check_record_changes(session, spec, current, changes))
    check_changes(session, ctx.user_id, spec, current, checked)
    now = _now(ctx)
    with session.begin_nested():
        changed = records.update_record(
            session, entity, current["id"], checked, now=now, check_refs=True
        )
        for name, (old, new) in changed.items():
            field = spec.field(name)
            outbox.add_set(
                session,
                entity=entity,
                record_id=current["id"],
                field=name,
                value=to_wire(field, new),
                old_value=to_wire(field, old),
                stamp=ctx.clock.now(),
                now=now,
            )
        if changed:
            set_meta_stamp(session, ctx.clock.last)
            if entity in _HISTORY:
                after = records.get_record(session, entity, current["id"])
                assert after is not None
                _keep_history(session, ctx, entity, current, after)
    return changed


def delete_record(session: Session, ctx: EditContext, entity: str, record_id: str) -> None:
    """Soft-delete the record (a tombstone) and queue its ``delete``."""
    spec = writable_entity(entity, deleting=True)
    take_write_lock(session)
    current = _live(session, spec, record_id)
    check_removal(session, ctx.user_id, spec, current)
    now = _now(ctx)
    with session.begin_nested():
        records.soft_delete(session, entity, current["id"], now=now)
        stamp = ctx.clock.now()
        outbox.add_delete(session, entity=entity, record_id=current["id"], stamp=stamp, now=now)
        set_meta_stamp(session, stamp)


def undelete_record(session: Session, ctx: EditContext, entity: str, record_id: str) -> bool:
    """Bring a deleted record back and queue its ``undelete``; ``False`` if it was not deleted.

    The server refuses it (with a code) for someone who may not change the record, or while
    the record it belongs to is deleted; the tombstone is then put back.
    """
    spec = writable_entity(entity, deleting=True)
    take_write_lock(session)
    current = records.get_record(session, spec.name, record_id)
    if current is None:
        raise RecordNotFound(spec.name, record_id)
    if current["deleted_at"] is None:
        return False
    check_removal(session, ctx.user_id, spec, current)  # whoever may delete may bring back
    parent = _deleted_parent(session, spec, current)
    if parent is not None:
        raise DomainError("parent_deleted", params={"entity": parent})
    now = _now(ctx)
    with session.begin_nested():
        records.undelete(session, entity, current["id"], now=now)
        stamp = ctx.clock.now()
        outbox.add_undelete(
            session,
            entity=entity,
            record_id=current["id"],
            deleted_at=format_datetime(current["deleted_at"]),
            stamp=stamp,
            now=now,
        )
        set_meta_stamp(session, stamp)
    return True


def _deleted_parent(session: Session, spec: EntitySpec, current: Mapping[str, Any]) -> str | None:
    """The entity name of the record ``current`` hangs from, when that record is deleted."""
    if spec.scope is not ScopeRule.PARENT or spec.scope_field is None:
        return None
    parent_entity = spec.field(spec.scope_field).ref
    parent_id = current.get(spec.scope_field)
    if not parent_entity or not parent_id:
        return None
    parent = records.get_record(session, parent_entity, str(parent_id))
    return parent_entity if parent is not None and parent["deleted_at"] is not None else None
