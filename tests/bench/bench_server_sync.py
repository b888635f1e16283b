#!/usr/bin/env python3
"""Sync server benchmark: merged field changes per second, and a 100,000-record first pull.

    .venv/bin/python tests/bench/bench_server_sync.py [--quick] [--backend postgres|sqlite|both]

For each backend it starts a real ``sfa-server serve`` on loopback (PostgreSQL: ``--workers 4``
in a scratch database created from ``SFA_TEST_POSTGRES_URL`` and dropped afterwards; SQLite:
one worker on a file in a temporary folder), then measures:

* field changes merged per second with 1 and with 8 clients pushing concurrently (each client
  a signed-in device editing fields of its own accounts, batches of 500 set mutations), for
  two batch shapes: every change on another record (the costliest), and 5 fields per record
  (what editing a form produces);
* the time and the bytes on the wire (gzip) for a new device to pull a scope of 100,000
  records from cursor 0 (10,000 with ``--quick``);
* a rep's first pull of their 10,000 records when the server holds 1,000,000 records of other
  reps, against the same pull among 1,000 others (``--quick``: 2,000 among 100,000 and 1,000):
  the two times should match. These databases are filled by bulk SQL (seconds, not hours)
  and kept for the next run: SQLite files under /tmp/sfa-bench (``SFA_BENCH_CACHE``),
  PostgreSQL databases named ``sfa_bench_crowd_*`` (drop them to rebuild).

Targets (2-core laptop): >= 10,000 field changes/s with 8 clients on PostgreSQL, worst case;
a 100,000 record pull served in <= 5 s; a rep's pull time independent of the others' records.
Figures are printed, not asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from benchkit import CACHE, server_process
from sqlalchemy import text
from sqlalchemy.engine import make_url

from sync_server.app import build_state
from sync_server.db.database import Database
from sync_server.db.migrate import head_revision, upgrade_to_head
from sync_server.protocol.ids import new_id
from sync_server.protocol.versions import (
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SCHEMA_HEADER,
    SCHEMA_VERSION,
)
from sync_server.services import users
from sync_server.settings import Settings

PASSWORD = "bench password 2026"
HEADERS = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), SCHEMA_HEADER: str(SCHEMA_VERSION)}
BATCH = 500
EDITED_FIELDS = ("city", "phone", "notes", "region", "website", "industry")
CITIES = ("Zaragoza", "Huesca", "Teruel", "Madrid", "Valencia", "Bilbao", "Sevilla", "Lleida")
WORDS = [
    "ferretería",
    "suministros",
    "industriales",
    "hermanos",
    "martínez",
    "talleres",
    "norte",
    "maquinaria",
    "visitar",
    "llamar",
    "mañana",
    "pedido",
    "mensual",
    "descuento",
    "volumen",
    "presupuesto",
    "revisar",
    "contrato",
    "almacén",
    "logística",
    "reparto",
    "jefe",
    "compras",
    "prefiere",
    "correo",
    "teléfono",
    "urgente",
    "nuevo",
    "local",
]


@dataclass
class Profile:
    accounts_per_client: int
    push_seconds: float
    pull_records: int
    #: a rep's records, among many / few records of other reps
    crowd_rep_records: int
    crowd_others: tuple[int, int]


FULL = Profile(
    accounts_per_client=500,
    push_seconds=10.0,
    pull_records=100_000,
    crowd_rep_records=10_000,
    crowd_others=(1_000_000, 1_000),
)
QUICK = Profile(
    accounts_per_client=100,
    push_seconds=3.0,
    pull_records=10_000,
    crowd_rep_records=2_000,
    crowd_others=(100_000, 1_000),
)


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(False)


@contextlib.contextmanager
def postgres_database() -> Iterator[str]:
    base = os.environ.get(
        "SFA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    name = f"sfa_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_libpq(base), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(False)
    finally:
        with psycopg.connect(_libpq(base), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def running_server(database_url: str, data_dir: Path, workers: int) -> Iterator[str]:
    """``sfa-server serve`` in its own process group, stopped (by its id) at the end."""
    env = dict(os.environ, SFA_DATABASE_URL=database_url, SFA_DATA_DIR=str(data_dir))
    options = ["--workers", str(workers), "--log-level", "warning"]
    with server_process(env, options) as (base_url, _pid):
        yield base_url


def seed_users(database_url: str, data_dir: Path, reps: int) -> list[str]:
    """A manager and ``reps`` reps (cheap password hashes; the server rehashes on login)."""
    settings = Settings(
        database_url=database_url,
        data_dir=data_dir,
        argon2_time_cost=1,
        argon2_memory_kib=64,
        argon2_parallelism=1,
    )
    state = build_state(settings)
    upgrade_to_head(state.database)
    common = {"context": state.sync, "passwords": state.auth.passwords, "password": PASSWORD}
    users.add_user(
        state.database, email="boss@bench.example", name="Boss", role="manager", **common
    )
    emails = [f"rep{n}@bench.example" for n in range(reps)]
    for email in emails:
        users.add_user(
            state.database,
            email=email,
            name=email,
            role="rep",
            manager_email="boss@bench.example",
            **common,
        )
    state.database.dispose()
    return emails


class Client:
    """A signed-in device talking HTTP to the server."""

    def __init__(self, base_url: str, email: str) -> None:
        self.http = httpx.Client(base_url=base_url, headers=HEADERS, timeout=300)
        body = {"email": email, "password": PASSWORD, "device_name": "bench"}
        answer = self.http.post("/api/v1/auth/login", json=body)
        answer.raise_for_status()
        self.device_id = answer.json()["device_id"]
        self.user_id = answer.json()["user"]["id"]
        self.http.headers["Authorization"] = f"Bearer {answer.json()['token']}"
        self.counter = 0
        self.random = random.Random(email)
        self.wall_ms = int(time.time() * 1000)

    def stamp(self) -> str:
        self.counter += 1
        return f"{self.wall_ms:015d}-{self.counter:06d}-{self.device_id}"

    def mutation(self, op: str, entity: str, record_id: str, **extra: object) -> dict[str, object]:
        return {
            "mutation_id": uuid.uuid4().hex,
            "entity": entity,
            "record_id": record_id,
            "op": op,
            "base_version": 0,
            "hlc": self.stamp(),
            **extra,
        }

    def push(self, body: bytes) -> list[dict[str, object]]:
        answer = self.http.post(
            "/api/v1/sync/push", content=body, headers={"Content-Type": "application/json"}
        )
        answer.raise_for_status()
        return list(answer.json()["results"])

    def create_accounts(self, count: int) -> list[str]:
        ids = [new_id() for _ in range(count)]
        for start in range(0, count, 2000):
            mutations = [
                self.mutation("create", "account", record_id, value=self.account_values())
                for record_id in ids[start : start + 2000]
            ]
            results = self.push(json.dumps({"mutations": mutations}).encode())
            assert all(r["status"] == "applied" for r in results), results[:3]
        return ids

    def account_values(self) -> dict[str, object]:
        """A plausible account with varied text, so compression figures are not flattered."""
        pick = self.random.choice
        name = f"{pick(WORDS).title()} {pick(WORDS)} {self.random.randrange(1000)} S.L."
        return {
            "name": name,
            "owner_id": self.user_id,
            "city": pick(CITIES),
            "postal_code": f"{self.random.randrange(1000, 52999):05d}",
            "address": f"Calle {pick(WORDS).title()} {self.random.randrange(1, 200)}",
            "country": "ES",
            "phone": f"+34 91{self.random.randrange(10**7):07d}",  # a valid Madrid number
            "email": f"{pick(WORDS)}{self.random.randrange(100)}@{pick(WORDS)}.es",
            "tags": self.random.sample(WORDS, 2),
            "notes": " ".join(self.random.choices(WORDS, k=self.random.randrange(4, 16))),
        }

    def edit_batches(self, accounts: list[str], count: int, fields_per_record: int) -> list[bytes]:
        """Pre-encoded push bodies of field edits, so timing measures the server.

        Each batch edits ``BATCH // fields_per_record`` accounts, ``fields_per_record``
        different fields each (1: every change hits another record, the costliest shape).
        """
        bodies = []
        per_batch = BATCH // fields_per_record
        for n in range(count):
            mutations = [
                self.mutation(
                    "set",
                    "account",
                    accounts[(n * per_batch + i // fields_per_record) % len(accounts)],
                    field=EDITED_FIELDS[(n + i) % len(EDITED_FIELDS)],
                    value=edited_value(EDITED_FIELDS[(n + i) % len(EDITED_FIELDS)], n, i),
                )
                for i in range(per_batch * fields_per_record)
            ]
            bodies.append(json.dumps({"mutations": mutations}).encode())
        return bodies


def edited_value(field: str, n: int, i: int) -> str:
    """A new value for ``field`` that passes the server's format rules (E.164, http(s))."""
    if field == "phone":
        return f"+3491{(n * BATCH + i) % 10**7:07d}"
    if field == "website":
        return f"https://v{n}-{i}.example.es"
    return f"v{n}-{i}"


def measure_pushes(
    clients: list[Client], accounts: dict[str, list[str]], seconds: float, fields_per_record: int
) -> float:
    """Field changes accepted per second while every client pushes as fast as it can."""
    batches_each = max(20, 160 // len(clients))
    bodies = {
        c.device_id: c.edit_batches(accounts[c.device_id], batches_each, fields_per_record)
        for c in clients
    }
    accepted = [0] * len(clients)
    finished = [0.0] * len(clients)
    deadline = [0.0]
    start_line = threading.Barrier(len(clients) + 1)

    def work(index: int, client: Client) -> None:
        start_line.wait()
        for body in bodies[client.device_id]:
            if time.perf_counter() >= deadline[0]:
                break
            results = client.push(body)
            accepted[index] += sum(r["status"] in ("applied", "merged") for r in results)
        finished[index] = time.perf_counter()

    threads = [threading.Thread(target=work, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start_line.wait()
    for thread in threads:
        thread.join()
    return sum(accepted) / (max(finished) - began)


def measure_pull(base_url: str, email: str) -> tuple[int, float, int, int]:
    """(records, seconds, bytes on the wire, pages) for a new device pulling from cursor 0."""
    client = Client(base_url, email)
    cursor, records, wire_bytes, pages = "0", 0, 0, 0
    began = time.perf_counter()
    while True:
        with client.http.stream(
            "GET",
            "/api/v1/sync/pull",
            params={"cursor": cursor, "limit": 5000},
            headers={"Accept-Encoding": "gzip"},
        ) as answer:
            answer.raise_for_status()
            body = answer.read()
            wire_bytes += answer.num_bytes_downloaded
        page = json.loads(body)
        records += sum(1 for c in page["changes"] if c["entity"] == "account")
        pages += 1
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    return records, time.perf_counter() - began, wire_bytes, pages


# --- a rep among many others -------------------------------------------------------------------

#: owner, account fields and signatures of bulk-made records (``{owner}``: a SQL expression)
_FIELDS = ("name", "owner_id", "city", "phone", "notes")
_STAMP = '["0001764979200000-000000-bench", null, null]'
_VERSIONS = "{" + ", ".join(f'"{f}": 1' for f in _FIELDS) + "}"
_STAMPS = "{" + ", ".join(f'"{f}": {_STAMP}' for f in _FIELDS) + "}"
_POSTGRES_FILL = """
INSERT INTO records (id, entity, seq, version, scope_owner_id, scope_other_id, parent_id,
    data, versions, stamps, created_at, updated_at)
SELECT md5('bench' || n)::uuid::text, 'account', :base + n, 1, owner, NULL, NULL,
    json_build_object('name', 'Cuenta ' || n || ' S.L.', 'owner_id', owner, 'city', 'Zaragoza',
        'phone', '+34 976 ' || n, 'notes', 'visitar mañana, pedido mensual ' || n),
    CAST(:versions AS json), CAST(:stamps AS json), now(), now()
FROM (SELECT n, CASE WHEN CAST(n AS BIGINT) * :mine / :total
        <> CAST(n - 1 AS BIGINT) * :mine / :total THEN :rep ELSE 'other-' || (n % 5000) END AS owner
      FROM generate_series(1, :total) AS n) AS numbered"""
_SQLITE_FILL = """
WITH RECURSIVE numbers(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM numbers WHERE n < :total),
numbered AS (
    SELECT n, CASE WHEN CAST(n AS BIGINT) * :mine / :total
        <> CAST(n - 1 AS BIGINT) * :mine / :total THEN :rep ELSE 'other-' || (n % 5000) END AS owner
    FROM numbers)
INSERT INTO records (id, entity, seq, version, scope_owner_id, scope_other_id, parent_id,
    data, versions, stamps, created_at, updated_at)
SELECT printf('%08x-0000-4000-8000-%012x', n, n), 'account', :base + n, 1, owner, NULL, NULL,
    json_object('name', 'Cuenta ' || n || ' S.L.', 'owner_id', owner, 'city', 'Zaragoza',
        'phone', '+34 976 ' || n, 'notes', 'visitar mañana, pedido mensual ' || n),
    :versions, :stamps, datetime('now'), datetime('now')
FROM numbered"""


def _fill_crowd(database_url: str, data_dir: Path, rep_records: int, others: int) -> None:
    """Users (a manager and one rep), then the rep's records spread evenly among the others'
    (record n is the rep's when n * mine / total passes an integer)."""
    seed_users(database_url, data_dir, reps=1)
    database = Database(database_url)
    total = rep_records + others
    with database.write_session() as session:
        rep = session.execute(
            text("SELECT id FROM users WHERE email = 'rep0@bench.example'")
        ).scalar_one()
        base = session.execute(text("SELECT value FROM counters")).scalar_one()
        session.execute(
            text(_SQLITE_FILL if database.is_sqlite else _POSTGRES_FILL),
            {
                "base": base,
                "total": total,
                "mine": rep_records,
                "rep": rep,
                "versions": _VERSIONS,
                "stamps": _STAMPS,
            },
        )
        session.execute(text("UPDATE counters SET value = :v"), {"v": base + total})
    with database.engine.connect() as connection:
        if database.is_postgres:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            connection.execute(text("VACUUM ANALYZE"))
        else:
            connection.execute(text("ANALYZE"))
            connection.commit()
    database.dispose()


@contextlib.contextmanager
def crowd_database(backend: str, rep_records: int, others: int) -> Iterator[tuple[str, Path]]:
    """A database with the rep's and the others' records, built once and kept (see above)."""
    key = f"crowd_{rep_records}_{others}_{head_revision()}".lower()
    data_dir = CACHE / f"server-{key}"
    data_dir.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        path = data_dir / "server.sqlite3"
        url = f"sqlite:///{path}"
        if not path.exists():
            building = data_dir / "building.sqlite3"
            building.unlink(missing_ok=True)
            _fill_crowd(f"sqlite:///{building}", data_dir, rep_records, others)
            building.rename(path)
        yield url, data_dir
        return
    base = os.environ.get(
        "SFA_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    name = f"sfa_bench_{key}"
    with psycopg.connect(_libpq(base), autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            building = f"{name}_building"
            connection.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{building}"')
            url = make_url(base).set(database=building).render_as_string(False)
            _fill_crowd(url, data_dir, rep_records, others)
            connection.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
    yield make_url(base).set(database=name).render_as_string(False), data_dir


def measure_crowd(name: str, backend: str, profile: Profile) -> None:
    """A rep's first pull among many others' records and among few: the times should match."""
    rep_records = profile.crowd_rep_records
    for others in profile.crowd_others:
        began = time.perf_counter()
        with crowd_database(backend, rep_records, others) as (url, data_dir):
            built = time.perf_counter() - began
            with running_server(url, data_dir, 1) as base_url:
                records, seconds, _wire, pages = measure_pull(base_url, "rep0@bench.example")
        assert records == rep_records, records
        print(
            f"{name}: a rep pulled their {records:,} records among {others:,} others' "
            f"in {seconds:.2f} s ({pages} pages; database ready in {built:.0f} s)",
            flush=True,
        )


def run_backend(
    name: str, database_url: str, data_dir: Path, workers: int, profile: Profile
) -> None:
    print(f"\n== {name}: sfa-server serve --workers {workers}", flush=True)
    emails = seed_users(database_url, data_dir, reps=9)
    with running_server(database_url, data_dir, workers) as base_url:
        clients = [Client(base_url, email) for email in emails[:8]]
        accounts = {c.device_id: c.create_accounts(profile.accounts_per_client) for c in clients}
        for fields_per_record in (1, 5):
            for count in (1, 8):
                rate = measure_pushes(
                    clients[:count], accounts, profile.push_seconds, fields_per_record
                )
                print(
                    f"{name}: {count} client(s), {fields_per_record} field(s) per record "
                    f"per batch: {rate:,.0f} field changes/s merged",
                    flush=True,
                )

        began = time.perf_counter()
        feeders = [Client(base_url, emails[8]) for _ in range(4)]  # 4 devices of one rep
        share = profile.pull_records // len(feeders)
        threads = [threading.Thread(target=f.create_accounts, args=(share,)) for f in feeders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
        print(
            f"{name}: created {share * len(feeders):,} records for one rep in {seconds:.1f} s "
            f"({share * len(feeders) / seconds:,.0f} creates/s, 4 clients)",
            flush=True,
        )
        records, seconds, wire, pages = measure_pull(base_url, emails[8])
        print(
            f"{name}: pulled {records:,} records from cursor 0 in {seconds:.2f} s "
            f"({pages} pages, {wire / 1e6:.1f} MB gzip on the wire, {wire / max(records, 1):.0f} B/record)",
            flush=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller data, shorter runs")
    parser.add_argument("--backend", choices=["postgres", "sqlite", "both"], default="both")
    parser.add_argument(
        "--only",
        choices=["sync", "crowd"],
        help="only the push/pull figures (sync) or only the rep among many others (crowd)",
    )
    args = parser.parse_args()
    profile = QUICK if args.quick else FULL
    print(f"cores: {os.cpu_count()}; profile: {profile}")
    if args.backend in ("postgres", "both"):
        if args.only != "crowd":
            with postgres_database() as url, tempfile.TemporaryDirectory() as folder:
                run_backend("PostgreSQL", url, Path(folder), 4, profile)
        if args.only != "sync":
            measure_crowd("PostgreSQL", "postgres", profile)
    if args.backend in ("sqlite", "both"):
        if args.only != "crowd":
            with tempfile.TemporaryDirectory() as folder:
                run_backend("SQLite", f"sqlite:///{folder}/bench.sqlite3", Path(folder), 1, profile)
        if args.only != "sync":
            measure_crowd("SQLite", "sqlite", profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
