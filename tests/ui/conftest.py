"""Fixtures for the desktop UI tests: a task runner, real SQLite profiles, English by default;
for the sync tests, the in-process server and a desktop profile, controller and window on it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from new_profiles import open_new_database
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from server.conftest import sqlite_template  # noqa: F401  (session fixture, reused)
from sync.harness import Fleet, Profile

from sfa_desktop.i18n import ENGLISH, set_language
from sfa_desktop.services.sync_session import SyncSession
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.meta import MetaKey, set_meta
from sfa_desktop.store.paths import database_path
from sfa_desktop.store.repositories.records import bulk_insert
from sfa_desktop.ui.sync.controller import SyncController, SyncSchedule
from sfa_desktop.ui.tasks import TaskRunner

from .desktop_sync import QUIET, Desktop, SyncServer, build_server
from .fixed_clock import TODAY

WAIT_MS = 10_000
"""How long a test waits for the UI or a background task (qtbot.waitUntil, waitSignal)."""
SYNC_WAIT_MS = 15_000
"""How long a test waits for a whole sync with the in-process server."""
ACCOUNT_COUNT = 450
"""More than two pages of 200, so paging has a partial last page."""
NOW = dt.datetime(2026, 11, 25, 8, 0, tzinfo=dt.UTC)
USERS = (
    {"id": "01900000-0000-7000-8000-000000000001", "name": "Ana García", "rep_code": "AGA"},
    {"id": "01900000-0000-7000-8000-000000000002", "name": "Luis Pérez", "rep_code": "LPE"},
)
CITIES = (
    ("Madrid", "Comunidad de Madrid"),
    ("Málaga", "Andalucía"),
    ("Bilbao", "País Vasco"),
    ("Valencia", "Comunitat Valenciana"),
    ("Zaragoza", "Aragón"),
)
TRADES = ("Ferretería", "Talleres", "Distribuciones", "Panadería", "Construcciones", "Óptica")
STAGES = ("prospect", "qualified", "customer", "lapsed")


def account_rows(count: int) -> list[dict[str, object]]:
    """Deterministic accounts: trade + number, cycling cities, owners and stages."""
    rows: list[dict[str, object]] = []
    for number in range(1, count + 1):
        city, region = CITIES[number % len(CITIES)]
        rows.append(
            {
                "id": f"01900000-0000-7000-9000-{number:012d}",
                "name": f"{TRADES[number % len(TRADES)]} {number:03d} S.L.",
                "city": city,
                "region": region,
                "country": "ES",
                "owner_id": USERS[number % len(USERS)]["id"],
                "lifecycle_stage": STAGES[number % len(STAGES)],
                "phone": f"+3491{number:07d}",
                "email": f"info{number}@example.es",
            }
        )
    return rows


def build_profile(data_dir: Path, *, accounts: int) -> Path:
    """A profile folder whose database holds the users and ``accounts`` accounts."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with open_database(database_path(data_dir)) as database, database.session() as session:
        bulk_insert(
            session,
            "user",
            [
                {**user, "email": f"{user['rep_code'].lower()}@example.es", "role": "rep"}
                for user in USERS
            ],
            now=NOW,
        )
        bulk_insert(session, "account", account_rows(accounts), now=NOW)
        set_meta(session, MetaKey.USER_ID, str(USERS[0]["id"]))
    return data_dir


OFFSCREEN_NOISE = (
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)
"""The offscreen platform's warnings when a top-level window or a pop-up (a completion list)
shows; harmless."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Qt warnings fail the tests (pyproject), except the offscreen platform's own notice."""
    for item in items:
        if "tests/ui/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.fixture(scope="session")
def profile_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_profile(tmp_path_factory.mktemp("template") / "profile", accounts=ACCOUNT_COUNT)


@pytest.fixture(scope="session")
def empty_profile_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_profile(tmp_path_factory.mktemp("template") / "empty", accounts=0)


def _copy_profile(template: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy2(database_path(template), database_path(target))
    return target


@pytest.fixture
def profile_dir(profile_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the profile with :data:`ACCOUNT_COUNT` accounts."""
    return _copy_profile(profile_template, tmp_path / "profile")


@pytest.fixture
def empty_profile_dir(empty_profile_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of a profile with users but no accounts."""
    return _copy_profile(empty_profile_template, tmp_path / "empty")


@pytest.fixture
def database(profile_dir: Path) -> Iterator[Database]:
    with open_database(database_path(profile_dir)) as opened:
        yield opened


@pytest.fixture
def empty_database(empty_profile_dir: Path) -> Iterator[Database]:
    with open_database(database_path(empty_profile_dir)) as opened:
        yield opened


@pytest.fixture
def runner(qapp: object) -> Iterator[TaskRunner]:
    """A task runner with no database."""
    task_runner = TaskRunner()
    yield task_runner
    task_runner.shutdown()


def _runner_on(database: Database) -> Iterator[TaskRunner]:
    """A task runner on ``database``, shut down before the database closes."""
    task_runner = TaskRunner()
    task_runner.attach_database(database)
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def db_runner(qapp: object, database: Database) -> Iterator[TaskRunner]:
    """A task runner on the accounts profile."""
    yield from _runner_on(database)


@pytest.fixture
def empty_db_runner(qapp: object, empty_database: Database) -> Iterator[TaskRunner]:
    """A task runner on a profile without accounts."""
    yield from _runner_on(empty_database)


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database built around :data:`fixed_clock.TODAY` (the agenda tests' data)."""
    return build_demo_file(tmp_path_factory.mktemp("demo-ui"), accounts=120, today=TODAY)


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    """A fresh copy of the demo database."""
    yield from open_demo_copy(demo_file, tmp_path)


@pytest.fixture
def demo_runner(qapp: object, demo_db: Database) -> Iterator[TaskRunner]:
    """A task runner on the demo database."""
    yield from _runner_on(demo_db)


@pytest.fixture(scope="session", autouse=True)
def _closing_a_window_does_not_quit(qapp: QApplication) -> None:
    """Closing the last window would end every later event loop (QApplication.quit)."""
    qapp.setQuitOnLastWindowClosed(False)


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """Every test starts in English and leaves the language as it found it."""
    set_language(ENGLISH)
    yield
    set_language(ENGLISH)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))


# --- desktop sync: the in-process server and the window wired to it (see desktop_sync.py) -------


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
    with open_new_database(tmp_path / "desktop" / "sfa.sqlite3") as database:
        yield database


@pytest.fixture
def desktop_runner(qapp: object, desktop_database: Database) -> Iterator[TaskRunner]:
    """The task runner on the desktop profile."""
    yield from _runner_on(desktop_database)


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


@pytest.fixture
def fleet(sync_server: SyncServer) -> Iterator[Fleet]:
    others = sync_server.fleet()
    yield others
    others.close()


@pytest.fixture
def ana(sync_server: SyncServer, fleet: Fleet) -> Profile:
    """Ana (rep_a) on a machine of her own, synced once: she has the users (she owns accounts)."""
    profile = fleet.profile("ana", sync_server.team.rep_a)
    profile.sync()
    return profile


@pytest.fixture
def make_desktop(
    qtbot: QtBot,
    desktop_runner: TaskRunner,
    tmp_path: Path,
) -> Iterator[Callable[..., Desktop]]:
    made: list[Desktop] = []

    def make(controller: SyncController, **options: object) -> Desktop:
        desktop = Desktop(qtbot, desktop_runner, controller, tmp_path, **options)
        made.append(desktop)
        return desktop

    yield make
    for desktop in made:
        desktop.close()


@pytest.fixture
def open_desktop(
    make_controller: Callable[[SyncSession], SyncController],
    make_desktop: Callable[..., Desktop],
) -> Callable[..., tuple[SyncController, Desktop]]:
    """``open_desktop(session, **options)``: a sync controller on ``session`` (not started yet)
    and the window around it (``options`` go to :class:`Desktop`)."""

    def open_(session: SyncSession, **options: object) -> tuple[SyncController, Desktop]:
        controller = make_controller(session)
        return controller, make_desktop(controller, **options)

    return open_
