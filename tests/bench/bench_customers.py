"""Benchmark: the Customers workspace on a big territory (issue 13, "Know which customers matter").

Uses the demo profile cached under /tmp/sfa-bench by the Today and Accounts benchmarks
(``python -m sfa_desktop.demo --accounts N --visits-per-account 10``, built once), copied to a
private working file, then measures:

- the facts of every account (``account_facts``: the whole-table aggregates, the value, ABC);
- the whole analysis (facts + RFM and ABC counts + the Pareto curve);
- segment counts: matching a definition over the facts already read (pure Python);
- the Pareto chart: the curve from the values, the figure built and drawn (Agg, offscreen)
  — target ≤ 300 ms; and the value-vs-potential chart likewise;
- the Accounts list filtered by a saved segment: count + first page (the ids as one JSON
  parameter);
- the Customers workspace filled end to end once (database task + charts + list), offscreen.

This is a benchmark, not a test: it prints figures and exits 0.

    .venv/bin/python tests/bench/bench_customers.py                  # 100,000 accounts
    .venv/bin/python tests/bench/bench_customers.py --accounts 10000 # a quicker run
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import time
from collections.abc import Callable
from typing import Any

from bench_today import cached_profile
from benchkit import CACHE, percentile, with_won_deals


def _timed(function: Callable[[], Any], runs: int) -> tuple[list[float], Any]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def _line(label: str, times: list[float], target: str = "") -> None:
    print(
        f"{label:<44} p50 {percentile(times, 50):7.0f} ms   max {max(times):7.0f} ms"
        + (f"   [{target}]" if target else "")
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--visits-per-account", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--won-deals", type=int, help="default: 2 per account (issue 13)")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from sfa_desktop.domain.segments import SegmentDefinition, pareto_curve
    from sfa_desktop.services.exports.customer_charts import (
        pareto_figure,
        quadrant_figure,
        quadrant_points,
    )
    from sfa_desktop.services.record_lists import count_accounts, list_accounts
    from sfa_desktop.services.segments import account_facts, analyse, matching
    from sfa_desktop.store.database import open_database

    cached = cached_profile(args.accounts, args.visits_per_account)
    work = CACHE / f"customers-work-{args.accounts}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    shutil.copy2(cached / "sfa.sqlite3", work / "sfa.sqlite3")
    with_won_deals(work / "sfa.sqlite3", args.won_deals or 2 * args.accounts)
    today = dt.date.today()
    database = open_database(work / "sfa.sqlite3")
    runs = args.runs
    try:
        with database.session() as session:
            times, facts = _timed(lambda: account_facts(session, today), runs)
            _line(f"facts of {len(facts):,} accounts", times)
            times, analysis = _timed(lambda: analyse(session, today), runs)
            _line("analysis (facts + counts + Pareto curve)", times)
            print("  ABC:", analysis.counts.abc, " RFM:", analysis.counts.rfm)
            definition = SegmentDefinition(abc=("A", "B"), rfm=("at_risk", "lapsed"))
            times, chosen = _timed(lambda: matching(facts, definition, today), runs * 3)
            _line(f"segment counts (match {len(chosen):,} of {len(facts):,})", times)

            values = {f.account_id: f.value for f in facts}
            tiers = {f.account_id: f.abc for f in facts}

            def pareto() -> None:
                curve = pareto_curve(values, tiers)
                figure = pareto_figure(
                    curve, counts=analysis.counts.abc, currency=analysis.currency, language="es"
                )
                FigureCanvasAgg(figure).draw()

            times, _ = _timed(pareto, runs * 3)
            _line("Pareto chart (curve + figure + draw)", times, "target ≤ 300 ms")

            def quadrant() -> None:
                figure = quadrant_figure(
                    quadrant_points(facts), currency=analysis.currency, language="es"
                )
                FigureCanvasAgg(figure).draw()

            times, _ = _timed(quadrant, runs)
            _line("value-potential chart (figure + draw)", times)

            ids = [f.account_id for f in matching(facts, SegmentDefinition(abc=("A",)), today)]

            def accounts_page() -> None:
                count_accounts(session, account_ids=ids)
                list_accounts(session, account_ids=ids, limit=100)

            times, _ = _timed(accounts_page, runs * 3)
            _line(f"Accounts by segment ({len(ids):,} ids): count + page", times)
        measure_workspace(database)
    finally:
        database.close()
        shutil.rmtree(work, ignore_errors=True)
    return 0


def measure_workspace(database: object) -> None:
    from PySide6.QtWidgets import QApplication

    from sfa_desktop.ui.tasks import TaskRunner
    from sfa_desktop.ui.workspaces.customers import CustomersWorkspace

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    runner.attach_database(database)  # type: ignore[arg-type]
    try:
        started = time.perf_counter()
        workspace = CustomersWorkspace(runner)
        workspace.resize(1280, 800)
        workspace.show()
        while not workspace.is_ready():
            app.processEvents()
            time.sleep(0.001)
        app.processEvents()
        elapsed = (time.perf_counter() - started) * 1000
        print(f"Customers workspace filled end to end (task + charts + list): {elapsed:.0f} ms")
        workspace.close()
        workspace.deleteLater()
        app.processEvents()
    finally:
        runner.shutdown()


if __name__ == "__main__":
    sys.exit(main())
