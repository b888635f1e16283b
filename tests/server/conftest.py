"""Fixtures for the server suite: every test runs on SQLite and on PostgreSQL.

PostgreSQL: one scratch database per test session (created from ``SFA_TEST_POSTGRES_URL``,
dropped at the end), emptied before each test (DELETE, not TRUNCATE: truncating a dozen
tables costs a third of a second, deleting their few rows a hundredth). When it is unreachable the PostgreSQL half is
skipped locally, but fails loudly on CI (env ``CI`` set). SQLite: a migrated template file
copied for each test.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from sync_server.api.deps import ServerState
from sync_server.app import build_state, create_app
from sync_server.db.database import Database
from sync_server.db.migrate import upgrade_to_head
from sync_server.db.models import Base
from sync_server.settings import Settings

from .helpers import (
    VERSION_HEADERS,
    Device,
    ManualClock,
    Team,
    add_team,
    cheap_hash_settings,
    login,
)

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
_KEPT = ("alembic_version", "counters", "epochs")
"""Tables a new database fills in (reset by :func:`empty_postgres`, not emptied)."""
EMPTIED = tuple(t.name for t in reversed(Base.metadata.sorted_tables) if t.name not in _KEPT)
"""Every other table, those that refer to others first (the order DELETE needs)."""
_RESTART_SEQUENCES = """
    SELECT setval(s.oid, q.start_value, false)
    FROM pg_class s
    JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
        AND d.deptype IN ('a', 'i')
    JOIN pg_class t ON t.oid = d.refobjid
    JOIN pg_sequences q ON q.schemaname = current_schema() AND q.sequencename = s.relname
    WHERE s.relkind = 'S' AND t.relname = ANY(%s)
"""
"""The id sequences of the emptied tables start again (as after TRUNCATE … RESTART IDENTITY)."""


def postgres_base_url() -> str:
    return os.environ.get("SFA_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def libpq_url(sqlalchemy_url: str) -> str:
    """The same URL without the SQLAlchemy driver suffix, for psycopg."""
    return make_url(sqlalchemy_url).set(drivername="postgresql").render_as_string(False)


@pytest.fixture(scope="session")
def postgres_available() -> str:
    url = postgres_base_url()
    try:
        psycopg.connect(libpq_url(url), connect_timeout=5).close()
    except psycopg.Error as error:
        message = f"PostgreSQL at {url} is unreachable: {error}".splitlines()[0]
        if os.environ.get("CI"):
            pytest.fail(f"{message} (CI must run the PostgreSQL suite)", pytrace=False)
        pytest.skip(message)
    return url


def empty_postgres(url: str) -> None:
    """Back to a newly migrated database: no rows, counters at 0, only the first epoch."""
    with psycopg.connect(libpq_url(url), autocommit=True) as connection:
        with connection.transaction():
            for table in EMPTIED:
                connection.execute(f"DELETE FROM {table}")
            connection.execute("UPDATE counters SET value = 0")
            connection.execute("DELETE FROM epochs WHERE version_floor > 0")  # never restored
        connection.execute(_RESTART_SEQUENCES, [list(EMPTIED)])


def create_scratch_database(base_url: str, prefix: str) -> str:
    """A new database for this session. Its commits do not wait for the disk
    (``synchronous_commit = off``, for this database only): committed rows are seen and kept
    exactly as before, only a crash of PostgreSQL itself could lose the last few, and the tests
    sign in, push and pull thousands of times."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(libpq_url(base_url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
        connection.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    return make_url(base_url).set(database=name).render_as_string(False)


def drop_scratch_database(base_url: str, url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(libpq_url(base_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_scratch(postgres_available: str) -> Iterator[str]:
    """A migrated scratch database for this test session."""
    url = create_scratch_database(postgres_available, "sfa_server_test")
    database = Database(url)
    try:
        upgrade_to_head(database)
        database.dispose()
        with psycopg.connect(libpq_url(url)) as connection:
            rows = connection.execute(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema()"
            )
            tables = {name for (name,) in rows}
        assert tables == {*EMPTIED, *_KEPT}, "a table empty_postgres does not know"
        yield url
    finally:
        database.dispose()
        drop_scratch_database(postgres_available, url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "server.sqlite3"
    database = Database(f"sqlite:///{path}")
    upgrade_to_head(database)
    database.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database for one test."""
    if backend == "sqlite":
        target = tmp_path / "server.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        return f"sqlite:///{target}"
    url = str(request.getfixturevalue("postgres_scratch"))
    empty_postgres(url)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return cheap_hash_settings(tmp_path, database_url, database_pool_size=12)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def database(settings: Settings) -> Iterator[Database]:
    database = Database(settings.sqlalchemy_url(), pool_size=settings.database_pool_size)
    yield database
    database.dispose()


@pytest.fixture
def state(settings: Settings, clock: ManualClock, database: Database) -> ServerState:
    return build_state(settings, clock=clock, database=database)


@pytest.fixture
def app(settings: Settings, clock: ManualClock, database: Database) -> FastAPI:
    return create_app(settings, clock=clock, database=database)


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, headers=VERSION_HEADERS)


@pytest.fixture
def team(state: ServerState) -> Team:
    return add_team(state)


@pytest.fixture
def devices(client: TestClient, team: Team, clock: ManualClock) -> dict[str, Device]:
    """One signed-in device per team member, by role name (admin, manager, rep_a…)."""
    return {
        name: login(client, getattr(team, name).email, clock)
        for name in ("admin", "manager", "rep_a", "rep_b", "manager_c", "rep_c")
    }
