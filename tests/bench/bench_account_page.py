"""Benchmark: the account page of a busy account in a big territory (issue "Field rep workspaces").

Builds (once, cached under /tmp/sfa-bench, keyed by the size) a profile with the demo command

    python -m sfa_desktop.demo --data-dir DIR --accounts 100000 --visits-per-account 10

(100,000 accounts, about 1,000,000 visits), then adds 2,000 interactions (visits, calls,
e-mails, meetings, tasks with outcomes and notes) plus quotes and opportunities to one account.
In a fresh child process that plays the app it measures:

- ``load_account_page`` for that account: the first call (cold: new process, new connection)
  and p50/p95 over 50 runs; the same for an ordinary account;
- "show older interactions": the next timeline page;
- the account page widget filled end to end once (task submitted → data shown and painted);
- the "overdue for a visit" filter over the whole territory (count + first page);
- the page's suggested products and next action (``load_account_advice``, a task of its
  own after the page): the first call (it builds the co-purchase tables) and p50/p95 after
  that, and the widget until they are shown too.

Target on a 2-core laptop: the account page ≤ 100 ms. Figures are printed, not asserted.

    python3 dev.py bench account_page      # or: .venv/bin/python tests/bench/bench_account_page.py
    .venv/bin/python tests/bench/bench_account_page.py --accounts 5000   # a quick run
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

from benchkit import CACHE, build_demo_profile, measured_profile, percentile

BUSY_INTERACTIONS = 2000
VISITS_PER_ACCOUNT = 10
TODAY = "2026-11-25"
BUSY_KEY = "bench_busy_account"
RUNS = 50


def build_profile(accounts: int) -> Path:
    """The cached profile (built on first use), with its busy account."""
    data_dir = CACHE / f"account-page-{accounts}-v{VISITS_PER_ACCOUNT}-{TODAY}"
    if not (data_dir / "sfa.sqlite3").exists():
        options = ("--visits-per-account", str(VISITS_PER_ACCOUNT), "--today", TODAY)
        build_demo_profile(data_dir, accounts, *options)
    add_busy_account(data_dir)
    return data_dir


def add_busy_account(data_dir: Path) -> str:
    """Give one account 2,000 interactions (once; remembered in app_meta)."""
    from sqlalchemy import text

    from sfa_desktop.store.database import open_database
    from sfa_desktop.store.meta import get_meta, set_meta
    from sfa_desktop.store.paths import database_path
    from sfa_desktop.store.repositories.records import bulk_insert

    with open_database(database_path(data_dir)) as database, database.session() as session:
        known = get_meta(session, BUSY_KEY)
        if known:
            return known
        account_id, owner_id = session.execute(
            text(
                "SELECT id, owner_id FROM accounts WHERE deleted_at IS NULL "
                "AND lifecycle_stage = 'customer' ORDER BY name LIMIT 1"
            )
        ).one()
        contact_ids = list(
            session.execute(
                text("SELECT id FROM contacts WHERE account_id = :a"), {"a": account_id}
            ).scalars()
        ) or [None]
        print(f"adding {BUSY_INTERACTIONS:,} interactions to account {account_id} …", flush=True)
        rng = random.Random(2026)
        today = dt.datetime.fromisoformat(TODAY + "T18:00:00+00:00")
        kinds = ("visit", "call", "email", "meeting", "task")
        visits = []
        for number in range(BUSY_INTERACTIONS):
            start = today - dt.timedelta(hours=6 * number + rng.randint(0, 5))
            visits.append(
                {
                    "account_id": account_id,
                    "contact_id": rng.choice(contact_ids),
                    "owner_id": owner_id,
                    "kind": kinds[number % len(kinds)],
                    "subject": f"Seguimiento {number}",
                    "planned_start": start,
                    "planned_end": start + dt.timedelta(minutes=45),
                    "status": "done" if number % 9 else "cancelled",
                    "checked_in_at": start + dt.timedelta(minutes=3) if number % 2 else None,
                    "outcome": "Interesado en ampliar el contrato; pide una segunda oferta.",
                    "notes": "Revisar condiciones de pago y plazos de entrega. " * 3,
                    "next_step": "Llamar la semana que viene",
                }
            )
        bulk_insert(session, "visit", visits, now=today - dt.timedelta(days=600))
        opportunities = [
            {
                "account_id": account_id,
                "owner_id": owner_id,
                "name": f"Oportunidad {n}",
                "stage": ("prospecting", "proposal", "negotiation", "closed_won")[n % 4],
                "amount": 100_000 * (n + 1),
                "currency": "EUR",
                "created_at": today - dt.timedelta(days=20 * n + 5),
                "updated_at": today - dt.timedelta(days=20 * n),
            }
            for n in range(25)
        ]
        bulk_insert(session, "opportunity", opportunities)
        quotes = [
            {
                "account_id": account_id,
                "owner_id": owner_id,
                "number": f"Q-BENCH-2026-{n:04d}",
                "status": ("draft", "sent", "accepted", "expired")[n % 4],
                "currency": "EUR",
                "created_at": today - dt.timedelta(days=15 * n + 3),
                "updated_at": today - dt.timedelta(days=15 * n),
            }
            for n in range(40)
        ]
        bulk_insert(session, "quote", quotes)
        set_meta(session, BUSY_KEY, account_id)
        return str(account_id)


def _timed(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return (time.perf_counter() - started) * 1000


def measure(data_dir: Path) -> dict[str, object]:
    """Runs in the child process: the app's own pieces on the real file."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import text

    from sfa_desktop.services.account_advice import load_account_advice
    from sfa_desktop.store.database import open_database
    from sfa_desktop.store.meta import get_meta
    from sfa_desktop.store.paths import database_path
    from sfa_desktop.store.repositories.account_page import load_account_page
    from sfa_desktop.store.repositories.accounts import count_accounts, list_accounts
    from sfa_desktop.store.repositories.timeline import load_timeline
    from sfa_desktop.ui.account_page import AccountPageView
    from sfa_desktop.ui.tasks import TaskRunner

    now = dt.datetime.fromisoformat(TODAY + "T19:00:00+00:00")
    database = open_database(database_path(data_dir))
    figures: dict[str, object] = {}
    with database.session() as session:
        busy = get_meta(session, BUSY_KEY)
        assert busy is not None
        figures["busy_cold_ms"] = _timed(lambda: load_account_page(session, busy, now=now))
        busy_runs = [_timed(lambda: load_account_page(session, busy, now=now)) for _ in range(RUNS)]
        page = load_account_page(session, busy, now=now)
        assert page is not None and page.timeline.next_cursor is not None
        cursor = page.timeline.next_cursor
        more_runs = [
            _timed(lambda: load_timeline(session, busy, now=now, before=cursor))
            for _ in range(RUNS)
        ]
        ordinary_ids = list(
            session.execute(
                text("SELECT id FROM accounts WHERE id <> :b ORDER BY random() LIMIT :n"),
                {"b": busy, "n": RUNS},
            ).scalars()
        )
        ordinary_runs = [
            _timed(lambda a=account: load_account_page(session, a, now=now))
            for account in ordinary_ids
        ]
        figures["advice_cold_ms"] = _timed(lambda: load_account_advice(session, busy, now=now))
        advice_runs = [
            _timed(lambda a=account: load_account_advice(session, a, now=now))
            for account in ordinary_ids
        ]
        figures["advice_p50_ms"] = statistics.median(advice_runs)
        figures["advice_p95_ms"] = percentile(advice_runs, 95)
        interactions = session.execute(
            text("SELECT count(*) FROM visits WHERE account_id = :a"), {"a": busy}
        ).scalar_one()
        totals = session.execute(
            text("SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM visits)")
        ).one()
        today = now.date()
        overdue_count_ms = _timed(lambda: count_accounts(session, overdue_on=today))
        overdue_page_ms = _timed(lambda: list_accounts(session, overdue_on=today, limit=200))
        figures["overdue_accounts"] = count_accounts(session, overdue_on=today)
    figures.update(
        busy_interactions=interactions,
        accounts=totals[0],
        visits=totals[1],
        timeline_entries=len(page.timeline.entries),
        busy_p50_ms=statistics.median(busy_runs),
        busy_p95_ms=percentile(busy_runs, 95),
        more_p50_ms=statistics.median(more_runs),
        ordinary_p50_ms=statistics.median(ordinary_runs),
        ordinary_p95_ms=percentile(ordinary_runs, 95),
        overdue_count_ms=overdue_count_ms,
        overdue_page_ms=overdue_page_ms,
    )

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    runner.attach_database(database)
    view = AccountPageView(runner, now=lambda: now)
    view.resize(1280, 800)
    view.show()
    app.processEvents()

    def fill(account_id: str, *, advice: bool = False) -> float:
        loop = QEventLoop()
        signal = view.advice.loaded if advice else view.loaded
        signal.connect(loop.quit)
        QTimer.singleShot(30_000, loop.quit)
        started = time.perf_counter()
        view.show_account(account_id)
        loop.exec()
        app.processEvents()  # laid out and painted
        view.grab()
        signal.disconnect(loop.quit)
        return (time.perf_counter() - started) * 1000

    figures["widget_ms"] = fill(busy)  # the first page shown in this process
    figures["widget_rows"] = view.timeline.rowCount()
    fill(str(ordinary_ids[0]))
    figures["widget_warm_ms"] = fill(busy)
    fill(str(ordinary_ids[1]), advice=True)
    figures["widget_advice_ms"] = fill(busy, advice=True)
    runner.shutdown(final_db_call=database.close)
    return figures


def main() -> int:
    measured = measured_profile(__doc__, __file__, build_profile, measure)
    if measured is None:
        return 0
    _, f = measured
    print(
        f"Account page: {f['accounts']:,} accounts, {f['visits']:,} visits; "
        f"busy account with {f['busy_interactions']:,} interactions"
    )
    print(
        f"  load_account_page, busy     cold {f['busy_cold_ms']:6.1f} ms   "
        f"p50 {f['busy_p50_ms']:6.1f} ms   p95 {f['busy_p95_ms']:6.1f} ms   (target ≤ 100 ms)"
    )
    print(
        f"  load_account_page, ordinary p50 {f['ordinary_p50_ms']:6.1f} ms   "
        f"p95 {f['ordinary_p95_ms']:6.1f} ms   (50 random accounts)"
    )
    print(f"  show older interactions     p50 {f['more_p50_ms']:6.1f} ms   (next 50 entries)")
    print(
        f"  account page widget, end to end: first {f['widget_ms']:6.1f} ms   "
        f"again {f['widget_warm_ms']:6.1f} ms   ({f['widget_rows']} timeline entries shown)"
    )
    print(
        f"  suggestions + next action   cold {f['advice_cold_ms']:6.1f} ms   "
        f"p50 {f['advice_p50_ms']:6.1f} ms   p95 {f['advice_p95_ms']:6.1f} ms   "
        "(a task of its own after the page; cold: builds the co-purchase tables)"
    )
    print(f"  account page widget with its suggestions shown: {f['widget_advice_ms']:6.1f} ms")
    print(
        f"  overdue filter: count {f['overdue_count_ms']:6.1f} ms   first page "
        f"{f['overdue_page_ms']:6.1f} ms   ({f['overdue_accounts']:,} accounts overdue)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
