"""The reads the UI and the CLI share: the paged lists, owner choices, one stored record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from sfa_desktop.services.conflicts import stored_record
from sfa_desktop.services.record_lists import ACCOUNT_LIST, CONTACT_LIST, matching_owners
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.repositories.records import bulk_insert

NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
USERS = [
    ("01900000-0000-7000-8000-000000000001", "Ángel Ruiz", True),
    ("01900000-0000-7000-8000-000000000002", "Ana García", True),
    ("01900000-0000-7000-8000-000000000003", "Luis Pérez", True),
    ("01900000-0000-7000-8000-000000000004", "Anabel Gómez", False),
]
ACCOUNT = "01900000-0000-7000-9000-000000000001"


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    with open_database(tmp_path / "profile.sqlite") as database:
        with database.session() as session:
            _fill(session)
        yield database


def _fill(session: Session) -> None:
    """Four users (one inactive), one account with two contacts."""
    bulk_insert(
        session,
        "user",
        [
            {
                "id": user_id,
                "name": name,
                "email": f"u{number}@example.es",
                "role": "rep",
                "rep_code": f"R{number}",
                "active": active,
            }
            for number, (user_id, name, active) in enumerate(USERS)
        ],
        now=NOW,
    )
    bulk_insert(
        session,
        "account",
        [{"id": ACCOUNT, "name": "Óptica Soria", "owner_id": USERS[1][0], "country": "ES"}],
        now=NOW,
    )
    bulk_insert(
        session,
        "contact",
        [
            {
                "account_id": ACCOUNT,
                "first_name": first,
                "last_name": last,
                "marketing_consent": False,
            }
            for first, last in (("Pilar", "Zubiri"), ("Íñigo", "Alonso"))
        ],
        now=NOW,
    )


def test_owners_match_anywhere_in_the_name_accents_ignored(database: Database) -> None:
    with database.session() as session:
        assert [owner.name for owner in matching_owners(session, " an ", 10)] == [
            "Ana García",
            "Ángel Ruiz",
        ]
        assert len(matching_owners(session, "", 2)) == 2
        assert [owner.name for owner in matching_owners(session, "pérez", 10)] == ["Luis Pérez"]


def test_the_paged_lists_page_and_count_the_same_rows(database: Database) -> None:
    with database.session() as session:
        accounts = ACCOUNT_LIST.rows(session, offset=0, limit=10, sort="name", descending=False)
        assert [(row.name, row.owner_name) for row in accounts] == [("Óptica Soria", "Ana García")]
        assert ACCOUNT_LIST.count(session, search="soria") == 1
        contacts = CONTACT_LIST.rows(
            session, offset=0, limit=10, sort="name", descending=False, account_id=ACCOUNT
        )
        assert [row.last_name for row in contacts] == ["Alonso", "Zubiri"]
        assert CONTACT_LIST.count(session, account_id=ACCOUNT) == 2


def test_a_record_not_stored_here_is_none(database: Database) -> None:
    with database.session() as session:
        assert stored_record(session, "account", ACCOUNT) is not None
        assert stored_record(session, "account", "01900000-0000-7000-9000-000000000999") is None
        assert stored_record(session, "no_such_entity", ACCOUNT) is None
