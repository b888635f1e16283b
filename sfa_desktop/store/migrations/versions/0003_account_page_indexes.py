"""Account page indexes: an account's visits by status (last done, next planned visit)

Revision ID: 0003_account_page_indexes
Revises: 0002_sync_state
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op


revision: str = "0003_account_page_indexes"
down_revision: str | None = "0002_sync_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An index only: files written by this revision are read the same way, so the store schema
# version (app_meta) does not change.


def upgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_visits_account_status",
            ["account_id", "status", "planned_start", "checked_in_at", "deleted_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index("ix_visits_account_status")
