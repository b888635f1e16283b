"""The contacts list: sorts, paging, the account filter, search and counts."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from functools import partial
from typing import Any

import pytest
from sqlalchemy.orm import Session

from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories import listing
from sfa_desktop.store.repositories.contacts import (
    CONTACT_SORT_KEYS,
    ContactRow,
    count_contacts,
    list_contacts,
)
from sfa_desktop.store.repositories.records import bulk_insert, soft_delete

from .conftest import NOW
from .listing_reference import all_pages, matches, spanish

FIRST = ["José", "jose", "Ana", "María José", "Íñigo", "Lucía"]
LAST = [None, "García", "garcía", "Núñez", "Ortega", "Álvarez"]


@pytest.fixture(params=["small", "large"])
def world(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, search_db: Database
) -> Iterator[tuple[dict[str, str | None], list[dict[str, Any]], Session]]:
    if request.param == "large":
        monkeypatch.setattr(listing, "SMALL_MATCH_SET", 0)
    rnd = random.Random(3)
    owner = str(uuid.uuid4())
    accounts = {str(uuid.uuid4()): name for name in ("Acme", "bodegas", "Zeta", "Ávila")}
    deleted_account = str(uuid.uuid4())
    missing_account = str(uuid.uuid4())  # not synced yet
    names: dict[str, str | None] = {**accounts, deleted_account: "Borrada", missing_account: None}
    with search_db.session() as session:
        bulk_insert(
            session,
            "account",
            [{"id": i, "name": n, "owner_id": owner} for i, n in accounts.items()]
            + [{"id": deleted_account, "name": "Borrada", "owner_id": owner}],
            now=NOW,
        )
        soft_delete(session, "account", deleted_account, now=NOW)
        contacts = [
            {
                "id": str(uuid.uuid4()),
                "account_id": rnd.choice(list(names)),
                "first_name": rnd.choice(FIRST),
                "last_name": rnd.choice(LAST),
                "email": f"c{i}@example.com",
            }
            for i in range(40)
        ]
        bulk_insert(session, "contact", contacts, now=NOW)
        for contact in contacts[:4]:
            soft_delete(session, "contact", contact["id"], now=NOW)
        yield names, contacts[4:], session


def expected(
    names: dict[str, str | None],
    contacts: list[dict[str, Any]],
    sort: str,
    descending: bool,
    **f: Any,
) -> list[str]:
    search = f.get("search")
    live = [
        c
        for c in contacts
        if f.get("account_id") in (None, c["account_id"])
        and matches(search, [c["first_name"], c["last_name"], c["email"], names[c["account_id"]]])
    ]

    def key(c: dict[str, Any]) -> tuple[Any, ...]:
        return (spanish(c["last_name"]), spanish(c["first_name"]), c["id"])

    if sort == "name":
        return [c["id"] for c in sorted(live, key=key, reverse=descending)]
    known = [c for c in live if names[c["account_id"]] is not None]
    orphans = [c for c in live if names[c["account_id"]] is None]
    by_account = sorted(
        known,
        key=lambda c: (spanish(names[c["account_id"]]), c["account_id"], *key(c)),
        reverse=descending,
    )
    return [c["id"] for c in by_account + sorted(orphans, key=key, reverse=descending)]


def test_every_sort_direction_and_search(
    world: tuple[dict[str, str | None], list[dict[str, Any]], Session],
) -> None:
    names, contacts, session = world
    some_account = contacts[0]["account_id"]
    for filters in (
        {},
        {"search": "jose"},
        {"search": "j"},
        {"search": "GARCIA jo"},
        {"search": "acme"},
        {"search": "borrada"},
        {"search": "example"},
        {"account_id": some_account},
        {"account_id": some_account, "search": "a"},
    ):
        total = count_contacts(session, **filters)
        for sort in CONTACT_SORT_KEYS:
            for descending in (False, True):
                want = expected(names, contacts, sort, descending, **filters)
                got = all_pages(
                    partial(list_contacts, session, sort=sort, descending=descending, **filters)
                )
                assert [r.id for r in got] == want, (sort, descending, filters)
                assert total == len(want), filters


def test_rows_carry_the_account_name(
    world: tuple[dict[str, str | None], list[dict[str, Any]], Session],
) -> None:
    names, contacts, session = world
    rows = list_contacts(session, limit=100)
    assert len(rows) == len(contacts) == count_contacts(session)
    for row in rows:
        assert isinstance(row, ContactRow)
        assert row.account_name == names[row.account_id]
    assert count_contacts(session, cap=3) == 3
