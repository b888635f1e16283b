"""The accounts list: every sort, both directions, paging, filters, search and counts."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

import pytest
from sqlalchemy.orm import Session

from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.accounts import (
    ACCOUNT_SORT_KEYS,
    AccountRow,
    count_accounts,
    list_accounts,
)
from sfa_desktop.store.repositories.records import bulk_insert, soft_delete

from .conftest import NOW
from .listing_reference import all_pages, matches, nocase, spanish

NAMES = [
    "Acme",
    "acme",
    "ACME Norte",
    "Ávila Cafés",
    "Bodegas Zeta",
    "zeta",
    "Óptica Sur",
    "Frutas",
]
CITIES = [None, "Málaga", "madrid", "Madrid", "Zaragoza", "Ávila"]
REGIONS = [None, "Andalucía", "Aragón", "Madrid"]
STAGES = ["prospect", "qualified", "customer", "lapsed"]


@dataclass
class World:
    users: dict[str, str]  # id -> name
    orphan_owner: str
    accounts: list[dict[str, Any]]  # live ones, as inserted


def build_world(session: Session, seed: int = 7) -> World:
    rnd = random.Random(seed)
    users = {str(uuid.uuid4()): name for name in ("Beatriz", "ana", "Carlos")}
    bulk_insert(
        session,
        "user",
        [{"id": i, "name": n, "email": f"{n}@x.es", "rep_code": n[:3]} for i, n in users.items()],
        now=NOW,
    )
    orphan_owner = str(uuid.uuid4())  # an owner whose user record has not synced yet
    owners = [*users, orphan_owner]
    rows = []
    for i in range(46):
        rows.append(
            {
                "id": str(uuid.uuid4()),
                "name": f"{rnd.choice(NAMES)} {rnd.choice(['', str(i % 5)])}".strip(),
                "tax_id": f"B{rnd.randrange(10**8):08d}",
                "city": rnd.choice(CITIES),
                "region": rnd.choice(REGIONS),
                "owner_id": rnd.choice(owners),
                "lifecycle_stage": rnd.choice(STAGES),
                "updated_at": NOW + dt.timedelta(minutes=rnd.randrange(30)),
            }
        )
    bulk_insert(session, "account", rows, now=NOW)
    for row in rows[:6]:
        soft_delete(session, "account", row["id"], now=NOW)
    return World(users, orphan_owner, rows[6:])


def expected(world: World, sort: str, descending: bool, **filters: Any) -> list[str]:
    search = filters.pop("search", None)
    live = [
        a
        for a in world.accounts
        if all(a.get(k) == v for k, v in filters.items())
        and matches(search, [a["name"], a["tax_id"], a["city"], a["region"]])
    ]

    def key(a: dict[str, Any]) -> tuple[Any, ...]:
        name = (spanish(a["name"]), a["id"])
        if sort in ("name", "owner_name"):
            return name
        if sort == "updated_at":
            return (a["updated_at"], a["id"])
        if sort == "lifecycle_stage":
            return (a["lifecycle_stage"], *name)
        if sort == "city":
            return (spanish(a["city"]), *name)
        return (nocase(a[sort]), *name)

    if sort != "owner_name":
        return [a["id"] for a in sorted(live, key=key, reverse=descending)]
    known = [a for a in live if a["owner_id"] in world.users]
    orphans = [a for a in live if a["owner_id"] not in world.users]

    def owner_key(a: dict[str, Any]) -> tuple[Any, ...]:
        return (spanish(world.users[a["owner_id"]]), a["owner_id"], *key(a))

    ordered_known = sorted(known, key=owner_key, reverse=descending)
    ordered_orphans = sorted(orphans, key=key, reverse=descending)
    return [a["id"] for a in ordered_known + ordered_orphans]


@pytest.fixture
def world_session(search_db: Database, match_strategy: str) -> Iterator[tuple[World, Session]]:
    with search_db.session() as session:
        yield build_world(session), session


FILTER_SETS: list[dict[str, Any]] = [
    {},
    {"search": "acme"},
    {"search": "a"},
    {"search": "MADRID"},
    {"search": "b1"},
    {"search": "zzz"},
    {"region": "Andalucía"},
    {"lifecycle_stage": "customer"},
    {"lifecycle_stage": "customer", "search": "acme"},
]


def test_every_sort_direction_filter_and_search(world_session: tuple[World, Session]) -> None:
    world, session = world_session
    owner = next(iter(world.users))
    filter_sets = [*FILTER_SETS, {"owner_id": owner}, {"owner_id": world.orphan_owner}]
    for filters in filter_sets:
        total = count_accounts(session, **filters)
        for sort in ACCOUNT_SORT_KEYS:
            for descending in (False, True):
                want = expected(world, sort, descending, **filters)
                got = all_pages(
                    partial(list_accounts, session, sort=sort, descending=descending, **filters)
                )
                assert [r.id for r in got] == want, (sort, descending, filters)
                assert total == len(want), filters


def test_rows_carry_the_owner_name(world_session: tuple[World, Session]) -> None:
    world, session = world_session
    rows = list_accounts(session, limit=1000)
    assert all(isinstance(r, AccountRow) for r in rows)
    for row in rows:
        assert row.owner_name == world.users.get(row.owner_id)
        assert row.updated_at.tzinfo is not None
    assert {r.id for r in rows} == {a["id"] for a in world.accounts}


def test_count_cap(world_session: tuple[World, Session]) -> None:
    _, session = world_session
    assert count_accounts(session, cap=5) == 5
    assert count_accounts(session, search="a", cap=3) == 3
    assert count_accounts(session, region="Andalucía", cap=1) == 1
    assert count_accounts(session, cap=10_000) == 40


def test_a_page_past_the_end_is_empty(world_session: tuple[World, Session]) -> None:
    _, session = world_session
    assert list_accounts(session, offset=40) == []
    assert list_accounts(session, offset=1000, sort="owner_name") == []
    assert list_accounts(session, limit=0) == []


@pytest.mark.parametrize(
    "kwargs",
    [{"sort": "tax_id"}, {"offset": -1}, {"limit": -5}, {"limit": 10**6}, {"offset": 1.5}],
)
def test_bad_paging_arguments_are_refused(session: Session, kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        list_accounts(session, **kwargs)
