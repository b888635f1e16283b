"""Reading records, for the UI and the CLI alike: the paged lists, choices, one record.

* The Accounts and Contacts lists (:data:`ACCOUNT_LIST`, :data:`CONTACT_LIST`): pages of plain
  rows (:class:`AccountRow`, :class:`ContactRow`), sorted, filtered and searched in SQL, and
  how many rows match.
* Choices for filters and pickers: :func:`owner_choices`, :func:`region_choices`,
  :func:`matching_owners`.
* Plain-text listing for the CLI (:func:`list_records`): accounts and contacts use the store's
  accent-folding full-text search; the other entities match the search words against their
  title (case-insensitive, every word must appear).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Table, and_, func, select
from sqlalchemy.orm import Session

from sfa_desktop.store.models import MODEL_BY_ENTITY
from sfa_desktop.store.repositories.accounts import (
    AccountRow,
    OwnerChoice,
    count_accounts,
    list_accounts,
    owner_choices,
    region_choices,
)
from sfa_desktop.store.repositories.contacts import ContactRow, count_contacts, list_contacts
from sfa_desktop.store.repositories.listing import search_filter
from sfa_desktop.store.repositories.records import get_record
from sfa_desktop.store.search import fold, search_terms
from sfa_desktop.sync import outbox
from sync_server.protocol.catalog import CATALOG

RowT = TypeVar("RowT")

__all__ = [
    "ACCOUNT_LIST",
    "CONTACT_LIST",
    "AccountRow",
    "ContactRow",
    "OwnerChoice",
    "PagedList",
    "count_accounts",
    "count_contacts",
    "find_record_id",
    "list_accounts",
    "list_contacts",
    "list_records",
    "matching_owners",
    "owner_choices",
    "pending_ids",
    "region_choices",
    "show_record",
]


@dataclass(frozen=True)
class PagedList(Generic[RowT]):
    """A list read a page at a time: ``rows(session, *, offset, limit, sort, descending,
    **filters)`` and ``count(session, **filters)`` (filters include ``search``)."""

    rows: Callable[..., Sequence[RowT]]
    count: Callable[..., int]


#: Live accounts (filters: ``owner_id``, ``region``, ``lifecycle_stage``, ``overdue_on``).
ACCOUNT_LIST: PagedList[AccountRow] = PagedList(list_accounts, count_accounts)
#: Live contacts (filter: ``account_id``).
CONTACT_LIST: PagedList[ContactRow] = PagedList(list_contacts, count_contacts)


def matching_owners(session: Session, text: str, limit: int) -> list[OwnerChoice]:
    """Active users whose name contains ``text`` (accents and case ignored), by name."""
    wanted = fold(text.strip())
    return [owner for owner in owner_choices(session) if wanted in fold(owner.name)][:limit]


_FTS_TABLES = {"account": "accounts_fts", "contact": "contacts_fts"}
_ORDER = {
    "account": ("name",),
    "contact": ("last_name", "first_name"),
    "visit": ("planned_start",),
    "opportunity": ("name",),
}


def _table(entity: str) -> Table:
    table: Table = MODEL_BY_ENTITY[entity].__table__  # type: ignore[assignment]
    return table


def list_records(
    session: Session, entity: str, *, search: str | None = None, limit: int = 50
) -> list[dict[str, Any]]:
    """Live records of ``entity`` (catalog fields + id and timestamps), in a natural order."""
    spec = CATALOG[entity]
    table = _table(entity)
    conditions: list[ColumnElement[bool]] = [table.c.deleted_at.is_(None)]
    if search and search.strip():
        if entity in _FTS_TABLES:
            found = search_filter(session, table=table, fts_table=_FTS_TABLES[entity], query=search)
            conditions.append(found.clause)
        else:
            title = table.c[spec.title_field]
            words = [w.lower() for w in search_terms(search)]
            conditions.extend(func.lower(title).contains(word) for word in words)
    order = [table.c[name] for name in _ORDER.get(entity, (spec.title_field,))]
    columns = [table.c[name] for name in ("id", "created_at", "updated_at", "deleted_at")]
    columns += [table.c[name] for name in spec.field_names]
    statement = select(*columns).where(and_(*conditions)).order_by(*order, table.c.id).limit(limit)
    return [dict(row._mapping) for row in session.execute(statement)]


def show_record(session: Session, entity: str, record_id: str) -> dict[str, Any] | None:
    """One record (tombstones included: ``deleted_at`` says so), or None."""
    return get_record(session, entity, record_id)


def find_record_id(session: Session, entity: str, text: str) -> str | None:
    """The id of a record given its full id or an unambiguous id prefix (8+ characters)."""
    table = _table(entity)
    text = text.strip().lower()
    if len(text) == 36:
        found = session.scalar(select(table.c.id).where(table.c.id == text))
        return str(found) if found else None
    if len(text) < 8:
        return None
    rows = list(session.scalars(select(table.c.id).where(table.c.id.startswith(text)).limit(2)))
    return str(rows[0]) if len(rows) == 1 else None


def pending_ids(session: Session, entity: str) -> set[str]:
    """Records of ``entity`` with local changes not yet synced."""
    return outbox.pending_record_ids(session, entity)
