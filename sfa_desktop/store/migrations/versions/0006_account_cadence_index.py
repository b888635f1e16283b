"""Overdue accounts from an index: the owner's accounts with a visit cadence

Revision ID: 0006_account_cadence_index
Revises: 0005_account_visit_summary
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_account_cadence_index"
down_revision: str | None = "0005_account_visit_summary"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An index only: files written by this revision are read the same way, so the store schema
# version (app_meta) does not change.


def upgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_accounts_owner_cadence",
            ["owner_id", "visit_cadence_days", "created_at", "id"],
            unique=False,
            sqlite_where=sa.text("deleted_at IS NULL AND visit_cadence_days > 0"),
        )


def downgrade() -> None:
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index("ix_accounts_owner_cadence")
