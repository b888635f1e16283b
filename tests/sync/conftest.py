"""Fixtures for the client sync suite: the real server app (SQLite and PostgreSQL backends,
reusing the server suite's fixtures) and client profiles in their own data folders."""

# ruff: noqa: F811  (pytest fixtures re-exported from the server suite are parameters here)
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from new_profiles import open_new_database
from server.conftest import (  # noqa: F401  (fixtures, re-exported for this suite)
    app,
    backend,
    clock,
    database,
    database_url,
    postgres_available,
    postgres_scratch,
    settings,
    sqlite_template,
    state,
    team,
)
from server.helpers import ManualClock, Team

from sfa_desktop.store.database import Database

from .harness import Fleet, MemoryKeyring


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def fleet(
    app: FastAPI,
    team: Team,
    clock: ManualClock,
    tmp_path: Path,
    keyring_backend: MemoryKeyring,
) -> Iterator[Fleet]:
    fleet = Fleet(app, team, clock, tmp_path, keyring_backend)
    yield fleet
    fleet.close()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A new, empty profile database (no server involved)."""
    database = open_new_database(tmp_path / "sfa.sqlite3")
    yield database
    database.close()
