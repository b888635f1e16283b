"""Accounts and their contacts: the records reps search and list the most."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Float, Index, Integer, String, Text, literal_column, text
from sqlalchemy.orm import Mapped, mapped_column

from ..collation import name_key
from ..types import UTCDateTime
from .base import ENUM_LENGTH, ID_LENGTH, LONG_TEXT_LENGTH, SyncedRecord, live_rows

#: The partial "live rows" condition of an index.
_LIVE: dict[str, Any] = {"sqlite_where": live_rows()}


class Account(SyncedRecord):
    __tablename__ = "accounts"
    entity_name = "account"

    name: Mapped[str] = mapped_column(String(200, collation="NOCASE"))
    tax_id: Mapped[str | None] = mapped_column(String(20))
    industry: Mapped[str | None] = mapped_column(String(80))
    address: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(12))
    city: Mapped[str | None] = mapped_column(String(120, collation="NOCASE"))
    region: Mapped[str | None] = mapped_column(String(120, collation="NOCASE"))
    country: Mapped[str] = mapped_column(String(2))
    latitude: Mapped[float | None] = mapped_column(Float())
    longitude: Mapped[float | None] = mapped_column(Float())
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(300))
    owner_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    lifecycle_stage: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    preferred_channel: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    visit_cadence_days: Mapped[int | None] = mapped_column(Integer())
    tags: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    #: estimated yearly spend in our categories, company currency, minor units (schema 5)
    annual_potential: Mapped[int | None] = mapped_column(Integer())
    needs: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))
    notes: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))

    #: Local only: folded search words, filled by triggers when FTS5 is unavailable.
    search_text: Mapped[str | None] = mapped_column(Text())

    __table_args__ = (
        # Each list sort is "key, name, id" so a page is an index walk; the same indexes
        # serve "filter by owner/region/stage, sorted by name". Names (and cities) are in
        # Spanish order: the indexes hold their sfa_sort_key (see store.collation). The name
        # index also covers deleted accounts: contacts sorted by account name walk it.
        Index("ix_accounts_name", name_key(literal_column("name")), "id"),
        Index(
            "ix_accounts_owner_live", "owner_id", name_key(literal_column("name")), "id", **_LIVE
        ),
        Index(
            "ix_accounts_city_live",
            name_key(literal_column("city")),
            name_key(literal_column("name")),
            "id",
            **_LIVE,
        ),
        Index("ix_accounts_region_live", "region", name_key(literal_column("name")), "id", **_LIVE),
        Index(
            "ix_accounts_stage_live",
            "lifecycle_stage",
            name_key(literal_column("name")),
            "id",
            **_LIVE,
        ),
        Index("ix_accounts_updated_live", "updated_at", "id", sqlite_where=live_rows()),
        # Today's "overdue for a visit": the owner's accounts with a cadence, read from the
        # index alone; the table row is fetched only for the accounts that may be overdue.
        Index(
            "ix_accounts_owner_cadence",
            "owner_id",
            "visit_cadence_days",
            "created_at",
            "id",
            sqlite_where=text("deleted_at IS NULL AND visit_cadence_days > 0"),
        ),
        # The scorecard's customers with a cadence and accounts with a potential, by owner, from
        # the indexes alone (0024).
        Index(
            "ix_accounts_stage_cadence",
            *("lifecycle_stage", "owner_id", "visit_cadence_days", "id", "deleted_at"),
        ),
        Index("ix_accounts_owner_potential", "owner_id", "annual_potential", "deleted_at"),
    )


class Contact(SyncedRecord):
    __tablename__ = "contacts"
    entity_name = "contact"

    account_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    first_name: Mapped[str] = mapped_column(String(100, collation="NOCASE"))
    last_name: Mapped[str | None] = mapped_column(String(100, collation="NOCASE"))
    job_title: Mapped[str | None] = mapped_column(String(120))
    purchase_role: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    mobile: Mapped[str | None] = mapped_column(String(40))
    preferred_channel: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    marketing_consent: Mapped[bool] = mapped_column(Boolean())
    consent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    consent_source: Mapped[str | None] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))

    #: Local only: folded search words, filled by triggers when FTS5 is unavailable.
    search_text: Mapped[str | None] = mapped_column(Text())

    __table_args__ = (
        Index(
            "ix_contacts_name_live",
            name_key(literal_column("last_name")),
            name_key(literal_column("first_name")),
            "id",
            **_LIVE,
        ),
        Index(
            "ix_contacts_account_live",
            "account_id",
            name_key(literal_column("last_name")),
            name_key(literal_column("first_name")),
            "id",
            **_LIVE,
        ),
    )
