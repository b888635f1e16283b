"""The ``app_meta`` key/value table: facts about this local file that never sync."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from .models.local import AppMeta


class MetaKey(StrEnum):
    """Well-known keys. Other modules may add their own string keys."""

    #: The store's schema version (an int as text), written by each migration.
    SCHEMA_VERSION = "schema_version"
    #: ``fts5`` or ``fallback``: which search implementation the schema uses.
    SEARCH_MODE = "search_mode"
    #: The signed-in user's id and this installation's device id.
    USER_ID = "user_id"
    DEVICE_ID = "device_id"
    #: The server this profile syncs with.
    SERVER_URL = "server_url"


def get_meta(session: Session, key: str) -> str | None:
    """The value stored under ``key``, or ``None``."""
    return session.execute(select(AppMeta.value).where(AppMeta.key == str(key))).scalar()


def set_meta(session: Session, key: str, value: str | None) -> None:
    """Store ``value`` under ``key`` (``None`` removes the key)."""
    if value is None:
        session.execute(delete(AppMeta).where(AppMeta.key == str(key)))
        return
    if not isinstance(value, str):
        raise TypeError(f"app_meta values are text, got {type(value).__name__}")
    statement = sqlite_insert(AppMeta).values(key=str(key), value=value)
    session.execute(
        statement.on_conflict_do_update(index_elements=[AppMeta.key], set_={"value": value})
    )


def get_meta_int(session: Session, key: str) -> int | None:
    """The value under ``key`` as an int (``None`` if missing or not a number)."""
    value = get_meta(session, key)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
