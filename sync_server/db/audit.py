"""Data access for the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from .bulk import insert_many
from .models import AuditEntry

_audit = cast(Table, AuditEntry.__table__)


def insert_audit_entries(session: Session, *, entries: Sequence[dict[str, Any]]) -> None:
    """Append entries (dicts with the ``audit_log`` columns except ``id``)."""
    insert_many(session, _audit, entries)


def audit_for_record(
    session: Session, *, record_id: str, after_id: int, limit: int
) -> Sequence[AuditEntry]:
    query = (
        select(AuditEntry)
        .where(AuditEntry.record_id == record_id, AuditEntry.id > after_id)
        .order_by(AuditEntry.id)
        .limit(limit)
    )
    return session.scalars(query).all()
