"""Two ``sfa-server serve`` processes on one PostgreSQL database serve the same clients.

This is how a company grows past one machine: start more servers on the same database (behind
a load balancer or not). Real processes on free loopback ports (each binds port 0 and reports
the port it got), the session's scratch PostgreSQL database. Devices push to either server,
alternately and concurrently, and pull from the other one: every change must arrive exactly
once, in change order, and every device must end with the same records as the servers.

PostgreSQL only: one SQLite file is served by one process (``serve`` refuses several workers).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .helpers import VERSION_HEADERS, Device, Team, account_values, login, pull_while_pushing

pytestmark = pytest.mark.postgres

SERVER = Path(sys.executable).with_name("sfa-server")
_LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")
PUSHERS = ("rep_a", "rep_b", "rep_c", "manager")
BATCHES = 8
BATCH_SIZE = 12


@pytest.fixture
def backend() -> str:
    return "postgres"


def _wall() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _start(database_url: str, data_dir: Path) -> tuple[subprocess.Popen[str], str]:
    """``sfa-server serve --port 0``; returns the process and its base URL once it listens."""
    env = dict(
        os.environ,
        SFA_DATABASE_URL=database_url,
        SFA_DATA_DIR=str(data_dir),
        SFA_ARGON2_TIME_COST="1",
        SFA_ARGON2_MEMORY_KIB="64",
        SFA_ARGON2_PARALLELISM="1",
    )
    command = [str(SERVER), "serve", "--host", "127.0.0.1", "--port", "0", "--log-level", "info"]
    process = subprocess.Popen(
        command, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    assert process.stderr is not None
    for line in process.stderr:  # ends when the process does
        found = _LISTENING.search(line)
        if found:
            # keep draining its log so the server never blocks on a full pipe
            threading.Thread(target=process.stderr.read, daemon=True).start()
            return process, f"http://127.0.0.1:{found.group(1)}"
    raise AssertionError(f"the server exited with {process.wait()} before listening")


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)


@pytest.fixture
def servers(database_url: str, tmp_path: Path, team: Team) -> Iterator[list[httpx.Client]]:
    """Two servers on the test's database (the team is already in it)."""
    started: list[subprocess.Popen[str]] = []
    clients: list[httpx.Client] = []
    try:
        for n in range(2):
            process, base_url = _start(database_url, tmp_path / f"server{n}")
            started.append(process)
            clients.append(httpx.Client(base_url=base_url, headers=VERSION_HEADERS, timeout=60))
        yield clients
    finally:
        for client in clients:
            client.close()
        for process in started:
            _stop(process)


def _devices(servers: list[httpx.Client], team: Team, names: tuple[str, ...]) -> list[Device]:
    """One device per name, signed in alternately on each server."""
    return [login(servers[n % 2], getattr(team, name).email, _wall) for n, name in enumerate(names)]


def _push_accounts(
    device: Device, servers: list[httpx.Client], first: int, created: list[str], errors: list[str]
) -> None:
    """BATCHES batches of creates, each to the other server than the one before."""
    try:
        for batch in range(BATCHES):
            device.client = servers[(first + batch) % 2]
            created.extend(device.create_accounts([f"{batch}"] * BATCH_SIZE))
    except BaseException as error:  # reported by the main thread
        errors.append(repr(error))


def test_concurrent_pushes_to_two_servers_reach_a_puller_of_both_exactly_once(
    servers: list[httpx.Client], team: Team
) -> None:
    pushers = _devices(servers, team, PUSHERS)
    (puller,) = _devices(servers, team, ("admin",))
    created: list[str] = []
    errors: list[str] = []
    threads = [
        threading.Thread(target=_push_accounts, args=(device, servers, n, created, errors))
        for n, device in enumerate(pushers)
    ]
    delivered: list[tuple[int, str]] = []
    pages = 0

    def pull_once() -> bool:
        nonlocal pages
        puller.client = servers[pages % 2]
        pages += 1
        page = puller.pull_page(puller.cursor, limit=29)
        delivered.extend((c.seq, c.record_id) for c in page.changes)
        puller.cursor = page.next_cursor
        return page.has_more

    pull_while_pushing(threads, pull_once)
    assert not errors, errors[0]

    seqs = [seq for seq, _ in delivered]
    assert seqs == list(range(1, len(seqs) + 1)), "a change was skipped, repeated or reordered"
    ids = [record_id for _, record_id in delivered]
    assert len(ids) == len(set(ids))
    assert set(created) <= set(ids)
    assert len(created) == len(PUSHERS) * BATCHES * BATCH_SIZE


def test_devices_editing_through_both_servers_converge(
    servers: list[httpx.Client], team: Team
) -> None:
    """Two devices of one rep and their manager: each pushes to one server, pulls from the
    other, alternating; edits to the same records from both sides all arrive exactly once."""
    laptop, phone, manager = _devices(servers, team, ("rep_a", "rep_a", "manager"))
    devices = [laptop, phone, manager]
    seen: dict[int, list[int]] = {id(d): [] for d in devices}

    def sync(device: Device, server: int) -> None:
        device.client = servers[server]
        seen[id(device)].extend(c.seq for c in device.sync(limit=5))

    accounts = [laptop.create("account", account_values(laptop.user_id, f"C{n}")) for n in range(6)]
    for round_ in range(6):
        for n, device in enumerate(devices):
            push_to, pull_from = (round_ + n) % 2, (round_ + n + 1) % 2
            sync(device, pull_from)
            device.client = servers[push_to]
            account = accounts[(round_ + n) % len(accounts)]
            field = ("city", "address", "notes")[n]
            base = device.mirror[account].version
            result = device.set("account", account, field, f"{field} {round_}", base=base)
            assert result.status in ("applied", "merged"), result
    for n, device in enumerate(devices):
        sync(device, n % 2)

    for device in devices:
        assert len(seen[id(device)]) == len(set(seen[id(device)])), "a change arrived twice"
        assert seen[id(device)] == sorted(seen[id(device)])
    mine = {i: (c.version, c.values) for i, c in laptop.of("account").items()}
    assert mine == {i: (c.version, c.values) for i, c in phone.of("account").items()}
    assert mine == {i: (c.version, c.values) for i, c in manager.of("account").items()}
    assert set(mine) == set(accounts)
    for values in (values for _, values in mine.values()):
        assert {values["city"], values["address"], values["notes"]} != {None}
    final = {i: v for i, (_, v) in mine.items()}
    last = {(5 + n) % len(accounts): n for n in range(3)}
    for index, n in last.items():
        field = ("city", "address", "notes")[n]
        assert final[accounts[index]][field] == f"{field} 5"
