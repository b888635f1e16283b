"""Similar account names in the same city (issue 12): the candidates a new account warns about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from sfa_desktop.services.similar_accounts import similar_accounts
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.repositories.accounts import city_accounts_query
from sfa_desktop.store.repositories.records import bulk_insert, soft_delete

NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
ANA = "01900000-0000-7000-8000-000000000001"
MARTINEZ = "01900000-0000-7000-9000-000000000001"
ACCOUNTS = [
    (MARTINEZ, "Ferretería Martínez S.L.", "Zaragoza"),
    ("01900000-0000-7000-9000-000000000002", "Ferreteria Martines", "zaragoza"),
    ("01900000-0000-7000-9000-000000000003", "Ferretería Martínez S.A.", "Huesca"),
    ("01900000-0000-7000-9000-000000000004", "Ferretería López", "Zaragoza"),
    ("01900000-0000-7000-9000-000000000005", "Panadería 3", "Zaragoza"),
    ("01900000-0000-7000-9000-000000000006", "Martínez Ferretería", "Zaragoza"),
]


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    with open_database(tmp_path / "profile.sqlite") as database:
        with database.session() as session:
            user = {"id": ANA, "name": "Ana García", "email": "a@example.es", "rep_code": "ANA"}
            bulk_insert(session, "user", [user], now=NOW)
            rows = [
                {"id": i, "name": n, "city": c, "owner_id": ANA, "country": "ES"}
                for i, n, c in ACCOUNTS
            ]
            bulk_insert(session, "account", rows, now=NOW)
        yield database


def test_a_similar_name_in_the_same_city_is_a_candidate(database: Database) -> None:
    with database.session() as session:
        found = similar_accounts(session, "FERRETERIA MARTINEZ, SL", "ZARAGOZA")
    assert [(a.name, a.city, a.owner_name) for a in found] == [
        ("Ferretería Martínez S.L.", "Zaragoza", "Ana García"),
        ("Martínez Ferretería", "Zaragoza", "Ana García"),  # word order does not count
        ("Ferreteria Martines", "zaragoza", "Ana García"),  # a typo, another spelling
    ]
    assert found[0].score == 100.0 and found[-1].score >= 88


def test_other_cities_names_and_numbers_are_not_candidates(database: Database) -> None:
    with database.session() as session:
        assert similar_accounts(session, "Ferretería Martínez", "Teruel") == []
        assert similar_accounts(session, "Ferretería Martínez", None) == []
        assert similar_accounts(session, "", "Zaragoza") == []
        assert similar_accounts(session, "Panadería 33", "Zaragoza") == []  # another shop
        assert [a.name for a in similar_accounts(session, "Panaderia 3", "Zaragoza")] == [
            "Panadería 3"
        ]


def test_the_edited_and_deleted_accounts_are_left_out(database: Database) -> None:
    with database.session() as session:
        edited = similar_accounts(session, "Ferretería Martínez", "Zaragoza", exclude_id=MARTINEZ)
        assert MARTINEZ not in [a.id for a in edited] and len(edited) == 2
        soft_delete(session, "account", MARTINEZ, now=NOW)
        assert MARTINEZ not in [a.id for a in similar_accounts(session, "Ferretería", "Zaragoza")]


def test_the_city_is_an_index_range(database: Database) -> None:
    with database.session() as session:
        compiled = city_accounts_query("Málaga").compile(dialect=session.get_bind().dialect)
        params = tuple(compiled.params[name] for name in compiled.positiontup or ())
        plan = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params)
        assert "USING INDEX ix_accounts_city_live" in str(plan.all())
