"""Clients that sync over real HTTP with a real ``sfa-server`` process, and what the tests check:
every client holds what the server holds, and every edit was applied exactly once."""

from __future__ import annotations

import io
import itertools
import random
import shutil
from collections import Counter
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import httpx
from server.helpers import PASSWORD, Person
from sqlalchemy import func, select
from store.local_ids import local_ids

from sfa_desktop.cli import main, sync_commands
from sfa_desktop.cli.context import CliEnvironment
from sfa_desktop.services.editing import (
    EditContext,
    create_record,
    delete_record,
    load_edit_context,
    update_record,
)
from sfa_desktop.services.sync_account import connect, sign_in
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.meta import get_meta
from sfa_desktop.store.models import MODEL_BY_ENTITY, RejectedMutation, ShadowValue
from sfa_desktop.store.paths import database_path
from sfa_desktop.sync import outbox
from sfa_desktop.sync.bookkeeping import SyncMetaKey
from sfa_desktop.sync.engine import SyncEngine
from sfa_desktop.sync.outbox import PendingEntry
from sfa_desktop.sync.report import SyncReport
from sfa_desktop.sync.tokens import TokenStore
from sfa_desktop.sync.transport import NO_RETRY, RetryPolicy
from sync_server.api.deps import ServerState
from sync_server.db.database import Database as ServerDatabase
from sync_server.db.models import AppliedMutation, AuditEntry, Record
from sync_server.protocol.catalog import CATALOG
from sync_server.protocol.values import to_python
from sync_server.protocol.wire import MutationOp
from sync_server.services import users

from .child import ChildResult, SfaRunner, Sizes, sized_connect
from .file_keyring import FileKeyring
from .proxy import CuttingProxy
from .server_process import ServerProcess

ENTITIES = ("account", "contact", "conflict")
#: the changes :func:`prepare` leaves waiting on the victim (batches of 3, 3, 3 and 2)
WAITING = 11
#: the devices whose syncs are interrupted push and pull in small steps; the others in one go
SMALL = Sizes(push_batch=3, pull_page=4)
LARGE = Sizes(push_batch=1000, pull_page=1000)
_names = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix} {next(_names):05d}"


@dataclass
class Backend:
    """One running server (behind the cutting proxy) and direct access to its database."""

    name: str
    server: ServerProcess
    proxy: CuttingProxy
    state: ServerState
    manager: Person
    root: Path
    #: an empty, migrated client database copied into each new profile (faster than migrating)
    client_template: Path

    @property
    def database(self) -> ServerDatabase:
        return self.state.database

    def new_rep(self) -> Person:
        email = f"rep{next(_names):05d}@faults.example"
        user = users.add_user(
            self.database,
            context=self.state.sync,
            passwords=self.state.auth.passwords,
            email=email,
            name=email.split("@")[0].title(),
            role="rep",
            password=PASSWORD,
            manager_email=self.manager.email,
        )
        return Person(user.id, user.email, user.role)

    def restart_server(self, fault: str | None = None) -> None:
        self.server.restart(fault)
        self.proxy.target_port = self.server.port

    # --- what the server holds -------------------------------------------------------------

    def conflicts_about(self, record_id: str) -> list[dict[str, Any]]:
        with self.database.read_session() as session:
            rows = session.scalars(select(Record).where(Record.entity == "conflict"))
            return [row.data for row in rows if row.data.get("record_id") == record_id]

    def records_of(self, owner_id: str) -> dict[str, Record]:
        with self.database.read_session() as session:
            rows = session.scalars(
                select(Record).where(Record.scope_owner_id == owner_id, Record.entity.in_(ENTITIES))
            )
            return {row.id: row for row in rows}

    def applied_ids(self, device_id: str) -> list[str]:
        with self.database.read_session() as session:
            return list(
                session.scalars(
                    select(AppliedMutation.mutation_id).where(
                        AppliedMutation.device_id == device_id
                    )
                )
            )

    def audited_changes(self, record_ids: Collection[str]) -> Counter[str]:
        """How many accepted changes (create, set, delete) the audit log holds per record."""
        with self.database.read_session() as session:
            rows = session.execute(
                select(AuditEntry.record_id, func.count())
                .where(AuditEntry.record_id.in_(list(record_ids)))
                .where(AuditEntry.action.in_(("create", "set", "delete")))
                .group_by(AuditEntry.record_id)
            )
            return Counter({record_id: count for record_id, count in rows})

    def audit_of(self, device_id: str) -> list[AuditEntry]:
        with self.database.read_session() as session:
            return list(
                session.scalars(
                    select(AuditEntry)
                    .where(AuditEntry.device_id == device_id)
                    .where(AuditEntry.action.in_(("create", "set", "delete")))
                )
            )


class Client:
    """One installation of the app for ``person``, its profile folder on disk.

    The database is open in this process except inside :meth:`released` (an ``sfa`` child
    process needs the profile lock). Every change made here is remembered, to prove later that
    the server applied each exactly once.
    """

    def __init__(self, backend: Backend, name: str, person: Person, sizes: Sizes = SMALL) -> None:
        self.backend = backend
        self.person = person
        self.folder = backend.root / "clients" / name
        self.keyring = backend.root / "keyrings" / f"{name}.json"
        self.keyring.parent.mkdir(parents=True, exist_ok=True)
        self.tokens = TokenStore(FileKeyring(self.keyring))
        # a new connection per request: never one the server closed after its keep-alive time
        self.http = httpx.Client(timeout=30.0, limits=httpx.Limits(max_keepalive_connections=0))
        self.sizes = sizes
        self.made: dict[str, PendingEntry] = {}
        #: records a scenario points out by role (see :func:`prepare`)
        self.marked: dict[str, str] = {}
        self.database: Database | None = None
        self.ctx: EditContext | None = None
        self.folder.mkdir(parents=True)
        shutil.copyfile(backend.client_template, database_path(self.folder))
        self.open()

    @property
    def server_url(self) -> str:
        return self.backend.proxy.url

    def open(self) -> None:
        self.database = open_database(database_path(self.folder))
        with self.database.session() as session:
            self.ctx = load_edit_context(session)

    def close(self) -> None:
        if self.database is not None:
            self.database.close()
        self.database = self.ctx = None

    def shut_down(self) -> None:
        self.close()
        self.http.close()

    @contextmanager
    def released(self) -> Iterator[None]:
        """Close the database (and its profile lock) for another process, then open it again."""
        if self.database is None:  # already released by the caller
            yield
            return
        self.close()
        try:
            yield
        finally:
            self.open()

    def sfa(
        self, runner: SfaRunner, *argv: str, fault: str | None = None, stdin: str = ""
    ) -> ChildResult:
        """``sfa --data-dir <this profile> *argv`` in a child process (small batches and pages)."""
        with self.released():
            return runner(
                "--data-dir",
                str(self.folder),
                *argv,
                keyring=self.keyring,
                fault=fault,
                stdin=stdin,
                sizes=self.sizes,
            )

    def cli(
        self, *argv: str, http: httpx.Client | None = None, retry: RetryPolicy = NO_RETRY
    ) -> tuple[int, str]:
        """``sfa --data-dir <this profile> *argv`` in this process: (exit status, stderr)."""
        out, err = io.StringIO(), io.StringIO()
        env = CliEnvironment(
            stdin=io.StringIO(), stdout=out, stderr=err, tokens=self.tokens, http=http, retry=retry
        )
        sized = sized_connect(sync_commands.connect, self.sizes)
        with self.released(), mock.patch.object(sync_commands, "connect", sized):
            status = main(["--data-dir", str(self.folder), *argv], env=env)
        return status, err.getvalue()

    @property
    def db(self) -> Database:
        assert self.database is not None, "the database is released"
        return self.database

    # --- signing in and syncing ------------------------------------------------------------

    def sign_in(self) -> None:
        sign_in(
            self.db,
            server_url=self.server_url,
            email=self.person.email,
            password=PASSWORD,
            tokens=self.tokens,
            http=self.http,
            retry=NO_RETRY,
        )
        with self.db.session() as session:
            self.ctx = load_edit_context(session)

    def engine(self, retry: RetryPolicy = NO_RETRY) -> SyncEngine:
        assert self.ctx is not None
        engine = connect(
            self.db, tokens=self.tokens, http=self.http, retry=retry, clock=self.ctx.clock
        )
        engine.push_batch = self.sizes.push_batch
        engine.pull_page = self.sizes.pull_page
        engine.pull_commit_records = self.sizes.pull_page
        return engine

    def sync(self, retry: RetryPolicy = NO_RETRY) -> SyncReport:
        return self.engine(retry).sync()

    @property
    def device_id(self) -> str:
        with self.db.session() as session:
            device = get_meta(session, SyncMetaKey.SERVER_DEVICE_ID)
        assert device
        return device

    # --- editing (remembered) --------------------------------------------------------------

    def _remember(self) -> None:
        with self.db.session() as session:
            self.made.update({e.mutation_id: e for e in outbox.next_batch(session, 1_000_000)})

    def create(self, entity: str, **values: Any) -> str:
        assert self.ctx is not None
        with self.db.session() as session:
            record_id = create_record(session, self.ctx, entity, values)
        self._remember()
        return record_id

    def edit(self, entity: str, record_id: str, **changes: Any) -> None:
        assert self.ctx is not None
        with self.db.session() as session:
            update_record(session, self.ctx, entity, record_id, changes)
        self._remember()

    def delete(self, entity: str, record_id: str) -> None:
        assert self.ctx is not None
        with self.db.session() as session:
            delete_record(session, self.ctx, entity, record_id)
        self._remember()

    # --- reading ---------------------------------------------------------------------------

    def pending(self) -> int:
        with self.db.session() as session:
            return outbox.pending_count(session)

    def shadows(self) -> list[tuple[str, str]]:
        with self.db.session() as session:
            return [(s.record_id, s.field) for s in session.scalars(select(ShadowValue))]

    def rejected(self) -> list[tuple[str, str | None]]:
        with self.db.session() as session:
            return [(r.code, r.message) for r in session.scalars(select(RejectedMutation))]

    def ids(self, entity: str, *, live: bool = True) -> set[str]:
        return local_ids(self.db, entity, live=live)

    def records(self, entity: str) -> dict[str, dict[str, Any]]:
        """Every record of ``entity`` (tombstones too) with its common and catalog fields."""
        table = MODEL_BY_ENTITY[entity].__table__
        names = ("id", "created_at", "updated_at", "deleted_at", *CATALOG[entity].field_names)
        with self.db.session() as session:
            rows = session.execute(select(*(table.c[n] for n in names)))
            return {row.id: dict(row._mapping) for row in rows}


# --- the checks ------------------------------------------------------------------------------


@dataclass
class Expected:
    """What the server must hold of one device's edits: each exactly once."""

    audit: Counter[tuple[str, str, str | None, str]] = field(default_factory=Counter)
    mutation_ids: set[str] = field(default_factory=set)


def expected_of(client: Client) -> Expected:
    expected = Expected()
    for entry in client.made.values():
        expected.mutation_ids.add(entry.mutation_id)
        if entry.op is MutationOp.CREATE:
            key = (entry.record_id, "create", None, "")
        elif entry.op is MutationOp.SET:
            key = (entry.record_id, "set", entry.field, repr(entry.value))
        else:
            key = (entry.record_id, "delete", "deleted_at", "")
        expected.audit[key] += 1
    return expected


def assert_applied_exactly_once(backend: Backend, client: Client) -> None:
    """The server's answers and audit log hold each of the client's edits exactly once."""
    expected = expected_of(client)
    applied = backend.applied_ids(client.device_id)
    assert len(applied) == len(set(applied))
    assert set(applied) == expected.mutation_ids, "an edit was lost or an unknown one applied"
    seen: Counter[tuple[str, str, str | None, str]] = Counter()
    for row in backend.audit_of(client.device_id):
        value = repr(row.new_value) if row.action == "set" else ""
        seen[(row.record_id, row.action, row.field, value)] += 1
    assert seen == expected.audit, "the audit log does not hold each edit exactly once"


def assert_holds_the_servers_records(backend: Backend, client: Client) -> None:
    """The client's accounts, contacts and conflicts are the server's, field by field."""
    assert client.pending() == 0, "changes left unsent"
    assert client.rejected() == [], "changes refused"
    assert client.shadows() == [], "server values kept aside with nothing pending"
    server = backend.records_of(client.person.id)
    for entity in ENTITIES:
        spec = CATALOG[entity]
        theirs = {rid: row for rid, row in server.items() if row.entity == entity}
        mine = client.records(entity)
        assert set(mine) == set(theirs), entity
        for record_id, row in theirs.items():
            local = mine[record_id]
            assert (local["deleted_at"] is None) == (row.deleted_at is None), record_id
            for spec_field in spec.fields:
                name = spec_field.name
                assert local[name] == to_python(spec_field, row.data.get(name)), (record_id, name)


def assert_converged(backend: Backend, *clients: Client, conflicts: int = 1) -> None:
    """Every client holds the server's records, the server applied each client's edits exactly
    once, and it recorded ``conflicts`` conflicts (:func:`prepare` makes one) — not one twice."""
    server = backend.records_of(clients[0].person.id)
    assert sum(row.entity == "conflict" for row in server.values()) == conflicts
    # each accepted change bumps its record's version once and leaves one audit entry
    data = {rid: row.version for rid, row in server.items() if row.entity != "conflict"}
    assert backend.audited_changes(data) == Counter(data)
    for client in clients:
        assert_holds_the_servers_records(backend, client)
        assert_applied_exactly_once(backend, client)
    first, *others = clients
    for other in others:
        for entity in ENTITIES:
            assert first.records(entity) == other.records(entity), entity


def prepare(backend: Backend, clients: list[Client], rng: random.Random) -> tuple[Client, Client]:
    """A new rep's two devices. The witness made the records both hold and changed some since;
    the victim has eleven changes waiting (creates, edits of records the witness also edited —
    other fields, and one the same field: a conflict the victim's later value wins —, an edit
    of a record not pushed yet, a delete) and fifteen changed records to pull. In batches of
    three and pages of four: four batches, four pages."""
    rep = backend.new_rep()
    witness = Client(backend, f"witness-{rep.id}", rep, LARGE)
    clients.append(witness)
    witness.sign_in()
    witness.sync()
    accounts = [witness.create("account", name=unique("Cuenta")) for _ in range(5)]
    contacts = [
        witness.create("contact", account_id=account, first_name=unique("Lucía"))
        for account in accounts[:3]
    ]
    witness.sync()
    victim = Client(backend, f"victim-{rep.id}", rep)
    clients.append(victim)
    victim.sign_in()
    victim.sync()
    rng.shuffle(accounts)
    rng.shuffle(contacts)
    for account in accounts[:3]:
        witness.edit("account", account, notes=unique("llamar"))
    for _ in range(3):
        witness.create("account", name=unique("Nueva"))
    witness.sync()
    new = [victim.create("account", name=unique("Mía"), city=unique("Soria")) for _ in range(3)]
    victim.create("contact", account_id=rng.choice(new), first_name=unique("Pablo"))
    for account in accounts[2:]:  # one of them also edited by the witness (another field)
        victim.edit("account", account, city=unique("Teruel"))
    victim.marked["edited_by_both"] = accounts[2]
    victim.edit("account", rng.choice(new), city=unique("Huesca"))  # not pushed yet either
    victim.edit("account", accounts[0], notes=unique("visitar"))  # the witness's field: a conflict
    victim.edit("contact", contacts[0], job_title=unique("Gerente"))
    victim.delete("contact", contacts[1])
    assert victim.pending() == WAITING
    return victim, witness
