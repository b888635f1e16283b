"""Account value cache: the first day each row no longer holds by the passing of time alone
(``valid_until``), so that a new day computes again only the accounts whose figures move; the
stamp of each row's write (``stamp``), so that a reader can keep the table in memory; new,
deleted and re-owned accounts drop the "tiers up to date" row

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


_DROP_MARK = "DELETE FROM account_value_cache WHERE account_id = '';"
TRIGGERS = {
    "accounts_value_ai": (
        "CREATE TRIGGER accounts_value_ai AFTER INSERT ON accounts BEGIN\n"
        f"    {_DROP_MARK}\nEND"
    ),
    "accounts_value_owner_au": (
        "CREATE TRIGGER accounts_value_owner_au AFTER UPDATE OF owner_id ON accounts "
        f"WHEN OLD.owner_id IS NOT NEW.owner_id BEGIN\n    {_DROP_MARK}\nEND"
    ),
    "accounts_value_ad": (
        "CREATE TRIGGER accounts_value_ad AFTER DELETE ON accounts BEGIN\n"
        "    DELETE FROM account_value_cache WHERE account_id IN (OLD.id, '');\nEND"
    ),
}


def upgrade() -> None:
    # derived data: the rows of before do not say until when they hold, so they go
    op.execute("DELETE FROM account_value_cache")
    op.add_column("account_value_cache", sa.Column("valid_until", sa.Date(), nullable=True))
    op.add_column("account_value_cache", sa.Column("stamp", sa.BigInteger(), nullable=True))
    for statement in TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    # in place (SQLite 3.35+): a copy of the table would meet the triggers that name it
    op.execute("DELETE FROM account_value_cache")
    op.execute("ALTER TABLE account_value_cache DROP COLUMN stamp")
    op.execute("ALTER TABLE account_value_cache DROP COLUMN valid_until")
