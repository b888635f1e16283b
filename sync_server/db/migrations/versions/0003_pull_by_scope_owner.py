"""Indexes that serve a pull by scope owner and change number.

A user's pull reads, for each scope owner they see, that owner's changes in change-number
order; without these it scanned every user's changes (sync_server/db/records.py).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_HAS_OTHER = sa.text("scope_other_id IS NOT NULL")


def upgrade() -> None:
    op.create_index("ix_records_scope_owner_id_seq", "records", ["scope_owner_id", "seq"])
    op.create_index(
        "ix_records_scope_other_id_seq",
        "records",
        ["scope_other_id", "seq"],
        postgresql_where=_HAS_OTHER,
        sqlite_where=_HAS_OTHER,
    )
    op.create_index("ix_scope_exits_old_owner_id_seq", "scope_exits", ["old_owner_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_scope_exits_old_owner_id_seq", table_name="scope_exits")
    op.drop_index("ix_records_scope_other_id_seq", table_name="records")
    op.drop_index("ix_records_scope_owner_id_seq", table_name="records")
