"""Pending follow-ups: done activities with a follow-up date and no follow-up yet, by triggers

Revision ID: 0007_pending_follow_ups
Revises: 0006_account_cadence_index
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_pending_follow_ups"
down_revision: str | None = "0006_account_cadence_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A local, derived table: an older app never reads it, and its triggers keep it right on any
# write, so the store schema version (app_meta) does not change.

#: A live done activity with a follow-up date, that no live activity follows up yet.
PENDING = (
    "v.status = 'done' AND v.follow_up_date IS NOT NULL AND v.deleted_at IS NULL "
    "AND v.owner_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM visits f "
    "WHERE f.follow_up_of_id = v.id AND f.deleted_at IS NULL)"
)


def _refresh(visit: str) -> list[str]:
    """Statements (for a trigger body) that recompute whether ``visit`` is pending.

    Delete, then insert when the rule holds: the inner insert never meets a conflict, so the
    conflict clause of the statement that fired the trigger does not matter.
    """
    return [
        f"DELETE FROM pending_follow_ups WHERE visit_id = {visit};",
        "INSERT INTO pending_follow_ups (visit_id, owner_id, follow_up_date) "
        f"SELECT v.id, v.owner_id, v.follow_up_date FROM visits v WHERE v.id = {visit} "
        f"AND {PENDING};",
    ]


def _trigger(name: str, event: str, statements: list[str]) -> str:
    body = "\n    ".join(statements)
    return f"CREATE TRIGGER {name} AFTER {event} ON visits BEGIN\n    {body}\nEND"


TRIGGERS: dict[str, str] = {
    "visits_follow_ups_ai": _trigger(
        "visits_follow_ups_ai",
        "INSERT",
        # The new activity itself, and the one it follows up (no longer pending).
        [*_refresh("NEW.id"), *_refresh("NEW.follow_up_of_id")],
    ),
    "visits_follow_ups_au": _trigger(
        "visits_follow_ups_au",
        "UPDATE OF status, follow_up_date, deleted_at, owner_id, follow_up_of_id",
        [
            *_refresh("NEW.id"),
            *_refresh("NEW.follow_up_of_id"),
            *_refresh("OLD.follow_up_of_id"),
        ],
    ),
    "visits_follow_ups_ad": _trigger(
        "visits_follow_ups_ad",
        "DELETE",
        [
            "DELETE FROM pending_follow_ups WHERE visit_id = OLD.id;",
            *_refresh("OLD.follow_up_of_id"),
        ],
    ),
}


def upgrade() -> None:
    op.create_table(
        "pending_follow_ups",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("follow_up_date", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("visit_id", name=op.f("pk_pending_follow_ups")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_pending_follow_ups_owner_date",
        "pending_follow_ups",
        ["owner_id", "follow_up_date", "visit_id"],
        unique=False,
    )
    op.execute(
        "INSERT INTO pending_follow_ups (visit_id, owner_id, follow_up_date) "
        f"SELECT v.id, v.owner_id, v.follow_up_date FROM visits v WHERE {PENDING}"
    )
    for statement in TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_index("ix_pending_follow_ups_owner_date", table_name="pending_follow_ups")
    op.drop_table("pending_follow_ups")
