"""Fixtures for the store tests: real SQLite files in tmp_path, a fixed clock."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from new_profiles import open_new_database
from sqlalchemy.orm import Session

from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.repositories import listing
from sfa_desktop.store.repositories.records import insert_record

from .account_history import History, add_history, add_owner

NOW = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC)


@pytest.fixture
def now() -> dt.datetime:
    return NOW


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "sfa.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_new_database(db_path)
    yield database
    database.close()


@pytest.fixture(params=["fts5", "fallback"])
def search_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with each search implementation."""
    database = open_database(tmp_path / "search.sqlite3", use_fts5=request.param == "fts5")
    assert database.search_mode.value == request.param
    yield database
    database.close()


@pytest.fixture(params=["small", "large"])
def match_strategy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run each search both ways: sorting the matches, and walking the sort index."""
    if request.param == "large":
        monkeypatch.setattr(listing, "SMALL_MATCH_SET", 0)
    return str(request.param)


@pytest.fixture
def history(db: Database) -> History:
    """An owner and a busy account's history (see ``account_history``)."""
    with db.session() as session:
        add_owner(session, NOW)
        return add_history(session, NOW)


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as s:
        yield s


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def add_user(session: Session, name: str = "Ana Rep", **values: Any) -> str:
    fields = {"name": name, "email": "ana@example.com", "rep_code": "ANA"}
    fields.update(values)
    return insert_record(session, "user", fields, now=NOW)


def add_account(session: Session, owner_id: str, name: str, **values: Any) -> str:
    return insert_record(
        session, "account", {"name": name, "owner_id": owner_id, **values}, now=NOW
    )


def add_contact(session: Session, account_id: str, first_name: str, **values: Any) -> str:
    return insert_record(
        session, "contact", {"account_id": account_id, "first_name": first_name, **values}, now=NOW
    )


def add_visit(
    session: Session,
    account_id: str,
    owner_id: str,
    start: dt.datetime,
    *,
    minutes: int = 60,
    **values: Any,
) -> str:
    """A visit planned from ``start`` for ``minutes``; ``values`` add or override fields."""
    fields: dict[str, Any] = {
        "account_id": account_id,
        "owner_id": owner_id,
        "kind": "visit",
        "planned_start": start,
        "planned_end": start + dt.timedelta(minutes=minutes),
    }
    fields.update(values)
    return insert_record(session, "visit", fields, now=NOW)
