"""Sync bookkeeping stored with the data: server versions, shadows, cursor, epoch, clock.

Everything here runs inside the caller's session, so it commits (or not) together with the
record changes it describes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from typing import Any

from pydantic_core import to_json
from sqlalchemy import delete
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

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
    #: the certificate authority file trusted for this server besides the usual ones
    #: (absolute path; absent: only the usual ones, see :mod:`.trust`)
    CA_FILE = "sync_ca_file"


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


#: (record id, entity, record version, field versions as JSON text): see :func:`version_row`
VersionRow = tuple[str, str, int, str]

_VERSIONS_SQL = (
    "INSERT INTO sync_record_state (record_id, entity, version, field_versions) "
    "VALUES (?, ?, ?, ?) ON CONFLICT(record_id) DO UPDATE SET entity = excluded.entity, "
    "version = excluded.version, field_versions = excluded.field_versions"
)


def version_row(
    record_id: str, entity: str, version: int, field_versions: Mapping[str, int]
) -> VersionRow:
    """One row for :func:`save_versions`."""
    # pydantic-core's encoder: the same JSON (compact) several times faster than json.dumps
    return (record_id, entity, version, to_json(field_versions).decode())


def save_versions(session: Session, rows: Sequence[VersionRow]) -> None:
    """Insert or replace the server versions of records, in one ``executemany`` (a pulled page
    writes thousands)."""
    if rows:
        session.connection().exec_driver_sql(_VERSIONS_SQL, rows)


def forget_versions(session: Session, record_ids: Iterable[str]) -> None:
    ids = list(record_ids)
    if ids:
        session.execute(delete(RecordSyncState).where(RecordSyncState.record_id.in_(ids)))


# --- shadows ---------------------------------------------------------------------------------


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
