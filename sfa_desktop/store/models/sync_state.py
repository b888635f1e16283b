"""Local sync state (never synced): the outbox, server versions, shadows, rejections.

* ``sync_outbox`` — one row per local change not yet acknowledged by the server (SPEC §4.1),
  in the order it was made (``seq``). Rows are deleted only after the server answered them.
* ``sync_record_state`` — the server version of each record the client has seen, and of each
  of its fields (a JSON object ``{field: version}``): the ``base_version`` of later edits.
* ``sync_shadow`` — for a field with pending local edits: the latest value and version the
  server is known to hold, put back if the server does not keep the local value.
* ``sync_rejected`` — mutations the server refused, with its reason, kept for the user.
* ``sync_deferred_drop`` — records that left the user's scope while they still had pending
  edits: dropped once those edits are pushed (SPEC §4.7).
* ``sync_restore_check`` — while the client re-checks a server restored from a backup: the
  records it knew that the restored server has not shown yet (sent again as creates).

The sync cursor and the last sync time and result live in ``app_meta``
(see :mod:`sfa_desktop.sync.bookkeeping`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..types import UTCDateTime
from .base import ID_LENGTH, Base

ENTITY_LENGTH = 40
FIELD_LENGTH = 60


class OutboxEntry(Base):
    """A local change waiting for the server's acknowledgement."""

    __tablename__ = "sync_outbox"

    seq: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(String(ID_LENGTH), unique=True)
    entity: Mapped[str] = mapped_column(String(ENTITY_LENGTH))
    record_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    #: create, set or delete (``sync_server.protocol.wire.MutationOp``)
    op: Mapped[str] = mapped_column(String(10))
    #: the field a ``set`` changes (None for create and delete)
    field: Mapped[str | None] = mapped_column(String(FIELD_LENGTH))
    #: the wire value: the new field value, or every initial field of a create
    value: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    base_version: Mapped[int] = mapped_column(Integer())
    hlc: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    #: how many syncs the server refused it, sent alone (see ``sync.push_failures``)
    attempts: Mapped[int] = mapped_column(Integer(), default=0)

    __table_args__ = (Index("ix_sync_outbox_record_id_field", "record_id", "field"),)


class RecordSyncState(Base):
    """The server versions of one record the client has seen."""

    __tablename__ = "sync_record_state"

    record_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    entity: Mapped[str] = mapped_column(String(ENTITY_LENGTH))
    version: Mapped[int] = mapped_column(Integer())
    field_versions: Mapped[Any] = mapped_column(JSON())


class ShadowValue(Base):
    """The server's value of a field that has pending local edits."""

    __tablename__ = "sync_shadow"

    record_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    field: Mapped[str] = mapped_column(String(FIELD_LENGTH), primary_key=True)
    entity: Mapped[str] = mapped_column(String(ENTITY_LENGTH))
    value: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    version: Mapped[int] = mapped_column(Integer())


class RejectedMutation(Base):
    """A change the server refused: kept so the user sees what was not taken, and why."""

    __tablename__ = "sync_rejected"

    id: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=True)
    mutation_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    entity: Mapped[str] = mapped_column(String(ENTITY_LENGTH))
    record_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    op: Mapped[str] = mapped_column(String(10))
    field: Mapped[str | None] = mapped_column(String(FIELD_LENGTH))
    value: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    code: Mapped[str] = mapped_column(String(60))
    message: Mapped[str | None] = mapped_column(Text())
    rejected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    #: set when the user has seen and dismissed it
    dismissed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_sync_rejected_dismissed_at", "dismissed_at", "id"),)


class DeferredDrop(Base):
    """A record that left the user's scope but still had edits to push."""

    __tablename__ = "sync_deferred_drop"

    record_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    entity: Mapped[str] = mapped_column(String(ENTITY_LENGTH))


class RestoreCheck(Base):
    """A record the client knew before the server was restored, not yet seen since."""

    __tablename__ = "sync_restore_check"

    record_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    entity: Mapped[str] = mapped_column(String(ENTITY_LENGTH))
