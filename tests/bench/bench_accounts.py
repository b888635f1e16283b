"""Benchmark: the Accounts workspace on a big territory (issue "Foundation").

Builds (once, cached under /tmp/sfa-bench) a profile with 100,000 accounts and 300,000
contacts from the demo generator, then, in a fresh child process that plays the app:

- time from opening the Accounts workspace to its first page shown (cold, then warm);
- search-as-you-type latency over 1,000 realistic prefixes: the database work one keystroke
  costs (first page + count, on the database thread) and, for 200 of them, end to end
  through the table model (set the search → rows shown);
- peak memory (max RSS) of that process.

Targets on a 2-core laptop: first page ≤ 150 ms, search p95 ≤ 30 ms, memory ≤ 300 MB.

    python3 dev.py bench accounts            # or: .venv/bin/python tests/bench/bench_accounts.py
    .venv/bin/python tests/bench/bench_accounts.py --accounts 20000   # a quicker run
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from benchkit import CACHE, build_demo_profile, measured_profile, percentile


def build_profile(accounts: int) -> Path:
    data_dir = CACHE / f"accounts-{accounts}"
    if (data_dir / "sfa.sqlite3").exists():
        return data_dir
    build_demo_profile(
        data_dir,
        accounts,
        *("--contacts-per-account", "3", "--visits-per-account", "1", "--today", "2026-11-25"),
    )
    return data_dir


def realistic_prefixes(database: object, count: int, seed: int = 7) -> list[str]:
    """What reps type: the start of a company name word, a city, a tax id, two words."""
    from sqlalchemy import text

    with database.session() as session:  # type: ignore[attr-defined]
        rows = session.execute(
            text("SELECT name, city, tax_id FROM accounts ORDER BY random() LIMIT 3000")
        ).all()
    rng = random.Random(seed)
    prefixes: list[str] = []
    while len(prefixes) < count:
        name, city, tax_id = rows[rng.randrange(len(rows))]
        kind = rng.random()
        words = [w for w in name.split() if len(w) > 2]
        if kind < 0.55 and words:
            word = rng.choice(words)
            prefixes.append(word[: rng.randint(1, min(6, len(word)))].lower())
        elif kind < 0.75 and city:
            prefixes.append(city[: rng.randint(2, min(6, len(city)))])
        elif kind < 0.85 and tax_id:
            prefixes.append(tax_id[: rng.randint(2, 5)])
        elif len(words) >= 2:
            prefixes.append(f"{words[0][:4]} {words[1][:3]}")
    return prefixes


def measure(data_dir: Path) -> dict[str, object]:
    """Runs in the child process: the app's own pieces on the real file."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from sfa_desktop.store.database import open_database
    from sfa_desktop.store.paths import database_path
    from sfa_desktop.store.repositories.accounts import count_accounts, list_accounts
    from sfa_desktop.ui.tasks import TaskRunner
    from sfa_desktop.ui.workspaces.accounts import AccountsWorkspace

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    database = open_database(database_path(data_dir))
    runner.attach_database(database)

    def wait_for(signal: object, timeout_ms: int = 30_000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)  # type: ignore[attr-defined]
        QTimer.singleShot(timeout_ms, loop.quit)
        loop.exec()

    first_page_ms: list[float] = []
    for _ in range(6):
        started = time.perf_counter()
        workspace = AccountsWorkspace(runner)
        workspace.resize(1200, 800)
        workspace.show()
        if not workspace.is_ready():
            wait_for(workspace.ready)
        app.processEvents()  # the first page painted
        first_page_ms.append((time.perf_counter() - started) * 1000)
        assert workspace.model.rowCount() > 0, "no accounts shown"
        workspace.close()
        workspace.deleteLater()
        app.processEvents()

    prefixes = realistic_prefixes(database, 1000)
    keystroke_ms: list[float] = []
    with database.session() as session:
        for prefix in prefixes:
            started = time.perf_counter()
            list_accounts(session, search=prefix, limit=200)
            count_accounts(session, search=prefix)
            keystroke_ms.append((time.perf_counter() - started) * 1000)

    workspace = AccountsWorkspace(runner)
    workspace.show()
    if not workspace.is_ready():
        wait_for(workspace.ready)
    model = workspace.model
    end_to_end_ms: list[float] = []
    for prefix in prefixes[:200]:
        started = time.perf_counter()
        model.set_search(prefix)
        wait_for(model.loaded)
        end_to_end_ms.append((time.perf_counter() - started) * 1000)

    runner.shutdown(final_db_call=database.close)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "first_page_cold_ms": first_page_ms[0],
        "first_page_warm_p50_ms": statistics.median(first_page_ms[1:]),
        "search_db_p50_ms": percentile(keystroke_ms, 50),
        "search_db_p95_ms": percentile(keystroke_ms, 95),
        "search_db_max_ms": max(keystroke_ms),
        "search_model_p50_ms": percentile(end_to_end_ms, 50),
        "search_model_p95_ms": percentile(end_to_end_ms, 95),
        "peak_memory_mb": peak_mb,
        "prefix_examples": prefixes[:12],
    }


def main() -> int:
    measured = measured_profile(__doc__, __file__, build_profile, measure)
    if measured is None:
        return 0
    accounts, figures = measured
    print(f"Accounts workspace, {accounts:,} accounts / {3 * accounts:,} contacts")
    print(
        f"  first page shown        cold {figures['first_page_cold_ms']:7.1f} ms   "
        f"warm p50 {figures['first_page_warm_p50_ms']:6.1f} ms   (target ≤ 150 ms)"
    )
    print(
        f"  search, DB per keystroke p50 {figures['search_db_p50_ms']:6.1f} ms   "
        f"p95 {figures['search_db_p95_ms']:6.1f} ms   max {figures['search_db_max_ms']:.1f} ms"
        "   (target p95 ≤ 30 ms)"
    )
    print(
        f"  search, through model    p50 {figures['search_model_p50_ms']:6.1f} ms   "
        f"p95 {figures['search_model_p95_ms']:6.1f} ms"
    )
    print(f"  peak memory of the app  {figures['peak_memory_mb']:7.1f} MB   (target ≤ 300 MB)")
    print(f"  e.g. prefixes: {', '.join(figures['prefix_examples'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
