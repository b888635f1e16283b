"""A user's saved customer segments (schema 5): named criteria over the accounts they see."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import ID_LENGTH, LONG_TEXT_LENGTH, SyncedRecord


class SavedSegment(SyncedRecord):
    __tablename__ = "saved_segments"
    entity_name = "saved_segment"

    owner_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))
    #: the criteria, a JSON object (see ``sfa_desktop.domain.segments``)
    definition: Mapped[Any] = mapped_column(JSON(none_as_null=True))

    __table_args__ = (Index("ix_saved_segments_owner_name", "owner_id", "name"),)
