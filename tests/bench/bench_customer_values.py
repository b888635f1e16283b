"""Benchmark: every account's value figures, strategic tier and Pareto tier (issue 13).

Uses the cached demo profile of the Today benchmark (``python -m sfa_desktop.demo --accounts N
--visits-per-account 10``: 100,000 accounts, 1,000,000 activities), copied to a private
working file, then measures :func:`sfa_desktop.services.customer_values.account_value_table`:

- **cold**: the cache empty (a new profile; in the app, warmed in the background in steps):
  every account's facts aggregated in SQL and its figures computed, then the tiers;
- **warm**: nothing changed since the last read (the table kept in memory answers, after one
  look at the tiers mark): p50 / p95;
- **after edits**: 20 random edits (a visit done, a deal won, a quote line changed, a
  potential set) between reads: only those accounts (logged by the triggers) are computed
  again, then the tiers' cut-offs over every account: p50 / p95;
- **new day**: the first read of each of the next days: only the accounts whose figures the
  day moves (a sale or an activity leaving the last 12 months…) are computed again: p50 /
  p95; and the first read on 1 January (the current year reads as none without computing;
  the accounts moved are those whose sales or activities leave the window meanwhile);
- **background warm-up**: the app's first start on the profile (a new process, an empty cache):
  the table made in steps on the database thread (:func:`warm_step`): total, longest step.

The working copy is first topped up to ``--won-deals`` won deals (default 2 per account: the
issue's 200,000 for 100,000 accounts) by cloning won deals (:func:`benchkit.top_up_won_deals`).

Target: ≤ 1 s (warm, after edits, new day). A benchmark, not a test: it prints figures and
exits 0.

    .venv/bin/python tests/bench/bench_customer_values.py                 # 100,000 accounts
    .venv/bin/python tests/bench/bench_customer_values.py --accounts 10000  # a quicker run
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
import time

from bench_today import cached_profile
from benchkit import CACHE, percentile, with_won_deals

EDITS = (
    "UPDATE visits SET status = 'done' WHERE id = (SELECT id FROM visits "
    "WHERE status = 'planned' LIMIT 1 OFFSET :n)",
    "UPDATE opportunities SET stage = 'closed_won' WHERE id = (SELECT id FROM opportunities "
    "WHERE stage != 'closed_won' LIMIT 1 OFFSET :n)",
    "UPDATE quote_lines SET quantity = '3' WHERE id = (SELECT id FROM quote_lines "
    "LIMIT 1 OFFSET :n)",
    "UPDATE accounts SET annual_potential = 5000000 WHERE id = (SELECT id FROM accounts "
    "LIMIT 1 OFFSET :n)",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--visits-per-account", type=int, default=10)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--won-deals", type=int, help="default: 2 per account")
    args = parser.parse_args()

    from sqlalchemy import text

    from sfa_desktop.services.customer_values import account_value_table, warm_step
    from sfa_desktop.store.database import open_database
    from sfa_desktop.store.repositories.customer_value_facts import stale_accounts

    cached = cached_profile(args.accounts, args.visits_per_account)
    work = CACHE / f"values-work-{args.accounts}-{args.visits_per_account}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copy2(cached / "sfa.sqlite3", work / "sfa.sqlite3")
    with_won_deals(work / "sfa.sqlite3", args.won_deals or 2 * args.accounts)
    today = dt.date.today()
    database = open_database(work / "sfa.sqlite3")
    rng = random.Random(13)
    try:
        with database.session() as session:
            counts = {
                name: session.execute(text(sql)).scalar_one()
                for name, sql in (
                    ("accounts", "SELECT count(*) FROM accounts WHERE deleted_at IS NULL"),
                    ("activities", "SELECT count(*) FROM visits WHERE deleted_at IS NULL"),
                    (
                        "won deals",
                        "SELECT count(*) FROM opportunities WHERE stage = 'closed_won' "
                        "AND deleted_at IS NULL",
                    ),
                    ("accepted quotes", "SELECT count(*) FROM quotes WHERE status = 'accepted'"),
                    ("quote lines", "SELECT count(*) FROM quote_lines"),
                )
            }
        print("Profile: " + ", ".join(f"{value:,} {name}" for name, value in counts.items()))
        started = time.perf_counter()
        with database.session() as session:
            table = account_value_table(session, today=today)
        cold = (time.perf_counter() - started) * 1000
        tiers: dict[str, int] = {}
        for value in table.values():
            tiers[value.strategic_tier] = tiers.get(value.strategic_tier, 0) + 1
        print(f"cold (empty cache, {len(table):,} accounts): {cold:.0f} ms; tiers {tiers}")
        warm: list[float] = []
        for _ in range(args.runs):
            started = time.perf_counter()
            with database.session() as session:
                account_value_table(session, today=today)
            warm.append((time.perf_counter() - started) * 1000)
        print(
            f"warm over {args.runs} runs: p50 {percentile(warm, 50):.0f} ms, "
            f"p95 {percentile(warm, 95):.0f} ms   [target ≤ 1000 ms]"
        )
        edited: list[float] = []
        for _ in range(args.runs):
            with database.session() as session:
                for _edit in range(20):
                    sql = rng.choice(EDITS)
                    session.execute(text(sql), {"n": rng.randrange(1000)})
            started = time.perf_counter()
            with database.session() as session:
                account_value_table(session, today=today)
            edited.append((time.perf_counter() - started) * 1000)
        print(
            f"after 20 edits, over {args.runs} runs: p50 {percentile(edited, 50):.0f} ms, "
            f"p95 {percentile(edited, 95):.0f} ms   [target ≤ 1000 ms]"
        )
        new_day: list[float] = []
        moved: list[int] = []
        for days in range(1, args.runs + 1):
            day = today + dt.timedelta(days=days)
            with database.session() as session:
                moved.append(len(stale_accounts(session, day)))
            started = time.perf_counter()
            with database.session() as session:
                account_value_table(session, today=day)
            new_day.append((time.perf_counter() - started) * 1000)
        print(
            f"new day, the next {args.runs} days ({min(moved):,}–{max(moved):,} accounts moved): "
            f"p50 {percentile(new_day, 50):.0f} ms, p95 {percentile(new_day, 95):.0f} ms"
            "   [target ≤ 1000 ms]"
        )
        january = dt.date(today.year + 1, 1, 1)
        with database.session() as session:
            count = len(stale_accounts(session, january))
        started = time.perf_counter()
        with database.session() as session:
            account_value_table(session, today=january)
        print(
            f"1 January ({count:,} accounts moved): {(time.perf_counter() - started) * 1000:.0f} ms"
        )
        # the app's first start on the profile: the table warmed in the background, in steps
        database.close()
        database = open_database(work / "sfa.sqlite3")  # a new process: nothing in memory
        with database.session() as session:
            session.execute(text("DELETE FROM account_value_cache"))
        steps: list[float] = []
        started = time.perf_counter()
        done = False
        while not done:
            step_started = time.perf_counter()
            with database.session() as session:
                done = warm_step(session, today=today).done
            steps.append((time.perf_counter() - step_started) * 1000)
        print(
            f"background warm-up from empty: {time.perf_counter() - started:.1f} s in "
            f"{len(steps)} steps on the database thread (p50 {percentile(steps, 50):.0f} ms, "
            f"longest {max(steps):.0f} ms: the UI's own work waits at most one step)"
        )
    finally:
        database.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
