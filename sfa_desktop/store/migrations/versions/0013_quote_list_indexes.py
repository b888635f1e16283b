"""The Quotes list from indexes: newest issue first, by status, by owner, counts from the index

Revision ID: 0013_quote_list_indexes
Revises: 0012_quote_number_revision_unique
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_quote_list_indexes"
down_revision: str | None = "0012_quote_number_revision_unique"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Indexes only: files written by this revision are read the same way, so the store schema
# version (app_meta) does not change.
#
# * ix_quotes_list_live — the list's default order (issue date, number, id; walked backwards
#   for newest first) carrying the columns the filters and the search read, so a page stops
#   after 200 matches and a count reads the index alone;
# * ix_quotes_status_live — one status in that order (rare statuses, the approval filter);
# * ix_quotes_owner_live — one owner's quotes in that order (was the owner alone).
_LIVE = sa.text("deleted_at IS NULL")
_LIST = ["issue_date", "number", "id", "status", "valid_until", "account_id", "owner_id"]
_STATUS = ["status", "issue_date", "number", "id", "valid_until", "deleted_at"]
_OWNER = ["owner_id", "issue_date", "number", "id"]


def upgrade() -> None:
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_index("ix_quotes_owner_live")
        batch_op.create_index("ix_quotes_owner_live", _OWNER, unique=False, sqlite_where=_LIVE)
        batch_op.create_index(
            "ix_quotes_list_live", [*_LIST, "deleted_at"], unique=False, sqlite_where=_LIVE
        )
        batch_op.create_index("ix_quotes_status_live", _STATUS, unique=False, sqlite_where=_LIVE)


def downgrade() -> None:
    with op.batch_alter_table("quotes", schema=None) as batch_op:
        batch_op.drop_index("ix_quotes_status_live")
        batch_op.drop_index("ix_quotes_list_live")
        batch_op.drop_index("ix_quotes_owner_live")
        batch_op.create_index(
            "ix_quotes_owner_live", ["owner_id"], unique=False, sqlite_where=_LIVE
        )
