"""Account value cache: the first day each row no longer holds by the passing of time alone
(``valid_until``), so that a new day computes again only the accounts whose figures move; the
stamp of each row's write (``stamp``) and a log of the rows dropped and the accounts added,
re-owned or deleted (``account_value_changes``), so that a reader can keep the table in
memory and read only what changed

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
_LOG = "INSERT INTO account_value_changes (account_id) VALUES ({account});"
TRIGGERS = {
    # every row dropped (by the triggers of 0020: something it reads changed) is logged, so
    # that a reader that keeps the table in memory reads only the changes since
    "account_value_cache_ad": (
        "CREATE TRIGGER account_value_cache_ad AFTER DELETE ON account_value_cache "
        f"WHEN OLD.account_id != '' BEGIN\n    {_LOG.format(account='OLD.account_id')}\nEND"
    ),
    "accounts_value_ai": (
        "CREATE TRIGGER accounts_value_ai AFTER INSERT ON accounts BEGIN\n"
        f"    {_DROP_MARK}\n    {_LOG.format(account='NEW.id')}\nEND"
    ),
    "accounts_value_owner_au": (
        "CREATE TRIGGER accounts_value_owner_au AFTER UPDATE OF owner_id ON accounts "
        f"WHEN OLD.owner_id IS NOT NEW.owner_id BEGIN\n    {_DROP_MARK}\n"
        f"    {_LOG.format(account='NEW.id')}\nEND"
    ),
    "accounts_value_ad": (
        "CREATE TRIGGER accounts_value_ad AFTER DELETE ON accounts BEGIN\n"
        "    DELETE FROM account_value_cache WHERE account_id IN (OLD.id, '');\n"
        f"    {_LOG.format(account='OLD.id')}\nEND"
    ),
}


def upgrade() -> None:
    # derived data: the rows of before do not say until when they hold, so they go
    op.execute("DELETE FROM account_value_cache")
    op.add_column("account_value_cache", sa.Column("valid_until", sa.Date(), nullable=True))
    op.add_column("account_value_cache", sa.Column("stamp", sa.BigInteger(), nullable=True))
    op.create_table(
        "account_value_changes",
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_account_value_changes")),
        sqlite_autoincrement=True,
    )
    for statement in TRIGGERS.values():
        op.execute(statement)


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("account_value_changes")
    # in place (SQLite 3.35+): a copy of the table would meet the triggers that name it
    op.execute("DELETE FROM account_value_cache")
    op.execute("ALTER TABLE account_value_cache DROP COLUMN stamp")
    op.execute("ALTER TABLE account_value_cache DROP COLUMN valid_until")
