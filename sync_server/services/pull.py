"""Pull: pages of changes after a cursor, filtered to what the user may see (SPEC §4.4, §4.6).

The cursor is the last change-feed value delivered. A page reads the counter first (every
value up to it is committed, see ``allocate_sequence``), then the visible records and scope
exits numbered after the cursor and up to that value. When the page is not full the cursor
jumps to the counter value, so later pulls skip changes the user may not see.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy.orm import Session

from sync_server.db import records
from sync_server.db.records import PulledRecord, ScopeExitRow
from sync_server.protocol.wire import ChangeKind, RecordChange

from .actor import SyncContext
from .errors import ServiceError
from .scopes import Directory, visibility_for


class CursorAhead(ServiceError):
    code = "cursor_ahead"
    status = 409


def parse_cursor(text: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise ServiceError(
            "the cursor is a change number returned by a previous pull", code="bad_cursor"
        )
    return int(text)


@dataclass(frozen=True)
class PullPage:
    """One page of a pull, its changes already JSON text (see :func:`pull`)."""

    #: each change as the JSON text of a :class:`RecordChange`, by sequence
    changes: list[str]
    next_cursor: str
    has_more: bool
    server_hlc: str
    remaining: int | None

    def to_json(self) -> str:
        """The page as the JSON text of a :class:`PullResponse` (the same fields, in order)."""
        return (
            f'{{"changes":[{",".join(self.changes)}],"next_cursor":{json.dumps(self.next_cursor)},'
            f'"has_more":{"true" if self.has_more else "false"},'
            f'"server_hlc":{json.dumps(self.server_hlc)},'
            f'"remaining":{"null" if self.remaining is None else int(self.remaining)}}}'
        )


def pull(
    session: Session, *, user_id: str, cursor: str, limit: int, context: SyncContext
) -> PullPage:
    """One page of changes; ``session`` is a read transaction (one snapshot on SQLite).

    A first sync pulls the whole territory, and decoding each record's stored JSON into
    Python values only to encode them again was most of the server's work: a record's
    change is written as text around its stored JSON instead (:func:`_upsert_or_delete`)."""
    after = parse_cursor(cursor)
    upto = records.latest_sequence(session)
    if after > upto:
        raise CursorAhead(
            "this cursor is ahead of the server (was the server restored?): pull again from 0"
        )
    visibility = visibility_for(Directory.load(session), user_id)
    owners = visibility.owners
    pulled = records.pull_records(session, after=after, upto=upto, owners=owners, limit=limit + 1)
    exits: list[ScopeExitRow] = []
    if owners is not None:
        exits = records.pull_exits(session, after=after, upto=upto, owners=owners, limit=limit + 1)
    changes = sorted(
        [(r.seq, _upsert_or_delete(r)) for r in pulled] + [_left_scope(e) for e in exits],
        key=lambda change: change[0],
    )
    has_more = len(changes) > limit
    page = changes[:limit]
    next_cursor = page[-1][0] if has_more else upto
    remaining = None
    if has_more and after == 0:
        remaining = records.count_pending(session, after=next_cursor, upto=upto, owners=owners)
    return PullPage(
        changes=[text for _, text in page],
        next_cursor=str(next_cursor),
        has_more=has_more,
        server_hlc=str(context.server_stamp()),
        remaining=remaining,
    )


def _upsert_or_delete(record: PulledRecord) -> str:
    """The change's JSON text: its values are the stored ones with the common fields after
    them (a stored field of the same name gives way, as JSON's last key wins)."""
    inner = record.data.strip()[1:-1].strip()
    deleted = "null" if record.deleted_at is None else f'"{record.deleted_at}"'
    record_id = json.dumps(record.id)
    values = (
        f'{{{inner}{"," if inner else ""}"id":{record_id},"created_at":"{record.created_at}",'
        f'"updated_at":"{record.updated_at}","deleted_at":{deleted}}}'
    )
    kind = ChangeKind.DELETE if record.deleted_at is not None else ChangeKind.UPSERT
    return (
        f'{{"seq":{int(record.seq)},"entity":{json.dumps(record.entity)},'
        f'"record_id":{record_id},"kind":"{kind.value}","values":{values},'
        f'"versions":{record.versions},"version":{int(record.version)}}}'
    )


def _left_scope(exit_row: ScopeExitRow) -> tuple[int, str]:
    change = RecordChange(
        seq=exit_row.seq,
        entity=exit_row.entity,
        record_id=exit_row.record_id,
        kind=ChangeKind.LEFT_SCOPE,
    )
    return exit_row.seq, change.model_dump_json()
