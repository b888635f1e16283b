"""Managers' forecast adjustments (``forecast_adjustment``) and the quota's scope (personal or
team); the next sync pulls everything once

Revision ID: 0016_forecast_adjustments
Revises: 0015_opportunity_stage_changes
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_forecast_adjustments"
down_revision: str | None = "0015_opportunity_stage_changes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Write types as the SQLite storage they produce (sa.String(27) for UTCDateTime), not as app
# types: a revision must not change later.


def upgrade() -> None:
    op.create_table(
        "forecast_adjustments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=27), nullable=False),
        sa.Column("updated_at", sa.String(length=27), nullable=False),
        sa.Column("deleted_at", sa.String(length=27), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("scope", sa.String(length=40), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("adjusted_by_id", sa.String(length=36), nullable=False),
        sa.Column("adjusted_at", sa.String(length=27), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_forecast_adjustments")),
    )
    op.create_index(
        "ix_forecast_adjustments_period",
        "forecast_adjustments",
        ["period", "adjusted_at"],
        unique=False,
    )
    with op.batch_alter_table("quotas", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("scope", sa.String(length=40), nullable=False, server_default="personal")
        )
    # An older app skipped the adjustments and the quotas' scope the server already had: pull
    # everything once more. Pending edits stay pending.
    op.execute(sa.text("UPDATE app_meta SET value = '0' WHERE key = 'sync_cursor'"))


def downgrade() -> None:
    with op.batch_alter_table("quotas", schema=None) as batch_op:
        batch_op.drop_column("scope")
    op.drop_index("ix_forecast_adjustments_period", table_name="forecast_adjustments")
    op.drop_table("forecast_adjustments")
