"""The contacts list: paged, sorted and searched (name, e-mail, account name), as plain rows.

``account_name`` is the name of the contact's account, also when that account is soft-deleted
(``None`` only while the account has not synced; such contacts come last when sorting by
account name, in either direction). Names are in Spanish order (:mod:`..collation`). Sorting
by ``name`` walks the ``(last_name, first_name, id)`` index (of their sort keys); by ``account_name`` it walks the accounts by name and
each account's contacts (see :mod:`.listing`). The contacts of one account (``account_id``)
are a handful of rows, sorted directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, select
from sqlalchemy.orm import Session

from ..collation import name_key
from ..models import Account, Contact
from .listing import ChildList, check_sort, count_live, list_page, ordered

CONTACT_SORT_KEYS = ("name", "account_name")


@dataclass(frozen=True)
class ContactRow:
    id: str
    account_id: str
    account_name: str | None
    first_name: str
    last_name: str | None
    job_title: str | None
    email: str | None
    phone: str | None
    purchase_role: str | None
    mobile: str | None = None


_c: Table = Contact.__table__  # type: ignore[assignment]
_a: Table = Account.__table__  # type: ignore[assignment]


def list_contacts(
    session: Session,
    *,
    search: str | None = None,
    sort: str = "name",
    descending: bool = False,
    offset: int = 0,
    limit: int = 100,
    account_id: str | None = None,
) -> list[ContactRow]:
    """One page of live contacts, sorted by ``sort`` (one of :data:`CONTACT_SORT_KEYS`)."""
    check_sort(sort, CONTACT_SORT_KEYS)
    name_order = [name_key(_c.c.last_name), name_key(_c.c.first_name), _c.c.id]
    if sort == "name":
        order = ordered(name_order, descending=descending)
    else:  # contacts whose account is unknown go last, as in the walk by account name
        sort_columns = [name_key(_a.c.name), _c.c.account_id, *name_order]
        order = [_a.c.id.is_(None).asc(), *ordered(sort_columns, descending=descending)]
    walk = sort == "account_name" and account_id is None
    page = list_page(
        session,
        _CONTACTS,
        search=search,
        filters=_filters(account_id),
        order=order,
        parent_walk=name_order if walk else None,
        descending=descending,
        offset=offset,
        limit=limit,
    )
    return [ContactRow(**row._mapping) for row in page]


def count_contacts(
    session: Session,
    *,
    search: str | None = None,
    account_id: str | None = None,
    cap: int | None = None,
) -> int:
    """How many live contacts :func:`list_contacts` pages through (at most ``cap``)."""
    found = _CONTACTS.search(session, search)
    return count_live(session, _c, found=found, filters=_filters(account_id), cap=cap)


def _filters(account_id: str | None) -> list[ColumnElement[bool]]:
    """The conditions beyond "live" and the search."""
    return [] if account_id is None else [_c.c.account_id == account_id]


def _select_rows(account_name: ColumnElement[Any]) -> Select[Any]:
    return select(
        _c.c.id,
        _c.c.account_id,
        account_name.label("account_name"),
        _c.c.first_name,
        _c.c.last_name,
        _c.c.job_title,
        _c.c.email,
        _c.c.phone,
        _c.c.purchase_role,
        _c.c.mobile,
    )


_CONTACTS = ChildList(
    child=_c,
    parent=_a,
    parent_id=_c.c.account_id,
    fts_table="contacts_fts",
    select_rows=_select_rows,
)
