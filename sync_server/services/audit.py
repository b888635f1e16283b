"""Reading the audit log: managers and admins, for records in their scope (SPEC §3)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from sync_server.db import records
from sync_server.db.audit import audit_for_record
from sync_server.db.models import AuditEntry

from .actor import Actor
from .errors import Forbidden, NotFound
from .mutation_rules import NOT_FOUND_MESSAGE, MutationRules
from .scopes import Directory, visibility_for


def record_history(
    session: Session, *, viewer: Actor, record_id: str, after_id: int, limit: int
) -> Sequence[AuditEntry]:
    """The audit entries of one record, oldest first.

    Reps get :class:`Forbidden` whatever the id; a record outside the viewer's scope is
    :class:`NotFound`, exactly like an id that does not exist.
    """
    if viewer.role not in ("manager", "admin"):
        raise Forbidden("the audit log is for managers and admins")
    try:
        canonical = MutationRules.record_id(record_id)
    except Exception:
        raise NotFound(NOT_FOUND_MESSAGE) from None
    visibility = visibility_for(Directory.load(session), viewer.user_id or "")
    record = records.load_records(session, ids=[canonical], lock=False).get(canonical)
    if record is None or not visibility.sees_any((record.scope_owner_id, record.scope_other_id)):
        raise NotFound(NOT_FOUND_MESSAGE)
    return audit_for_record(session, record_id=canonical, after_id=after_id, limit=limit)
