"""Bulk reads of plain tuples on the session's own connection: the value table, the segment
facts and Today read 100,000 rows at a time, where a row object each would cost more than the
query."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy.orm import Session

from sync_server.protocol.chunks import chunked


def driver(session: Session) -> Any:
    """The session's own DB-API connection (same transaction): bulk reads and writes of
    plain tuples, without a row object per row."""
    return session.connection().connection.driver_connection


def rows_per_account(
    session: Session,
    sql: str,
    account_ids: Sequence[str] | None,
    *params: Any,
    column: str = "account_id",
) -> Iterator[tuple[Any, ...]]:
    """``sql`` (``?`` parameters; ``{where}`` stands for the filter on ``column``, last) run
    once for every live account (``account_ids`` None), or once per chunk of ``account_ids``."""
    connection = driver(session)
    if account_ids is None:
        yield from connection.execute(sql.format(where="1"), params).fetchall()
        return
    for chunk in chunked(account_ids):
        where = f"{column} IN ({', '.join('?' * len(chunk))})"
        yield from connection.execute(sql.format(where=where), (*params, *chunk)).fetchall()
