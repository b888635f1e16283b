"""Account value cache: the first day each row no longer holds by the passing of time alone
(``valid_until``), so that a new day computes again only the accounts whose figures move

Revision ID: 0021_account_value_valid_until
Revises: 0020_account_value_cache
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_account_value_valid_until"
down_revision: str | None = "0020_account_value_cache"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # derived data: the rows of before do not say until when they hold, so they go
    op.execute("DELETE FROM account_value_cache")
    op.add_column("account_value_cache", sa.Column("valid_until", sa.Date(), nullable=True))


def downgrade() -> None:
    # in place (SQLite 3.35+): a copy of the table would meet the triggers that name it
    op.execute("DELETE FROM account_value_cache")
    op.execute("ALTER TABLE account_value_cache DROP COLUMN valid_until")
