"""Visits and other activities (calls, e-mails, meetings, tasks): the entity is ``visit``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..types import UTCDateTime
from .base import ENUM_LENGTH, ID_LENGTH, LONG_TEXT_LENGTH, SyncedRecord, live_rows


class Visit(SyncedRecord):
    __tablename__ = "visits"
    entity_name = "visit"

    account_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    contact_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    owner_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    kind: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    subject: Mapped[str | None] = mapped_column(String(200))
    planned_start: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    planned_end: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str | None] = mapped_column(String(2000))
    notes: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))
    next_step: Mapped[str | None] = mapped_column(String(500))
    follow_up_date: Mapped[dt.date | None] = mapped_column(Date())
    follow_up_of_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))

    __table_args__ = (
        # An account's timeline and a rep's agenda ("today's visits") are time ranges.
        Index("ix_visits_account_live", "account_id", "planned_start", sqlite_where=live_rows()),
        Index("ix_visits_owner_live", "owner_id", "planned_start", sqlite_where=live_rows()),
        Index("ix_visits_status_live", "status", "planned_start", sqlite_where=live_rows()),
        # An account's last done and next planned visit (cadence, the account page): one seek.
        # Not partial, and deleted_at is a column, so the "last done visit" reads the index
        # alone (SQLite does not count a partial index's WHERE columns as covered).
        Index(
            "ix_visits_account_status",
            "account_id",
            "status",
            "planned_start",
            "checked_in_at",
            "deleted_at",
        ),
        # The Today view's follow-ups due: a user's live activities with a follow-up date, by
        # date (a range; status and id in the index, so candidates are told apart without
        # reading the table), and whether a live activity follows one up (a covering seek).
        Index(
            "ix_visits_owner_follow_up",
            "owner_id",
            "follow_up_date",
            "status",
            "id",
            sqlite_where=text("follow_up_date IS NOT NULL AND deleted_at IS NULL"),
        ),
        Index(
            "ix_visits_follow_up_of",
            "follow_up_of_id",
            "deleted_at",
            sqlite_where=text("follow_up_of_id IS NOT NULL"),
        ),
    )
