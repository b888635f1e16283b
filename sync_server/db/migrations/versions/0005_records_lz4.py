"""Records' JSON documents compressed with lz4 on PostgreSQL.

A record's field stamps (clock stamp, user and device of every field) make its row about
3 KB, which PostgreSQL compresses on every write; with the default (pglz) that compression
was about a third of the database's time writing a push of 500 changed records, spent while
the change-feed counter is locked (sync_server/db/records.py). lz4 compresses as well here at
a fraction of the cost. Rows keep their compression until they are written again. Skipped on
SQLite, and on a PostgreSQL built without lz4 (or older than 14). See db/compression.py.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from __future__ import annotations

from alembic import op

from sync_server.db.compression import compress_records_with, lz4_available, prefer_lz4

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    prefer_lz4(op.get_bind())


def downgrade() -> None:
    if lz4_available(op.get_bind()):
        compress_records_with(op.get_bind(), "pglz")
