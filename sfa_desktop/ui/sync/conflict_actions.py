"""Resolving a conflict by what the user means, not by whose side they are on. No Qt.

The services resolve with ``keep_mine`` (see :mod:`sfa_desktop.services.conflicts`): "mine"
is the kept value for the author of the kept value and the value not kept for everybody
else. The Conflicts view offers "Restore the other value" and "Dismiss" instead; these run on
the database thread.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from sfa_desktop.services.conflicts import ConflictRow, dismiss_rejected, resolve_conflict
from sfa_desktop.services.editing import EditContext, load_edit_context


def _kept_value_is_mine(ctx: EditContext, conflict: ConflictRow) -> bool:
    return (
        ctx.user_id is not None
        and conflict.kept_by_id == ctx.user_id
        and conflict.lost_by_id != ctx.user_id
    )


def restore_value_not_kept(session: Session, conflict: ConflictRow) -> None:
    """Write the value not kept back on the record (sent at the next sync); resolves it."""
    ctx = load_edit_context(session)
    restored = resolve_conflict(
        session, ctx, conflict.id, keep_mine=not _kept_value_is_mine(ctx, conflict)
    )
    if not restored:  # the services changed what "mine" means: write nothing
        raise RuntimeError("resolving did not restore the value not kept")


def keep_value_kept(session: Session, conflict: ConflictRow) -> None:
    """Dismiss the conflict: the record keeps its current value."""
    ctx = load_edit_context(session)
    restored = resolve_conflict(
        session, ctx, conflict.id, keep_mine=_kept_value_is_mine(ctx, conflict)
    )
    if restored:
        raise RuntimeError("dismissing a conflict restored the value not kept")


def forget_rejected(session: Session, rejected_id: int) -> None:
    """Dismiss a change the server refused (it stays in the database, hidden)."""
    dismiss_rejected(session, rejected_id, now=dt.datetime.now(dt.UTC))
