"""Records' JSON documents compressed with lz4 on PostgreSQL.

A record's field stamps (clock stamp, user and device of every field) make its row about
3 KB, which PostgreSQL compresses on every write; with the default (pglz) that compression
was about a third of the database's time writing a push of 500 changed records, spent while
the change-feed counter is locked (sync_server/db/records.py). lz4 compresses as well here at
a fraction of the cost. Rows keep their compression until they are written again. Skipped on
SQLite, and on a PostgreSQL built without lz4 (or older than 14).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DOCUMENTS = ("data", "versions", "stamps")


def _lz4_available() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    methods = bind.execute(
        sa.text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    return methods is not None and "lz4" in methods


def _compress_with(method: str) -> None:
    for column in DOCUMENTS:
        op.execute(f"ALTER TABLE records ALTER COLUMN {column} SET COMPRESSION {method}")


def upgrade() -> None:
    if _lz4_available():
        _compress_with("lz4")


def downgrade() -> None:
    if _lz4_available():
        _compress_with("pglz")
