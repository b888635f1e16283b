"""Today view indexes: the user's follow-ups by date, and the activities following one up

Revision ID: 0004_today_indexes
Revises: 0003_account_page_indexes
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0004_today_indexes"
down_revision: str | None = "0003_account_page_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Indexes only: files written by this revision are read the same way, so the store schema
# version (app_meta) does not change.


def upgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_visits_owner_follow_up",
            ["owner_id", "follow_up_date", "status", "id"],
            unique=False,
            sqlite_where=sa.text("follow_up_date IS NOT NULL AND deleted_at IS NULL"),
        )
        batch_op.create_index(
            "ix_visits_follow_up_of",
            ["follow_up_of_id", "deleted_at"],
            unique=False,
            sqlite_where=sa.text("follow_up_of_id IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index("ix_visits_follow_up_of")
        batch_op.drop_index("ix_visits_owner_follow_up")
