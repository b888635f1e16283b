#!/usr/bin/env python3
"""Client sync benchmark (not a test: it prints figures).

    .venv/bin/python tests/bench/bench_client_sync.py [--records N]

Starts a real ``sfa-server serve`` on loopback (SQLite, temporary data folder), seeds a rep's
territory of N records (default 100,000: accounts, contacts, visits, opportunities) with big
pushes, then measures:

* the first sync into an empty client profile (run in its own process: wall time, bytes on the
  wire, peak memory of that process from ``resource.getrusage``);
* the floor: the same rows inserted straight into an empty profile database with executemany
  in one transaction;
* 1,000 local edits made on one client, pushed, and pulled by a second client (round trip).

Targets (2-core laptop): first sync <= 20 s and within 4x the floor; 1,000 edits round trip
<= 1 s.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sfa_desktop.services.editing import load_edit_context, update_record  # noqa: E402
from sfa_desktop.services.sync_account import connect, sign_in  # noqa: E402
from sfa_desktop.store.database import open_database  # noqa: E402
from sfa_desktop.store.meta import MetaKey, set_meta  # noqa: E402
from sfa_desktop.store.models import MODEL_BY_ENTITY  # noqa: E402
from sfa_desktop.sync.local_records import columns_of  # noqa: E402
from sfa_desktop.sync.tokens import TokenStore  # noqa: E402
from sync_server.app import build_state  # noqa: E402
from sync_server.db.migrate import upgrade_to_head  # noqa: E402
from sync_server.protocol.ids import new_id  # noqa: E402
from sync_server.protocol.versions import (  # noqa: E402
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SCHEMA_HEADER,
    SCHEMA_VERSION,
)
from sync_server.services import users  # noqa: E402
from sync_server.settings import Settings  # noqa: E402

PASSWORD = "bench password 2026"
REP = "rep@bench.example"
HEADERS = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), SCHEMA_HEADER: str(SCHEMA_VERSION)}
WORDS = [
    "ferretería",
    "norte",
    "sur",
    "taller",
    "riego",
    "bodega",
    "almacén",
    "suministros",
    "industrial",
    "técnica",
    "agrícola",
    "hostelería",
    "farmacia",
    "óptica",
    "papelería",
    "construcción",
    "eléctrica",
]
CITIES = ("Zaragoza", "Huesca", "Teruel", "Soria", "Logroño", "Pamplona", "Lleida", "Madrid")
SYNCED_ENTITIES = ("user", "account", "contact", "visit", "opportunity")


class NoKeyring(TokenStore):
    """The benchmark keeps its token in memory (it must not touch the OS keyring)."""

    @property
    def persistent(self) -> bool:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def running_server(data_dir: Path) -> Iterator[str]:
    """``sfa-server serve`` in its own process group, stopped by its id at the end."""
    port = _free_port()
    env = dict(os.environ, SFA_DATA_DIR=str(data_dir))
    env.pop("SFA_DATABASE_URL", None)
    command = [str(ROOT / ".venv" / "bin" / "sfa-server"), "serve", "--port", str(port)]
    command += ["--log-level", "warning"]
    process = subprocess.Popen(command, env=env, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base_url}/api/v1/health", timeout=1).status_code == 200:
                    break
            if process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield base_url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def seed_users(data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(
        data_dir=data_dir, argon2_time_cost=1, argon2_memory_kib=64, argon2_parallelism=1
    )
    state = build_state(settings)
    upgrade_to_head(state.database)
    common = {"context": state.sync, "passwords": state.auth.passwords, "password": PASSWORD}
    users.add_user(
        state.database, email="boss@bench.example", name="Boss", role="manager", **common
    )
    users.add_user(
        state.database,
        email=REP,
        name="Rep",
        role="rep",
        manager_email="boss@bench.example",
        **common,
    )
    state.database.dispose()


def seed_territory(base_url: str, records: int) -> float:
    """Push ``records`` creates (40% accounts… ) as the rep; returns seconds taken."""
    started = time.perf_counter()
    http = httpx.Client(base_url=base_url, headers=HEADERS, timeout=600)
    body = {"email": REP, "password": PASSWORD, "device_name": "seeder"}
    answer = http.post("/api/v1/auth/login", json=body).raise_for_status().json()
    http.headers["Authorization"] = f"Bearer {answer['token']}"
    owner, device = answer["user"]["id"], answer["device_id"]
    rng = random.Random(7)
    wall = int(time.time() * 1000)
    counter = 0

    def mutation(entity: str, values: dict[str, Any]) -> dict[str, Any]:
        nonlocal counter
        counter += 1
        return {
            "mutation_id": uuid.uuid4().hex,
            "entity": entity,
            "record_id": new_id(),
            "op": "create",
            "base_version": 0,
            "hlc": f"{wall:015d}-{counter % 999_999:06d}-{device}",
            "value": values,
        }

    def words(k: int) -> str:
        return " ".join(rng.choices(WORDS, k=k))

    accounts_n = records // 5
    accounts = [
        mutation(
            "account",
            {
                "name": f"{words(2).title()} {n} S.L.",
                "owner_id": owner,
                "city": rng.choice(CITIES),
                "address": f"Calle {words(1).title()} {rng.randrange(1, 200)}",
                "postal_code": f"{rng.randrange(1000, 52999):05d}",
                "phone": f"+3491{rng.randrange(10**7):07d}",  # valid (E.164)
                "email": f"info{n}@{rng.choice(WORDS)}.es",
                "tags": rng.sample(WORDS, 2),
                "notes": words(rng.randrange(4, 16)),
            },
        )
        for n in range(accounts_n)
    ]
    account_ids = [m["record_id"] for m in accounts]
    rest = records - accounts_n
    children: list[dict[str, Any]] = []
    for n in range(rest):
        account = account_ids[n % accounts_n]
        kind = n % 8
        if kind < 3:
            values = {"account_id": account, "first_name": words(1).title(), "last_name": words(1)}
            values["email"] = f"c{n}@{rng.choice(WORDS)}.es"
            children.append(mutation("contact", values))
        elif kind < 6:
            values = {"account_id": account, "owner_id": owner, "subject": words(3)}
            values["planned_start"] = f"2026-{rng.randrange(1, 13):02d}-10T09:00:00Z"
            values["outcome"] = words(8)
            children.append(mutation("visit", values))
        else:
            values = {"account_id": account, "owner_id": owner, "name": words(3)}
            values["amount"] = rng.randrange(1000, 10**7)
            children.append(mutation("opportunity", values))
    everything = accounts + children
    for start in range(0, len(everything), 2000):
        batch = everything[start : start + 2000]
        result = http.post(
            "/api/v1/sync/push",
            content=json.dumps({"mutations": batch}).encode(),
            headers={"Content-Type": "application/json"},
        ).raise_for_status()
        statuses = {r["status"] for r in result.json()["results"]}
        assert statuses == {"applied"}, statuses
    http.close()
    return time.perf_counter() - started


def client_first_sync(server: str, folder: Path) -> dict[str, Any]:
    """Runs in its own process: sign in and sync an empty profile; returns figures."""
    database = open_database(folder / "sfa.sqlite3")
    tokens = NoKeyring()
    sign_in(database, server_url=server, email=REP, password=PASSWORD, tokens=tokens)
    engine = connect(database, tokens=tokens)
    started = time.perf_counter()
    report = engine.sync()
    seconds = time.perf_counter() - started
    engine.api.close()
    database.close()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "seconds": seconds,
        "pulled": report.pulled,
        "bytes_received": report.bytes_received,
        "peak_rss_mib": peak_kib / 1024,
    }


def floor_insert(source: Path, target: Path) -> tuple[float, int]:
    """Insert the synced rows into an empty profile with executemany in one transaction."""
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with open_database(source) as database, database.engine.connect() as connection:
        for entity in SYNCED_ENTITIES:
            table = MODEL_BY_ENTITY[entity].__tablename__
            names = ", ".join(f'"{n}"' for n in columns_of(entity))
            result = connection.exec_driver_sql(f'SELECT {names} FROM "{table}"')
            rows[entity] = [tuple(row) for row in result]
    with open_database(target) as database:
        started = time.perf_counter()
        with database.engine.begin() as connection:
            for entity, entity_rows in rows.items():
                table = MODEL_BY_ENTITY[entity].__tablename__
                names = columns_of(entity)
                sql = (
                    f'INSERT INTO "{table}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
                    f"VALUES ({', '.join('?' for _ in names)})"
                )
                connection.exec_driver_sql(sql, entity_rows)
        return time.perf_counter() - started, sum(len(r) for r in rows.values())


def edits_round_trip(server: str, first: Path, second: Path, edits: int) -> dict[str, float]:
    """``edits`` local edits on ``first``, pushed, then pulled by ``second``."""
    database_a = open_database(first / "sfa.sqlite3")
    database_b = open_database(second / "sfa.sqlite3")
    with database_b.session() as session:
        set_meta(session, MetaKey.DEVICE_ID, None)  # a copied profile: a device of its own
    tokens = NoKeyring()
    for database in (database_a, database_b):
        sign_in(database, server_url=server, email=REP, password=PASSWORD, tokens=tokens)
    engine_a, engine_b = connect(database_a, tokens=tokens), connect(database_b, tokens=tokens)
    with database_a.session() as session:
        table = MODEL_BY_ENTITY["account"].__table__
        ids = [r[0] for r in session.execute(table.select().with_only_columns(table.c.id))][:edits]
    started = time.perf_counter()
    with database_a.session() as session:
        ctx = load_edit_context(session)
        for n, record_id in enumerate(ids):
            update_record(session, ctx, "account", record_id, {"city": f"Ciudad {n}"})
    edit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    pushed = engine_a.sync()
    push_seconds = time.perf_counter() - started
    started = time.perf_counter()
    pulled = engine_b.sync()
    pull_seconds = time.perf_counter() - started
    assert pushed.pushed == len(ids), pushed
    assert pulled.pulled >= len(ids), pulled
    for engine in (engine_a, engine_b):
        engine.api.close()
    database_a.close()
    database_b.close()
    return {
        "edits": len(ids),
        "edit_seconds": edit_seconds,
        "push_sync_seconds": push_seconds,
        "pull_sync_seconds": pull_seconds,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--client-first-sync", nargs=2, metavar=("SERVER", "FOLDER"))
    args = parser.parse_args()
    if args.client_first_sync:
        server, folder = args.client_first_sync
        print(json.dumps(client_first_sync(server, Path(folder))))
        return 0
    print(f"cores: {os.cpu_count()}; records: {args.records:,}", flush=True)
    with tempfile.TemporaryDirectory(prefix="sfa-bench-") as scratch:
        root = Path(scratch)
        seed_users(root / "server")
        with running_server(root / "server") as server:
            seconds = seed_territory(server, args.records)
            print(f"seeded {args.records:,} records through the server in {seconds:.1f} s")
            first = root / "client-a"
            completed = subprocess.run(
                [sys.executable, __file__, "--client-first-sync", server, str(first)],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = json.loads(completed.stdout.strip().splitlines()[-1])
            floor, rows = floor_insert(first / "sfa.sqlite3", root / "floor.sqlite3")
            ratio = figures["seconds"] / floor if floor else float("inf")
            print(
                f"first sync: {figures['pulled']:,} changes in {figures['seconds']:.2f} s, "
                f"{figures['bytes_received'] / 1e6:.1f} MB received, "
                f"peak client memory {figures['peak_rss_mib']:.0f} MiB"
            )
            print(
                f"floor (executemany of {rows:,} rows, one transaction): {floor:.2f} s "
                f"-> first sync = {ratio:.1f}x the floor (target <= 4x, <= 20 s)"
            )
            second = root / "client-b"
            shutil.copytree(first, second)
            (second / "sfa.sqlite3.lock").unlink(missing_ok=True)
            trip = edits_round_trip(server, first, second, args.edits)
            total = trip["push_sync_seconds"] + trip["pull_sync_seconds"]
            print(
                f"{trip['edits']:,} edits: made in {trip['edit_seconds']:.2f} s; "
                f"pushed (sync A) {trip['push_sync_seconds']:.2f} s, "
                f"pulled (sync B) {trip['pull_sync_seconds']:.2f} s; "
                f"round trip {total:.2f} s (target <= 1 s)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
