"""The Conflicts view's use cases: open conflicts, resolving them, rejected changes.

A conflict records a value the server did not keep (SPEC §4.3). Resolving goes through the
outbox like any edit, so the server and the other participant learn about it:

* keep the kept value → the conflict is marked resolved;
* restore the value not kept → it is written back as a new edit, then marked resolved. When
  the value not kept lost to a delete, the record is brought back first (an ``undelete`` the
  server checks, audits and sends to everyone who sees the record); when the value not kept
  is a delete, the record is deleted again.

"Mine" and "theirs" are from the signed-in user's side: for the author of the value that was
kept, "mine" is the kept value; for anybody else (the author of the value not kept, or a
manager looking at the team's conflicts) "mine" is the value not kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.store.errors import RecordNotFound, StoreError
from sfa_desktop.store.models import Conflict, User
from sfa_desktop.store.models.sync_state import RejectedMutation
from sfa_desktop.store.repositories.records import get_record
from sync_server.protocol.catalog import CATALOG
from sync_server.protocol.values import to_python

from .editing import EditContext, delete_record, undelete_record, update_record


@dataclass(frozen=True)
class ConflictRow:
    id: str
    entity: str
    record_id: str
    #: the record's name (or another title field), if the record is here
    record_title: str | None
    field: str
    kept_value: Any
    lost_value: Any
    kept_by: str | None
    lost_by: str | None
    kept_by_id: str | None
    lost_by_id: str | None
    reason: str | None
    occurred_at: dt.datetime
    resolved: bool
    #: the account to open for this record (the account itself, or the one it belongs to),
    #: if the record is here
    account_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["occurred_at"] = self.occurred_at.isoformat()
        return data


@dataclass(frozen=True)
class RejectedRow:
    id: int
    entity: str
    record_id: str
    op: str
    field: str | None
    value: Any
    code: str
    message: str | None
    rejected_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["rejected_at"] = self.rejected_at.isoformat()
        return data


def list_conflicts(session: Session, *, include_resolved: bool = False) -> list[ConflictRow]:
    """Conflicts, newest first."""
    statement = select(Conflict).where(Conflict.deleted_at.is_(None))
    if not include_resolved:
        statement = statement.where(Conflict.resolved.is_(False))
    rows = list(session.scalars(statement.order_by(Conflict.occurred_at.desc(), Conflict.id)))
    names = {row.id: row.name for row in session.execute(select(User.id, User.name))}
    return [
        ConflictRow(
            id=c.id,
            entity=c.entity,
            record_id=c.record_id,
            record_title=_title(session, c.entity, c.record_id),
            account_id=_account_of(session, c.entity, c.record_id),
            field=c.field,
            kept_value=c.kept_value,
            lost_value=c.lost_value,
            kept_by=names.get(c.kept_by_id or ""),
            lost_by=names.get(c.lost_by_id or ""),
            kept_by_id=c.kept_by_id,
            lost_by_id=c.lost_by_id,
            reason=c.reason,
            occurred_at=c.occurred_at,
            resolved=c.resolved,
        )
        for c in rows
    ]


def stored_record(session: Session, entity: str, record_id: str) -> dict[str, Any] | None:
    """The record if it is stored here (``None`` too for an entity this version does not
    store locally)."""
    try:
        return get_record(session, entity, record_id)
    except StoreError:
        return None


def _title(session: Session, entity: str, record_id: str) -> str | None:
    spec = CATALOG.get(entity)
    record = stored_record(session, entity, record_id) if spec is not None else None
    if spec is None or record is None:
        return None
    value = record.get(spec.title_field)
    return str(value) if value is not None else None


def _account_of(session: Session, entity: str, record_id: str) -> str | None:
    """The account a record is shown on: the account itself, else its ``account_id``."""
    record = stored_record(session, entity, record_id) if entity in CATALOG else None
    if record is None:
        return None
    if entity == "account":
        return record_id
    account_id = record.get("account_id")
    return str(account_id) if account_id else None


def resolve_conflict(
    session: Session, ctx: EditContext, conflict_id: str, *, keep_mine: bool
) -> bool:
    """Resolve one conflict; returns True when the value not kept was written back."""
    conflict = session.get(Conflict, conflict_id)
    if conflict is None or conflict.deleted_at is not None:
        raise DomainError("conflict_not_found", params={"id": conflict_id})
    if conflict.resolved:
        raise DomainError("conflict_resolved", params={"id": conflict_id})
    i_won = ctx.user_id is not None and conflict.kept_by_id == ctx.user_id
    i_won = i_won and conflict.lost_by_id != ctx.user_id
    restore = keep_mine != i_won
    if restore:
        _restore_lost_value(session, ctx, conflict)
    changes: dict[str, Any] = {"resolved": True, "resolved_at": ctx.now()}
    if ctx.user_id and session.get(User, ctx.user_id) is not None:
        changes["resolved_by_id"] = ctx.user_id
    update_record(session, ctx, "conflict", conflict.id, changes)
    return restore


def _restore_lost_value(session: Session, ctx: EditContext, conflict: Conflict) -> None:
    spec = CATALOG.get(conflict.entity)
    if spec is None:
        raise DomainError("unknown_entity", params={"entity": conflict.entity})
    record = get_record(session, conflict.entity, conflict.record_id)
    if record is None:
        raise RecordNotFound(conflict.entity, conflict.record_id)
    deleted = record["deleted_at"] is not None
    if conflict.field == "deleted_at":
        if conflict.lost_value is not None and not deleted:
            delete_record(session, ctx, conflict.entity, conflict.record_id)
        elif conflict.lost_value is None and deleted:
            undelete_record(session, ctx, conflict.entity, conflict.record_id)
        return
    if deleted:
        undelete_record(session, ctx, conflict.entity, conflict.record_id)
    value = to_python(spec.field(conflict.field), conflict.lost_value)
    update_record(session, ctx, conflict.entity, conflict.record_id, {conflict.field: value})


def list_rejected(session: Session, *, include_dismissed: bool = False) -> list[RejectedRow]:
    """Changes the server refused, newest first, with its reason."""
    statement = select(RejectedMutation)
    if not include_dismissed:
        statement = statement.where(RejectedMutation.dismissed_at.is_(None))
    return [
        RejectedRow(
            r.id, r.entity, r.record_id, r.op, r.field, r.value, r.code, r.message, r.rejected_at
        )
        for r in session.scalars(statement.order_by(RejectedMutation.id.desc()))
    ]


def dismiss_rejected(session: Session, rejected_id: int, *, now: dt.datetime) -> None:
    session.execute(
        update(RejectedMutation).where(RejectedMutation.id == rejected_id).values(dismissed_at=now)
    )
