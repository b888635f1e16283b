"""Benchmark: the CRM scorecard on a big territory (issue 13, "Know which customers matter").

Uses the cached demo profile of the Today benchmark (``python -m sfa_desktop.demo --accounts N
--visits-per-account 10``, built once under /tmp/sfa-bench; read only here), then measures
``load_scorecard`` — everything the Scorecard workspace and ``sfa scorecard`` read: both
periods' figures, the tiers, the first purchases and the retention trend — as the demo rep
(their own accounts) and as their manager (the whole team: every account), on a private
copy of the profile:

- a quarter against the previous one, and a year against the last: p50 / p95 over the runs,
  and the first (cold) run.

This is a benchmark, not a test: it prints figures and exits 0.

    .venv/bin/python tests/bench/bench_scorecard.py                  # 100,000 accounts
    .venv/bin/python tests/bench/bench_scorecard.py --accounts 10000 --runs 5
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import time
from pathlib import Path

from bench_today import cached_profile
from benchkit import CACHE, percentile, with_won_deals

TODAY = dt.date(2026, 11, 25)


def _measure(data_dir: Path, runs: int) -> None:
    from sqlalchemy import select

    import sfa_desktop.services.scorecard as scorecard
    from sfa_desktop.domain.scorecard import parse_period
    from sfa_desktop.store.database import open_database
    from sfa_desktop.store.meta import MetaKey, get_meta
    from sfa_desktop.store.models.reference import User

    with open_database(data_dir / "sfa.sqlite3") as database:
        with database.session() as session:
            rep = get_meta(session, MetaKey.USER_ID)
            manager = session.execute(select(User.manager_id).where(User.id == rep)).scalar()
        for who, user in (("rep", rep), ("manager", manager)):
            scorecard.current_user_id = lambda _s, user=user: user  # type: ignore[assignment]
            for text, compare in (("2026-Q4", "previous"), ("2026", "last_year")):
                period = parse_period(text)
                times = []
                for _ in range(runs):
                    with database.session() as session:
                        started = time.perf_counter()
                        card = scorecard.load_scorecard(session, period, compare, today=TODAY)
                        times.append((time.perf_counter() - started) * 1000)
                accounts = scorecard.scope_info
                with database.session() as session:
                    scope = accounts(session)
                print(
                    f"{who:8} {text:8} vs {compare:10} accounts {scope.accounts:>7,}  "
                    f"cold {times[0]:7.0f} ms  p50 {percentile(times[1:] or times, 50):7.0f} ms  "
                    f"p95 {percentile(times[1:] or times, 95):7.0f} ms  "
                    f"(sales {card.kpi('sales').value}, buyers {card.kpi('customers').value})",
                    flush=True,
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--visits-per-account", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--won-deals", type=int, help="default: 2 per account (issue 13)")
    args = parser.parse_args()
    data_dir = cached_profile(args.accounts, args.visits_per_account)
    work = CACHE / f"scorecard-work-{args.accounts}-{args.visits_per_account}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copy2(data_dir / "sfa.sqlite3", work / "sfa.sqlite3")  # the cache is never opened
    with_won_deals(work / "sfa.sqlite3", args.won_deals or 2 * args.accounts)
    try:
        _measure(work, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
