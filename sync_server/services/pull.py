"""Pull: pages of changes after a cursor, filtered to what the user may see (SPEC §4.4, §4.6).

The cursor is the last change-feed value delivered. A page reads the counter first (every
value up to it is committed, see ``allocate_sequence``), then the visible records and scope
exits numbered after the cursor and up to that value. When the page is not full the cursor
jumps to the counter value, so later pulls skip changes the user may not see.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from sync_server.db import records
from sync_server.db.records import PulledRecord, ScopeExitRow
from sync_server.protocol.wire import ChangeKind, PullResponse, RecordChange

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


def pull(
    session: Session, *, user_id: str, cursor: str, limit: int, context: SyncContext
) -> PullResponse:
    """One page of changes; ``session`` is a read transaction (one snapshot on SQLite)."""
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
        [_upsert_or_delete(r) for r in pulled] + [_left_scope(e) for e in exits],
        key=lambda change: change.seq,
    )
    has_more = len(changes) > limit
    page = changes[:limit]
    next_cursor = page[-1].seq if has_more else upto
    remaining = None
    if has_more and after == 0:
        remaining = records.count_pending(session, after=next_cursor, upto=upto, owners=owners)
    return PullResponse(
        changes=page,
        next_cursor=str(next_cursor),
        has_more=has_more,
        server_hlc=str(context.server_stamp()),
        remaining=remaining,
    )


def _upsert_or_delete(record: PulledRecord) -> RecordChange:
    values = dict(record.data)
    values["id"] = record.id
    values["created_at"] = record.created_at
    values["updated_at"] = record.updated_at
    values["deleted_at"] = record.deleted_at
    # built from stored, already checked data: skip re-validating thousands of records a page
    return RecordChange.model_construct(
        seq=record.seq,
        entity=record.entity,
        record_id=record.id,
        kind=ChangeKind.DELETE if record.deleted_at else ChangeKind.UPSERT,
        values=values,
        versions=record.versions,
        version=record.version,
    )


def _left_scope(exit_row: ScopeExitRow) -> RecordChange:
    return RecordChange(
        seq=exit_row.seq,
        entity=exit_row.entity,
        record_id=exit_row.record_id,
        kind=ChangeKind.LEFT_SCOPE,
    )
