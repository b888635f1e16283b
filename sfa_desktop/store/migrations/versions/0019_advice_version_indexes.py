"""Cross-sell and next action: the data version of the co-purchase tables and of the
high-value customers read from indexes (accepted quotes and won deals, by last change)

Revision ID: 0019_advice_version_indexes
Revises: 0018_customer_value_settings
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_advice_version_indexes"
down_revision: str | None = "0018_customer_value_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Indexes only: files written by this revision are read the same way, so the store schema
# version (app_meta) does not change. The account page asks, on every account it shows, how
# many live accepted quotes (won deals) there are and when the latest changed; with these
# indexes that is a range of one status (stage) in the index alone, not a row lookup each.
_LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_quotes_status_updated_live",
            ["status", "updated_at", "deleted_at"],
            sqlite_where=_LIVE,
        )
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_opportunities_stage_updated_live",
            ["stage", "updated_at", "deleted_at"],
            sqlite_where=_LIVE,
        )


def downgrade() -> None:
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index("ix_opportunities_stage_updated_live")
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_index("ix_quotes_status_updated_live")
