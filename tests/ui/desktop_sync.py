"""The desktop sync tests' scaffolding (their fixtures are in ``conftest.py``): the in-process
server, a desktop ``SyncSession`` on it, and the main window wired to sync as the app wires it.

The server is the real FastAPI app on a SQLite file; clients reach it through the in-process
``TestClient`` (an ``httpx.Client``), which can also play an unreachable network.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from server.helpers import PASSWORD, ManualClock, Person, Team, add_team, cheap_hash_settings
from sync.harness import FlakyClient, Fleet, MemoryKeyring

from sfa_desktop.services.sync_session import SyncSession
from sfa_desktop.store.database import Database
from sfa_desktop.sync.tokens import TokenStore
from sfa_desktop.sync.transport import NO_RETRY
from sfa_desktop.ui.language import LanguageSwitcher
from sfa_desktop.ui.main_window import MainWindow
from sfa_desktop.ui.profile import Profile
from sfa_desktop.ui.sync.commands import SyncCommands
from sfa_desktop.ui.sync.controller import SyncController, SyncSchedule
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.base import Workspace
from sfa_desktop.ui.workspaces.conflicts import ConflictsWorkspace
from sync_server.app import create_app
from sync_server.db.database import Database as ServerDatabase

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
    config = cheap_hash_settings(tmp_path, f"sqlite:///{target}", database_pool_size=12, **settings)
    clock = ManualClock(dt.datetime.now(dt.UTC).replace(microsecond=0))
    database = ServerDatabase(config.sqlalchemy_url(), pool_size=config.database_pool_size)
    app = create_app(config, clock=clock, database=database)
    team = add_team(app.state.server)
    return SyncServer(app, clock, team, tmp_path, MemoryKeyring())


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


#: Timers that never fire during a test: the tests call sync_now/probe_server/recount.
QUIET = SyncSchedule(
    every_ms=3_600_000, probe_first_ms=3_600_000, probe_max_ms=3_600_000, recount_ms=3_600_000
)


class RecordingWorkspace(Workspace):
    """A stand-in for a data workspace: counts its reloads."""

    view_id = "today"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.refreshes = 0
        self._mark_ready()

    def title(self) -> str:
        return "Today"

    def description(self) -> str:
        return "Today"

    def refresh(self) -> None:
        self.refreshes += 1


class Desktop:
    """The window with sync wired as the app wires it."""

    def __init__(
        self,
        qtbot: QtBot,
        runner: TaskRunner,
        controller: SyncController,
        data_dir: Path,
        **command_options: object,
    ) -> None:
        self.controller = controller
        self.recording = RecordingWorkspace()
        self.conflicts = ConflictsWorkspace(runner)
        self.language = LanguageSwitcher()
        self.language.apply("en")
        self.window = MainWindow(
            workspaces=[self.recording, self.conflicts],
            profile=Profile(data_dir, user_name="Mario Manager"),
            language=self.language,
        )
        qtbot.addWidget(self.window)
        self.commands = SyncCommands(controller, self.window, **command_options)  # type: ignore[arg-type]
        self.window.add_file_actions(self.commands.actions())
        self.window.status.set_sync_action(self.commands.sync_now_action)
        controller.state_changed.connect(self.window.status.set_sync_state)
        controller.counts_changed.connect(
            lambda c: self.window.status.set_counts(pending=c.pending, conflicts=c.conflicts)
        )
        controller.data_changed.connect(self.window.refresh_workspaces)
        self.conflicts.sync_requested.connect(controller.sync_soon)
        self.conflicts.records_changed.connect(self.window.refresh_workspaces)
        self.window.show()
        qtbot.waitExposed(self.window)
        self.window.activateWindow()

    def close(self) -> None:
        self.language.uninstall()


def signed_in(
    server: SyncServer, database: Database, person: Person, **options: object
) -> SyncSession:
    session = desktop_session(server, database, **options)  # type: ignore[arg-type]
    session.sign_in(server_url=SERVER_URL, email=person.email, password=PASSWORD)
    return session
