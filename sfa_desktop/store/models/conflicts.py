"""Conflicts recorded by the server when a concurrent edit was not kept (SPEC §4.3)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..types import UTCDateTime
from .base import ID_LENGTH, SyncedRecord


class Conflict(SyncedRecord):
    __tablename__ = "conflicts"
    entity_name = "conflict"

    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    field: Mapped[str] = mapped_column(String(60))
    kept_value: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    lost_value: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    kept_by_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    lost_by_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    kept_device_id: Mapped[str | None] = mapped_column(String(64))
    lost_device_id: Mapped[str | None] = mapped_column(String(64))
    kept_hlc: Mapped[str | None] = mapped_column(String(64))
    lost_hlc: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(40))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    resolved: Mapped[bool] = mapped_column(Boolean())
    resolved_by_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_conflicts_entity_record_id", "entity", "record_id"),
        Index("ix_conflicts_resolved", "resolved", "occurred_at"),
    )
