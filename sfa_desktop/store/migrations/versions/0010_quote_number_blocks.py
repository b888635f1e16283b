"""Quote numbers: the blocks leased to this device and its fallback counters

Revision ID: 0010_quote_number_blocks
Revises: 0009_sync_restore_check
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_quote_number_blocks"
down_revision: str | None = "0009_sync_restore_check"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Local tables an older app never reads, so the store schema version (app_meta) does not
# change.


def upgrade() -> None:
    op.create_table(
        "quote_number_blocks",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("rep_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first_seq", sa.Integer(), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("next_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_number_blocks")),
    )
    op.create_index(
        "ix_quote_number_blocks_rep_code_year", "quote_number_blocks", ["rep_code", "year", "id"]
    )
    op.create_table(
        "quote_number_fallback",
        sa.Column("rep_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("device_code", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("next_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "rep_code", "year", "device_code", name=op.f("pk_quote_number_fallback")
        ),
    )


def downgrade() -> None:
    op.drop_table("quote_number_fallback")
    op.drop_index("ix_quote_number_blocks_rep_code_year", table_name="quote_number_blocks")
    op.drop_table("quote_number_blocks")
