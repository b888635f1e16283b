"""Benchmark: the Quotes workspace's first page over 100,000 quotes (issue 10).

Builds (once, cached under /tmp/sfa-bench, keyed by the size) a profile with the demo command

    python -m sfa_desktop.demo --data-dir DIR --accounts 20000 --visits-per-account 1 \\
        --contacts-per-account 2 --today 2026-11-25

and tops its quotes up to 100,000 by copying the demo's quotes with their lines (about 2.7
lines each), each copy issued a few months earlier, on the same account and owner, with the
owner's next number of that year. In a fresh child process that plays the app it measures
the first page the Quotes workspace asks for (the services' ``QUOTE_LIST``: a page of 200
rows with their totals from the one totals rule, newest issue first, plus the count):

- unfiltered: the first call (cold: new process, new connection), then p50/p95 over 20 runs;
- with a status filter (sent, expired, pending approval), with "mine", with "awaiting my
  approval" and "expiring in 7 days";
- searched by a number fragment and by an account name word;
- the Quotes workspace itself, from opening to its first page shown (cold, then warm).

Target on a 2-core laptop: first page ≤ 150 ms. Figures are printed, not asserted.

    python3 dev.py bench quotes_list     # or: .venv/bin/python tests/bench/bench_quotes_list.py
    .venv/bin/python tests/bench/bench_quotes_list.py --quotes 20000   # a quicker run
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from benchkit import CACHE, build_demo_profile, built_once, measured_profile, percentile

TODAY = "2026-11-25"
ACCOUNTS = 20_000
RUNS = 20
PAGE = 200
#: app_meta key set once the quotes are topped up (the profile is complete)
DONE_KEY = "bench_quotes_total"

#: (label, filters of the services' list call)
CASES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("all, newest first", {}),
    ("status: sent", {"status": "sent"}),
    ("status: expired", {"status": "expired"}),
    ("status: pending approval", {"status": "pending_approval"}),
    ("owner: mine", {"owner": "mine"}),
    ("awaiting my approval", {"awaiting_approval": True}),
    ("expiring in 7 days", {"expiring": True}),
    ("search: number '2025-01'", {"search": "2025-01"}),
    ("search: account 'talleres'", {"search": "talleres"}),
    ("search + status sent", {"search": "talleres", "status": "sent"}),
)


def _complete(data_dir: Path) -> bool:
    from sfa_desktop.store.database import open_database
    from sfa_desktop.store.meta import get_meta
    from sfa_desktop.store.paths import database_path

    path = database_path(data_dir)
    if not path.exists():
        return False
    with open_database(path) as database, database.session() as session:
        return get_meta(session, DONE_KEY) is not None


def build_profile(quotes: int) -> Path:
    """The cached profile (built on first use)."""
    data_dir = CACHE / f"quotes-list-{quotes}-{TODAY}"

    def build(folder: Path) -> None:
        options = ("--visits-per-account", "1", "--contacts-per-account", "2", "--today", TODAY)
        build_demo_profile(folder, ACCOUNTS, *options, shown_as=data_dir)
        top_up_quotes(folder, quotes)

    return built_once(data_dir, complete=_complete, build=build, wait_s=1800)


def top_up_quotes(data_dir: Path, total: int) -> None:
    """Copy the demo's quotes (and lines) until the profile holds ``total`` quotes."""
    from sqlalchemy import select, text

    from sfa_desktop.store.database import open_database
    from sfa_desktop.store.meta import set_meta
    from sfa_desktop.store.models.sales import Quote, QuoteLine
    from sfa_desktop.store.paths import database_path
    from sfa_desktop.store.quote_numbers import highest_seq
    from sfa_desktop.store.repositories.records import bulk_insert
    from sync_server.protocol.catalog import entity
    from sync_server.protocol.quote_numbers import leased_number

    started = time.perf_counter()
    quote_fields = ("id", "created_at", "updated_at", "deleted_at", *entity("quote").field_names)
    line_fields = (
        "id",
        "created_at",
        "updated_at",
        "deleted_at",
        *entity("quote_line").field_names,
    )
    with open_database(database_path(data_dir)) as database, database.session() as session:
        originals = [
            {f: getattr(q, f) for f in quote_fields}
            for q in session.scalars(select(Quote).order_by(Quote.id))
        ]
        lines: dict[str, list[dict[str, Any]]] = {}
        for line in session.scalars(select(QuoteLine)):
            row = {f: getattr(line, f) for f in line_fields}
            lines.setdefault(line.quote_id, []).append(row)
        rep_codes = {u: c for u, c in session.execute(text("SELECT id, rep_code FROM users"))}
        sequences: dict[tuple[str, int], int] = {}

        def next_number(owner_id: str, year: int) -> str:
            rep = rep_codes[owner_id]
            if (rep, year) not in sequences:
                sequences[rep, year] = highest_seq(session, rep_code=rep, year=year)
            sequences[rep, year] += 1
            return leased_number(rep, year, sequences[rep, year])

        missing = total - len(originals)
        print(f"adding {missing:,} quotes copied from the demo's {len(originals):,} …")
        rng = random.Random(2026)
        copy = 0
        while copy < missing:
            batch_quotes: list[dict[str, Any]] = []
            batch_lines: list[dict[str, Any]] = []
            for original in originals:
                if copy >= missing:
                    break
                copy += 1
                shift = dt.timedelta(days=rng.randint(60, 900))
                new_quote = _copied(original, shift, rng)
                issue = new_quote["issue_date"] or new_quote["created_at"].date()
                new_quote["number"] = next_number(original["owner_id"], issue.year)
                new_quote["revision"] = 1
                new_quote["previous_quote_id"] = None
                batch_quotes.append(new_quote)
                for line in lines.get(original["id"], []):
                    new_line = _copied(line, shift, rng)
                    new_line["quote_id"] = new_quote["id"]
                    batch_lines.append(new_line)
            bulk_insert(session, "quote", batch_quotes)
            bulk_insert(session, "quote_line", batch_lines)
            print(f"  {len(originals) + copy:,} quotes", flush=True)
        set_meta(session, DONE_KEY, str(total))
    print(f"  topped up in {time.perf_counter() - started:.1f} s", flush=True)


def _copied(row: dict[str, Any], shift: dt.timedelta, rng: random.Random) -> dict[str, Any]:
    """``row`` moved ``shift`` earlier, with a new id."""
    from sync_server.protocol.ids import uuid7

    new = dict(row)
    for name in ("created_at", "updated_at", "approved_at", "sent_at"):
        if new.get(name) is not None:
            new[name] = new[name] - shift
    for name in ("issue_date", "valid_until"):
        if new.get(name) is not None:
            new[name] = new[name] - shift
    unix_ms = int(new["created_at"].timestamp() * 1000)
    new["id"] = str(uuid7(unix_ms=unix_ms, rand=rng.randbytes(10)))
    return new


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def measure(data_dir: Path) -> dict[str, object]:
    """Runs in the child process: the app's own pieces on the real file."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from sfa_desktop.services.quotes import QUOTE_LIST
    from sfa_desktop.store.database import open_database
    from sfa_desktop.store.paths import database_path
    from sfa_desktop.ui.tasks import TaskRunner
    from sfa_desktop.ui.workspaces.quotes import QuotesWorkspace

    today = dt.date.fromisoformat(TODAY)
    database = open_database(database_path(data_dir))
    figures: dict[str, object] = {}
    cases: list[dict[str, object]] = []
    with database.session() as session:

        def first_page(filters: dict[str, Any]) -> tuple[int, int]:
            rows = QUOTE_LIST.rows(
                session,
                today=today,
                offset=0,
                limit=PAGE,
                sort="issue_date",
                descending=True,
                **filters,
            )
            return len(rows), QUOTE_LIST.count(session, today=today, **filters)

        figures["cold_ms"] = _timed(lambda: first_page({}))
        figures["quotes"] = first_page({})[1]
        for label, filters in CASES:
            runs = [_timed(partial(first_page, filters)) for _ in range(RUNS)]
            shown, matching = first_page(filters)
            cases.append(
                {
                    "label": label,
                    "p50": percentile(runs, 50),
                    "p95": percentile(runs, 95),
                    "rows": shown,
                    "matching": matching,
                }
            )
    figures["cases"] = cases

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    runner.attach_database(database)

    def now() -> dt.datetime:
        return dt.datetime.combine(today, dt.time(9), tzinfo=dt.UTC)

    shown_ms: list[float] = []
    for _ in range(6):
        started = time.perf_counter()
        workspace = QuotesWorkspace(runner, now=now)
        workspace.resize(1200, 800)
        workspace.show()
        if not workspace.is_ready():
            loop = QEventLoop()
            workspace.ready.connect(loop.quit)
            QTimer.singleShot(30_000, loop.quit)
            loop.exec()
        app.processEvents()  # the first page painted
        shown_ms.append((time.perf_counter() - started) * 1000)
        assert workspace.model.rowCount() > 0, "no quotes shown"
        workspace.close()
        workspace.deleteLater()
        app.processEvents()
    runner.shutdown(final_db_call=database.close)
    figures["workspace_cold_ms"] = shown_ms[0]
    figures["workspace_warm_p50_ms"] = statistics.median(shown_ms[1:])
    return figures


def main() -> int:
    measured = measured_profile(__doc__, __file__, build_profile, measure, size=("quotes", 100_000))
    if measured is None:
        return 0
    _quotes, figures = measured
    print(f"Quotes list, {figures['quotes']:,} quotes, first page of {PAGE} with totals + count")
    print(f"  unfiltered, cold (new process)   {figures['cold_ms']:7.1f} ms   (target ≤ 150 ms)")
    for case in figures["cases"]:
        print(
            f"  {case['label']:<30} p50 {case['p50']:6.1f} ms   p95 {case['p95']:6.1f} ms"
            f"   ({case['matching']:,} match)"
        )
    print(
        f"  Quotes workspace, first page shown   cold {figures['workspace_cold_ms']:6.1f} ms   "
        f"warm p50 {figures['workspace_warm_p50_ms']:6.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
