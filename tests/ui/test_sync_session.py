"""The app's link to the sync server (``SyncSession``, no Qt), and the in-process server the
desktop sync tests share (imported by ``test_sync_*``, ``test_sign_in*``, ``test_conflicts_*``).

The server is the real FastAPI app on a SQLite file; clients reach it through the in-process
``TestClient`` (an ``httpx.Client``), which can also play an unreachable network.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from keyring.backends import fail
from server.conftest import sqlite_template  # noqa: F401  (session fixture, reused)
from server.helpers import PASSWORD, ManualClock, Person, Team
from sync.harness import FlakyClient, Fleet, MemoryKeyring

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.services.sync_account import load_identity, normalize_server_address
from sfa_desktop.services.sync_session import SyncCancelled, SyncSession
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.sync.errors import InvalidCredentials, NotSignedIn, ServerUnreachable
from sfa_desktop.sync.tokens import TokenStore
from sfa_desktop.sync.transport import NO_RETRY
from sfa_desktop.ui.sync.controller import SyncController, SyncSchedule
from sfa_desktop.ui.tasks import TaskRunner
from sync_server.app import create_app
from sync_server.db.database import Database as ServerDatabase
from sync_server.services import users
from sync_server.settings import Settings

SERVER_URL = "https://sfa.example.com"


class GatedClient(FlakyClient):
    """The in-process server; can hold requests to one path until the test lets them go."""

    def __init__(self, app: FastAPI) -> None:
        super().__init__(app)
        self.gate = threading.Event()
        self.gate.set()
        #: requests whose path ends with this wait for :attr:`gate` (after ``let_through``)
        self.hold_path: str | None = None
        self.let_through = 0
        self.waiting = threading.Event()

    def hold(self, path: str, *, after: int = 0) -> None:
        self.hold_path, self.let_through = path, after
        self.gate.clear()

    def release(self) -> None:
        self.hold_path = None
        self.gate.set()

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:  # type: ignore[override]
        if self.hold_path is not None and request.url.path.endswith(self.hold_path):
            if self.let_through > 0:
                self.let_through -= 1
            else:
                self.waiting.set()
                assert self.gate.wait(30), "the test never released the held request"
        return super().send(request, **kwargs)


@dataclass
class SyncServer:
    """The server app, its clock, its users and a client for each desktop under test."""

    app: FastAPI
    clock: ManualClock
    team: Team
    tmp_path: Path
    keyring: MemoryKeyring

    def client(self) -> GatedClient:
        return GatedClient(self.app)

    def fleet(self) -> Fleet:
        """Other laptops (the CLI-level harness of the sync client tests)."""
        return Fleet(self.app, self.team, self.clock, self.tmp_path / "others", self.keyring)


def build_server(tmp_path: Path, template: Path, **settings: Any) -> SyncServer:
    tmp_path.mkdir(parents=True, exist_ok=True)
    target = tmp_path / "server.sqlite3"
    shutil.copyfile(template, target)
    config = Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{target}",
        argon2_time_cost=1,
        argon2_memory_kib=64,
        argon2_parallelism=1,
        database_pool_size=12,
        **settings,
    )
    clock = ManualClock(dt.datetime.now(dt.UTC).replace(microsecond=0))
    database = ServerDatabase(config.sqlalchemy_url(), pool_size=config.database_pool_size)
    app = create_app(config, clock=clock, database=database)
    state = app.state.server

    def add(email: str, name: str, role: str, manager: Person | None = None) -> Person:
        user = users.add_user(
            state.database,
            context=state.sync,
            passwords=state.auth.passwords,
            email=email,
            name=name,
            role=role,
            password=PASSWORD,
            manager_email=manager.email if manager else None,
        )
        return Person(user.id, user.email, user.role)

    admin = add("ada.admin@example.com", "Ada Admin", "admin")
    manager = add("mario.manager@example.com", "Mario Manager", "manager", admin)
    rep_a = add("ana.rep@example.com", "Ana Rep", "rep", manager)
    rep_b = add("bruno.rep@example.com", "Bruno Rep", "rep", manager)
    manager_c = add("carmen.manager@example.com", "Carmen Manager", "manager", admin)
    rep_c = add("carlos.rep@example.com", "Carlos Rep", "rep", manager_c)
    team = Team(admin, manager, rep_a, rep_b, manager_c, rep_c)
    return SyncServer(app, clock, team, tmp_path, MemoryKeyring())


@pytest.fixture
def make_sync_server(
    tmp_path: Path,
    sqlite_template: Path,  # noqa: F811
) -> Iterator[Callable[..., SyncServer]]:
    """Builds the server with optional ``Settings`` overrides (once per test)."""
    built: list[SyncServer] = []

    def make(**settings: Any) -> SyncServer:
        server = build_server(tmp_path / f"server{len(built)}", sqlite_template, **settings)
        built.append(server)
        return server

    yield make
    for server in built:
        server.app.state.server.database.dispose()


@pytest.fixture
def sync_server(make_sync_server: Callable[..., SyncServer]) -> SyncServer:
    return make_sync_server()


@pytest.fixture
def desktop_database(tmp_path: Path) -> Iterator[Database]:
    """The desktop profile under test: a new, empty database."""
    with open_database(tmp_path / "desktop" / "sfa.sqlite3") as database:
        yield database


def desktop_session(
    server: SyncServer,
    database: Database,
    *,
    tokens: TokenStore | None = None,
    http: GatedClient | None = None,
    pull_page: int | None = None,
) -> SyncSession:
    return SyncSession(
        database,
        tokens=tokens or TokenStore(server.keyring),
        http=http or server.client(),
        retry=NO_RETRY,
        sign_in_retry=NO_RETRY,
        pull_page=pull_page,
        probe_timeout=2.0,
    )


# --- SyncSession ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sfa.example.com", "https://sfa.example.com"),
        ("  HTTP://Sfa.Example.com:8080/ ", "http://sfa.example.com:8080"),
        ("https://sfa.example.com/api/v1", "https://sfa.example.com"),
        ("http://sfa-server:8000", "http://sfa-server:8000"),
        ("https://example.com/sfa/", "https://example.com/sfa"),
        ("http://[::1]:8000", "http://[::1]:8000"),
    ],
)
def test_server_addresses_are_normalized(typed: str, expected: str) -> None:
    assert normalize_server_address(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ftp://sfa.example.com",
        "https://",
        "sfa example.com",
        "https://u:p@sfa.example.com",
        "https://sfa.example.com/?x=1",
        "https://sfa.example.com:99999",
        "https://sfa_server!",
    ],
)
def test_bad_server_addresses_are_refused(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        normalize_server_address(typed)
    assert caught.value.code == ("required" if not typed else "invalid_server_address")


def test_sign_in_then_sync_then_sign_out(
    sync_server: SyncServer, desktop_database: Database
) -> None:
    session = desktop_session(sync_server, desktop_database)
    assert session.account_state().identity is None
    with pytest.raises(NotSignedIn):
        session.sync()
    result = session.sign_in(
        server_url="sfa.example.com", email=" ana.rep@example.com ", password=PASSWORD
    )
    assert result.identity.server_url == SERVER_URL and result.token_saved
    state = session.account_state()
    assert state.signed_in and state.keyring_available
    report = session.sync()
    assert report.pulled >= 6  # the users
    assert session.server_reachable(SERVER_URL)
    session.sign_out()
    state = session.account_state()
    assert state.identity is not None and not state.has_token  # who it was stays known


def test_wrong_password_and_unreachable_server(
    sync_server: SyncServer, desktop_database: Database
) -> None:
    http = sync_server.client()
    session = desktop_session(sync_server, desktop_database, http=http)
    with pytest.raises(InvalidCredentials):
        session.sign_in(server_url=SERVER_URL, email="ana.rep@example.com", password="nope")
    with desktop_database.session() as db:
        assert load_identity(db) is None
    http.offline = True
    with pytest.raises(ServerUnreachable):
        session.sign_in(server_url=SERVER_URL, email="ana.rep@example.com", password=PASSWORD)
    assert not session.server_reachable(SERVER_URL)


def test_without_a_keyring_the_token_lives_for_this_run_only(
    sync_server: SyncServer, desktop_database: Database
) -> None:
    tokens = TokenStore(fail.Keyring())
    session = desktop_session(sync_server, desktop_database, tokens=tokens)
    result = session.sign_in(server_url=SERVER_URL, email="ana.rep@example.com", password=PASSWORD)
    assert not result.token_saved
    assert session.account_state().signed_in
    next_run = desktop_session(sync_server, desktop_database, tokens=TokenStore(fail.Keyring()))
    state = next_run.account_state()
    assert state.identity is not None and not state.has_token and not state.keyring_available


def test_a_cancelled_session_refuses_to_sync(
    sync_server: SyncServer, desktop_database: Database
) -> None:
    session = desktop_session(sync_server, desktop_database)
    session.sign_in(server_url=SERVER_URL, email="ana.rep@example.com", password=PASSWORD)
    assert session.cancel(wait=1.0)
    with pytest.raises(SyncCancelled):
        session.sync()


# --- the desktop side (shared with the Qt tests) ---------------------------------------------------

#: Timers that never fire during a test: the tests call sync_now/probe_server/recount.
QUIET = SyncSchedule(
    every_ms=3_600_000, probe_first_ms=3_600_000, probe_max_ms=3_600_000, recount_ms=3_600_000
)


@pytest.fixture
def desktop_runner(qapp: object, desktop_database: Database) -> Iterator[TaskRunner]:
    """The task runner on the desktop profile (shut down before the database closes)."""
    runner = TaskRunner()
    runner.attach_database(desktop_database)
    yield runner
    runner.shutdown()


@pytest.fixture
def make_controller(
    desktop_runner: TaskRunner,
) -> Iterator[Callable[[SyncSession], SyncController]]:
    made: list[SyncController] = []

    def make(session: SyncSession, schedule: SyncSchedule = QUIET) -> SyncController:
        controller = SyncController(desktop_runner, session, schedule=schedule)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.stop()
