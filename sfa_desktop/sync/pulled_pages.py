"""Pulled pages read into rows in the fetch thread, written by the writing thread in bulk.

A first sync is a bulk load: 100,000 records arrive in pages of 2,000. The wire models
(pydantic) validating every change and the writing thread building rows from them cost more
than the inserts' own work beside them. Letting SQLite's JSON functions write the rows straight
from the page's text (``INSERT … SELECT … FROM json_each``) took that off Python, but SQLite
(3.40) parses each change again for every column it extracts and the whole page again for every
entity: about as much work as the inserts themselves, in the writing thread.

Here the fetch thread parses the page once (``pydantic_core.from_json``, the wire models' own
JSON parser, so the same values) and checks its shape; when every change is a plain upsert or
tombstone of a record (no record leaving scope, no conflict) with the shape the protocol gives
it, the page is *bulk*: the fetch thread builds the rows — the same rows, in the same order, as
:func:`.pull_apply.apply_page` writes (later changes of a record replace earlier ones), with the
same helpers (:func:`.local_records.row_params`, :func:`.bookkeeping.version_row`) — and the
writing thread only inserts them (one ``executemany`` per entity and one for the server
versions), as a plain bulk insert would.

Any other page, and any page met while local edits wait to be pushed (their fields must not be
overwritten), goes through :attr:`PulledPage.changes`, validated by the wire models as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import from_json
from sqlalchemy.orm import Session

from sfa_desktop.store.bulk_insert import BulkInsert
from sync_server.protocol.wire import ChangeKind, PullResponse, RecordChange

from . import bookkeeping, faults, local_records
from .errors import ProtocolMismatch

#: the keys of a page and of a change (the wire models forbid others)
_PAGE_KEYS = frozenset(PullResponse.model_fields)
_CHANGE_KEYS = frozenset(RecordChange.model_fields)
#: the kinds a bulk page holds (a record leaving scope is merged change by change)
_BULK_KINDS = frozenset({ChangeKind.UPSERT.value, ChangeKind.DELETE.value})
#: conflicts are counted and merged change by change
_NOT_BULK_ENTITIES = frozenset({"conflict"})


@dataclass
class PulledPage:
    """One page of a pull: its envelope, how many changes it holds, and its rows or changes."""

    text: str | bytes
    next_cursor: str
    has_more: bool
    server_hlc: str
    remaining: int | None
    #: how many changes the page holds
    size: int
    #: every change a plain upsert or tombstone: :func:`bulk_apply` may write the page
    bulk: bool
    #: a bulk page's rows of each entity, as :func:`.local_records.upsert_rows` takes them
    rows: dict[str, list[tuple[Any, ...]]] = field(default_factory=dict)
    #: a bulk page's server versions, as :func:`.bookkeeping.save_versions` takes them
    versions: list[bookkeeping.VersionRow] = field(default_factory=list)
    #: a bulk page's records of entities this client does not keep
    skipped: int = 0
    _decoded: PullResponse | None = None
    _source: str = ""
    #: the parsed changes, until :meth:`prepare`
    _parsed: list[Any] | None = None

    @property
    def changes(self) -> list[RecordChange]:
        """The changes as wire models (decoded on first use)."""
        return self.decoded().changes

    def prepare(self) -> None:
        """A page just read (:func:`read_envelope`): a plain one into its rows, any other
        decoded by the wire models."""
        changes, self._parsed = self._parsed, None
        if changes is None:
            return
        self.bulk = all(map(_plain, changes))
        if self.bulk:
            _build_rows(self, changes)
        else:
            self.decoded()

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
    """Read a pull answer: :func:`read_envelope`, then :meth:`PulledPage.prepare`."""
    page = read_envelope(body, source)
    page.prepare()
    return page


def read_envelope(body: bytes, source: str) -> PulledPage:
    """Parse a pull answer and read its envelope (the next cursor…); its changes are made
    ready to write by :meth:`PulledPage.prepare` (the next page may be requested between the
    two). An answer that is not a page is decoded by the wire models, which raise
    :class:`ProtocolMismatch`."""
    try:
        parsed = from_json(body, allow_inf_nan=False, cache_strings="keys")
    except ValueError:  # not JSON: the wire models say so
        return from_response(decode(body, source))
    envelope = _envelope(parsed)
    if envelope is None:
        return from_response(decode(body, source))
    cursor, has_more, hlc, remaining = envelope
    changes: list[Any] = parsed["changes"]
    return PulledPage(
        text=body,
        next_cursor=cursor,
        has_more=has_more,
        server_hlc=hlc,
        remaining=remaining,
        size=len(changes),
        bulk=False,
        _source=source,
        _parsed=changes,
    )


def _envelope(parsed: Any) -> tuple[str, bool, str, int | None] | None:
    """(next cursor, has more, server clock, remaining) of a page with exactly the protocol's
    keys and types; None for anything else (the wire models then say what is wrong)."""
    if type(parsed) is not dict or not parsed.keys() <= _PAGE_KEYS:
        return None
    cursor, has_more = parsed.get("next_cursor"), parsed.get("has_more")
    hlc, remaining = parsed.get("server_hlc"), parsed.get("remaining")
    if (
        type(parsed.get("changes")) is not list
        or type(cursor) is not str
        or type(has_more) is not bool
        or type(hlc) is not str
        or (remaining is not None and type(remaining) is not int)
    ):
        return None
    return cursor, has_more, hlc, remaining


def _plain(change: Any) -> bool:
    """A plain upsert or tombstone of a record, with the protocol's shape in exact types
    (anything else, ``true`` for a number say, is left to the wire models)."""
    if type(change) is not dict or not change.keys() <= _CHANGE_KEYS:
        return False
    versions, kind = change.get("versions"), change.get("kind")
    return (
        type(kind) is str
        and kind in _BULK_KINDS
        and type(change.get("seq")) is int
        and type(change.get("entity")) is str
        and type(change.get("record_id")) is str
        and type(change.get("values")) is dict
        and type(versions) is dict
        and type(change.get("version")) is int
        and change["entity"] not in _NOT_BULK_ENTITIES
        and all(type(v) is int for v in versions.values())
    )


def _build_rows(page: PulledPage, changes: list[dict[str, Any]]) -> None:
    """The rows :func:`.pull_apply.apply_page` would write for these changes."""
    latest: dict[str, dict[str, Any]] = {}
    for change in changes:
        record_id = change["record_id"]
        latest.pop(record_id, None)  # the last change of a record wins, in its place
        latest[record_id] = change
    for record_id, change in latest.items():
        entity = change["entity"]
        if not local_records.known_entity(entity):
            page.skipped += 1
            continue
        rows = page.rows.get(entity)
        if rows is None:
            rows = page.rows[entity] = []
        rows.append(local_records.row_params(entity, change["values"], record_id))
        page.versions.append(
            bookkeeping.version_row(record_id, entity, change["version"], change["versions"])
        )


# --- writing a bulk page ---------------------------------------------------------------------


def bulk_apply(
    session: Session, page: PulledPage, bulk: BulkInsert | None = None
) -> tuple[int, int]:
    """Write a bulk page in the caller's transaction; (records applied, records skipped).

    The caller has checked that no local edit waits to be pushed (see
    :func:`.pull_apply.apply_pulled`). With ``bulk``, new records go in as plain inserts
    (see :func:`.local_records.write_rows`); the caller settles it before the commit."""
    for entity, rows in page.rows.items():
        local_records.write_rows(session, entity, rows, bulk)
        faults.reached("pull.mid_page")
    bookkeeping.save_versions(session, page.versions)
    return len(page.versions), page.skipped
