"""Benchmark: the Pipeline board with 5,000 open deals in scope (issue "Pipeline and forecasts").

Builds a fresh profile (under /tmp/sfa-bench, rebuilt each run: a few seconds): a manager with
20 reps, 1,000 accounts, 5,000 open deals of the team (every open stage, 5 % in USD, a few
without a close date) plus 1,500 closed ones, each with a stage history (its create and one or
two moves). Then, signed in as the manager, in one process with offscreen Qt:

- the board's read (``pipeline_board``, everyone's deals in scope: the background part);
- **first paint**: the board widget at 1280×760 given the read board (``set_board``), its
  posted events run (the views' item layout) and all of it painted (``grab``): the UI thread's
  whole share, target ≤ 200 ms;
- **moving a card** to the next stage (``move_card``: the card leaves its column, joins the
  other, both headers follow), events run and the board painted again: target ≤ 50 ms. The write
  (``change_stage``) runs on the database thread and is timed apart;
- the Pipeline workspace from its creation to its board shown (read + paint, cold).

This is a benchmark, not a test: it prints figures and exits 0.

    python3 dev.py bench pipeline_board
    .venv/bin/python tests/bench/bench_pipeline_board.py --deals 2000 --runs 10
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
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
REPS = 20
OPEN = (("prospecting", 35), ("qualification", 25), ("proposal", 25), ("negotiation", 15))


def _ids(rng: random.Random, n: int) -> list[str]:
    return [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(n)]


def _user(user_id: str, name: str, role: str, manager: str | None, code: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "name": name,
        "email": f"{code.lower()}@bench.example",
        "role": role,
        "manager_id": manager,
        "rep_code": code,
        "active": True,
    }


def _deal(rng: random.Random, n: int, owner: str, account: str, stage: str) -> dict[str, Any]:
    close = TODAY + dt.timedelta(days=rng.randrange(-60, 270))
    if stage.startswith("closed"):
        close = TODAY - dt.timedelta(days=rng.randrange(0, 120))
    return {
        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "owner_id": owner,
        "account_id": account,
        "name": f"Oportunidad {n}",
        "stage": stage,
        "amount": rng.randint(1, 2000) * 1000 + rng.randint(0, 99),
        "currency": "USD" if rng.random() < 0.05 else "EUR",
        "probability": rng.choice((None, None, rng.randint(5, 95))),
        "expected_close_date": None if rng.random() < 0.01 else close,
        "forecast_category": "closed" if stage == "closed_won" else "pipeline",
        "lost_reason": "precio" if stage == "closed_lost" else None,
    }


def _history(rng: random.Random, deal: dict[str, Any]) -> list[dict[str, Any]]:
    created = NOW - dt.timedelta(days=rng.randrange(30, 300))
    rows = [
        {
            "opportunity_id": deal["id"],
            "from_stage": None,
            "to_stage": "prospecting",
            "to_close_date": deal["expected_close_date"],
            "amount": deal["amount"],
            "currency": deal["currency"],
            "changed_by_id": deal["owner_id"],
            "changed_at": created,
        }
    ]
    if deal["stage"] != "prospecting":
        rows.append(
            {
                **rows[0],
                "from_stage": "prospecting",
                "to_stage": deal["stage"],
                "changed_at": created + dt.timedelta(days=rng.randrange(1, 29)),
            }
        )
    return rows


def build(path: Path, deals: int, seed: int = 7) -> str:
    """The profile; returns the manager's id."""
    from sfa_desktop.store.database import open_database
    from sfa_desktop.store.meta import MetaKey, set_meta
    from sfa_desktop.store.repositories.records import bulk_insert

    rng = random.Random(seed)
    manager = _ids(rng, 1)[0]
    reps = _ids(rng, REPS)
    users = [_user(manager, "Jefa de ventas", "manager", None, "JV")]
    users += [_user(r, f"Rep {i:02d}", "rep", manager, f"R{i}") for i, r in enumerate(reps)]
    accounts = [
        {"id": a, "name": f"Cuenta {i:04d} S.L.", "owner_id": rng.choice(reps)}
        for i, a in enumerate(_ids(rng, 1000))
    ]
    stages = [s for s, _ in OPEN]
    weights = [w for _, w in OPEN]
    rows = [
        _deal(rng, n, rng.choice(reps), rng.choice(accounts)["id"], rng.choices(stages, weights)[0])
        for n in range(deals)
    ]
    rows += [
        _deal(rng, deals + n, rng.choice(reps), rng.choice(accounts)["id"], stage)
        for n, stage in enumerate(["closed_won", "closed_lost"] * (deals * 3 // 20))
    ]
    history = [change for deal in rows for change in _history(rng, deal)]
    with open_database(path) as database, database.session() as session:
        bulk_insert(session, "user", users, now=NOW)
        bulk_insert(session, "account", accounts, now=NOW)
        bulk_insert(session, "opportunity", rows, now=NOW)
        bulk_insert(session, "opportunity_stage_change", history, now=NOW)
        set_meta(session, MetaKey.USER_ID, manager)
    return manager


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
        f"{label:<38} p50 {percentile(times, 50):7.1f} ms   p95 {percentile(times, 95):7.1f} ms   "
        f"first {times[0]:7.1f} ms   {target}".rstrip()
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--deals", type=int, default=5000, help="open deals in scope")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    from sfa_desktop.services.editing import load_edit_context
    from sfa_desktop.services.opportunities import change_stage
    from sfa_desktop.services.pipeline import PipelineBoard, PipelineFilters, pipeline_board
    from sfa_desktop.store.database import open_database
    from sfa_desktop.ui.pipeline.board import PipelineBoardView
    from sfa_desktop.ui.tasks import TaskRunner
    from sfa_desktop.ui.workspaces.pipeline import PipelineWorkspace

    work = CACHE / f"pipeline-board-{args.deals}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    path = work / "sfa.sqlite3"
    started = time.perf_counter()
    build(path, args.deals)
    print(
        f"Profile: a manager and {REPS} reps, {args.deals:,} open deals in scope (and "
        f"{args.deals * 3 // 10:,} closed); built in {time.perf_counter() - started:.1f} s"
    )
    app = QApplication.instance() or QApplication(sys.argv[:1])
    database = open_database(path)
    runner = TaskRunner()
    runner.attach_database(database)
    try:

        def read() -> PipelineBoard:
            with database.session() as session:
                return pipeline_board(session, PipelineFilters(), today=TODAY, now=NOW)

        times, found = timed(args.runs, read)
        board_data: PipelineBoard = found  # type: ignore[assignment]
        shown = sum(len(c.deals) for c in board_data.columns)
        print(f"Board: {shown:,} cards in {len(board_data.columns)} columns")
        say("board read (database thread)", times)

        first_paints: list[float] = []
        for _ in range(max(3, args.runs // 4)):
            view = PipelineBoardView(lambda: TODAY)
            view.resize(1280, 760)
            view.show()
            app.processEvents()
            started = time.perf_counter()
            view.set_board(board_data)
            app.processEvents()  # the views' delayed item layout
            view.grab()  # every column painted, off the screen's schedule
            first_paints.append((time.perf_counter() - started) * 1000)
            view.close()
            view.deleteLater()
            app.processEvents()
        say("board first paint (set + paint)", first_paints, "[target ≤ 200 ms]")

        view = PipelineBoardView(lambda: TODAY)
        view.resize(1280, 760)
        view.show()
        view.set_board(board_data)
        app.processEvents()
        deals = [c.model.deal_at(0).id for c in view.columns[:3] for _ in range(1)]
        moves: list[float] = []
        stages = [c.stage for c in view.columns]
        for run in range(args.runs * 2):
            deal_id = deals[run % len(deals)]
            found_at = view.find_deal(deal_id)
            assert found_at is not None
            here = stages.index(found_at[0].stage)
            target = stages[here + 1] if here + 1 < 4 else stages[0]
            started = time.perf_counter()
            view.move_card(deal_id, target)
            app.processEvents()
            view.grab()
            moves.append((time.perf_counter() - started) * 1000)
        say("moving a card (UI update + repaint)", moves, "[target ≤ 50 ms]")
        view.close()

        column = board_data.column("qualification")
        ids = [d.id for d in column.deals[: args.runs]]

        def write_one(index: list[int] = [0]) -> None:  # noqa: B006
            deal_id = ids[index[0] % len(ids)]
            index[0] += 1
            with database.session() as session:
                change_stage(session, load_edit_context(session), deal_id, "proposal", today=TODAY)

        say("the move's write (change_stage)", timed(len(ids), write_one)[0])

        started = time.perf_counter()
        workspace = PipelineWorkspace(runner, now=lambda: NOW)
        workspace.resize(1280, 760)
        workspace.show()
        while not workspace.is_ready():
            app.processEvents()
            time.sleep(0.001)
        workspace.repaint()
        print(
            f"{'workspace opened → board shown (cold)':<38} "
            f"{(time.perf_counter() - started) * 1000:7.1f} ms"
        )
        workspace.close()
    finally:
        runner.shutdown(database.close)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
