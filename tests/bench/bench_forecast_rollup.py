"""Benchmark: a quarter's team forecast roll-up (issue "Pipeline and forecasts").

Builds a fresh profile (under /tmp/sfa-bench, rebuilt each run: a few seconds) with 200 reps in
a three-level tree (a sales director, 10 managers of 20 reps each; the managers own a few deals
too), 50,000 live opportunities spread over 2026–2027 (every stage and forecast category, 5 %
in USD, a few without a close date, 500 deleted), a quota per person and quarter, and weekly
forecast submissions of the current quarter (some adjusted by a manager). Then, as the
director, measures:

- the quarter's team review (``team_review``: the tree, live figures, quotas, the latest
  submission per person, the roll-up): p50 / p95 over the runs, and the first (cold) run;
- its figures query alone (``period_figures``, the one aggregate over the opportunities);
- a rep's own forecast (``my_forecast``), a drill-down (``rep_deals``), the pipeline by stage.

Target: ≤ 300 ms for the quarter's team roll-up on a 2-core laptop. This is a benchmark, not a
test: it prints figures and exits 0.

    .venv/bin/python tests/bench/bench_forecast_rollup.py
    .venv/bin/python tests/bench/bench_forecast_rollup.py --opportunities 10000 --runs 10
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchkit import CACHE, percentile

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)
MANAGERS = 10
REPS_PER_MANAGER = 20
STAGES = (
    ("prospecting", 20),
    ("qualification", 15),
    ("proposal", 15),
    ("negotiation", 10),
    ("closed_won", 25),
    ("closed_lost", 15),
)
CATEGORIES = {
    "prospecting": ("pipeline", "omitted"),
    "qualification": ("pipeline", "omitted"),
    "proposal": ("best_case", "pipeline", "commit"),
    "negotiation": ("commit", "best_case"),
}


def _ids(rng: random.Random, n: int) -> list[str]:
    return [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n)]


def build(path: Path, opportunities: int, seed: int = 11) -> tuple[str, list[str]]:
    """The profile; returns the director's id and the reps' ids."""
    from sfa_desktop.store.database import open_database
    from sfa_desktop.store.meta import MetaKey, set_meta
    from sfa_desktop.store.repositories.records import bulk_insert

    rng = random.Random(seed)
    director = _ids(rng, 1)[0]
    managers = _ids(rng, MANAGERS)
    reps = _ids(rng, MANAGERS * REPS_PER_MANAGER)
    users = [_user(director, "Directora", "manager", None, "D0")]
    users += [
        _user(m, f"Manager {i:02d}", "manager", director, f"M{i}") for i, m in enumerate(managers)
    ]
    users += [
        _user(r, f"Rep {i:03d}", "rep", managers[i // REPS_PER_MANAGER], f"R{i}")
        for i, r in enumerate(reps)
    ]
    owners = reps * 19 + managers  # the managers own a few deals too
    accounts = [
        {"id": a, "name": f"Cuenta {a[:8]}", "owner_id": rng.choice(reps)} for a in _ids(rng, 2000)
    ]
    deals = [
        _deal(rng, rng.choice(owners), rng.choice(accounts)["id"], n) for n in range(opportunities)
    ]
    quotas = [
        {
            "user_id": user,
            "period": f"{year}-Q{q}",
            "amount": rng.randint(50, 500) * 100_000,
            "currency": "EUR",
        }
        for user in [*reps, *managers]
        for year in (2026, 2027)
        for q in range(1, 5)
    ]
    submissions = _submissions(rng, reps, managers)
    with open_database(path) as database, database.session() as session:
        bulk_insert(session, "user", users, now=NOW)
        bulk_insert(session, "account", accounts, now=NOW)
        bulk_insert(session, "opportunity", deals, now=NOW)
        bulk_insert(session, "quota", quotas, now=NOW)
        bulk_insert(session, "forecast_submission", submissions, now=NOW)
        set_meta(session, MetaKey.USER_ID, director)
    return director, reps


def _user(user_id: str, name: str, role: str, manager: str | None, code: str) -> dict[str, Any]:
    email = f"{code.lower()}@bench.example"
    return {
        "id": user_id,
        "name": name,
        "email": email,
        "role": role,
        "manager_id": manager,
        "rep_code": code,
        "active": True,
    }


def _deal(rng: random.Random, owner: str, account: str, n: int) -> dict[str, Any]:
    stage = rng.choices([s for s, _ in STAGES], [w for _, w in STAGES])[0]
    category = "closed" if stage.startswith("closed") else rng.choice(CATEGORIES[stage])
    close = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(730))
    return {
        "owner_id": owner,
        "account_id": account,
        "name": f"Oportunidad {n}",
        "stage": stage,
        "amount": rng.randint(1, 2000) * 1000 + rng.randint(0, 99),
        "currency": "USD" if rng.random() < 0.05 else "EUR",
        "probability": rng.choice((None, None, rng.randint(5, 95))),
        "expected_close_date": None if rng.random() < 0.01 else close,
        "forecast_category": category,
        "lost_reason": "precio" if stage == "closed_lost" else None,
        "deleted_at": NOW if n % 100 == 0 else None,
    }


def _submissions(rng: random.Random, reps: list[str], managers: list[str]) -> list[dict[str, Any]]:
    rows = []
    for index, rep in enumerate(reps):
        for week in range(8):
            at = dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC) + dt.timedelta(
                weeks=week, minutes=index
            )
            commit = rng.randint(100, 900) * 100_000
            adjusted = rng.random() < 0.3
            rows.append(
                {
                    "owner_id": rep,
                    "period": "2026-Q4",
                    "currency": "EUR",
                    "commit_amount": commit,
                    "best_case_amount": commit * 2,
                    "pipeline_amount": commit * 3,
                    "closed_amount": commit // 2,
                    "rep_adjustment": rng.randint(-50, 50) * 10_000 if rng.random() < 0.3 else None,
                    "submitted_at": at,
                    "manager_id": managers[index // REPS_PER_MANAGER] if adjusted else None,
                    "manager_adjustment": rng.randint(-80, 40) * 10_000 if adjusted else None,
                    "manager_adjusted_at": at + dt.timedelta(days=1) if adjusted else None,
                }
            )
    return rows


def timed(runs: int, action: Callable[[], object]) -> tuple[list[float], object]:
    times: list[float] = []
    result: object = None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def say(label: str, times: list[float], target: str = "") -> None:
    print(
        f"{label:<34} p50 {percentile(times, 50):7.1f} ms   p95 {percentile(times, 95):7.1f} ms   "
        f"first {times[0]:7.1f} ms   {target}".rstrip()
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--opportunities", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    from sfa_desktop.services.forecasts import my_forecast, period_figures, rep_deals, team_review
    from sfa_desktop.services.pipeline import pipeline_by_stage
    from sfa_desktop.store.database import open_database
    from sfa_desktop.store.meta import MetaKey, set_meta
    from sync_server.protocol.forecast_rules import parse_period

    work = CACHE / f"forecast-rollup-{args.opportunities}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    path = work / "sfa.sqlite3"
    started = time.perf_counter()
    director, reps = build(path, args.opportunities)
    print(
        f"Profile: 1 director, {MANAGERS} managers, {len(reps)} reps; {args.opportunities:,} "
        f"opportunities; built in {time.perf_counter() - started:.1f} s"
    )
    quarter = parse_period("2026-Q4")
    database = open_database(path)
    try:

        def review() -> object:
            with database.session() as session:
                return team_review(session, quarter, TODAY)

        times, found = timed(args.runs, review)
        rows = found.rows  # type: ignore[attr-defined]
        top = rows[0].team[0]
        print(
            f"Team review {quarter}: {len(rows)} people, {top.figures.won_count + top.figures.open_count:,} "
            f"deals counted; closed {top.figures.closed / 100:,.2f} EUR, quota {top.quota / 100:,.2f} EUR, "
            f"attainment {top.attainment_pct} %, call {top.call / 100:,.2f} EUR"
        )
        say("team review (roll-up)", times, "[target ≤ 300 ms]")

        def figures() -> object:
            with database.session() as session:
                return period_figures(session, quarter)

        say("  figures aggregate alone", timed(args.runs, figures)[0])

        with database.session() as session:
            set_meta(session, MetaKey.USER_ID, reps[0])

        def mine() -> object:
            with database.session() as session:
                return my_forecast(session, quarter, TODAY)

        say("a rep's own forecast", timed(args.runs, mine)[0])

        def drill() -> object:
            with database.session() as session:
                return rep_deals(session, reps[0], quarter)

        times, deals = timed(args.runs, drill)
        say(f"a rep's deals ({len(deals):,})", times)  # type: ignore[arg-type]

        def stages() -> object:
            with database.session() as session:
                return pipeline_by_stage(session, quarter)

        say("pipeline by stage (everyone)", timed(args.runs, stages)[0])
        with database.session() as session:
            set_meta(session, MetaKey.USER_ID, director)
    finally:
        database.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
