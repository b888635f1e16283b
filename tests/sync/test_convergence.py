"""Hypothesis stateful test: several clients edit, delete, sync, lose acknowledgements and
run skewed clocks; after everyone syncs twice they all hold the server's state for what they
may see, and every value the server did not keep is recorded as a conflict."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    rule,
    run_state_machine_as_test,
)
from server.conftest import empty_postgres
from server.helpers import ManualClock, Team, add_person, cheap_hash_settings
from sqlalchemy import select

from sfa_desktop.store.models import OutboxEntry
from sfa_desktop.sync.errors import SyncError
from sync_server.app import build_state, create_app
from sync_server.db.database import Database

from .harness import Fleet, MemoryKeyring, Profile
from .local_rows import conflicts

CLIENTS = ("ana", "ana_laptop", "bruno", "boss")
CITIES = ("Soria", "Teruel", "Huesca", None)
NOTES = ("llamar", "visitar", "presupuesto")
SKEWS = (-60, -15, 0, 3, 30, 60)  # minutes
_counter = itertools.count()


def fresh_server(backend: str, request: pytest.FixtureRequest, folder: Path) -> Any:
    """A migrated, empty server database and its app, for one Hypothesis example."""
    folder.mkdir(parents=True)
    if backend == "sqlite":
        target = folder / "server.sqlite3"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        url = f"sqlite:///{target}"
    else:
        url = str(request.getfixturevalue("postgres_scratch"))
        empty_postgres(url)
    server_settings = cheap_hash_settings(folder, url)
    clock = ManualClock()
    database = Database(server_settings.sqlalchemy_url(), pool_size=4)
    state = build_state(server_settings, clock=clock, database=database)

    admin = add_person(state, "ada.admin@example.com", "admin")
    manager = add_person(state, "mario.manager@example.com", "manager", admin)
    rep_a = add_person(state, "ana.rep@example.com", "rep", manager)
    rep_b = add_person(state, "bruno.rep@example.com", "rep", manager)
    team = Team(admin, manager, rep_a, rep_b, manager, rep_b)
    app = create_app(server_settings, clock=clock, database=database)
    return app, team, clock, database


class Offices(RuleBasedStateMachine):
    backend = "sqlite"
    request: pytest.FixtureRequest
    root: Path

    @initialize()
    def start(self) -> None:
        folder = self.root / f"example-{next(_counter)}"
        app, team, clock, self.server_db = fresh_server(self.backend, self.request, folder)
        self.fleet = Fleet(app, team, clock, folder, MemoryKeyring())
        people = {"ana": team.rep_a, "ana_laptop": team.rep_a, "bruno": team.rep_b}
        people["boss"] = team.manager
        self.clients: dict[str, Profile] = {
            name: self.fleet.profile(name, person) for name, person in people.items()
        }
        self.made: set[str] = set()
        for client in self.clients.values():
            client.sync()
        for who, name in (("ana", "Uno"), ("ana", "Dos"), ("bruno", "Tres"), ("boss", "Cuatro")):
            self.create_account(who, name)
        for _round in range(2):
            for client in self.clients.values():
                client.sync()

    def teardown(self) -> None:
        if not hasattr(self, "fleet"):
            return
        try:
            self.check_convergence()
        finally:
            self.fleet.close()
            self.server_db.dispose()

    # --- rules --------------------------------------------------------------------------

    def _remember_outbox(self, client: Profile) -> None:
        with client.database.session() as session:
            self.made.update(session.scalars(select(OutboxEntry.mutation_id)))

    @rule(who=st.sampled_from(CLIENTS), name=st.sampled_from(("Uno", "Dos", "Tres")))
    def create_account(self, who: str, name: str) -> None:
        client = self.clients[who]
        owner = self.fleet.team.rep_a.id if who == "boss" else client.user_id
        client.create("account", name=name, owner_id=owner)
        self._remember_outbox(client)

    @rule(who=st.sampled_from(CLIENTS), pick=st.integers(0, 50), first=st.sampled_from(NOTES))
    def create_contact(self, who: str, pick: int, first: str) -> None:
        client = self.clients[who]
        accounts = sorted(client.ids("account"))
        if accounts:
            client.create("contact", account_id=accounts[pick % len(accounts)], first_name=first)
            self._remember_outbox(client)

    @rule(
        who=st.sampled_from(CLIENTS),
        pick=st.integers(0, 50),
        change=st.one_of(
            st.tuples(st.just("city"), st.sampled_from(CITIES)),
            st.tuples(st.just("notes"), st.sampled_from(NOTES)),
            st.tuples(st.just("name"), st.sampled_from(("Uno", "Dos", "Tres"))),
            st.tuples(st.just("tags"), st.sampled_from((["a"], ["b", "a"], []))),
        ),
    )
    def edit_account(self, who: str, pick: int, change: tuple[str, Any]) -> None:
        client = self.clients[who]
        accounts = sorted(client.ids("account"))
        if accounts:
            client.edit("account", accounts[pick % len(accounts)], **{change[0]: change[1]})
            self._remember_outbox(client)

    @rule(who=st.sampled_from(CLIENTS), pick=st.integers(0, 50), title=st.sampled_from(NOTES))
    def edit_contact(self, who: str, pick: int, title: str) -> None:
        client = self.clients[who]
        contacts = sorted(client.ids("contact"))
        if contacts:
            client.edit("contact", contacts[pick % len(contacts)], job_title=title)
            self._remember_outbox(client)

    @rule(
        who=st.sampled_from(CLIENTS),
        pick=st.integers(0, 50),
        entity=st.sampled_from(("account", "contact")),
    )
    def delete(self, who: str, pick: int, entity: str) -> None:
        client = self.clients[who]
        ids = sorted(client.ids(entity))
        if ids:
            client.delete(entity, ids[pick % len(ids)])
            self._remember_outbox(client)

    @rule(who=st.sampled_from(CLIENTS))
    def sync(self, who: str) -> None:
        self.clients[who].sync()

    @rule(
        who=st.sampled_from(CLIENTS),
        pick=st.integers(0, 50),
        city=st.sampled_from(CITIES),
    )
    def edit_while_syncing(self, who: str, pick: int, city: str | None) -> None:
        """The user edits while the pull is on its way (the app syncs in the background)."""
        client = self.clients[who]

        def edit() -> None:
            accounts = sorted(client.ids("account"))
            if accounts:
                client.edit("account", accounts[pick % len(accounts)], city=city)
                self._remember_outbox(client)

        client.http.before_pull = edit
        client.sync()

    @rule(who=st.sampled_from(CLIENTS))
    def sync_but_lose_the_acknowledgement(self, who: str) -> None:
        client = self.clients[who]
        client.http.lose_next_push_answer = True
        with contextlib.suppress(SyncError):
            client.sync()
        client.http.lose_next_push_answer = False

    @rule(who=st.sampled_from(CLIENTS), minutes=st.sampled_from(SKEWS))
    def skew_clock(self, who: str, minutes: int) -> None:
        self.clients[who].skew = dt.timedelta(minutes=minutes)

    @rule(seconds=st.integers(1, 600))
    def time_passes(self, seconds: int) -> None:
        self.fleet.clock.advance(seconds=seconds)

    # --- the invariant --------------------------------------------------------------------

    def check_convergence(self) -> None:
        for _round in range(2):
            for client in self.clients.values():
                client.sync()
        fresh = self._fresh_views()
        self._assert_same_records(fresh)
        boss = fresh[self.fleet.team.manager.id]
        answers: dict[str, dict[str, Any]] = {}
        for client in self.clients.values():
            for batch in client.http.push_answers:
                answers.update({a["mutation_id"]: a for a in batch})
        assert self.made <= set(answers), "a change never reached the server"
        recorded = {(c["record_id"], c["field"]) for c in conflicts(boss)}
        conflict_ids = boss.ids("conflict", live=False)
        _assert_answers_recorded(answers, conflict_ids)
        assert len(recorded) <= len(conflict_ids)
        if os.environ.get("SFA_DEBUG_CONVERGENCE"):
            lost = sum(not a["kept"] for a in answers.values())
            print(f"\nmutations {len(answers)}, conflicts {len(conflict_ids)}, lost {lost}")

    def _fresh_views(self) -> dict[str, Profile]:
        """A freshly synced profile of each user, by user id: what the server says they see."""
        team = self.fleet.team
        fresh = {
            team.rep_a.id: self.fleet.profile("fresh-ana", team.rep_a),
            team.rep_b.id: self.fleet.profile("fresh-bruno", team.rep_b),
            team.manager.id: self.fleet.profile("fresh-boss", team.manager),
        }
        for view in fresh.values():
            view.sync()
        return fresh

    def _assert_same_records(self, fresh: dict[str, Profile]) -> None:
        """Every client has pushed everything and holds exactly its user's fresh view."""
        for name, client in self.clients.items():
            assert client.pending() == 0, name
            truth = fresh[client.user_id]
            for entity in ("account", "contact", "visit", "conflict"):
                ids = client.ids(entity, live=False)
                assert ids == truth.ids(entity, live=False), (name, entity)
                for record_id in ids:
                    mine, theirs = client.get(entity, record_id), truth.get(entity, record_id)
                    assert mine == theirs, (name, entity, record_id)


def _assert_answers_recorded(answers: dict[str, dict[str, Any]], conflict_ids: set[str]) -> None:
    """No push was rejected; every lost or conflicting change names a stored conflict."""
    for answer in answers.values():
        assert answer["status"] != "rejected", answer
        if not answer["kept"] or answer["status"] == "conflict":
            assert answer["conflict_id"] is not None, answer
    for answer in answers.values():
        if answer["conflict_id"] is not None:
            assert answer["conflict_id"] in conflict_ids, answer


@pytest.mark.slow
@pytest.mark.parametrize(
    "server_backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_clients_converge(
    server_backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    Offices.backend = server_backend
    Offices.request = request
    Offices.root = tmp_path
    run_state_machine_as_test(
        Offices,
        settings=settings(
            max_examples=15,
            stateful_step_count=30,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
