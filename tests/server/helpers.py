"""Helpers for the server tests: a signed-in device that pushes and pulls like a client."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sync_server.api.deps import ServerState
from sync_server.clock import to_millis
from sync_server.db.models import AuditEntry, Counter, Record
from sync_server.protocol.hlc import HybridLogicalClock
from sync_server.protocol.ids import new_id
from sync_server.protocol.versions import (
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SCHEMA_HEADER,
    SCHEMA_VERSION,
)
from sync_server.protocol.wire import (
    ChangeKind,
    Mutation,
    MutationOp,
    MutationResult,
    PullResponse,
    PushResponse,
    RecordChange,
    new_mutation,
)
from sync_server.services import users
from sync_server.settings import Settings

VERSION_HEADERS = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), SCHEMA_HEADER: str(SCHEMA_VERSION)}
PASSWORD = "correct horse battery"
START = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, start: dt.datetime = START) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@dataclass(frozen=True)
class Person:
    id: str
    email: str
    role: str


@dataclass(frozen=True)
class Team:
    """admin; manager → rep_a, rep_b; manager_c → rep_c (another team)."""

    admin: Person
    manager: Person
    rep_a: Person
    rep_b: Person
    manager_c: Person
    rep_c: Person


@dataclass
class Device:
    """A signed-in device with its own clock and a local mirror of what it pulled."""

    client: TestClient
    token: str
    device_id: str
    user_id: str
    wall: Callable[[], dt.datetime]
    cursor: str = "0"
    mirror: dict[str, RecordChange] = field(default_factory=dict)
    left: list[RecordChange] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.hlc = HybridLogicalClock(self.device_id, wall=lambda: to_millis(self.wall()))

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    # --- push -------------------------------------------------------------------------------

    def mutation(
        self,
        op: MutationOp,
        entity: str,
        record_id: str,
        *,
        field: str | None = None,
        value: Any = None,
        base_version: int = 0,
        hlc: str | None = None,
    ) -> Mutation:
        stamp = hlc or str(self.hlc.now())
        return new_mutation(
            entity, record_id, op, field=field, value=value, base_version=base_version, hlc=stamp
        )

    def push_raw(self, *mutations: Mutation) -> PushResponse:
        body = {"mutations": [m.model_dump(mode="json") for m in mutations]}
        response = self.client.post("/api/v1/sync/push", json=body, headers=self.headers)
        assert response.status_code == 200, response.text
        return PushResponse.model_validate(response.json())

    def push(self, *mutations: Mutation) -> list[MutationResult]:
        return self.push_raw(*mutations).results

    def create(self, entity: str, values: dict[str, Any], record_id: str | None = None) -> str:
        record_id = record_id or new_id()
        (result,) = self.push(self.mutation(MutationOp.CREATE, entity, record_id, value=values))
        assert result.status == "applied", result
        return record_id

    def create_accounts(self, names: list[str]) -> list[str]:
        """Creates one account per name, owned by this user, in one push; returns their ids."""
        ids = [new_id() for _ in names]
        mutations = [
            self.mutation(
                MutationOp.CREATE, "account", record_id, value=account_values(self.user_id, name)
            )
            for name, record_id in zip(names, ids, strict=True)
        ]
        results = self.push(*mutations)
        assert {r.status for r in results} == {"applied"}, results
        return ids

    def set(
        self, entity: str, record_id: str, field: str, value: Any, *, base: int
    ) -> MutationResult:
        mutation = self.mutation(
            MutationOp.SET, entity, record_id, field=field, value=value, base_version=base
        )
        return self.push(mutation)[0]

    def delete(self, entity: str, record_id: str, *, base: int) -> MutationResult:
        return self.push(self.mutation(MutationOp.DELETE, entity, record_id, base_version=base))[0]

    # --- pull -------------------------------------------------------------------------------

    def pull_page(self, cursor: str = "0", limit: int = 1000) -> PullResponse:
        response = self.client.get(
            "/api/v1/sync/pull", params={"cursor": cursor, "limit": limit}, headers=self.headers
        )
        assert response.status_code == 200, response.text
        return PullResponse.model_validate(response.json())

    def sync(self, limit: int = 1000) -> list[RecordChange]:
        """Pull every page after the stored cursor into the mirror; returns the changes."""
        received: list[RecordChange] = []
        while True:
            page = self.pull_page(self.cursor, limit)
            received.extend(page.changes)
            for change in page.changes:
                if change.kind is ChangeKind.LEFT_SCOPE:
                    self.mirror.pop(change.record_id, None)
                    self.left.append(change)
                else:
                    self.mirror[change.record_id] = change
            self.cursor = page.next_cursor
            if not page.has_more:
                return received

    def of(self, entity: str) -> dict[str, RecordChange]:
        return {k: v for k, v in self.mirror.items() if v.entity == entity}


def login(client: TestClient, email: str, wall: Callable[[], dt.datetime]) -> Device:
    response = client.post(
        "/api/v1/auth/login",
        json={"email": email, "password": PASSWORD, "device_name": "laptop"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    return Device(client, body["token"], body["device_id"], body["user"]["id"], wall)


def account_values(owner_id: str, name: str = "Ferretería Martínez") -> dict[str, Any]:
    return {"name": name, "owner_id": owner_id, "city": "Zaragoza", "tags": ["hardware"]}


def build_account_tree(device: Device, owner_id: str) -> dict[str, str]:
    """An account with one contact, visit, opportunity, quote and quote line: entity -> id."""
    ids = {"account": device.create("account", account_values(owner_id))}
    account = ids["account"]
    ids["contact"] = device.create("contact", {"account_id": account, "first_name": "Lucía"})
    ids["visit"] = device.create("visit", {"account_id": account, "owner_id": owner_id})
    ids["opportunity"] = device.create(
        "opportunity",
        {"account_id": account, "owner_id": owner_id, "name": "Renovación", "amount": 125000},
    )
    number = f"Q-{new_id()[-12:]}"  # quote numbers are unique
    ids["quote"] = device.create(
        "quote", {"account_id": account, "owner_id": owner_id, "number": number}
    )
    ids["quote_line"] = device.create(
        "quote_line", {"quote_id": ids["quote"], "description": "Taladro", "unit_price": 8990}
    )
    return ids


def stored_counts(state: ServerState) -> tuple[int, int, int]:
    """(records, audit entries, change-feed counter): a refused push must leave all three."""
    with state.database.read_session() as session:
        return (
            int(session.scalar(select(func.count()).select_from(Record)) or 0),
            int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0),
            int(session.scalar(select(Counter.value)) or 0),
        )


def pull_while_pushing(pushers: list[threading.Thread], pull_once: Callable[[], bool]) -> None:
    """Starts the pushers, pulls (``pull_once``) while any of them runs, then to the end.

    ``pull_once`` pulls one page and says whether there is more.
    """
    for thread in pushers:
        thread.start()
    while any(t.is_alive() for t in pushers):
        pull_once()
    for thread in pushers:
        thread.join()
    while pull_once():
        pass


def cheap_hash_settings(data_dir: Path, database_url: str, **values: Any) -> Settings:
    """Server settings for tests, with password hashing made cheap (tests sign in a lot)."""
    return Settings(
        data_dir=data_dir,
        database_url=database_url,
        argon2_time_cost=1,
        argon2_memory_kib=64,
        argon2_parallelism=1,
        **values,
    )


def add_person(state: ServerState, email: str, role: str, manager: Person | None = None) -> Person:
    """A user with ``PASSWORD``, named after the email (``ana.rep@…`` → "Ana Rep")."""
    user = users.add_user(
        state.database,
        context=state.sync,
        passwords=state.auth.passwords,
        email=email,
        name=email.split("@")[0].replace(".", " ").title(),
        role=role,
        password=PASSWORD,
        manager_email=manager.email if manager else None,
    )
    return Person(user.id, user.email, user.role)


def add_team(state: ServerState) -> Team:
    """The ``Team``: an admin, two managers and their reps."""
    admin = add_person(state, "ada.admin@example.com", "admin")
    manager = add_person(state, "mario.manager@example.com", "manager", admin)
    rep_a = add_person(state, "ana.rep@example.com", "rep", manager)
    rep_b = add_person(state, "bruno.rep@example.com", "rep", manager)
    manager_c = add_person(state, "carmen.manager@example.com", "manager", admin)
    rep_c = add_person(state, "carlos.rep@example.com", "rep", manager_c)
    return Team(admin, manager, rep_a, rep_b, manager_c, rep_c)
