"""Benchmark: the Today view on a big territory (issue "Field rep workspaces").

Builds (once, cached under /tmp/sfa-bench, shared with the Accounts benchmark) a demo profile
with ``python -m sfa_desktop.demo --accounts N --visits-per-account 10``, copies it to a
private working file (the cache is never written), gives the profile's user 40 on-site visits
planned today (two at accounts without coordinates; one in three an appointment, the
others "any time today", placed by the route between the appointments), then measures:

- the Today data load, route order included (``load_today`` in one session, as the app's single
  database task does): p50 / p95 over the runs, and where the time goes;
- the Today workspace filled end to end once (database task + models + widgets), offscreen.

Target: ≤ 200 ms for the Today data load on a 2-core laptop. This is a benchmark, not a test:
it prints figures and exits 0.

    .venv/bin/python tests/bench/bench_today.py                 # 100,000 accounts, 1M visits
    .venv/bin/python tests/bench/bench_today.py --accounts 10000  # a quicker run
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

from benchkit import CACHE, build_demo_profile, built_once, percentile

VISITS_TODAY = 40
UNLOCATED_TODAY = 2
MADRID = ZoneInfo("Europe/Madrid")
BUILD_WAIT_S = 30 * 60


def _complete(data_dir: Path) -> bool:
    """A demo profile is complete once its user is recorded (the loader's last write)."""
    path = data_dir / "sfa.sqlite3"
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
            row = connection.execute("SELECT value FROM app_meta WHERE key = 'user_id'").fetchone()
    except sqlite3.Error:
        return False
    return row is not None


def cached_profile(accounts: int, visits_per_account: int) -> Path:
    """The cached demo profile, built once (in a side folder, then renamed into place)."""
    data_dir = CACHE / f"demo-{accounts}-{visits_per_account}"

    def build(building: Path) -> None:
        options = ("--visits-per-account", str(visits_per_account))
        build_demo_profile(building, accounts, *options, shown_as=data_dir)

    return built_once(data_dir, complete=_complete, build=build, wait_s=BUILD_WAIT_S)


def working_copy(data_dir: Path, accounts: int, visits_per_account: int) -> Path:
    work = CACHE / f"today-work-{accounts}-{visits_per_account}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copy2(data_dir / "sfa.sqlite3", work / "sfa.sqlite3")
    return work


def plan_todays_visits(database: object, today: dt.date) -> tuple[str, int, int, int]:
    """40 planned visits today for the user, in their busiest city (2 without coordinates).

    The demo agenda plans hundreds of on-site activities a working day for the user of a big
    profile (none on the Sunday a profile may be built on): those of today are deleted first,
    so that Today has these 40 whatever the day the benchmark runs (also returned: how many).
    """
    from sqlalchemy import select

    from sfa_desktop.domain.agenda import day_bounds
    from sfa_desktop.store.meta import MetaKey, get_meta
    from sfa_desktop.store.models import Account, Visit
    from sfa_desktop.store.repositories.records import bulk_insert, soft_delete, update_record

    with database.session() as session:  # type: ignore[attr-defined]
        user = get_meta(session, MetaKey.USER_ID)
        assert user is not None
        start, end = day_bounds(today, MADRID)
        others = session.scalars(
            select(Visit.id).where(
                Visit.owner_id == user,
                Visit.deleted_at.is_(None),
                Visit.kind.in_(("visit", "meeting")),
                Visit.planned_start >= start,
                Visit.planned_start < end,
            )
        ).all()
        deleted_at = dt.datetime.now(dt.UTC)
        for visit_id in others:
            soft_delete(session, "visit", visit_id, now=deleted_at)
        mine = session.execute(
            select(Account.id, Account.city, Account.latitude)
            .where(Account.owner_id == user, Account.deleted_at.is_(None))
            .order_by(Account.id)
        ).all()
        located = [row for row in mine if row.latitude is not None]
        city = Counter(row.city for row in located).most_common(1)[0][0]
        chosen = [row.id for row in located if row.city == city][:VISITS_TODAY]
        chosen += [row.id for row in located if row.id not in chosen][: VISITS_TODAY - len(chosen)]
        now = dt.datetime.now(dt.UTC)
        for account_id in chosen[-UNLOCATED_TODAY:]:
            update_record(
                session, "account", account_id, {"latitude": None, "longitude": None}, now=now
            )
        first = dt.datetime.combine(today, dt.time(8, 0), tzinfo=MADRID)
        midnight = dt.datetime.combine(today, dt.time(), tzinfo=MADRID)
        rows = []
        for n, account_id in enumerate(chosen):
            if n % 3 == 0:  # an appointment every 40 minutes from 08:00, 20 minutes long
                start = first + dt.timedelta(minutes=40 * (n // 3))
                end = start + dt.timedelta(minutes=20)
            else:  # "any time today": placed where it fits between the appointments
                start, end = midnight, midnight + dt.timedelta(days=1)
            rows.append(
                {
                    "account_id": account_id,
                    "owner_id": user,
                    "kind": "visit",
                    "status": "planned",
                    "subject": "Visita de bench",
                    "planned_start": start.astimezone(dt.UTC),
                    "planned_end": end.astimezone(dt.UTC),
                }
            )
        bulk_insert(session, "visit", rows, now=now)
        return user, len(mine), len(rows), len(others)


def measure_load(database: object, clock: object, runs: int) -> None:
    from sfa_desktop.services import today as today_service
    from sfa_desktop.services.today import load_today

    parts: dict[str, list[float]] = {}
    originals = {
        name: getattr(today_service, name)
        for name in (
            "todays_stops",
            "suggest_route",
            "follow_ups_due",
            "overdue_by_value",
            "open_tasks",
        )
    }

    def timed(name: str, function: object) -> object:
        def wrapper(*args: object, **kwargs: object) -> object:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)  # type: ignore[operator]
            finally:
                parts.setdefault(name, []).append((time.perf_counter() - started) * 1000)

        return wrapper

    for name, function in originals.items():
        setattr(today_service, name, timed(name, function))
    totals: list[float] = []
    cpu: list[float] = []  # this process's CPU time: what a busy machine adds is left out
    data = None
    try:
        for _ in range(runs):
            started, cpu_started = time.perf_counter(), time.process_time()
            with database.session() as session:  # type: ignore[attr-defined]
                data = load_today(session, clock=clock)  # type: ignore[arg-type]
            totals.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
    finally:
        for name, function in originals.items():
            setattr(today_service, name, function)
    assert data is not None
    print(
        f"Today data: {len(data.stops)} stops ({data.unlocated_count} without location, "
        f"{data.total_km:.1f} km, {len(data.warnings)} warnings), "
        f"{len(data.tasks):,} tasks due, {len(data.follow_ups):,} follow-ups due, "
        f"{len(data.overdue):,} overdue accounts"
    )
    print(
        f"Today data load over {runs} runs: p50 {percentile(totals, 50):.0f} ms, "
        f"p95 {percentile(totals, 95):.0f} ms, first (cold) {totals[0]:.0f} ms   [target ≤ 200 ms]"
    )
    busy = percentile(totals, 50) > 1.2 * percentile(cpu, 50)
    print(
        f"  CPU time of the load: p50 {percentile(cpu, 50):.0f} ms, p95 {percentile(cpu, 95):.0f} ms"
        + (" (wall-clock far above it: the machine is busy)" if busy else "")
    )
    for name, values in parts.items():
        print(
            f"  {name:<18} p50 {percentile(values, 50):7.1f} ms   p95 {percentile(values, 95):7.1f} ms"
        )


def measure_workspace(database: object, clock: object) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from sfa_desktop.ui.tasks import TaskRunner
    from sfa_desktop.ui.workspaces.today import TodayWorkspace

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    runner.attach_database(database)  # type: ignore[arg-type]
    try:
        started = time.perf_counter()
        workspace = TodayWorkspace(runner, clock=clock)  # type: ignore[arg-type]
        workspace.resize(1200, 800)
        workspace.show()
        while not workspace.is_ready():
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        elapsed = (time.perf_counter() - started) * 1000
        print(f"Today workspace filled end to end (task + models + widgets): {elapsed:.0f} ms")
        workspace.close()
        workspace.deleteLater()
        app.processEvents()
    finally:
        runner.shutdown()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--visits-per-account", type=int, default=10)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--with-values",
        action="store_true",
        help="measure again once the customer value table is computed (issue 13)",
    )
    args = parser.parse_args()

    from sfa_desktop.services.visits import AgendaClock
    from sfa_desktop.store.database import open_database

    cached = cached_profile(args.accounts, args.visits_per_account)
    work = working_copy(cached, args.accounts, args.visits_per_account)
    today = dt.date.today()
    clock = AgendaClock.fixed(dt.datetime.combine(today, dt.time(7, 0), tzinfo=dt.UTC), MADRID)
    database = open_database(work / "sfa.sqlite3")
    try:
        _user, owned, planned, set_aside = plan_todays_visits(database, today)
        print(
            f"Profile: {args.accounts:,} accounts × {args.visits_per_account} visits; the user "
            f"owns {owned:,} accounts; {planned} visits planned today ({today}; "
            f"{set_aside} demo ones of the day deleted)"
        )
        measure_load(database, clock, args.runs)
        measure_workspace(database, clock)
        if args.with_values:
            from sfa_desktop.services.customer_values import account_value_table
            from sfa_desktop.ui.value_warmer import settle_long_lived

            started = time.perf_counter()
            with database.session() as session:
                table = account_value_table(session, today=today)
            elapsed = (time.perf_counter() - started) * 1000
            settle_long_lived()  # as the app's warm-up does once it made the table
            print(f"value table computed ({len(table):,} accounts, cold): {elapsed:.0f} ms")
            print("With the value table (tier cadences, cached values):")
            measure_load(database, clock, args.runs)
    finally:
        database.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
