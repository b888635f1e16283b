"""Conflict records: the value not kept, stored as a record of the catalog's ``conflict`` entity.

A conflict is seen by those who can resolve it: both participants (the author of the kept
value and the author of the value not kept) while they see the record, and the managers above
either of them, so its scope owner is one participant and its second scope owner the other.
A participant who no longer sees the record (it was reassigned) is replaced by the record's
owner (:func:`conflict_audience`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sync_server.clock import from_millis
from sync_server.db.models import EVERYONE
from sync_server.db.records import StoredRecord
from sync_server.protocol.catalog import CONFLICT
from sync_server.protocol.hlc import Stamp
from sync_server.protocol.ids import new_id
from sync_server.protocol.values import format_datetime

from .changeset import ChangeSet
from .scopes import Directory, visibility_for


@dataclass(frozen=True)
class Author:
    """Who wrote a value: user, device and clock stamp (any may be unknown)."""

    user_id: str | None
    device_id: str | None
    hlc: str | None

    @classmethod
    def of_field(cls, record: StoredRecord, field: str) -> Author:
        hlc, user_id, device_id = (record.stamps.get(field) or [None, None, None])[:3]
        return cls(user_id, device_id, hlc)


class ConflictReason:
    CONCURRENT_EDIT = "concurrent_edit"  #: two devices changed the same field
    RECORD_DELETED = "record_deleted"  #: an edit reached a record already deleted
    DELETED_AFTER_EDIT = "deleted_after_edit"  #: a later delete removed an unseen edit
    EDITED_AFTER_DELETE = "edited_after_delete"  #: a later edit kept the record: delete lost


def conflict_audience(
    directory: Directory, participants: Iterable[Any], record_owner: str
) -> tuple[str, str | None]:
    """(scope owner, second scope owner) of a conflict about a record owned by ``record_owner``.

    The participants who see the record; when one does not (any more), the record's owner
    takes their place. Managers above them see it through their team.
    """
    people = [u for u in dict.fromkeys(participants) if isinstance(u, str)]
    audience = [u for u in people if visibility_for(directory, u).sees_owner(record_owner)]
    someone_left = len(audience) < len(people) or not audience
    if someone_left and record_owner != EVERYONE and record_owner not in audience:
        audience.append(record_owner)
    if not audience:
        return EVERYONE, None
    return audience[0], audience[1] if len(audience) > 1 else None


#: one side of a conflict: a value and who wrote it
Edit = tuple[Any, Author]


@dataclass(frozen=True)
class FieldConflict:
    """Two values of ``record.field``: the one kept (written by ``kept``) and the one not."""

    record: StoredRecord
    field: str
    kept_value: Any
    lost_value: Any
    kept: Author
    lost: Author
    reason: str


def record_conflict(
    changes: ChangeSet,
    conflict: FieldConflict,
    *,
    stamp: Stamp,
    directory: Directory | None = None,
) -> str:
    """Store a conflict about ``record.field`` and note it in the record's audit trail.

    With ``directory``, participants who do not see the record are left out (see
    :func:`conflict_audience`)."""
    record, field, kept, lost = conflict.record, conflict.field, conflict.kept, conflict.lost
    kept_value, lost_value, reason = conflict.kept_value, conflict.lost_value, conflict.reason
    data = {
        "entity": record.entity,
        "record_id": record.id,
        "field": field,
        "kept_value": kept_value,
        "lost_value": lost_value,
        "kept_by_id": kept.user_id,
        "lost_by_id": lost.user_id,
        "kept_device_id": kept.device_id,
        "lost_device_id": lost.device_id,
        "kept_hlc": kept.hlc,
        "lost_hlc": lost.hlc,
        "reason": reason,
        "occurred_at": format_datetime(changes.now),
        "resolved": False,
    }
    data = {k: v for k, v in data.items() if v is not None or k.endswith("_value")}
    participants = [u for u in (kept.user_id, lost.user_id) if u is not None]
    owner = participants[0] if participants else EVERYONE
    other = next((u for u in participants if u != owner), None)
    if directory is not None and participants and record.scope_owner_id != EVERYONE:
        owner, other = conflict_audience(directory, participants, record.scope_owner_id)
    stored = StoredRecord.first_version(
        new_id(),
        CONFLICT.name,
        data,
        scope=(owner, other),
        parent_id=None,
        signature=[str(stamp), None, None],
        at=from_millis(stamp.wall_ms),
    )
    changes.add(stored)
    changes.audit(
        record, action="conflict", field=field, old=kept_value, new=lost_value, hlc=lost.hlc
    )
    return stored.id
