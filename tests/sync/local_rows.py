"""What a client profile keeps locally about its syncs, as plain values for assertions: the
conflicts it recorded and the changes the server refused."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sfa_desktop.store.models import Conflict, RejectedMutation

from .harness import Profile


def conflicts(profile: Profile) -> list[dict[str, Any]]:
    with profile.database.session() as session:
        rows = session.scalars(select(Conflict).order_by(Conflict.occurred_at, Conflict.id))
        return [
            {
                "record_id": c.record_id,
                "field": c.field,
                "kept": c.kept_value,
                "lost": c.lost_value,
                "reason": c.reason,
                "resolved": c.resolved,
            }
            for c in rows
        ]


def rejected(profile: Profile) -> list[tuple[str, str | None, Any, str, bool]]:
    with profile.database.session() as session:
        rows = session.scalars(select(RejectedMutation).order_by(RejectedMutation.id))
        return [(r.op, r.field, r.value, r.code, bool(r.message)) for r in rows]
