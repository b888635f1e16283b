"""The scorecard service on a real SQLite file: every figure of a small team worked out by
hand (see ``scorecard_fixtures``), the scope of a rep, a manager and someone outside the team,
and the demo data set having something to show for every indicator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from services.scorecard_fixtures import TODAY, scorecard_database
from sqlalchemy import text

from sfa_desktop.demo.loader import load_demo
from sfa_desktop.domain.scorecard import NO_FAMILY, parse_period, within_cadence
from sfa_desktop.services.scorecard import load_scorecard, scope_info
from sfa_desktop.store.database import Database, open_database

Q4 = parse_period("2026-Q4")
DEMO_DAY = dt.date(2026, 11, 25)


@pytest.fixture
def open_as(tmp_path: Path) -> Iterator[Callable[[str | None], Database]]:
    opened: list[Database] = []

    def open_it(me: str | None) -> Database:
        folder = tmp_path / f"p{len(opened)}"
        folder.mkdir()
        database = scorecard_database(folder, me)
        opened.append(database)
        return database

    yield open_it
    for database in opened:
        database.close()


def _value(card: object, key: str) -> Decimal | None:
    return card.kpi(key).value  # type: ignore[attr-defined,no-any-return]


def test_the_managers_quarter_against_the_previous_one(
    open_as: Callable[[str | None], Database],
) -> None:
    with open_as("m").session() as session:
        card = load_scorecard(session, Q4, "previous", today=TODAY)
        scope = scope_info(session)
    assert (scope.scope, scope.accounts) == ("team", 3)
    assert str(card.compared_period) == "2026-Q3"
    assert card.kpi("sales").value == 280_000  # d2 + d4 (dx is outside the team, d5 in USD)
    assert card.kpi("sales").compared == 150_000  # d1 + d3
    assert _value(card, "sales_growth") == Decimal(130_000) / 150_000
    assert _value(card, "deals_won") == 2
    assert _value(card, "customers") == 2
    assert _value(card, "retention") == Decimal("0.5")  # a1 again, a2 not
    assert _value(card, "lost") == 1
    assert _value(card, "new_customers") == 1  # a3's first purchase
    assert card.kpi("new_customers").compared == 1  # a2's first purchase was in Q3
    assert _value(card, "sales_per_customer") == 140_000
    # q1: 300 € old, 100 € new (the optional line left out): d2's 2,000 € split 3:1
    family = {r.key: r.sales for r in card.breakdowns["family"]}
    assert family == {"Old family": 150_000, "New family": 50_000, NO_FAMILY: 80_000}
    assert _value(card, "new_product_share") == Decimal(50_000) / 280_000
    assert _value(card, "quote_conversion") == Decimal(1) / 3  # q1 of q1, q2, q3 (q5 is USD)
    assert _value(card, "days_to_close") == 20  # d2: 30 days (stage change), d4: 10 (close)
    assert _value(card, "visits_done") == 2  # v1, v2 (v3 is a call)
    assert _value(card, "visits_with_outcome") == Decimal("0.5")
    # today (6 Dec, the quarter is under way): a1 visited on 1 Dec (cadence 30), a2 called on
    # 10 Nov (26 days, cadence 30), a3 visited on 1 Oct (66 days, cadence 60)
    assert _value(card, "within_cadence") == Decimal(2) / 3
    assert card.kpi("within_cadence").compared == 0  # on 30 Sep a1's 20 Aug visit is 41 days old
    assert _value(card, "potential_known") == Decimal(1) / 3
    zones = {r.key: (r.sales, r.compared_sales, r.buyers) for r in card.breakdowns["zone"]}
    assert zones == {"Madrid": (200_000, 150_000, 1), "Galicia": (80_000, 0, 1)}
    channels = {r.key: r.sales for r in card.breakdowns["channel"]}
    assert channels == {"visit": 200_000, "email": 80_000, "phone": 0}
    assert sum(r.sales for r in card.breakdowns["tier"]) == 280_000


def test_a_rep_sees_only_their_own_accounts(open_as: Callable[[str | None], Database]) -> None:
    with open_as("r1").session() as session:
        card = load_scorecard(session, Q4, "previous", today=TODAY)
        assert scope_info(session).scope == "mine"
    assert card.kpi("sales").value == 200_000
    assert card.kpi("sales").compared == 150_000
    assert _value(card, "new_customers") == 0


def test_someone_outside_the_team_and_nobody(open_as: Callable[[str | None], Database]) -> None:
    with open_as("x").session() as session:
        assert load_scorecard(session, Q4, "previous", today=TODAY).kpi("sales").value == 999_900
    with open_as(None).session() as session:
        card = load_scorecard(session, Q4, "previous", today=TODAY)
    assert card.kpi("sales").value == 0
    assert card.kpi("retention").value is None


def test_a_year_against_the_last(open_as: Callable[[str | None], Database]) -> None:
    with open_as("m").session() as session:
        card = load_scorecard(session, parse_period("2026"), "last_year", today=TODAY)
    assert str(card.compared_period) == "2025"
    assert card.kpi("sales").value == 430_000
    assert card.kpi("sales").compared == 10_000
    assert _value(card, "retention") == 1  # a1 bought in both years
    assert _value(card, "new_customers") == 2  # a2 and a3
    trend = dict((str(p), v) for p, v in card.retention_trend)
    assert trend["2026"] == 1 and trend["2025"] is None


# --- the demo has something to show for every indicator -----------------------------------------


@pytest.fixture(scope="module")
def demo_manager(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("demo-scorecard") / "sfa.sqlite3"
    with open_database(path) as database:
        load_demo(database, accounts=250, today=DEMO_DAY, user="manager")
        yield database


def test_the_demo_fills_every_indicator(demo_manager: Database) -> None:
    with demo_manager.session() as session:
        card = load_scorecard(session, parse_period("2026-Q4"), "previous", today=DEMO_DAY)
    empty = [k.key for k in card.kpis if not k.value and k.key != "lost"]
    assert empty == []
    assert all(len(rows) > 1 for rows in card.breakdowns.values())
    assert sum(1 for _p, v in card.retention_trend if v) >= 2


def test_a_deal_is_won_on_its_latest_change_to_won(
    open_as: Callable[[str | None], Database],
) -> None:
    with open_as("m").session() as session:  # d2 won 40 days after it was created
        session.execute(
            text(
                "UPDATE opportunity_stage_changes SET changed_at = '2026-10-25T10:00:00.000000Z' "
                "WHERE to_stage = 'closed_won'"
            )
        )
        card = load_scorecard(session, Q4, "previous", today=TODAY)
    assert _value(card, "days_to_close") == 25  # d2: 40 days, d4: 10


def test_the_cadences_counted_in_sql_follow_the_rule(demo_manager: Database) -> None:
    """Customers within their cadence, counted in SQL for several periods at once, are those
    :func:`within_cadence` counts from each one's last done activity read plainly."""
    import sfa_desktop.services.scorecard as service

    periods = [parse_period(p) for p in ("2026-Q4", "2026-Q3", "2026-06", "2025")]
    with demo_manager.session() as session:
        scope = service._scope(session)
        counted = service._cadences(session, periods, scope, DEMO_DAY)
        rows = session.execute(
            text(
                "SELECT a.visit_cadence_days, group_concat(coalesce(v.checked_in_at, "
                "v.planned_start, '~'), ' '), group_concat(coalesce(v.planned_start, '~'), ' ') "
                "FROM accounts a LEFT JOIN visits v ON v.account_id = a.id "
                "AND v.status = 'done' AND v.deleted_at IS NULL "
                "WHERE a.deleted_at IS NULL AND a.lifecycle_stage = 'customer' GROUP BY a.id"
            )
        ).all()
    expected = []
    for period in periods:
        day = min(period.end, DEMO_DAY)
        end = (day + dt.timedelta(days=1)).isoformat()
        accounts = []
        for cadence, done, planned in rows:
            pairs = zip((done or "").split(), (planned or "").split(), strict=True)
            last = max((d for d, p in pairs if p < end), default=None)
            accounts.append((cadence, dt.date.fromisoformat(last[:10]) if last else None))
        expected.append(within_cadence(accounts, day))
    assert counted == expected
    assert all(within for within, _customers in counted[:2])
