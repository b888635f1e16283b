#!/usr/bin/env python3
"""Client sync benchmark (not a test: it prints figures).

    python3 dev.py bench client_sync [--quick] [--records N] [--territory N]
    .venv/bin/python tests/bench/bench_client_sync.py --records 20000 --territory 0

Starts a real ``sfa-server serve`` on loopback (SQLite) over a rep's territory of N records
(accounts, contacts, visits, opportunities) seeded with big pushes; each server data folder is
built once and cached under ``/tmp/sfa-bench`` (``SFA_BENCH_CACHE``), and used through a copy
when the run writes to it. Then it measures:

* the first sync of ``--records`` (default 100,000) into an empty client profile, in its own
  process: wall time, CPU time of that process and of the server, bytes on the wire, peak
  memory of that process (``VmHWM``: ``ru_maxrss`` would inherit a bigger parent's);
* the floor: the same rows inserted straight into an empty profile database (the same
  migrations: the same schema, indexes, FTS and trigger-maintained tables) with executemany
  in one transaction — and the same plus the rows of ``sync_record_state`` the client keeps;
* 1,000 local edits made on one client, pushed, and pulled by a second client (round trip);
* a first sync of a big territory (``--territory``, default 1,000,000; 0 skips it) end to
  end (sign-in included), with the app working meanwhile in the same process on its own
  connections: the Accounts list's first page, a search answer and a small write of its own,
  each timed (the worst wait is what a user would feel).

``--quick``: 10,000 records and a 50,000-record territory.

Targets (2-core laptop): first sync of 100,000 <= 1.5x the floor; 1,000 edits round trip
<= 1 s; 1,000,000-record territory <= 90 s with the syncing process <= 300 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchkit import CACHE, built_once, server_process  # noqa: E402

from sfa_desktop.services.editing import load_edit_context, update_record  # noqa: E402
from sfa_desktop.services.sync_account import connect, sign_in  # noqa: E402
from sfa_desktop.store.bulk_insert import BulkInsert  # noqa: E402
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
SEEDED_MARKER = "seeded.json"
SEED_BATCH = 2000
BUILD_WAIT_S = 60 * 60
#: base URL -> process id of the servers started here (their CPU time is measured)
SERVER_PIDS: dict[str, int] = {}


class NoKeyring(TokenStore):
    """The benchmark keeps its token in memory (it must not touch the OS keyring)."""

    @property
    def persistent(self) -> bool:
        return False


@contextlib.contextmanager
def running_server(data_dir: Path) -> Iterator[str]:
    """``sfa-server serve`` in its own process group, stopped by its id at the end."""
    env = dict(os.environ, SFA_DATA_DIR=str(data_dir))
    env.pop("SFA_DATABASE_URL", None)
    with server_process(env, ["--log-level", "warning"]) as (base_url, pid):
        SERVER_PIDS[base_url] = pid
        yield base_url


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a running process (Linux ``/proc``), 0 if unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib() -> float:
    """This process's peak resident memory since it started (``VmHWM``).

    ``ru_maxrss`` survives ``exec``: a child started by a big parent reports the parent's peak.
    """
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    """Push ``records`` creates (20% accounts… ) as the rep, in batches; returns seconds."""
    started = time.perf_counter()
    http = httpx.Client(base_url=base_url, headers=HEADERS, timeout=600)
    body = {"email": REP, "password": PASSWORD, "device_name": "seeder"}
    answer = http.post("/api/v1/auth/login", json=body).raise_for_status().json()
    http.headers["Authorization"] = f"Bearer {answer['token']}"
    maker = _Territory(owner=answer["user"]["id"], device=answer["device_id"])
    accounts_n = max(1, records // 5)
    account_ids: list[str] = []
    batch: list[dict[str, Any]] = []
    for n in range(records):
        if n < accounts_n:
            batch.append(maker.account(n))
            account_ids.append(batch[-1]["record_id"])
        else:
            m = n - accounts_n
            batch.append(maker.child(m, account_ids[m % accounts_n]))
        if len(batch) == SEED_BATCH:
            _push_creates(http, batch)
            batch = []
        if n and n % 100_000 == 0:
            print(f"  … {n:,} records seeded", flush=True)
    if batch:
        _push_creates(http, batch)
    http.close()
    return time.perf_counter() - started


class _Territory:
    """The rep's create mutations: accounts, then contacts, visits and opportunities of them."""

    def __init__(self, *, owner: str, device: str) -> None:
        self.owner = owner
        self.device = device
        self.rng = random.Random(7)
        self.wall = int(time.time() * 1000)
        self.counter = 0

    def mutation(self, entity: str, values: dict[str, Any]) -> dict[str, Any]:
        self.counter += 1
        return {
            "mutation_id": uuid.uuid4().hex,
            "entity": entity,
            "record_id": new_id(),
            "op": "create",
            "base_version": 0,
            "hlc": f"{self.wall:015d}-{self.counter % 999_999:06d}-{self.device}",
            "value": values,
        }

    def words(self, k: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=k))

    def account(self, n: int) -> dict[str, Any]:
        rng, words = self.rng, self.words
        return self.mutation(
            "account",
            {
                "name": f"{words(2).title()} {n} S.L.",
                "owner_id": self.owner,
                "city": rng.choice(CITIES),
                "address": f"Calle {words(1).title()} {rng.randrange(1, 200)}",
                "postal_code": f"{rng.randrange(1000, 52999):05d}",
                "phone": f"+3491{rng.randrange(10**7):07d}",  # valid (E.164)
                "email": f"info{n}@{rng.choice(WORDS)}.es",
                "tags": rng.sample(WORDS, 2),
                "notes": words(rng.randrange(4, 16)),
            },
        )

    def child(self, n: int, account: str) -> dict[str, Any]:
        rng, words, owner = self.rng, self.words, self.owner
        kind = n % 8
        if kind < 3:
            values = {"account_id": account, "first_name": words(1).title(), "last_name": words(1)}
            values["email"] = f"c{n}@{rng.choice(WORDS)}.es"
            return self.mutation("contact", values)
        if kind < 6:
            values = {"account_id": account, "owner_id": owner, "subject": words(3)}
            values["planned_start"] = f"2026-{rng.randrange(1, 13):02d}-10T09:00:00Z"
            values["outcome"] = words(8)
            return self.mutation("visit", values)
        values = {"account_id": account, "owner_id": owner, "name": words(3)}
        values["amount"] = rng.randrange(1000, 10**7)
        return self.mutation("opportunity", values)


def _push_creates(http: httpx.Client, batch: list[dict[str, Any]]) -> None:
    result = http.post(
        "/api/v1/sync/push",
        content=json.dumps({"mutations": batch}).encode(),
        headers={"Content-Type": "application/json"},
    ).raise_for_status()
    statuses = {r["status"] for r in result.json()["results"]}
    assert statuses == {"applied"}, statuses


def _seeded(data_dir: Path) -> bool:
    return (data_dir / SEEDED_MARKER).exists()


def cached_server(records: int) -> Path:
    """The server data folder holding a rep's ``records``-record territory (built once)."""
    data_dir = CACHE / f"client-sync-server-{records}"

    def build(building: Path) -> None:
        print(f"seeding a {records:,}-record territory in {data_dir} (once) …", flush=True)
        seed_users(building)
        with running_server(building) as server:
            seconds = seed_territory(server, records)
        marker = json.dumps({"records": records, "seconds": seconds})
        (building / SEEDED_MARKER).write_text(marker)
        print(f"  seeded {records:,} records through the server in {seconds:.1f} s", flush=True)

    return built_once(data_dir, complete=_seeded, build=build, wait_s=BUILD_WAIT_S)


def server_copy(records: int, scratch: Path) -> Path:
    """A private copy of the cached server folder (for runs that write to the server)."""
    copy = scratch / "server"
    shutil.copytree(cached_server(records), copy)
    return copy


class AppProbe:
    """The app at work while a sync runs: its own reads and a small write, each timed.

    Runs on a thread of the syncing process with its own connections (as the app's database
    thread does): the Accounts list's first page (rows and count), a search answer, and a
    write transaction of its own; pauses ``interval`` seconds between rounds.
    """

    def __init__(self, database: Any, interval: float = 0.2) -> None:
        self.database = database
        self.interval = interval
        self.times: dict[str, list[float]] = {"first_page": [], "search": [], "write": []}
        #: CPU time the probe's thread used (not the sync's)
        self.cpu_seconds = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="app-probe", daemon=True)

    def __enter__(self) -> AppProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _timed(self, name: str, work: Any) -> None:
        started = time.perf_counter()
        work()
        self.times[name].append(time.perf_counter() - started)

    def _run(self) -> None:
        from sfa_desktop.store.repositories.accounts import count_accounts, list_accounts
        from sfa_desktop.sync.write_turns import take_write_lock

        prefixes = ["ferr", "norte", "Zarag", "taller", "riego bod", "alm", "hostel", "óptica"]
        n = 0

        def first_page() -> None:
            with self.database.session() as session:
                list_accounts(session, limit=200)
                count_accounts(session)

        def search() -> None:
            with self.database.session() as session:
                prefix = prefixes[n % len(prefixes)]
                list_accounts(session, search=prefix, limit=200)
                count_accounts(session, search=prefix)

        def write() -> None:
            with self.database.session() as session:
                take_write_lock(session)
                set_meta(session, "bench_app_probe", str(n))

        while not self._stop.wait(self.interval):
            self._timed("first_page", first_page)
            self._timed("search", search)
            self._timed("write", write)
            n += 1
        self.cpu_seconds = time.thread_time()

    def summary(self) -> dict[str, dict[str, float]]:
        figures: dict[str, dict[str, float]] = {}
        for name, times in self.times.items():
            ordered = sorted(times) or [0.0]
            figures[name] = {
                "count": len(times),
                "p50_ms": ordered[len(ordered) // 2] * 1000,
                "p95_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
                "max_ms": ordered[-1] * 1000,
            }
        return figures


def client_first_sync(
    server: str, server_pid: int, folder: Path, *, probe: bool = False
) -> dict[str, Any]:
    """Runs in its own process: sign in and sync an empty profile; returns figures."""
    SERVER_PIDS[server] = server_pid
    started_all = time.perf_counter()
    database = open_database(folder / "sfa.sqlite3")
    tokens = NoKeyring()
    sign_in(database, server_url=server, email=REP, password=PASSWORD, tokens=tokens)
    engine = connect(database, tokens=tokens)
    started = time.perf_counter()
    cpu_started, server_cpu_started = time.process_time(), cpu_seconds(SERVER_PIDS[server])
    profile_to = os.environ.get("SFA_BENCH_PROFILE")  # a cProfile of the sync's own thread
    profiler = cProfile.Profile() if profile_to else None
    with AppProbe(database) if probe else contextlib.nullcontext() as app:
        if profiler is not None:
            profiler.enable()
        report = engine.sync()
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile_to)
    seconds = time.perf_counter() - started
    cpu, server_cpu = time.process_time() - cpu_started, cpu_seconds(SERVER_PIDS[server])
    engine.api.close()
    database.close()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "server_cpu_seconds": server_cpu - server_cpu_started,
        "end_to_end_seconds": time.perf_counter() - started_all,
        "pulled": report.pulled,
        "bytes_received": report.bytes_received,
        "peak_rss_mib": peak_rss_mib(),
        "app": app.summary() if app is not None else None,
        "app_cpu_seconds": app.cpu_seconds if app is not None else 0.0,
    }


def run_first_sync(server: str, folder: Path, *, probe: bool = False) -> dict[str, Any]:
    command = [sys.executable, __file__, "--client-first-sync", server, str(SERVER_PIDS[server])]
    command.append(str(folder))
    if probe:
        command.append("--probe")
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit("the client's first sync failed")
    figures: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return figures


def floor_insert(
    source: Path, target: Path, *, with_state: bool = False, bulk: bool = False
) -> tuple[float, float, int]:
    """Insert the synced rows into an empty profile with executemany in one transaction.

    The target is made by ``open_database`` like any profile: the same migrations, so the same
    tables, indexes, FTS tables and triggers the first sync writes through. ``with_state``
    adds the ``sync_record_state`` rows (the server versions a synced client must keep).
    ``bulk``: the way a first sync writes new records (``store.bulk_insert``: the insert
    triggers dropped, their work done once at the end), with the sync bookkeeping rows.
    """
    tables: dict[str, tuple[tuple[str, ...], list[tuple[Any, ...]]]] = {}
    with open_database(source) as database, database.engine.connect() as connection:
        for entity in SYNCED_ENTITIES:
            table = MODEL_BY_ENTITY[entity].__tablename__
            names = columns_of(entity)
            listed = ", ".join(f'"{n}"' for n in names)
            result = connection.exec_driver_sql(f'SELECT {listed} FROM "{table}"')
            tables[table] = (names, [tuple(row) for row in result])
        if with_state:
            names = ("record_id", "entity", "version", "field_versions")
            result = connection.exec_driver_sql(f"SELECT {', '.join(names)} FROM sync_record_state")
            tables["sync_record_state"] = (names, [tuple(row) for row in result])
    with open_database(target) as database:
        started, cpu_started = time.perf_counter(), time.process_time()
        with database.session() as session:
            connection = session.connection()
            writer = BulkInsert(session, min_rows=1) if bulk else None
            for table, (names, table_rows) in tables.items():
                sql = (
                    f'INSERT INTO "{table}" ({", ".join(chr(34) + n + chr(34) for n in names)}) '
                    f"VALUES ({', '.join('?' for _ in names)})"
                )
                if writer is not None and writer.takes(table, len(table_rows)):
                    writer.insert(table, sql, table_rows)
                else:
                    connection.exec_driver_sql(sql, table_rows)
            if writer is not None:
                writer.settle()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        return seconds, cpu, sum(len(r) for _, r in tables.values())


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


def first_sync_and_floor(server: str, root: Path, runs: int) -> Path:
    """The first sync of the cached territory, ``runs`` times, against the floor."""
    first = root / "client-a"
    for run in range(runs):
        shutil.rmtree(first, ignore_errors=True)
        figures = run_first_sync(server, first)
        floor_path = root / f"floor-{run}.sqlite3"
        floor, floor_cpu, rows = floor_insert(first / "sfa.sqlite3", floor_path)
        state_path = root / f"floor-state-{run}.sqlite3"
        floor_state, _, state_rows = floor_insert(
            first / "sfa.sqlite3", state_path, with_state=True
        )
        bulk_path = root / f"floor-bulk-{run}.sqlite3"
        floor_bulk, floor_bulk_cpu, _ = floor_insert(
            first / "sfa.sqlite3", bulk_path, with_state=True, bulk=True
        )
        for path in (floor_path, state_path, bulk_path):
            for suffix in ("", "-wal", "-shm", ".lock"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        print(
            f"first sync: {figures['pulled']:,} changes in {figures['seconds']:.2f} s, "
            f"{figures['bytes_received'] / 1e6:.1f} MB received, "
            f"peak client memory {figures['peak_rss_mib']:.0f} MiB",
            flush=True,
        )
        print(
            f"  floor (executemany of {rows:,} rows, same schema, one transaction): "
            f"{floor:.2f} s -> first sync = {figures['seconds'] / floor:.2f}x the floor "
            f"(target <= 1.5x); with the {state_rows - rows:,} sync_record_state rows: "
            f"{floor_state:.2f} s -> {figures['seconds'] / floor_state:.2f}x",
            flush=True,
        )
        print(
            f"  floor written the way a first sync writes new records (insert triggers' work "
            f"done once at the end), bookkeeping rows included: {floor_bulk:.2f} s "
            f"(CPU {floor_bulk_cpu:.2f} s) -> first sync = {figures['seconds'] / floor_bulk:.2f}x, "
            f"CPU {figures['cpu_seconds'] / floor_bulk_cpu:.2f}x",
            flush=True,
        )
        print(
            f"  CPU time (steadier on a busy machine): client {figures['cpu_seconds']:.2f} s "
            f"= {figures['cpu_seconds'] / floor_cpu:.2f}x the floor's {floor_cpu:.2f} s; "
            f"server {figures['server_cpu_seconds']:.2f} s",
            flush=True,
        )
    return first


def territory_run(records: int, root: Path, runs: int) -> None:
    """A big territory's first sync end to end, with the app working meanwhile."""
    data_dir = cached_server(records)
    with running_server(data_dir) as server:
        for _ in range(runs):
            folder = root / "client-territory"
            shutil.rmtree(folder, ignore_errors=True)
            figures = run_first_sync(server, folder, probe=True)
            size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file())
            shutil.rmtree(folder, ignore_errors=True)
            print(
                f"territory of {records:,}: first sync of {figures['pulled']:,} changes "
                f"end to end (sign-in included) {figures['end_to_end_seconds']:.1f} s "
                f"(target <= 90 s), {figures['bytes_received'] / 1e6:.0f} MB received, "
                f"peak memory of the syncing process {figures['peak_rss_mib']:.0f} MiB "
                f"(target <= 300 MB), database {size / 1e6:.0f} MB; CPU time: client "
                f"{figures['cpu_seconds']:.1f} s (the app's work in it {figures['app_cpu_seconds']:.1f} s), "
                f"server {figures['server_cpu_seconds']:.1f} s",
                flush=True,
            )
            labels = {
                "first_page": "Accounts first page",
                "search": "search answer",
                "write": "app's own write",
            }
            for name, label in labels.items():
                app = figures["app"][name]
                print(
                    f"  while it syncs, {label}: {app['count']} times, p50 {app['p50_ms']:.0f} ms,"
                    f" p95 {app['p95_ms']:.0f} ms, worst {app['max_ms']:.0f} ms",
                    flush=True,
                )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--quick", action="store_true", help="10,000 records, 50,000 territory")
    parser.add_argument("--records", type=int, default=None)
    parser.add_argument("--territory", type=int, default=None, help="0 skips the big run")
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=2, help="repeat each first sync")
    parser.add_argument("--client-first-sync", nargs=3, metavar=("SERVER", "PID", "FOLDER"))
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client_first_sync:
        server, pid, folder = args.client_first_sync
        print(json.dumps(client_first_sync(server, int(pid), Path(folder), probe=args.probe)))
        return 0
    records = args.records or (10_000 if args.quick else 100_000)
    territory = args.territory if args.territory is not None else 50_000 if args.quick else 10**6
    print(f"cores: {os.cpu_count()}; records: {records:,}; territory: {territory:,}", flush=True)
    with tempfile.TemporaryDirectory(prefix="sfa-bench-") as scratch:
        root = Path(scratch)
        with running_server(server_copy(records, root)) as server:
            first = first_sync_and_floor(server, root, args.runs)
            second = root / "client-b"
            shutil.copytree(first, second)
            (second / "sfa.sqlite3.lock").unlink(missing_ok=True)
            trip = edits_round_trip(server, first, second, args.edits)
            total = trip["push_sync_seconds"] + trip["pull_sync_seconds"]
            print(
                f"{trip['edits']:,} edits: made in {trip['edit_seconds']:.2f} s; "
                f"pushed (sync A) {trip['push_sync_seconds']:.2f} s, "
                f"pulled (sync B) {trip['pull_sync_seconds']:.2f} s; "
                f"round trip {total:.2f} s (target <= 1 s)",
                flush=True,
            )
        shutil.rmtree(root / "server", ignore_errors=True)
        if territory:
            territory_run(territory, root, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
