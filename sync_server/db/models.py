"""The server's tables.

Synced data lives in one generic table, ``records``, shaped by the entity catalog rather than
one table per entity: every entity gets per-field versions, tombstones and scope filtering the
same way, and a catalog change needs no new table. Each record carries its *scope owner* (the
owner of its account, the user of a quota, a participant of a conflict, or ``*`` for reference
data everyone reads), so a pull is an indexed ``WHERE scope_owner_id IN (visible users)``.

``records.seq`` is the change feed: every write gives the record the next value of one counter
(``counters``), taken under a row lock held until commit, so values become visible in commit
order and a pull that resumes after the last value it delivered never skips a change. A record
keeps only its latest sequence value, so a first sync pulls each record once however often it
changed; the full history is in ``audit_log``. Records leaving somebody's scope (reassignment)
leave a row in ``scope_exits`` numbered from the same counter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, BigIntKey

ID = String(36)

#: scope owner of reference data (users, products, price lists) that every signed-in user reads
EVERYONE = "*"

#: the counter that numbers the change feed
CHANGE_FEED_COUNTER = "change_feed"


class User(Base):
    """A person who signs in. The authority for roles, the manager tree and passwords.

    Its public part is mirrored into ``records`` as the catalog's ``user`` entity (written in
    the same transaction) so that clients pull owners' names like any other record.
    """

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    manager_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"), index=True)
    rep_code: Mapped[str] = mapped_column(String(12), unique=True)
    discount_limit_pct: Mapped[str] = mapped_column(String(24))
    active: Mapped[bool]
    password_hash: Mapped[str | None] = mapped_column(String(256))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class Device(Base):
    """One signed-in installation; its opaque token is stored only as a SHA-256 hash."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime]
    expires_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]


class LoginAttempt(Base):
    """A failed (or still being checked) login, counted per account and per client address."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)


class Record(Base):
    """One synced record of any catalog entity (see the module docstring).

    Indexed only where queries need it: ``seq`` (an admin's pull reads everything in order),
    ``(scope_owner_id, seq)`` and, for the few records with one, ``(scope_other_id, seq)``
    (a user's pull reads each visible owner's changes in order, so it never scans other
    users' records), ``parent_id`` (moving a record's descendants). Every write changes
    ``seq``, so each extra index costs every write.
    """

    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_scope_owner_id_seq", "scope_owner_id", "seq"),
        Index(
            "ix_records_scope_other_id_seq",
            "scope_other_id",
            "seq",
            postgresql_where=text("scope_other_id IS NOT NULL"),
            sqlite_where=text("scope_other_id IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    #: the record version: bumped by every accepted change; a field's version is the record
    #: version that last changed it, so "changed since version N" is one comparison
    version: Mapped[int]
    scope_owner_id: Mapped[str] = mapped_column(String(36))
    #: the second participant of a conflict (conflicts are seen by both users)
    scope_other_id: Mapped[str | None] = mapped_column(String(36))
    #: the record its scope comes from (a contact's account, a quote line's quote)
    parent_id: Mapped[str | None] = mapped_column(String(36), index=True)
    #: field name -> wire value
    data: Mapped[dict[str, Any]]
    #: field name -> field version
    versions: Mapped[dict[str, Any]]
    #: field name -> [clock stamp, user id, device id] of the write that set it
    stamps: Mapped[dict[str, Any]]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    deleted_at: Mapped[dt.datetime | None]


class ScopeExit(Base):
    """A record left ``old_owner_id``'s scope for ``new_owner_id``'s (a "left scope" change)."""

    __tablename__ = "scope_exits"
    __table_args__ = (Index("ix_scope_exits_old_owner_id_seq", "old_owner_id", "seq"),)

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    old_owner_id: Mapped[str] = mapped_column(String(36))
    new_owner_id: Mapped[str] = mapped_column(String(36))
    at: Mapped[dt.datetime]


class Counter(Base):
    """Named counters; ``change_feed`` numbers records and scope exits in commit order."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Epoch(Base):
    """One life of the database: a new epoch starts when it is restored from a backup.

    Clients remember the epoch they synced with; a different one tells them the server may
    have forgotten changes they hold, so they send them again (see ``services/epochs.py``).
    Starting an epoch raises every record version to ``version_floor``, so a field version
    above it was written after the restore.
    """

    __tablename__ = "epochs"

    number: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(ID, unique=True)
    started_at: Mapped[dt.datetime]
    version_floor: Mapped[int] = mapped_column(BigInteger)


class AuditEntry(Base):
    """One accepted change: who, which device, when, which field, old and new value."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_record_id_id", "record_id", "id"),)

    id: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime]
    #: None for changes made by the server itself (admin command line)
    user_id: Mapped[str | None] = mapped_column(String(36))
    device_id: Mapped[str | None] = mapped_column(String(36))
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    #: create / set / delete / conflict
    action: Mapped[str] = mapped_column(String(16))
    field: Mapped[str | None] = mapped_column(String(60))
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    hlc: Mapped[str | None] = mapped_column(String(100))


class AppliedMutation(Base):
    """The answer given to a device's mutation, returned again when it is pushed again."""

    __tablename__ = "applied_mutations"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    mutation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    result: Mapped[dict[str, Any]]
    at: Mapped[dt.datetime]


class QuoteNumberSeries(Base):
    """The next quote number not yet leased, per rep code and year (protocol/quote_numbers.py).

    A lease locks its row (``FOR UPDATE``; SQLite writers are serialized) and moves
    ``next_seq`` past the block, so two leases never get overlapping numbers.
    """

    __tablename__ = "quote_number_series"

    rep_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    next_seq: Mapped[int] = mapped_column(BigInteger)


class QuoteNumberLease(Base):
    """One block of quote numbers leased to a device; the unique ``(rep_code, year, first)``
    refuses a second lease of the same block even if the series were wrong."""

    __tablename__ = "quote_number_leases"
    __table_args__ = (UniqueConstraint("rep_code", "year", "first_seq"),)

    id: Mapped[int] = mapped_column(BigIntKey, primary_key=True, autoincrement=True)
    rep_code: Mapped[str] = mapped_column(String(12))
    year: Mapped[int]
    first_seq: Mapped[int] = mapped_column(BigInteger)
    last_seq: Mapped[int] = mapped_column(BigInteger)
    device_id: Mapped[str] = mapped_column(String(36), index=True)
    user_id: Mapped[str] = mapped_column(String(36))
    leased_at: Mapped[dt.datetime]


class DeviceCode(Base):
    """A short number for a device, unique across all devices, given on its first lease; it
    makes the device's fallback quote numbers its own (``Q-ANA-2026-D7-0001``)."""

    __tablename__ = "device_codes"

    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), primary_key=True)
    code: Mapped[int] = mapped_column(unique=True)
