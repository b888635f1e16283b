"""What the benchmark scripts share: the cache folder, percentiles, a server process, cached builds.

Not a benchmark itself (``dev.py bench`` runs ``bench_*.py`` only); each script imports it from
its own folder, which Python puts first on ``sys.path`` when the script is run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("SFA_BENCH_CACHE", "/tmp/sfa-bench"))


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def server_process(env: dict[str, str], options: list[str]) -> Iterator[tuple[str, int]]:
    """``sfa-server serve`` in its own process group, stopped (by its id) at the end.

    Yields its base URL and process id once its health check answers.
    """
    port = free_port()
    command = [str(ROOT / ".venv" / "bin" / "sfa-server"), "serve", "--port", str(port)]
    process = subprocess.Popen([*command, *options], env=env, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{base_url}/api/v1/health", timeout=1).status_code == 200:
                    break
            if process.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.1)
        yield base_url, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def built_once(
    data_dir: Path,
    *,
    complete: Callable[[Path], bool],
    build: Callable[[Path], None],
    wait_s: float,
) -> Path:
    """``data_dir``, built once by ``build`` in a side folder that is then renamed into place.

    While another process is building it (it exists but is not ``complete``), waits up to
    ``wait_s`` seconds for it.
    """
    started = time.perf_counter()
    while data_dir.exists() and not complete(data_dir):  # someone else is building it
        if time.perf_counter() - started > wait_s:
            raise SystemExit(f"{data_dir} is incomplete; remove it and run again")
        time.sleep(5)
    if data_dir.exists():
        return data_dir
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    building = data_dir.with_name(f".{data_dir.name}.building-{os.getpid()}")
    shutil.rmtree(building, ignore_errors=True)
    build(building)
    try:
        building.rename(data_dir)
    except OSError:  # built by someone else meanwhile: use theirs
        shutil.rmtree(building, ignore_errors=True)
    return data_dir


def build_demo_profile(
    data_dir: Path, accounts: int, *options: str, shown_as: Path | None = None
) -> None:
    """``python -m sfa_desktop.demo --data-dir DATA_DIR --accounts N OPTIONS…``, timed and said
    (as building ``shown_as``, the folder it will end up in, if that is another)."""
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    print(f"building a {accounts:,}-account profile in {shown_as or data_dir} (once) …", flush=True)
    started = time.perf_counter()
    command = [sys.executable, "-m", "sfa_desktop.demo", "--data-dir", str(data_dir)]
    command += ["--accounts", str(accounts), *options]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)


def measured_profile(
    doc: str,
    script: str,
    build: Callable[[int], Path],
    measure: Callable[[Path], dict[str, Any]],
    *,
    size: tuple[str, int] = ("accounts", 100_000),
) -> tuple[int, dict[str, Any]] | None:
    """The two roles of a script that measures a built profile in a fresh process.

    Run with ``--accounts N`` (the parent; ``size`` names another option and its default):
    builds the profile (``build``), measures it in a child and returns N and the child's
    figures. Run with the hidden ``--measure DIR`` (the child): measures (``measure``) and
    prints the figures as JSON; returns None.
    """
    option, default = size
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument(f"--{option}", dest="size", type=int, default=default)
    parser.add_argument("--measure", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return None
    return args.size, measure_in_child(script, build(args.size))


def measure_in_child(script: str, data_dir: Path) -> dict[str, Any]:
    """Runs ``script --measure DATA_DIR`` in a fresh process (offscreen Qt), returns its figures.

    The child prints its figures as JSON on its last line.
    """
    child = subprocess.run(
        [sys.executable, script, "--measure", str(data_dir)],
        check=True,
        capture_output=True,
        text=True,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
    )
    figures: dict[str, Any] = json.loads(child.stdout.strip().splitlines()[-1])
    return figures


def top_up_won_deals(database_file: Path, target: int, *, years: int = 5) -> tuple[int, int]:
    """Clone closed-won opportunities of the profile file ``database_file`` (a WORKING COPY,
    never a cached profile) until it holds ``target`` live won deals (issue 13: 200,000 won
    deals for 100,000 accounts; the demo makes about 163,000). ``(before, after)`` counts.

    Plain SQL on the file: each clone copies a won deal (its account, owner, amount, currency:
    the accounts' distribution stays) with a new id and a close date spread over the last
    ``years`` years, deterministically (no randomness: the same file gets the same clones).
    The app's triggers run as for any insert (the value cache drops those accounts' rows).
    """
    import sqlite3

    won = "SELECT count(*) FROM opportunities WHERE stage = 'closed_won' AND deleted_at IS NULL"
    connection = sqlite3.connect(database_file)
    try:
        before = after = int(connection.execute(won).fetchone()[0])
        round_ = 0
        while after < target and before > 0:
            round_ += 1
            with connection:
                connection.execute(
                    "INSERT OR IGNORE INTO opportunities (id, created_at, updated_at, deleted_at, "
                    "account_id, owner_id, name, stage, amount, currency, probability, "
                    "expected_close_date, forecast_category, lost_reason, next_step) "
                    # a new id: the source's first 23 characters (unique enough) and a counter
                    "SELECT substr(o.id, 1, 23) || printf('-%012d', :round * 1000000 + n.k), "
                    "o.created_at, o.updated_at, NULL, o.account_id, o.owner_id, o.name, "
                    "'closed_won', o.amount, o.currency, 100, "
                    "date('now', printf('-%d days', (o.rowid * 7919 + n.k * 104729) % :span)), "
                    "o.forecast_category, NULL, NULL "
                    "FROM (SELECT rowid, * FROM opportunities WHERE stage = 'closed_won' "
                    "AND deleted_at IS NULL AND id NOT LIKE '%-0000%' ORDER BY id) o "
                    "CROSS JOIN (WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n "
                    "WHERE k < :copies) SELECT k FROM n) n "
                    "ORDER BY n.k, o.id LIMIT :missing",
                    {
                        "round": round_,
                        "copies": -(-(target - after) // before),
                        "span": 365 * years,
                        "missing": target - after,
                    },
                )
            after = int(connection.execute(won).fetchone()[0])
    finally:
        connection.close()
    return before, after


def with_won_deals(database_file: Path, target: int) -> None:
    """A benchmark's WORKING COPY migrated (opened once by the app's store), then topped up to
    ``target`` won deals (:func:`top_up_won_deals`), said."""
    from sfa_desktop.store.database import open_database

    open_database(database_file).close()
    started = time.perf_counter()
    before, after = top_up_won_deals(database_file, target)
    print(
        f"won deals topped up from {before:,} to {after:,} in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
