"""Engine and transactions for SQLite and PostgreSQL.

Writes use ``write_session()``: on SQLite it starts with ``BEGIN IMMEDIATE`` so a transaction
that reads and then writes never fails half way on a lock upgrade; on PostgreSQL rows are
locked explicitly (``SELECT … FOR UPDATE``) by the data-access functions. ``is_retryable``
tells callers which failures (deadlock, serialization, a duplicate key from a concurrent
insert, a busy SQLite file) mean "run the whole transaction again".

JSON columns are encoded and decoded by pydantic-core (Rust) rather than the ``json`` module:
a push of 500 field changes reads and writes about 3,000 JSON documents, several times faster
so. Stored documents are wire values (strings, finite numbers, booleans, lists, objects),
which read back the same either way. Only keys go through pydantic-core's string cache: values
(clock stamps, ids, names) are nearly all new, and caching them made decoding slower than the
``json`` module (a push's records: about 10 µs a document instead of 2-3).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydantic_core
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.orm import Session, sessionmaker

_RETRYABLE_SQLSTATES = {"40001", "40P01", "23505", "55P03"}


class Database:
    """One database: its engine and its read and write transactions."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = create_engine(
                url,
                connect_args={"timeout": 60},
                json_serializer=_json_text,
                json_deserializer=_json_value,
            )
            _configure_sqlite(self.engine)
        else:
            # psycopg takes the encoded bytes as they are
            self.engine = create_engine(
                url,
                pool_size=pool_size,
                max_overflow=pool_size,
                pool_pre_ping=True,
                json_serializer=pydantic_core.to_json,
                json_deserializer=_json_value,
            )
        writer = self.engine.execution_options(sqlite_begin="BEGIN IMMEDIATE")
        self._reads = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(writer, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A transaction for reading; rolled back at the end."""
        with self._reads() as session:
            yield session

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A transaction for writing: committed when the block ends, rolled back on error."""
        with self._writes() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _json_value(document: str | bytes) -> Any:
    return pydantic_core.from_json(document, cache_strings="keys")


def _json_text(value: Any) -> str:
    return pydantic_core.to_json(value).decode()


def is_retryable(error: BaseException) -> bool:
    """Whether running the transaction again may succeed (a concurrency failure)."""
    if not isinstance(error, exc.DBAPIError):
        return False
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in _RETRYABLE_SQLSTATES:
        return True
    text = str(error.orig).lower()
    return "database is locked" in text or "unique constraint failed" in text


def _configure_sqlite(engine: Engine) -> None:
    """WAL (readers never wait for the writer), foreign keys, and our own BEGIN statements."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=60000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin", "BEGIN"))
