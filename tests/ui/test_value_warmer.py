"""The app warms the value table in the background, in steps the UI's own work runs between,
so the account page shows figures without anyone waiting for the whole table."""

from __future__ import annotations

import datetime as dt
import gc

from pytestqt.qtbot import QtBot
from sqlalchemy import text

from sfa_desktop.store.database import Database
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.value_warmer import ValueWarmer

from .conftest import WAIT_MS
from .fixed_clock import TODAY


def _rows(db: Database) -> tuple[int, int, int]:
    """(live accounts, cached rows with tiers, of them holding today)."""
    with db.session() as session:
        accounts = session.execute(
            text("SELECT count(*) FROM accounts WHERE deleted_at IS NULL")
        ).scalar_one()
        tiers, today = session.execute(
            text(
                "SELECT count(strategic_tier), count(CASE WHEN as_of <= :d AND valid_until > :d "
                "THEN 1 END) FROM account_value_cache c JOIN accounts a ON a.id = c.account_id"
            ),
            {"d": TODAY.isoformat()},
        ).one()
    return int(accounts), int(tiers), int(today)


def test_the_table_is_warmed_in_steps_with_the_ui_s_work_between(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database
) -> None:
    accounts, tiers, _ = _rows(demo_db)
    assert accounts > 100 and tiers == 0  # a new profile: nothing computed yet
    warmer = ValueWarmer(demo_runner, today=lambda: TODAY, step=100)
    order: list[str] = []
    warmer.warmed.connect(lambda: order.append("warm"))
    with qtbot.waitSignal(warmer.warmed, timeout=WAIT_MS):
        warmer.warm()
        # the UI's own read, submitted after the warm-up began, is not kept waiting for it
        demo_runner.run_db(lambda _session: None, on_done=lambda _r: order.append("ui read"))
    assert order == ["ui read", "warm"]
    assert not warmer.running
    assert _rows(demo_db) == (accounts, accounts, accounts)
    # the table made is long-lived: out of the collector's generations (Today's p95)
    assert gc.get_freeze_count() > 0


def test_after_a_change_only_what_moved_is_computed_and_a_warm_table_stays_quiet(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database
) -> None:
    warmer = ValueWarmer(demo_runner, today=lambda: TODAY)
    with qtbot.waitSignal(warmer.warmed, timeout=WAIT_MS):
        warmer.warm()
    with demo_db.session() as session:  # a sync brought a done visit
        session.execute(
            text("UPDATE visits SET status = 'done' WHERE id = (SELECT id FROM visits LIMIT 1)")
        )
    accounts, _tiers, _ = _rows(demo_db)
    assert _rows(demo_db)[1] == accounts - 1
    with qtbot.waitSignal(warmer.warmed, timeout=WAIT_MS):
        warmer.warm()
        warmer.warm()  # asked again meanwhile: another warm-up follows (finds nothing)
    assert _rows(demo_db) == (accounts, accounts, accounts)
    quiet: list[bool] = []
    warmer.warmed.connect(lambda: quiet.append(False))
    gc.unfreeze()
    warmer.warm()
    qtbot.waitUntil(lambda: not warmer.running, timeout=WAIT_MS)
    assert quiet == []  # nothing computed: no reload of the pages
    assert gc.get_freeze_count() == 0  # and nothing new to settle


def test_a_new_day_is_warmed_too(qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database) -> None:
    day = [TODAY]
    warmer = ValueWarmer(demo_runner, today=lambda: day[0])
    with qtbot.waitSignal(warmer.warmed, timeout=WAIT_MS):
        warmer.warm()
    day[0] = TODAY + dt.timedelta(days=400)  # every sale of a year ago has moved
    with qtbot.waitSignal(warmer.warmed, timeout=WAIT_MS):
        warmer.warm()
    with demo_db.session() as session:
        stale = session.execute(
            text("SELECT count(*) FROM account_value_cache WHERE as_of > :d OR valid_until <= :d"),
            {"d": day[0].isoformat()},
        ).scalar_one()
    assert stale == 0


def test_the_account_page_shows_the_tier_once_warm(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database
) -> None:
    from sfa_desktop.ui.account_page import AccountPageView

    with demo_db.session() as session:
        account_id = session.execute(
            text("SELECT id FROM accounts WHERE deleted_at IS NULL ORDER BY id LIMIT 1")
        ).scalar_one()
    now = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC)
    view = AccountPageView(demo_runner, now=lambda: now)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.show_account(account_id)
    assert "Not computed yet" in view.facts.fact_text("tier")
    warmer = ValueWarmer(demo_runner, today=lambda: TODAY)
    with qtbot.waitSignal(warmer.warmed, timeout=WAIT_MS):
        warmer.warm()
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.reload()  # what the app does once the table is warm
    assert "Not computed yet" not in view.facts.fact_text("tier")
