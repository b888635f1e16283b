"""Conflict records: the value not kept, stored as a record of the catalog's ``conflict`` entity.

A conflict is seen by both participants (the author of the kept value and the author of the
value not kept) and the managers above either of them, so its scope owner is one participant
and its second scope owner the other.
"""

from __future__ import annotations

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


def record_conflict(
    changes: ChangeSet,
    *,
    record: StoredRecord,
    field: str,
    kept_value: Any,
    lost_value: Any,
    kept: Author,
    lost: Author,
    reason: str,
    stamp: Stamp,
) -> str:
    """Store a conflict about ``record.field`` and note it in the record's audit trail."""
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
    stamp_text = str(stamp)
    when = from_millis(stamp.wall_ms)
    conflict = StoredRecord(
        id=new_id(),
        entity=CONFLICT.name,
        version=1,
        scope_owner_id=owner,
        scope_other_id=other,
        parent_id=None,
        data=data,
        versions=dict.fromkeys(data, 1),
        stamps={name: [stamp_text, None, None] for name in data},
        created_at=when,
        updated_at=when,
    )
    changes.add(conflict)
    changes.audit(
        record, action="conflict", field=field, old=kept_value, new=lost_value, hlc=lost.hlc
    )
    return conflict.id
