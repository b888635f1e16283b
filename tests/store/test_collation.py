"""Spanish name order: the key, the ``es`` collation, and the lists sorted in SQL."""

from __future__ import annotations

import functools
import itertools
import random
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from sfa_desktop.store.collation import compare, general_key, sort_key, sorted_names
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.repositories.accounts import list_accounts, region_choices
from sfa_desktop.store.repositories.contacts import list_contacts
from sfa_desktop.store.repositories.records import bulk_insert

from .conftest import NOW

#: Names Spanish users expect in this order.
SPANISH_ORDER = [
    "Álamos",
    "Arcos",
    "Ávila",
    "Nube",
    "Núñez",
    "Ñandú",
    "Oso",
    "Pedro",
    "Pérez",
    "Pinto",
]

#: Letters that matter (accents, ñ, cases) plus the odd space, digit and symbol.
NAME_TEXT = st.text(
    alphabet=st.sampled_from("aAáÁeéEnNñÑoóOuüÚzZ ·-1ç") | st.characters(codec="utf-8"),
    max_size=8,
)


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


def test_examples_sort_as_spanish_readers_expect() -> None:
    shuffled = SPANISH_ORDER[:]
    random.Random(3).shuffle(shuffled)
    assert sorted_names(shuffled) == SPANISH_ORDER
    assert sorted_names(["Arcos", "Álamos"]) == ["Álamos", "Arcos"]
    assert sorted_names(["Pinto", "Pérez", "Pedro"]) == ["Pedro", "Pérez", "Pinto"]
    assert sorted_names(["Muñoz", "Munuera", "Munoz"]) == ["Munoz", "Munuera", "Muñoz"]
    assert sorted_names(["Nz", "Ñ", "N", "O"]) == ["N", "Nz", "Ñ", "O"]


def test_case_and_accents_do_not_decide_but_break_ties_the_same_way_every_time() -> None:
    assert sorted_names(["bravo", "ARCOS", "álamos"]) == ["álamos", "ARCOS", "bravo"]
    variants = ["perez", "Pérez", "PEREZ", "Perez", "pérez"]
    expected = sorted_names(variants)
    for seed in range(5):
        random.Random(seed).shuffle(variants)
        assert sorted_names(variants) == expected
    assert compare("Perez", "pérez") != 0  # different names never tie
    assert sorted_names(["Pereza", *variants])[-1] == "Pereza"


@given(NAME_TEXT, NAME_TEXT)
def test_the_collation_agrees_with_the_key(left: str, right: str) -> None:
    left_key, right_key = sort_key(left), sort_key(right)
    assert left_key is not None and right_key is not None
    assert compare(left, right) == _sign((left_key > right_key) - (left_key < right_key))
    assert compare(left, right) == -compare(right, left)
    assert (compare(left, right) == 0) == (left == right)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=12))
def test_the_quick_key_of_plain_ascii_is_the_general_key(name: str) -> None:
    assert sort_key(name) == general_key(name)


@given(st.lists(NAME_TEXT, max_size=12))
def test_the_collation_is_a_total_order(names: list[str]) -> None:
    by_collation = sorted(names, key=functools.cmp_to_key(compare))
    assert by_collation == sorted_names(names)
    for earlier, later in itertools.pairwise(by_collation):
        assert compare(earlier, later) <= 0
    assert sorted(reversed(names), key=functools.cmp_to_key(compare)) == by_collation


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> object:
    database = open_database(tmp_path_factory.mktemp("collation") / "db.sqlite3")
    yield database
    database.close()


@settings(max_examples=60, deadline=None)
@given(names=st.lists(NAME_TEXT.filter(lambda n: "\x00" not in n), max_size=15))
def test_sql_order_is_python_order(scratch: Database, names: list[str]) -> None:
    with scratch.engine.begin() as connection:
        connection.execute(text("CREATE TEMP TABLE IF NOT EXISTS names (name TEXT)"))
        connection.execute(text("DELETE FROM names"))
        if names:
            connection.execute(
                text("INSERT INTO names (name) VALUES (:name)"), [{"name": n} for n in names]
            )
        by_collation = connection.execute(
            text("SELECT name FROM names ORDER BY name COLLATE es")
        ).scalars()
        by_key = connection.execute(text("SELECT name FROM names ORDER BY sfa_sort_key(name)"))
        expected = sorted_names(names)
        assert list(by_collation) == expected
        assert list(by_key.scalars()) == expected


def test_the_lists_walk_their_indexes_in_spanish_order(tmp_path: Path) -> None:
    with open_database(tmp_path / "db.sqlite3") as database, database.session() as session:
        owner = str(uuid.uuid4())
        bulk_insert(
            session,
            "user",
            [{"id": owner, "name": "Ana", "email": "a@x.es", "rep_code": "A"}],
            now=NOW,
        )
        names = SPANISH_ORDER[::-1]
        accounts = [
            {"id": str(uuid.uuid4()), "name": name, "owner_id": owner, "region": region}
            for name, region in zip(names, ["Aragón", "Álava", "Zamora", "Ávila"] * 3, strict=False)
        ]
        bulk_insert(session, "account", accounts, now=NOW)
        contacts = [
            {
                "id": str(uuid.uuid4()),
                "account_id": accounts[0]["id"],
                "first_name": "Eva",
                "last_name": name,
            }
            for name in names
        ]
        bulk_insert(session, "contact", contacts, now=NOW)

        assert [a.name for a in list_accounts(session)] == SPANISH_ORDER
        assert [a.name for a in list_accounts(session, descending=True)] == names
        assert [a.name for a in list_accounts(session, owner_id=owner)] == SPANISH_ORDER
        assert [c.last_name for c in list_contacts(session)] == SPANISH_ORDER
        assert [c.last_name for c in list_contacts(session, account_id=accounts[0]["id"])] == (
            SPANISH_ORDER
        )
        assert region_choices(session) == ["Álava", "Aragón", "Ávila", "Zamora"]
        plan = session.execute(
            text("EXPLAIN QUERY PLAN SELECT id FROM accounts ORDER BY sfa_sort_key(name), id")
        ).all()
        assert "ix_accounts_name" in str(plan)
