"""Declarative base, naming conventions and the columns every synced record has.

Design decisions, recorded here because every model follows them:

* **No foreign-key constraints on REF columns.** The local file mirrors a scoped, paged and
  resumable change feed: a child can arrive in an earlier page than its parent (after a
  reassignment, or when a first sync resumes), can outlive it locally (an account that left the
  rep's scope is dropped while a pending edit of a contact is still being pushed), and sync
  applies tombstones rather than deleting. A local FK (even ``DEFERRABLE INITIALLY DEFERRED``,
  checked at each commit) would turn a valid feed into a failed page that retries forever. The
  server is the authority on referential integrity; locally, :mod:`..repositories.records`
  checks that a REF names an existing, live record when the *user* writes one, and lists use
  outer joins. REF columns that lists or the sync engine look up are indexed.
* **Partial "live" indexes** (``WHERE deleted_at IS NULL``) back every list: soft-deleted rows
  are never listed, so they do not need to be in those indexes. A query must repeat the
  condition literally for SQLite to use them.
* **Text that users sort by is ``COLLATE NOCASE``**, so ``ORDER BY name`` walks an index.
* The MetaData has naming conventions (shared with the server's, see
  :mod:`sync_server.protocol.constraint_names`) so Alembic batch migrations can recreate SQLite
  tables with the same constraint names.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import MetaData, String, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.elements import TextClause

from sync_server.protocol.constraint_names import NAMING_CONVENTION

from ..types import UTCDateTime

#: A record id: a UUID in its canonical 36-character text form.
ID_LENGTH = 36
#: Enum values are short identifiers ("decision_maker"); the catalog checks the choices.
ENUM_LENGTH = 40
#: Long free text (notes, terms).
LONG_TEXT_LENGTH = 20_000


def live_rows() -> TextClause:
    """The condition of the partial indexes that only cover records not soft-deleted."""
    return text("deleted_at IS NULL")


class Base(DeclarativeBase):
    """Base class of every table in the local database."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SyncedRecord(Base):
    """Columns common to every synced entity (``catalog.COMMON_FIELDS``)."""

    __abstract__ = True

    #: The catalog entity this model stores (``"account"``).
    entity_name: ClassVar[str]

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True, sort_order=-1)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), sort_order=-1)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), sort_order=-1)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), sort_order=-1)
