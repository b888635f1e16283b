"""Forecast figures from an index: live opportunities by expected close date

Revision ID: 0014_opportunity_close_index
Revises: 0013_quote_list_indexes
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_opportunity_close_index"
down_revision: str | None = "0013_quote_list_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An index only: files written by this revision are read the same way, so the store schema
# version (app_meta) does not change. It covers every column the period figures read, so a
# period's roll-up is a range scan of the index alone.


def upgrade() -> None:
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_opportunities_close_live",
            [
                "expected_close_date",
                "owner_id",
                "currency",
                "stage",
                "forecast_category",
                "amount",
                "probability",
            ],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index("ix_opportunities_close_live")
