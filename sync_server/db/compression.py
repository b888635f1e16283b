"""Records' JSON documents compressed with lz4 on PostgreSQL (14+, built with lz4).

A record's field stamps make its row about 3 KB, which PostgreSQL compresses on every write;
lz4 does it at a fraction of pglz's cost (migration 0005). Backups leave the method out (so
they restore into any PostgreSQL) and a restore sets it again (:mod:`sync_server.ops.backup`).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

#: the ``records`` columns holding JSON documents
DOCUMENTS = ("data", "versions", "stamps")


def lz4_available(connection: Connection) -> bool:
    """Whether this database can compress with lz4 (False on SQLite and older PostgreSQL)."""
    if connection.dialect.name != "postgresql":
        return False
    methods = connection.execute(
        text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    return methods is not None and "lz4" in methods


def compress_records_with(connection: Connection, method: str) -> None:
    """Compress the records' documents written from now on with ``method`` (lz4, pglz)."""
    if method not in ("lz4", "pglz"):
        raise ValueError(f"unknown compression method {method!r}")
    for column in DOCUMENTS:
        connection.execute(
            text(f"ALTER TABLE records ALTER COLUMN {column} SET COMPRESSION {method}")
        )


def prefer_lz4(connection: Connection) -> bool:
    """lz4 for the records' documents where the database has it; whether it was set."""
    if not lz4_available(connection):
        return False
    compress_records_with(connection, "lz4")
    return True
