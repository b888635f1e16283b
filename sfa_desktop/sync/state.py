"""Sync bookkeeping stored with the data: server versions, shadows, cursor, last result.

Everything here runs inside the caller's session, so it commits (or not) together with the
record changes it describes.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections import deque
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, delete, event, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, SessionTransaction

from sfa_desktop.store.database import BUSY_TIMEOUT_MS
from sfa_desktop.store.meta import get_meta, set_meta
from sfa_desktop.store.models.sync_state import RecordSyncState, ShadowValue
from sync_server.protocol.hlc import InvalidStamp, Stamp

#: The pseudo-field under which a record's tombstone is versioned and kept pending.
DELETED_FIELD = "deleted_at"


class SyncMetaKey(StrEnum):
    """``app_meta`` keys owned by sync."""

    #: ``next_cursor`` of the last pull page applied
    CURSOR = "sync_cursor"
    #: the last clock stamp this device used or observed (restores the clock)
    LAST_HLC = "sync_last_hlc"
    #: when the last sync ended and how (JSON: see :mod:`.report`)
    LAST_SYNC = "sync_last_result"
    #: the signed-in user's e-mail, the server's id for this device and the user's name/role
    USER_EMAIL = "sync_user_email"
    SERVER_DEVICE_ID = "sync_server_device_id"
    USER_NAME = "sync_user_name"
    USER_ROLE = "sync_user_role"
    #: the server epoch the cursor belongs to (a new one: the server was restored)
    EPOCH = "sync_epoch"
    #: a restore check in progress (JSON: see :mod:`.restore_check`)
    RESTORE_CHECK = "sync_restore_check"


def get_cursor(session: Session) -> str:
    return get_meta(session, SyncMetaKey.CURSOR) or "0"


def set_cursor(session: Session, cursor: str) -> None:
    set_meta(session, SyncMetaKey.CURSOR, cursor)


def get_epoch(session: Session) -> str | None:
    return get_meta(session, SyncMetaKey.EPOCH) or None


def set_epoch(session: Session, epoch: str | None) -> None:
    set_meta(session, SyncMetaKey.EPOCH, epoch)


def get_json_meta(session: Session, key: str) -> Any:
    text = get_meta(session, key)
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def set_json_meta(session: Session, key: str, value: Any) -> None:
    set_meta(session, key, None if value is None else json.dumps(value, sort_keys=True))


# --- server versions ------------------------------------------------------------------------


def record_versions(session: Session, record_id: str) -> tuple[int, dict[str, int]] | None:
    """(record version, {field: version}) the client has seen, or None for a local record."""
    row = session.get(RecordSyncState, record_id)
    if row is None:
        return None
    return row.version, dict(row.field_versions or {})


def field_version(session: Session, record_id: str, field: str) -> int:
    """The server version of ``field`` the client last saw (0 if never synced)."""
    versions = record_versions(session, record_id)
    return versions[1].get(field, 0) if versions else 0


def record_version(session: Session, record_id: str) -> int:
    versions = record_versions(session, record_id)
    return versions[0] if versions else 0


def save_versions(
    session: Session,
    rows: Iterable[tuple[str, str, int, Mapping[str, int]]],
) -> None:
    """Insert or replace (record id, entity, version, field versions) rows."""
    params = [
        {"record_id": r, "entity": e, "version": v, "field_versions": dict(f)}
        for r, e, v, f in rows
    ]
    if not params:
        return
    statement = sqlite_insert(RecordSyncState)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[RecordSyncState.record_id],
            set_={
                "entity": statement.excluded.entity,
                "version": statement.excluded.version,
                "field_versions": statement.excluded.field_versions,
            },
        ),
        params,
    )


def bump_field_version(
    session: Session, *, entity: str, record_id: str, field: str, version: int
) -> None:
    """Record that the server holds ``field`` at ``version`` (after an acknowledged write).

    The record version does not move: it is what the client has seen of *every* field.
    """
    current = record_versions(session, record_id)
    record_v, fields = current if current else (0, {})
    fields[field] = max(fields.get(field, 0), version)
    save_versions(session, [(record_id, entity, record_v, fields)])


def forget_versions(session: Session, record_ids: Iterable[str]) -> None:
    ids = list(record_ids)
    if ids:
        session.execute(delete(RecordSyncState).where(RecordSyncState.record_id.in_(ids)))


# --- shadows ---------------------------------------------------------------------------------


def get_shadow(session: Session, record_id: str, field: str) -> ShadowValue | None:
    return session.get(ShadowValue, (record_id, field))


def keep_shadow(
    session: Session, *, entity: str, record_id: str, field: str, value: Any, version: int
) -> None:
    """Remember the server's ``value`` of a pending field (replacing an older one)."""
    statement = sqlite_insert(ShadowValue).values(
        record_id=record_id, field=field, entity=entity, value=value, version=version
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[ShadowValue.record_id, ShadowValue.field],
            set_={"value": value, "version": version},
        )
    )


def keep_shadow_if_missing(
    session: Session, *, entity: str, record_id: str, field: str, value: Any, version: int
) -> None:
    """Remember the value a first local edit replaces (the server's, as far as we know)."""
    statement = sqlite_insert(ShadowValue).values(
        record_id=record_id, field=field, entity=entity, value=value, version=version
    )
    session.execute(statement.on_conflict_do_nothing())


def drop_shadow(session: Session, record_id: str, field: str | None = None) -> None:
    condition = ShadowValue.record_id == record_id
    if field is not None:
        condition = condition & (ShadowValue.field == field)
    session.execute(delete(ShadowValue).where(condition))


def shadows_of(session: Session, record_id: str) -> dict[str, ShadowValue]:
    rows = session.scalars(select(ShadowValue).where(ShadowValue.record_id == record_id))
    return {row.field: row for row in rows}


# --- the device's clock ---------------------------------------------------------------------


def get_meta_stamp(session: Session) -> Stamp | None:
    text = get_meta(session, SyncMetaKey.LAST_HLC)
    if not text:
        return None
    try:
        return Stamp.parse(text)
    except InvalidStamp:
        return None


def set_meta_stamp(session: Session, stamp: Stamp) -> None:
    """Keep the newest stamp used or seen, so a restarted clock never goes back."""
    current = get_meta_stamp(session)
    if current is None or (stamp.wall_ms, stamp.counter) > (current.wall_ms, current.counter):
        set_meta(session, SyncMetaKey.LAST_HLC, str(stamp))


def take_write_lock(session: Session) -> None:
    """Start the transaction as a writer, before it reads anything.

    SQLite (WAL) refuses to upgrade a transaction that has read an older snapshot to a writer
    once another connection has written; taking the write lock first (waiting up to the busy
    timeout) lets sync and the UI's edits run side by side. Writers of this process take it in
    turn (:class:`WriteTurns`), so an edit made during a first sync waits for one page at most.
    """
    _take_turn(session)
    session.execute(text("UPDATE app_meta SET value = value WHERE key = 'schema_version'"))


class WriteTurns:
    """First come, first served turns at one database's write lock, among this process's threads.

    SQLite makes a writer that finds the lock taken poll for it, sleeping up to 100 ms between
    tries; a sync applying page after page takes the lock again within a millisecond of each
    commit, so an edit could wait many pages. Here the writers of this process queue instead
    and each is woken as soon as the one before it ends its transaction. Other processes still
    meet SQLite's own busy wait.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._queue: deque[object] = deque()
        self._holder: int | None = None

    @property
    def held(self) -> bool:
        return self._holder is not None

    @property
    def waiting(self) -> int:
        return len(self._queue)

    def acquire(self, timeout: float) -> bool:
        """Wait for this thread's turn; False if it did not come in ``timeout`` seconds (the
        caller then goes on and SQLite's busy timeout decides) or if the thread already holds
        the turn through another session."""
        me = threading.get_ident()
        with self._condition:
            if self._holder == me:
                return False
            ticket = object()
            self._queue.append(ticket)
            came = self._condition.wait_for(
                lambda: self._holder is None and self._queue[0] is ticket, timeout
            )
            self._queue.remove(ticket)
            if came:
                self._holder = me
            self._condition.notify_all()
            return came

    def release(self) -> None:
        with self._condition:
            self._holder = None
            self._condition.notify_all()


_TURNS: weakref.WeakKeyDictionary[Engine, WriteTurns] = weakref.WeakKeyDictionary()
_TURNS_LOCK = threading.Lock()
#: ``Session.info`` key: this session's transaction holds the turn
_HOLDS_TURN = "sfa_holds_write_turn"
_RELEASES_TURN = "sfa_releases_write_turn"


def write_turns(engine: Engine) -> WriteTurns:
    """The turns at ``engine``'s database (one per engine, made on first use)."""
    with _TURNS_LOCK:
        turns = _TURNS.get(engine)
        if turns is None:
            turns = _TURNS[engine] = WriteTurns()
        return turns


def _take_turn(session: Session) -> None:
    if session.info.get(_HOLDS_TURN):
        return
    bind = session.get_bind()
    turns = write_turns(bind.engine)
    if not turns.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
        return
    session.info[_HOLDS_TURN] = turns
    if not session.info.get(_RELEASES_TURN):
        session.info[_RELEASES_TURN] = True
        event.listen(session, "after_transaction_end", _end_turn)


def _end_turn(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        turns = session.info.pop(_HOLDS_TURN, None)
        if turns is not None:
            turns.release()
