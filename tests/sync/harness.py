"""Client profiles that talk to the in-process server: each has its own data folder,
database, keyring entry, clock (with optional skew) and a flaky HTTP client."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import psycopg
from fastapi import FastAPI
from fastapi.testclient import TestClient
from keyring.backend import KeyringBackend
from new_profiles import open_new_database
from server.helpers import PASSWORD, ManualClock, Person, Team
from sqlalchemy.engine import make_url
from store.local_ids import local_ids

from sfa_desktop.services.editing import (
    EditContext,
    create_record,
    delete_record,
    load_edit_context,
    update_record,
)
from sfa_desktop.services.sync_account import connect, sign_in
from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.records import get_record
from sfa_desktop.sync import outbox
from sfa_desktop.sync.engine import SyncEngine
from sfa_desktop.sync.report import SyncReport
from sfa_desktop.sync.tokens import TokenStore
from sfa_desktop.sync.transport import NO_RETRY, RetryPolicy
from sync_server.db.database import Database as ServerDatabase

SERVER_URL = "http://testserver"


class MemoryKeyring(KeyringBackend):
    """An in-memory keyring backend (the OS keyring is never touched by tests)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError("not found")


class FlakyClient(TestClient):
    """The in-process server, with network failures on demand."""

    def __init__(self, app: FastAPI) -> None:
        super().__init__(app)
        #: raise after the server answered the next push (a lost acknowledgement)
        self.lose_next_push_answer = False
        #: let this many pulls through, then fail every pull (None: never)
        self.pulls_before_outage: int | None = None
        #: fail every request
        self.offline = False
        #: called once just before the next pull is sent (the UI editing during a sync)
        self.before_pull: Callable[[], object] | None = None
        self.requests: list[str] = []
        #: statuses to answer the next requests with, instead of reaching the server
        self.answer_next_with: list[int] = []
        #: every push answer the server gave (also the ones the client never heard)
        self.push_answers: list[Any] = []
        #: (text, status): a push whose body holds the text is answered with the status, every
        #: time (a mutation the server fails on)
        self.poison: tuple[str, int] | None = None

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:  # type: ignore[override]
        path = request.url.path
        self.requests.append(f"{request.method} {path}")
        if self.offline:
            raise httpx.ConnectError("network is unreachable", request=request)
        if self.answer_next_with:
            status = self.answer_next_with.pop(0)
            body = {"code": "unavailable", "message": "try later"}
            return httpx.Response(status, json=body, request=request)
        if self.poison is not None and path.endswith("/sync/push"):
            text, status = self.poison
            if text.encode() in request.content:
                body = {"code": "internal_error", "message": "the server failed"}
                return httpx.Response(status, json=body, request=request)
        if self.before_pull is not None and path.endswith("/sync/pull"):
            hook, self.before_pull = self.before_pull, None
            hook()
        if self.pulls_before_outage is not None and path.endswith("/sync/pull"):
            if self.pulls_before_outage <= 0:
                raise httpx.ConnectError("network is unreachable", request=request)
            self.pulls_before_outage -= 1
        response = super().send(request, **kwargs)
        if path.endswith("/sync/push") and response.status_code == 200:
            self.push_answers.append(response.json()["results"])
        if self.lose_next_push_answer and path.endswith("/sync/push"):
            self.lose_next_push_answer = False
            raise httpx.ReadError("connection reset by peer", request=request)
        return response


class Profile:
    """One client: a rep's (or manager's) laptop."""

    def __init__(
        self,
        fleet: Fleet,
        name: str,
        person: Person,
        *,
        skew: dt.timedelta = dt.timedelta(0),
        retry: RetryPolicy = NO_RETRY,
        pull_page: int = 1000,
    ) -> None:
        self.fleet = fleet
        self.name = name
        self.person = person
        self.skew = skew
        self.folder = fleet.tmp_path / "clients" / name
        self.database: Database = open_new_database(self.folder / "sfa.sqlite3")
        self.http = FlakyClient(fleet.app)
        self.tokens = TokenStore(fleet.keyring)
        sign_in(
            self.database,
            server_url=SERVER_URL,
            email=person.email,
            password=PASSWORD,
            tokens=self.tokens,
            http=self.http,
            retry=NO_RETRY,
        )
        with self.database.session() as session:
            self.ctx: EditContext = load_edit_context(session, now=self.now)
        self.engine: SyncEngine = connect(
            self.database,
            tokens=self.tokens,
            http=self.http,
            retry=retry,
            now=self.now,
            clock=self.ctx.clock,
        )
        self.engine.pull_page = pull_page

    def now(self) -> dt.datetime:
        return self.fleet.clock.now + self.skew

    @property
    def user_id(self) -> str:
        return self.person.id

    # --- editing ----------------------------------------------------------------------------

    def create(self, entity: str, **values: Any) -> str:
        with self.database.session() as session:
            return create_record(session, self.ctx, entity, values)

    def edit(self, entity: str, record_id: str, **changes: Any) -> dict[str, tuple[Any, Any]]:
        with self.database.session() as session:
            return update_record(session, self.ctx, entity, record_id, changes)

    def delete(self, entity: str, record_id: str) -> None:
        with self.database.session() as session:
            delete_record(session, self.ctx, entity, record_id)

    def sync(self) -> SyncReport:
        self.fleet.clock.advance(seconds=1)
        return self.engine.sync()

    # --- reading ----------------------------------------------------------------------------

    def get(self, entity: str, record_id: str) -> dict[str, Any] | None:
        with self.database.session() as session:
            return get_record(session, entity, record_id)

    def ids(self, entity: str, *, live: bool = True) -> set[str]:
        return local_ids(self.database, entity, live=live)

    def pending(self) -> int:
        with self.database.session() as session:
            return outbox.pending_count(session)

    def close(self) -> None:
        self.database.close()
        self.http.close()


class Fleet:
    """The server app plus any number of client profiles."""

    def __init__(
        self,
        app: FastAPI,
        team: Team,
        clock: ManualClock,
        tmp_path: Path,
        keyring: MemoryKeyring,
    ) -> None:
        self.app = app
        self.team = team
        self.clock = clock
        self.tmp_path = tmp_path
        self.keyring = keyring
        self.profiles: list[Profile] = []

    def profile(self, name: str, person: Person, **options: Any) -> Profile:
        profile = Profile(self, name, person, **options)
        self.profiles.append(profile)
        return profile

    def shared_account(self, manager: str = "boss") -> tuple[Profile, Profile, str]:
        """Ana and her manager (a profile named ``manager``), both synced after Ana created an
        account (Ferretería Martínez, Zaragoza): the two profiles and the account's id."""
        ana = self.profile("ana", self.team.rep_a)
        boss = self.profile(manager, self.team.manager)
        ana.sync()
        account = ana.create("account", name="Ferretería Martínez", city="Zaragoza")
        ana.sync()
        boss.sync()
        return ana, boss, account

    def close(self) -> None:
        for profile in self.profiles:
            profile.close()


class ServerBackup:
    """Back up the server's database and restore it later, as an administrator would.

    SQLite: the online backup API into a file (what ``sqlite3 .backup`` does). PostgreSQL: a
    copy of the database (``CREATE DATABASE … TEMPLATE``), restored by dropping the live one
    and copying the backup back under its name. The app's connections are closed first.
    """

    def __init__(self, database: ServerDatabase, url: str, folder: Path) -> None:
        self.database = database
        self.url = make_url(url)
        self.file = folder / "server-backup.sqlite3"
        self.copy_name = f"{self.url.database}_backup"

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def _admin(self) -> psycopg.Connection[Any]:
        maintenance = self.url.set(drivername="postgresql", database="postgres")
        return psycopg.connect(maintenance.render_as_string(False), autocommit=True)

    def take(self) -> None:
        self.database.dispose()
        if self.is_sqlite:
            with (
                sqlite3.connect(str(self.url.database)) as live,
                sqlite3.connect(self.file) as copy,
            ):
                live.backup(copy)
            return
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.copy_name}"')
            admin.execute(f'CREATE DATABASE "{self.copy_name}" TEMPLATE "{self.url.database}"')

    def restore(self) -> None:
        self.database.dispose()
        if self.is_sqlite:
            with (
                sqlite3.connect(self.file) as copy,
                sqlite3.connect(str(self.url.database)) as live,
            ):
                copy.backup(live)
            return
        with self._admin() as admin:
            admin.execute(f'DROP DATABASE "{self.url.database}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{self.url.database}" TEMPLATE "{self.copy_name}"')
            admin.execute(f'DROP DATABASE "{self.copy_name}"')
