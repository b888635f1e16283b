"""Moving records between scopes: reassigning an account, re-parenting a child record.

When the field that decides a record's scope changes (an account's ``owner_id``, a contact's
``account_id``…), the record and everything hanging off it get the new scope owner in the same
transaction. Each moved record gets a new change-feed value, so the new audience pulls it as an
upsert, and a scope exit ``(old owner → new owner)``: at pull time a user who saw the old owner
but does not see the new one receives "left scope" (a manager above both receives nothing).
"""

from __future__ import annotations

from sync_server.db.models import EVERYONE
from sync_server.db.records import StoredRecord
from sync_server.protocol.catalog import CATALOG, EntitySpec, ScopeRule, children_of

from .changeset import ChangeSet


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
    moved = 0
    level = [root]
    while level:
        for record in level:
            old_owner = record.scope_owner_id
            if old_owner != new_owner:
                record.scope_owner_id = new_owner
                changes.touch(record)
                changes.note_exit(record, old_owner_id=old_owner, new_owner_id=new_owner)
                moved += 1
        parents = [r.id for r in level if children_of(r.entity)]
        level = changes.children(parents) if parents else []
    return moved
