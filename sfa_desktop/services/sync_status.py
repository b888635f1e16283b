"""What the status bar and ``sfa status`` show: server, user, last sync, pending, conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sfa_desktop.store.models import Conflict
from sfa_desktop.store.models.sync_state import RejectedMutation
from sfa_desktop.sync import outbox
from sfa_desktop.sync.report import LastSync, load_last_sync

from .sync_account import Identity, load_identity


@dataclass(frozen=True)
class SyncStatus:
    identity: Identity | None
    last_sync: LastSync | None
    pending_changes: int
    open_conflicts: int
    #: rejected changes the user has not dismissed
    rejected: int

    def to_json(self) -> dict[str, Any]:
        who = self.identity
        return {
            "server": who.server_url if who else None,
            "ca_file": who.ca_file if who else None,
            "user": (
                {"id": who.user_id, "email": who.email, "name": who.user_name, "role": who.role}
                if who
                else None
            ),
            "last_sync": self.last_sync.to_json() if self.last_sync else None,
            "pending_changes": self.pending_changes,
            "open_conflicts": self.open_conflicts,
            "rejected": self.rejected,
        }


def open_conflict_count(session: Session) -> int:
    statement = select(func.count()).where(
        Conflict.resolved.is_(False), Conflict.deleted_at.is_(None)
    )
    return int(session.scalar(statement) or 0)


def sync_status(session: Session) -> SyncStatus:
    rejected = session.scalar(select(func.count()).where(RejectedMutation.dismissed_at.is_(None)))
    return SyncStatus(
        identity=load_identity(session),
        last_sync=load_last_sync(session),
        pending_changes=outbox.pending_count(session),
        open_conflicts=open_conflict_count(session),
        rejected=int(rejected or 0),
    )


def pending_fields(session: Session, record_id: str) -> frozenset[str]:
    """The fields of one record whose local change is not yet synced (``sfa show`` marks them)."""
    return outbox.pending_fields(session, record_id)
