"""The audit log of one record, for managers and admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sync_server.api.deps import CurrentUser, SessionDep
from sync_server.api.errors import ERROR_RESPONSES
from sync_server.api.schemas import AuditEntryOut, AuditPage
from sync_server.services.audit import record_history

router = APIRouter(tags=["audit"], responses=ERROR_RESPONSES)


@router.get("/audit", response_model=AuditPage)
def audit(
    actor: CurrentUser,
    session: SessionDep,
    record: Annotated[str, Query(min_length=1, max_length=64, description="the record id")],
    after: Annotated[int, Query(ge=0, le=2**62, description="next_after of the last page")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> AuditPage:
    """Every accepted change of a record (who, device, when, field, old → new)."""
    entries = record_history(
        session, viewer=actor, record_id=record, after_id=after, limit=limit + 1
    )
    page = [AuditEntryOut.model_validate(e, from_attributes=True) for e in entries[:limit]]
    return AuditPage(entries=page, next_after=page[-1].id if len(entries) > limit else None)
