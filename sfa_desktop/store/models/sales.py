"""Opportunities and their stage history, quotes with their lines, and forecast submissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import Boolean, Date, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..types import ExactDecimal, UTCDateTime
from .base import ENUM_LENGTH, ID_LENGTH, LONG_TEXT_LENGTH, SyncedRecord, live_rows


class Opportunity(SyncedRecord):
    __tablename__ = "opportunities"
    entity_name = "opportunity"

    account_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    owner_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    amount: Mapped[int] = mapped_column(Integer())
    currency: Mapped[str] = mapped_column(String(3))
    probability: Mapped[int | None] = mapped_column(Integer())
    expected_close_date: Mapped[dt.date | None] = mapped_column(Date())
    forecast_category: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    lost_reason: Mapped[str | None] = mapped_column(String(500))
    next_step: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        # An account's deals; with each buyer's first won deal (the scorecard) read from the
        # index alone (widened by migration 0024; deleted_at a column so that it covers).
        Index(
            "ix_opportunities_account_live",
            *("account_id", "stage", "currency", "expected_close_date", "deleted_at"),
            sqlite_where=live_rows(),
        ),
        Index("ix_opportunities_owner_stage_live", "owner_id", "stage", sqlite_where=live_rows()),
        # A period's forecast figures: a range scan of this index alone (it covers them).
        Index(
            "ix_opportunities_close_live",
            "expected_close_date",
            "owner_id",
            "currency",
            "stage",
            "forecast_category",
            "amount",
            "probability",
            sqlite_where=live_rows(),
        ),
        # The high-value customers' data version (won deals: count, latest change; 0019).
        Index(
            "ix_opportunities_stage_updated_live",
            *("stage", "updated_at", "deleted_at"),
            sqlite_where=live_rows(),
        ),
        # The scorecard (migration 0024): a period's won deals in one currency, read from the
        # index alone (deleted_at a column, not a partial condition, so the index covers).
        Index(
            "ix_opportunities_won_close",
            *("stage", "currency", "expected_close_date", "owner_id", "account_id"),
            *("amount", "id", "created_at", "deleted_at"),
        ),
        Index(
            "ix_opportunities_owner_value",
            *("owner_id", "stage", "expected_close_date", "account_id", "amount"),
            *("probability", "deleted_at"),
        ),
    )


class OpportunityStageChange(SyncedRecord):
    """One change of an opportunity's stage or expected close date (read-only history)."""

    __tablename__ = "opportunity_stage_changes"
    entity_name = "opportunity_stage_change"

    opportunity_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    from_stage: Mapped[str | None] = mapped_column(String(ENUM_LENGTH))
    to_stage: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    from_close_date: Mapped[dt.date | None] = mapped_column(Date())
    to_close_date: Mapped[dt.date | None] = mapped_column(Date())
    amount: Mapped[int] = mapped_column(Integer())
    currency: Mapped[str] = mapped_column(String(3))
    changed_by_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # An opportunity's history is read in order (age in stage, slips, cycle time).
        Index("ix_opportunity_stage_changes_opportunity", "opportunity_id", "changed_at"),
        # The day each deal was won (its latest live change to closed_won): one ordered pass
        # over the index alone (the scorecard, migration 0024).
        Index(
            "ix_opportunity_stage_changes_to",
            *("to_stage", "deleted_at", "opportunity_id", "changed_at"),
        ),
    )


class Quote(SyncedRecord):
    __tablename__ = "quotes"
    entity_name = "quote"

    number: Mapped[str] = mapped_column(String(40))
    account_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    contact_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    opportunity_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    owner_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    revision: Mapped[int] = mapped_column(Integer())
    previous_quote_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    status: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    currency: Mapped[str] = mapped_column(String(3))
    price_list_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    issue_date: Mapped[dt.date | None] = mapped_column(Date())
    valid_until: Mapped[dt.date | None] = mapped_column(Date())
    terms: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))
    notes: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))
    approved_by_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    customer_note: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    decision_note: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))
    rejection_reason: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))

    __table_args__ = (
        # Numbers embed the rep code and a per-rep sequence, so they are unique company-wide;
        # a quote's revisions share its number; a deleted quote keeps its number.
        UniqueConstraint("number", "revision"),
        Index("ix_quotes_account_live", "account_id", sqlite_where=live_rows()),
        # A deal's quotes (the segment cache's triggers, the scorecard's split by family): one
        # seek, the index alone (see migration 0023).
        Index("ix_quotes_opportunity", "opportunity_id", "status", "revision", "id", "deleted_at"),
        # The scorecard's decided quotes of a period, in one currency (migration 0024).
        Index("ix_quotes_decided", "status", "currency", "issue_date", "owner_id", "deleted_at"),
        # The Quotes list (see migration 0013): newest issue first, one status, one owner. The
        # first two carry every column the list's filters read (deleted_at included), so a
        # count reads the index alone.
        Index(
            "ix_quotes_owner_live",
            "owner_id",
            "issue_date",
            "number",
            "id",
            sqlite_where=live_rows(),
        ),
        Index(
            "ix_quotes_list_live",
            *("issue_date", "number", "id", "status", "valid_until", "account_id", "owner_id"),
            "deleted_at",
            sqlite_where=live_rows(),
        ),
        Index(
            "ix_quotes_status_live",
            *("status", "issue_date", "number", "id", "valid_until", "deleted_at"),
            sqlite_where=live_rows(),
        ),
        # The co-purchase tables' data version (accepted quotes: count, latest change; 0019).
        Index(
            "ix_quotes_status_updated_live",
            "status",
            "updated_at",
            "deleted_at",
            sqlite_where=live_rows(),
        ),
    )


class QuoteLine(SyncedRecord):
    __tablename__ = "quote_lines"
    entity_name = "quote_line"

    quote_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    product_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    description: Mapped[str] = mapped_column(String(2000))
    quantity: Mapped[Decimal] = mapped_column(ExactDecimal())
    unit_price: Mapped[int] = mapped_column(Integer())
    discount_pct: Mapped[Decimal] = mapped_column(ExactDecimal())
    tax_rate_pct: Mapped[Decimal] = mapped_column(ExactDecimal())
    position: Mapped[int] = mapped_column(Integer())
    kind: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    optional: Mapped[bool] = mapped_column(Boolean())

    __table_args__ = (
        Index("ix_quote_lines_quote_live", "quote_id", "position", sqlite_where=live_rows()),
        # A won deal's accepted quote's item lines, priced, from the index alone (the
        # scorecard's split by family, migration 0024).
        Index(
            "ix_quote_lines_quote_items",
            *("quote_id", "kind", "optional", "deleted_at", "product_id"),
            *("quantity", "unit_price", "discount_pct"),
        ),
    )


class ForecastSubmission(SyncedRecord):
    __tablename__ = "forecast_submissions"
    entity_name = "forecast_submission"

    owner_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    period: Mapped[str] = mapped_column(String(7))
    currency: Mapped[str] = mapped_column(String(3))
    commit_amount: Mapped[int] = mapped_column(Integer())
    best_case_amount: Mapped[int] = mapped_column(Integer())
    pipeline_amount: Mapped[int] = mapped_column(Integer())
    closed_amount: Mapped[int] = mapped_column(Integer())
    rep_adjustment: Mapped[int | None] = mapped_column(Integer())
    rep_note: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    manager_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    manager_adjustment: Mapped[int | None] = mapped_column(Integer())
    manager_note: Mapped[str | None] = mapped_column(String(LONG_TEXT_LENGTH))
    manager_adjusted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        # Submissions are dated snapshots: a period's history is read newest first.
        Index("ix_forecast_submissions_owner_period", "owner_id", "period", "submitted_at"),
    )


class ForecastAdjustment(SyncedRecord):
    """A manager's adjustment of a rep's (or a team's) forecast call: one record per
    adjustment, never changed (the history)."""

    __tablename__ = "forecast_adjustments"
    entity_name = "forecast_adjustment"

    owner_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    period: Mapped[str] = mapped_column(String(7))
    scope: Mapped[str] = mapped_column(String(ENUM_LENGTH))
    currency: Mapped[str] = mapped_column(String(3))
    amount: Mapped[int] = mapped_column(Integer())
    note: Mapped[str] = mapped_column(String(2000))
    adjusted_by_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    adjusted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    __table_args__ = (
        # The review reads a period's adjustments at once, in order.
        Index("ix_forecast_adjustments_period", "period", "adjusted_at"),
    )
