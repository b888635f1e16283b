"""Pulled pages kept as the JSON text the server sent, and written by SQLite straight from it.

A first sync is a bulk load: 100,000 records arrive in pages of 2,000. Decoding each page into
Python objects (in the fetch thread) and binding them row by row (in the writing thread) cost
more than the inserts' own work beside them, and both hold Python's GIL — which the writing
thread needs again for every row it binds — so the two threads mostly took turns.

Here the fetch thread only *reads* a page: its envelope (cursor, ``has_more``…) and a summary
of its changes, computed by SQLite's JSON functions on a private in-memory connection (C code
that lets the GIL go). When every change is a plain upsert or tombstone of a record (no record
leaving scope, no conflict) with the shape the protocol gives it, the page is *bulk*: the
writing thread inserts it with one ``INSERT … SELECT … FROM json_each(page)`` per entity and one
for the server versions — the same rows, in the same order, as :func:`.pull_apply.apply_page`
writes (later changes of a record replace earlier ones; JSON fields stored as ``json.dumps``
text), with no Python work per record but the ``sfa_json_text`` of a tags field.

Any other page, and any page met while local edits wait to be pushed (their fields must not be
overwritten), goes through :attr:`PulledPage.changes`, validated by the wire models as before.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from sfa_desktop.store.models import MODEL_BY_ENTITY
from sync_server.protocol.wire import ChangeKind, PullResponse, RecordChange

from . import faults, local_records
from .errors import ProtocolMismatch

#: the keys of a page (the wire model forbids others)
_PAGE_KEYS = frozenset(PullResponse.model_fields)
#: the SQL function that stores a JSON field's text as ``local_records`` does (``json.dumps``)
JSON_TEXT_FUNCTION = "sfa_json_text"
#: the JSON functions built in, with the ``->`` operator (SQLite 3.38): else no page is bulk
SQLITE_WRITES_JSON = sqlite3.sqlite_version_info >= (3, 38, 0)

#: the page's own keys, the type and value of each (not the changes': they are read below)
_ENVELOPE_SQL = "SELECT key, type, CASE WHEN type != 'array' THEN value END FROM json_each(?)"

#: 1 for a change that is not a plain upsert or tombstone with the protocol's shape
_ODD_CHANGE = f"""CASE WHEN c.type != 'object' THEN 1 ELSE (
    json_type(c.value, '$.seq') IS NOT 'integer'
    OR json_type(c.value, '$.entity') IS NOT 'text'
    OR json_type(c.value, '$.record_id') IS NOT 'text'
    OR json_type(c.value, '$.kind') IS NOT 'text'
    OR json_extract(c.value, '$.kind') NOT IN ('{ChangeKind.UPSERT}', '{ChangeKind.DELETE}')
    OR json_type(c.value, '$.values') IS NOT 'object'
    OR json_type(c.value, '$.versions') IS NOT 'object'
    OR json_type(c.value, '$.version') IS NOT 'integer'
    OR json_extract(c.value, '$.entity') = 'conflict'
    OR instr(c.value, '\\u0000') > 0
    OR EXISTS (SELECT 1 FROM json_each(c.value, '$.versions') AS v WHERE v.type != 'integer')
) END"""

_SUMMARY_SQL = f"""
SELECT CASE WHEN c.type = 'object' THEN json_extract(c.value, '$.entity') END, count(*),
    count(DISTINCT CASE WHEN c.type = 'object' THEN json_extract(c.value, '$.record_id') END),
    sum({_ODD_CHANGE})
FROM json_each(:p, '$.changes') AS c
GROUP BY 1
"""


@dataclass
class PulledPage:
    """One page of a pull: its envelope, how many changes it holds, and the JSON text."""

    text: str
    next_cursor: str
    has_more: bool
    server_hlc: str
    remaining: int | None
    #: how many changes the page holds
    size: int
    #: every change a plain upsert or tombstone: :func:`bulk_apply` may write the page
    bulk: bool
    #: how many distinct records of each entity the page holds (pages read from JSON)
    records: dict[str, int] = field(default_factory=dict)
    #: whether some record appears more than once (the last change wins)
    repeats: bool = False
    _decoded: PullResponse | None = None
    _source: str = ""

    @property
    def changes(self) -> list[RecordChange]:
        """The changes as wire models (decoded on first use)."""
        return self.decoded().changes

    def decoded(self) -> PullResponse:
        if self._decoded is None:
            self._decoded = decode(self.text, self._source)
        return self._decoded


def decode(text: str | bytes, source: str) -> PullResponse:
    try:
        return PullResponse.model_validate_json(text)
    except ValidationError as error:
        raise ProtocolMismatch(
            f"unexpected answer from {source}: {str(error).splitlines()[0]}"
        ) from None


def from_response(response: PullResponse) -> PulledPage:
    """A page already decoded (never written in bulk)."""
    return PulledPage(
        text="",
        next_cursor=response.next_cursor,
        has_more=response.has_more,
        server_hlc=response.server_hlc,
        remaining=response.remaining,
        size=len(response.changes),
        bulk=False,
        _decoded=response,
    )


def read_page(body: bytes, source: str) -> PulledPage:
    """Read a pull answer (in the fetch thread): envelope and summary by SQLite, or, for an
    answer that is not a bulk page, decoded by the wire models (which raise
    :class:`ProtocolMismatch` for an answer that is not a page)."""
    try:
        text = body.decode()
    except UnicodeDecodeError:
        return from_response(decode(body, source))
    connection = sqlite3.connect(":memory:")
    try:
        envelope = _envelope(connection.execute(_ENVELOPE_SQL, (text,)).fetchall())
        if envelope is None:
            return from_response(decode(text, source))
        summary = connection.execute(_SUMMARY_SQL, {"p": text}).fetchall()
    except sqlite3.Error:  # not JSON, or not an object
        return from_response(decode(text, source))
    finally:
        connection.close()
    cursor, has_more, hlc, remaining = envelope
    size = sum(count for _, count, _, _ in summary)
    records = {entity: distinct for entity, _, distinct, _ in summary}
    page = PulledPage(
        text=text,
        next_cursor=cursor,
        has_more=has_more,
        server_hlc=hlc,
        remaining=remaining,
        size=size,
        bulk=SQLITE_WRITES_JSON and not any(odd for _, _, _, odd in summary),
        records=records,
        repeats=sum(records.values()) < size,
        _source=source,
    )
    if not page.bulk:
        page._decoded = decode(text, source)
    return page


def _envelope(rows: list[tuple[str, str, Any]]) -> tuple[str, bool, str, int | None] | None:
    """(next cursor, has more, server clock, remaining) of a page with exactly the protocol's
    keys and types; None for anything else (the wire models then say what is wrong)."""
    found = {key: (kind, value) for key, kind, value in rows}
    if not found.keys() <= _PAGE_KEYS:
        return None
    kinds = {key: kind for key, (kind, _) in found.items()}
    remaining_kind = kinds.get("remaining", "null")
    if (
        kinds.get("changes") != "array"
        or kinds.get("next_cursor") != "text"
        or kinds.get("has_more") not in ("true", "false")
        or kinds.get("server_hlc") != "text"
        or remaining_kind not in ("integer", "null")
    ):
        return None
    remaining = found["remaining"][1] if remaining_kind == "integer" else None
    return found["next_cursor"][1], kinds["has_more"] == "true", found["server_hlc"][1], remaining


# --- writing a bulk page ---------------------------------------------------------------------


def bulk_apply(session: Session, page: PulledPage) -> tuple[int, int]:
    """Write a bulk page in the caller's transaction; (records applied, records skipped).

    The caller has checked that no local edit waits to be pushed (see
    :func:`.pull_apply.apply_pulled`)."""
    connection = session.connection()
    driver = connection.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    driver.create_function(JSON_TEXT_FUNCTION, 1, _json_text, deterministic=True)
    params = {"p": page.text}
    applied = skipped = 0
    for entity, records in page.records.items():
        if not local_records.known_entity(entity):
            skipped += records
            continue
        connection.exec_driver_sql(_insert_sql(entity, page.repeats), {**params, "entity": entity})
        applied += records
        faults.reached("pull.mid_page")
    if applied:
        connection.exec_driver_sql(_versions_sql(page.repeats), params)
    return applied, skipped


def _json_text(text: str | None) -> str | None:
    """A JSON field's text as ``local_records`` stores it (``json.dumps`` of the value)."""
    return None if text is None else json.dumps(json.loads(text))


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


#: the changes written: each record's last one in the page, in the page's order
_LAST_ONLY = """
    AND c.key IN (SELECT max(d.key) FROM json_each(:p, '$.changes') AS d
        GROUP BY json_extract(d.value, '$.record_id'))
"""


def _column(name: str, stored_as_json: bool) -> str:
    if name == "id":
        return "json_extract(c.value, '$.record_id')"
    path = f"'$.values.{name}'"
    if stored_as_json:  # JSON null is SQL NULL, as for every other field
        return (
            f"CASE json_type(c.value, {path}) WHEN 'null' THEN NULL "
            f"ELSE {JSON_TEXT_FUNCTION}(c.value -> {path}) END"
        )
    return f"json_extract(c.value, {path})"


@cache
def _insert_sql(entity: str, repeats: bool) -> str:
    names = local_records.columns_of(entity)
    as_json = set(local_records.json_positions(entity))
    table = local_records.table_of(entity).name
    values = ", ".join(_column(n, i in as_json) for i, n in enumerate(names))
    updates = ", ".join(f"{_quote(n)} = excluded.{_quote(n)}" for n in names if n != "id")
    return (
        f"INSERT INTO {_quote(table)} ({', '.join(_quote(n) for n in names)}) "
        f"SELECT {values} FROM json_each(:p, '$.changes') AS c "
        f"WHERE json_extract(c.value, '$.entity') = :entity {_LAST_ONLY if repeats else ''} "
        f"ORDER BY c.key ON CONFLICT(id) DO UPDATE SET {updates}"
    )


@cache
def _versions_sql(repeats: bool) -> str:
    known = ", ".join(f"'{e}'" for e in _known_entities())
    return (
        "INSERT INTO sync_record_state (record_id, entity, version, field_versions) "
        "SELECT json_extract(c.value, '$.record_id'), json_extract(c.value, '$.entity'), "
        "json_extract(c.value, '$.version'), json_extract(c.value, '$.versions') "
        f"FROM json_each(:p, '$.changes') AS c "
        f"WHERE json_extract(c.value, '$.entity') IN ({known}) {_LAST_ONLY if repeats else ''} "
        "ORDER BY c.key ON CONFLICT(record_id) DO UPDATE SET entity = excluded.entity, "
        "version = excluded.version, field_versions = excluded.field_versions"
    )


@cache
def _known_entities() -> tuple[str, ...]:
    return tuple(sorted(e for e in MODEL_BY_ENTITY if local_records.known_entity(e)))
