"""Sync: the records to re-check after the server was restored from a backup

Revision ID: 0009_sync_restore_check
Revises: 0008_outbox_attempts
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_sync_restore_check"
down_revision: str | None = "0008_outbox_attempts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A local sync table an older app never reads (it is empty unless a restore check runs), so
# the store schema version (app_meta) does not change.


def upgrade() -> None:
    op.create_table(
        "sync_restore_check",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_sync_restore_check")),
    )


def downgrade() -> None:
    op.drop_table("sync_restore_check")
