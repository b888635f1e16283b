"""Moving records between scopes: reassigning an account, re-parenting a child record.

When the field that decides a record's scope changes (an account's ``owner_id``, a contact's
``account_id``…), the record and everything hanging off it get the new scope owner in the same
transaction. Each moved record gets a new change-feed value, so the new audience pulls it as an
upsert, and a scope exit ``(old owner → new owner)``: at pull time a user who saw the old owner
but does not see the new one receives "left scope" (a manager above both receives nothing).

Open conflicts about the moved records follow them (:func:`conflicts_follow`): a conflict is
shown only to those who can resolve it — the participants who still see the record, and the
record's new owner when a participant no longer does — and to their managers.
"""

from __future__ import annotations

from sync_server.db import records
from sync_server.db.models import EVERYONE
from sync_server.db.records import StoredRecord
from sync_server.protocol.catalog import CATALOG, EntitySpec, ScopeRule, children_of

from .changeset import ChangeSet
from .conflicts import conflict_audience
from .scopes import Directory


def scope_field_of(spec: EntitySpec) -> str | None:
    """The field whose value decides the scope of ``spec``'s records (None: fixed scope)."""
    if spec.scope in (ScopeRule.OWNER, ScopeRule.PARENT):
        return spec.scope_field
    return None


def rescope(changes: ChangeSet, record: StoredRecord) -> None:
    """Recompute ``record``'s scope from its data and carry its descendants along."""
    spec = CATALOG[record.entity]
    field = scope_field_of(spec)
    if field is None:
        return
    value = record.data.get(field)
    if spec.scope is ScopeRule.OWNER:
        new_owner = value if isinstance(value, str) else EVERYONE
    else:
        parent = changes.get(value) if isinstance(value, str) else None
        record.parent_id = value if isinstance(value, str) else None
        new_owner = parent.scope_owner_id if parent is not None else record.scope_owner_id
    move_with_descendants(changes, record, new_owner)


def move_with_descendants(changes: ChangeSet, root: StoredRecord, new_owner: str) -> int:
    """Give ``root`` and all records below it ``new_owner``; returns how many moved."""
    if root.scope_owner_id == new_owner:
        return 0
    moved: list[str] = []
    level = [root]
    while level:
        for record in level:
            old_owner = record.scope_owner_id
            if old_owner != new_owner:
                record.scope_owner_id = new_owner
                changes.touch(record)
                changes.note_exit(record, old_owner_id=old_owner, new_owner_id=new_owner)
                moved.append(record.id)
        parents = [r.id for r in level if children_of(r.entity)]
        level = changes.children(parents) if parents else []
    conflicts_follow(changes, moved, new_owner)
    return len(moved)


def conflicts_follow(changes: ChangeSet, record_ids: list[str], new_owner: str) -> None:
    """Give the open conflicts about ``record_ids`` (just moved to ``new_owner``) the audience
    that can resolve them; whoever drops out receives "left scope"."""
    if not record_ids:
        return
    conflict_ids = records.conflicts_about(changes.session, record_ids=record_ids)
    if not conflict_ids:
        return
    changes.load(conflict_ids)
    directory = Directory.load(changes.session)
    for conflict_id in conflict_ids:
        conflict = changes.get(conflict_id)
        if conflict is None:
            continue
        participants = (conflict.data.get("kept_by_id"), conflict.data.get("lost_by_id"))
        owner, other = conflict_audience(directory, participants, new_owner)
        before = {conflict.scope_owner_id, conflict.scope_other_id} - {None}
        if (conflict.scope_owner_id, conflict.scope_other_id) == (owner, other):
            continue
        conflict.scope_owner_id, conflict.scope_other_id = owner, other
        changes.touch(conflict)
        for old_owner in before - {owner, other}:
            assert old_owner is not None
            changes.note_exit(conflict, old_owner_id=old_owner, new_owner_id=owner)
