"""Tables that never sync: profile and schema facts about this local file, derived data."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, Date, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..types import UTCDateTime
from .base import ID_LENGTH, Base


class AppMeta(Base):
    """Key/value facts about this file (schema version, current user, device id…)."""

    __tablename__ = "app_meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text())


class AccountVisitSummary(Base):
    """Each account's last done and next planned activity, kept by triggers on ``visits``.

    Derived data, never synced: ``last_done_at`` is the latest check-in (else planned start)
    of the account's live done activities, ``next_planned_at`` the earliest planned start of
    its live planned ones (any kind, any owner), exactly what the cadence rule reads
    (:mod:`sfa_desktop.domain.cadence`). Triggers created by the
    ``0005_account_visit_summary`` revision refresh an account's row on every insert, update
    (of the columns it depends on) and delete of its activities, so every write path keeps
    it exact. An account without live activities may have no row, or one of ``NULL``\\ s.
    """

    __tablename__ = "account_visit_summary"

    account_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    last_done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    next_planned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    # Clustered on the account: the Today view reads it with one seek per account.
    __table_args__ = ({"sqlite_with_rowid": False},)


class AccountVisitDue(Base):
    """When each live account with a visit cadence falls due: derived data, never synced.

    Kept exact by triggers (revision ``0022_account_visit_due``) on ``accounts`` and on
    :class:`AccountVisitSummary` (itself kept by the triggers on ``visits``). :attr:`day` is the
    UTC day the account is due on (the creation day for one never visited; last visit + its
    cadence), except when :attr:`tier_cadence`: the account, visited, is still at the catalog's
    default cadence, so it is due at its strategic tier's cadence after :attr:`day` (its last
    visit's UTC day), which only the reader knows. ``''``: no day can be read (always a
    candidate). :attr:`planned_in`: whole days from :attr:`day` to its next planned activity's
    UTC day (:data:`NOTHING_PLANNED` when none). The rest is what Today shows of the account,
    copied from it and its visit summary.

    Clustered on the owner, the kind, the day and the lead: Today's overdue accounts are two
    ranges of it (:func:`sfa_desktop.store.repositories.today.cadence_facts`), rows next to
    each other.
    """

    __tablename__ = "account_visit_due"

    owner_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    tier_cadence: Mapped[bool] = mapped_column(Boolean(), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    planned_in: Mapped[int] = mapped_column(Integer(), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(120))
    cadence_days: Mapped[int] = mapped_column(Integer())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    next_planned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (
        Index("ix_account_visit_due_account", "account_id", unique=True),
        {"sqlite_with_rowid": False},
    )


#: :attr:`AccountVisitDue.planned_in` of an account with nothing planned.
NOTHING_PLANNED = 999_999


class PendingFollowUp(Base):
    """A live done activity with a follow-up date that no live activity follows up yet.

    Derived data, never synced, kept exact by triggers on ``visits`` (revision
    ``0007_pending_follow_ups``): inserting a follow-up (``follow_up_of_id``) removes its
    activity from here, deleting it brings the activity back. Today's "follow-ups due" is a
    range of :attr:`owner_id` + :attr:`follow_up_date` in this table, however many activities
    were followed up before.
    """

    __tablename__ = "pending_follow_ups"

    visit_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    owner_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    follow_up_date: Mapped[dt.date] = mapped_column(Date())

    __table_args__ = (
        Index("ix_pending_follow_ups_owner_date", "owner_id", "follow_up_date", "visit_id"),
        {"sqlite_with_rowid": False},
    )


class AccountValueChange(Base):
    """An account whose value row was dropped, or that was added, re-owned or deleted, in
    the order it happened (written by the triggers of ``0021_account_value_valid_until``): a
    reader that keeps the value table in memory reads only the changes after the last one it
    saw (:func:`sfa_desktop.services.customer_values.account_value_table`)."""

    __tablename__ = "account_value_changes"

    seq: Mapped[int] = mapped_column(Integer(), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(ID_LENGTH))

    __table_args__ = ({"sqlite_autoincrement": True},)


class AccountValueCache(Base):
    """Each account's value figures (:mod:`sfa_desktop.domain.customer_value_model`) as of a
    day, and its tiers: derived data, never synced.

    Amounts are in the company currency's minor units, ratios are fractions. Triggers created
    by the ``0020_account_value_cache`` revision delete an account's row whenever something
    its figures read changes (its activities, opportunities, quotes and their lines, its
    potential), and every row when a product's unit cost or the company's value settings
    change; a missing row, or one that no longer holds (from ``valid_until`` on, or before
    ``as_of``), is computed again on the next read
    (:func:`sfa_desktop.services.customer_values.account_value_table`). The tiers compare
    accounts, so they are written after every read that changed a figure. Every row dropped
    is logged (:class:`AccountValueChange`, ``0021_account_value_valid_until``), so that the
    table kept in memory reads only what changed.
    """

    __tablename__ = "account_value_cache"

    account_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date())
    value: Mapped[int] = mapped_column(Integer())
    historic: Mapped[int] = mapped_column(Integer())
    last_12m: Mapped[int] = mapped_column(Integer())
    current_year: Mapped[int] = mapped_column(Integer())
    potential: Mapped[int | None] = mapped_column(Integer())
    growth_potential: Mapped[int] = mapped_column(Integer())
    cost_to_serve: Mapped[int] = mapped_column(Integer())
    margin: Mapped[int] = mapped_column(Integer())
    lifetime_value: Mapped[int] = mapped_column(Integer())
    share_of_wallet: Mapped[float | None] = mapped_column(Float())
    retention: Mapped[float] = mapped_column(Float())
    strategic_tier: Mapped[str | None] = mapped_column(String(8))
    pareto_tier: Mapped[str | None] = mapped_column(String(1))
    #: the first day the row no longer holds by the passing of time alone (a sale leaves the
    #: last 12 months, 1 January…; ``0021_account_value_valid_until``)
    valid_until: Mapped[dt.date | None] = mapped_column(Date())
    #: the number drawn by the write of the row (a reader that keeps rows in memory knows
    #: them still the same); in the "tiers up to date" row (account ``''``): the table's
    stamp: Mapped[int | None] = mapped_column(BigInteger())

    __table_args__ = ({"sqlite_with_rowid": False},)


class AccountSegmentCache(Base):
    """Each account's purchase facts for segmentation (:mod:`sfa_desktop.domain.segments`) as
    of a day: derived data, never synced.

    ``first_purchase`` / ``last_purchase`` and the counts and spends of the last 12 months
    (and the 12 before) come from its won opportunities and the accepted quotes outside them;
    ``families`` are the product families of its accepted quotes' lines (sorted, joined by
    :data:`~sfa_desktop.store.repositories.segment_facts.FAMILY_SEPARATOR`). Spends are exact
    decimal texts in currency units (deals in several currencies add up at face value).

    A row is valid from ``as_of`` until the day before ``valid_until`` (``None``: for ever):
    the first day a purchase of the account enters or leaves one of the windows, so a new day
    computes again only the accounts whose figures it moves. Triggers created by the
    ``0023_account_segment_cache`` revision delete an account's row whenever something its
    facts read changes (its opportunities, quotes and their lines), and every row when a
    product's family changes (:func:`sfa_desktop.services.segments.account_facts`).
    """

    __tablename__ = "account_segment_cache"

    account_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    as_of: Mapped[dt.date] = mapped_column(Date())
    valid_until: Mapped[dt.date | None] = mapped_column(Date())
    first_purchase: Mapped[dt.date | None] = mapped_column(Date())
    last_purchase: Mapped[dt.date | None] = mapped_column(Date())
    purchases_12m: Mapped[int] = mapped_column(Integer())
    spend_12m: Mapped[str] = mapped_column(String(40))
    spend_prev_12m: Mapped[str] = mapped_column(String(40))
    families: Mapped[str | None] = mapped_column(Text())

    __table_args__ = ({"sqlite_with_rowid": False},)


class VisitMonthCount(Base):
    """Done visits and meetings per owner and UTC month (of their planned start), and how many
    of them have an outcome written: derived data, never synced, for the scorecard.

    Triggers created by the ``0024_scorecard_figures`` revision keep the counts exact on
    every insert, update and delete of a visit (a live, done visit or meeting with a planned
    start counts; an outcome counts when it is not blank), so a period's figures are a sum of
    a few rows per owner (:func:`sfa_desktop.services.scorecard.period_facts`).
    """

    __tablename__ = "visit_month_counts"

    owner_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    #: ``YYYY-MM``
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    done: Mapped[int] = mapped_column(Integer())
    with_outcome: Mapped[int] = mapped_column(Integer())

    __table_args__ = ({"sqlite_with_rowid": False},)
