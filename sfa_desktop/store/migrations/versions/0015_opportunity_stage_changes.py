"""Opportunities' stage history (``opportunity_stage_change``); the next sync pulls everything
once

Revision ID: 0015_opportunity_stage_changes
Revises: 0014_opportunity_close_index
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_opportunity_stage_changes"
down_revision: str | None = "0014_opportunity_close_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Write types as the SQLite storage they produce (sa.String(27) for UTCDateTime), not as app
# types: a revision must not change later. The store schema version (app_meta) does not
# change: an older app already refuses this file by its unknown revision.


def upgrade() -> None:
    op.create_table(
        "opportunity_stage_changes",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("opportunity_id", sa.String(length=36), nullable=False),
        sa.Column("from_stage", sa.String(length=40), nullable=True),
        sa.Column("to_stage", sa.String(length=40), nullable=False),
        sa.Column("from_close_date", sa.Date(), nullable=True),
        sa.Column("to_close_date", sa.Date(), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("changed_by_id", sa.String(length=36), nullable=False),
        sa.Column("changed_at", sa.String(length=27), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity_stage_changes")),
    )
    op.create_index(
        "ix_opportunity_stage_changes_opportunity",
        "opportunity_stage_changes",
        ["opportunity_id", "changed_at"],
        unique=False,
    )
    # An older app skipped the history the server already had: pull everything once more.
    # Pending edits stay pending.
    op.execute(sa.text("UPDATE app_meta SET value = '0' WHERE key = 'sync_cursor'"))


def downgrade() -> None:
    op.drop_index(
        "ix_opportunity_stage_changes_opportunity", table_name="opportunity_stage_changes"
    )
    op.drop_table("opportunity_stage_changes")
