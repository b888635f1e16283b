"""Fixtures for the fault-injection suite: one real ``sfa-server serve`` per backend (SQLite
file, PostgreSQL scratch database) behind a cutting proxy, shared by the tests of the session
(each test signs in its own new rep, so tests do not see each other's records)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from server.conftest import (  # noqa: F401  (fixture, re-exported for this suite)
    create_scratch_database,
    drop_scratch_database,
    postgres_available,
)
from server.helpers import PASSWORD, Person, cheap_hash_settings

from sfa_desktop.store.database import open_database
from sfa_desktop.store.paths import database_path
from sync_server.app import build_state
from sync_server.db.migrate import upgrade_to_head
from sync_server.services import users

from .child import SfaRunner, forkserver_context
from .proxy import CuttingProxy
from .server_process import ServerProcess
from .world import Backend, Client


@pytest.fixture(scope="session")
def sfa_runner(tmp_path_factory: pytest.TempPathFactory) -> SfaRunner:
    return SfaRunner(forkserver_context(), tmp_path_factory.mktemp("sfa-runs"))


def _backend(name: str, database_url: str, root: Path) -> Iterator[Backend]:
    settings = cheap_hash_settings(root, database_url, database_pool_size=2)
    state = build_state(settings)
    upgrade_to_head(state.database)
    manager = users.add_user(
        state.database,
        context=state.sync,
        passwords=state.auth.passwords,
        email="boss@faults.example",
        name="Boss",
        role="manager",
        password=PASSWORD,
    )
    template = database_path(root / "client-template")
    open_database(template).close()
    server = ServerProcess(database_url, root)
    server.start()
    proxy = CuttingProxy(server.port)
    try:
        yield Backend(
            name,
            server,
            proxy,
            state,
            Person(manager.id, manager.email, manager.role),
            root,
            template,
        )
    finally:
        proxy.close()
        server.stop()
        state.database.dispose()


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Backend]:
    root = tmp_path_factory.mktemp(f"faults-{request.param}")
    if request.param == "sqlite":
        yield from _backend("sqlite", f"sqlite:///{root / 'server.sqlite3'}", root)
        return
    base = str(request.getfixturevalue("postgres_available"))
    url = create_scratch_database(base, "sfa_faults")
    try:
        yield from _backend("postgres", url, root)
    finally:
        drop_scratch_database(base, url)


@pytest.fixture
def clients(backend: Backend) -> Iterator[list[Client]]:
    """Clients made by a test (closed at its end): append to it."""
    made: list[Client] = []
    yield made
    for client in made:
        client.shut_down()
