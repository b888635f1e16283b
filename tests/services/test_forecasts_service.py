"""The forecast read services on a real SQLite file: SQL figures agree with the shared rules, the
team review rolls up a three-level tree with layered calls, quotas and accuracy."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, event, select

from sfa_desktop.services.forecasts import (
    my_forecast,
    period_figures,
    rep_deals,
    submission_history,
    team_review,
    team_trend,
)
from sfa_desktop.services.pipeline import pipeline_by_stage
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.meta import MetaKey, set_meta
from sfa_desktop.store.models.sales import Opportunity
from sfa_desktop.store.repositories.records import bulk_insert
from sync_server.protocol.catalog import FORECAST_CATEGORIES, OPPORTUNITY_STAGES
from sync_server.protocol.forecast_rules import (
    Figures,
    add_sets,
    deal_probability,
    figures_by_owner,
    parse_period,
)

DEMO_DAY = dt.date(2026, 11, 25)
Q4 = parse_period("2026-Q4")
NOW = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


# --- the demo: SQL against the rules --------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-forecasts"), accounts=80, today=DEMO_DAY)


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


@pytest.mark.parametrize("text", ["2026-Q4", "2026-11", "2026-Q3", "2027-Q1", "2026-07"])
def test_sql_figures_are_the_rules_figures(demo: Database, text: str) -> None:
    period = parse_period(text)
    with demo.session() as session:
        deals = list(session.scalars(select(Opportunity).where(Opportunity.deleted_at.is_(None))))
        expected = figures_by_owner(deals, period)
        assert period_figures(session, period) == expected
        # the board's stages: every deal in the period, by stage
        stages = pipeline_by_stage(session, period)
    in_period = [
        d for d in deals if d.expected_close_date and period.contains(d.expected_close_date)
    ]
    assert sum(t.count for t in stages) == len(in_period)
    for total in stages:
        mine = [d for d in in_period if d.stage == total.stage and d.currency == total.currency]
        assert total.amount == sum(d.amount for d in mine)
        weighted = sum(Decimal(d.amount * deal_probability(d.stage, d.probability)) for d in mine)
        assert total.weighted == weighted / 100


def test_the_demo_reps_own_forecast(demo: Database) -> None:
    with demo.session() as session:
        mine = my_forecast(session, parse_period("2026-11"), DEMO_DAY)
        assert mine is not None and mine.own == mine.team
        (eur,) = mine.own
        assert eur.currency == "EUR" and eur.quota is not None and eur.quota > 0
        assert eur.attainment_pct == (Decimal(eur.figures.closed * 100) / eur.quota).quantize(
            Decimal("0.1")
        )
        assert eur.gap == eur.quota - eur.figures.closed
        assert eur.accuracy_pct is None  # November has not ended
        history = submission_history(session, mine.user_id, parse_period("2026-11"))
        assert history and mine.latest == (history[-1],)
        assert eur.call == history[-1].call.final_call
        deals = rep_deals(session, mine.user_id, parse_period("2026-11"))
    assert sum(d.amount for d in deals if d.bucket == "won") == eur.figures.closed
    assert [d.expected_close_date for d in deals] == sorted(d.expected_close_date for d in deals)
    ended = None
    with demo.session() as session:
        ended = my_forecast(session, parse_period("2026-10"), DEMO_DAY)
    assert ended is not None and ended.own[0].accuracy_pct is not None


def test_nobody_signed_in_has_no_forecast(tmp_path: Path) -> None:
    with open_database(tmp_path / "sfa.sqlite3") as database, database.session() as session:
        assert my_forecast(session, Q4, DEMO_DAY) is None
        assert team_review(session, Q4, DEMO_DAY).rows == ()


# --- a three-level team ---------------------------------------------------------------------------

TEAM = {  # user: (name, role, manager)
    "vp": ("Vera Pons", "manager", None),
    "m1": ("Marta Uno", "manager", "vp"),
    "m2": ("Mario Dos", "manager", "vp"),
    "r1": ("Rosa Uno", "rep", "m1"),
    "r2": ("Raúl Dos", "rep", "m1"),
    "r3": ("Rita Tres", "rep", "m2"),
    "boss": ("Otra Jefa", "admin", None),
}


def _user(key: str) -> dict[str, Any]:
    name, role, manager = TEAM[key]
    return {
        "id": _id(key),
        "name": name,
        "email": f"{key}@example.es",
        "role": role,
        "manager_id": _id(manager) if manager else None,
        "rep_code": key.upper(),
        "active": True,
    }


def _deal(owner: str, stage: str, category: str, amount: int, **more: Any) -> dict[str, Any]:
    return {
        "account_id": _id("account"),
        "owner_id": _id(owner),
        "name": f"{owner} {stage} {amount}",
        "stage": stage,
        "amount": amount,
        "currency": "EUR",
        "forecast_category": category,
        "expected_close_date": dt.date(2026, 11, 10),
        **more,
    }


def _submission(owner: str, at: dt.datetime, commit: int, **more: Any) -> dict[str, Any]:
    return {
        "owner_id": _id(owner),
        "period": "2026-Q4",
        "currency": "EUR",
        "commit_amount": commit,
        "best_case_amount": commit,
        "pipeline_amount": commit,
        "closed_amount": 0,
        "submitted_at": at,
        **more,
    }


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Database]:
    with open_database(tmp_path / "sfa.sqlite3") as database:
        with database.session() as session:
            bulk_insert(session, "user", [_user(k) for k in TEAM], now=NOW)
            account = {"id": _id("account"), "name": "Cliente", "owner_id": _id("r1")}
            bulk_insert(session, "account", [account], now=NOW)
            deals = [
                _deal("r1", "closed_won", "closed", 10_000),
                _deal("r1", "negotiation", "commit", 5_000, probability=80),
                _deal("r2", "proposal", "best_case", 7_000),
                _deal("r2", "closed_won", "closed", 1_000, currency="USD"),
                _deal("r3", "closed_won", "closed", 4_000),
                _deal("m1", "closed_won", "closed", 2_000),
                _deal(
                    "r3", "closed_won", "closed", 99_999, expected_close_date=dt.date(2027, 1, 1)
                ),
                _deal("r3", "closed_won", "closed", 55_555, deleted_at=NOW),
            ]
            bulk_insert(session, "opportunity", deals, now=NOW)
            quotas = [
                {"user_id": _id(u), "period": p, "amount": a, "currency": "EUR"}
                for u, p, a in [
                    ("r1", "2026-Q4", 20_000),
                    ("r2", "2026-Q4", 10_000),
                    ("r3", "2026-Q4", 8_000),
                    ("m1", "2026-Q4", 5_000),
                    ("r1", "2026-11", 1),
                ]
            ]
            bulk_insert(session, "quota", quotas, now=NOW)
            first = dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC)
            later = first + dt.timedelta(days=14)
            submissions = [
                _submission("r1", first, 9_000),
                _submission(
                    "r1",
                    later,
                    12_000,
                    rep_adjustment=1_000,
                    manager_adjustment=-500,
                    manager_id=_id("m1"),
                    manager_note="prudencia",
                ),
                _submission("r3", first, 3_000, manager_adjustment=500, manager_id=_id("vp")),
                _submission("r2", first, 1, currency="USD"),
            ]
            bulk_insert(session, "forecast_submission", submissions, now=NOW)
            set_meta(session, MetaKey.USER_ID, _id("vp"))
        yield database


def _by_name(review: Any) -> dict[str, Any]:
    return {row.name: row for row in review.rows}


def test_the_team_review_rolls_up_three_levels(team: Database) -> None:
    with team.session() as session:
        review = team_review(session, Q4, DEMO_DAY)
    assert [(r.name, r.depth) for r in review.rows] == [
        ("Vera Pons", 0),
        ("Mario Dos", 1),
        ("Rita Tres", 2),
        ("Marta Uno", 1),
        ("Raúl Dos", 2),
        ("Rosa Uno", 2),
    ]
    rows = _by_name(review)
    vp, m1, r1 = rows["Vera Pons"], rows["Marta Uno"], rows["Rosa Uno"]
    (eur,) = [line for line in vp.team if line.currency == "EUR"]
    assert eur.figures == Figures.from_sums(
        "EUR",
        won=16_000,
        open_commit=5_000,
        open_best_case=7_000,
        weighted_percent=5_000 * 80 + 7_000 * 50,
        won_count=3,
        open_count=2,
    )
    assert [line.currency for line in vp.team] == ["EUR", "USD"]
    assert vp.team[1].figures.closed == 1_000 and vp.team[1].quota is None
    # quotas: Σ members (m1's own quota included)
    assert eur.quota == 43_000 and m1.team[0].quota == 35_000 and vp.own == ()
    assert m1.team[0].attainment_pct == Decimal("34.3") and m1.team[0].gap == 23_000
    # calls: r1's latest (12,000 + 1,000 − 500), r3's 3,000 + 500 (by vp: indirect)
    assert r1.own[0].call == 12_500 and r1.latest[0].adjustment_kind == "direct"
    assert rows["Rita Tres"].latest[0].adjustment_kind == "indirect"
    assert eur.call == 16_000 and m1.team[0].call == 12_500
    assert (vp.members, vp.submitted) == (6, 3)
    assert all(line.accuracy_pct is None for row in review.rows for line in row.team)
    # the drill-down
    with team.session() as session:
        deals = rep_deals(session, _id("r1"), Q4)
    assert [(d.stage, d.weighted) for d in deals] == [
        ("closed_won", Decimal(0)),
        ("negotiation", Decimal(4_000)),
    ]


def test_accuracy_once_the_quarter_has_ended(team: Database) -> None:
    with team.session() as session:
        review = team_review(session, Q4, dt.date(2027, 1, 1))
    rows = _by_name(review)
    assert review.ended
    assert rows["Rosa Uno"].own[0].accuracy_pct == Decimal("75.0")  # 12,500 vs 10,000
    assert rows["Rita Tres"].own[0].accuracy_pct == Decimal("87.5")  # 3,500 vs 4,000
    assert rows["Vera Pons"].team[0].accuracy_pct == Decimal("100.0")  # 16,000 vs 16,000
    assert rows["Raúl Dos"].own[1].accuracy_pct == Decimal("0.1")  # USD: 1 vs 1,000
    assert rows["Marta Uno"].own[0].call is None
    assert rows["Marta Uno"].own[0].accuracy_pct is None


def test_a_rep_sees_themselves_and_an_admin_everyone(team: Database) -> None:
    with team.session() as session:
        set_meta(session, MetaKey.USER_ID, _id("r2"))
        assert [r.name for r in team_review(session, Q4, DEMO_DAY).rows] == ["Raúl Dos"]
        set_meta(session, MetaKey.USER_ID, _id("boss"))
        names = [r.name for r in team_review(session, Q4, DEMO_DAY).rows]
    assert names[0] == "Otra Jefa" and len(names) == 7


def test_the_review_costs_the_same_queries_whatever_the_team(team: Database) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    with team.session() as session:
        session.connection()
        event.listen(team.engine, "before_cursor_execute", count)
        try:
            team_review(session, Q4, DEMO_DAY)
        finally:
            event.remove(team.engine, "before_cursor_execute", count)
    assert len(statements) == 6, statements
    with team.session() as session:
        owned = period_figures(session, Q4)
    assert add_sets(*owned.values())["EUR"].closed == 16_000


def test_the_team_trend_through_the_quarter(team: Database) -> None:
    with team.session() as session:
        trend = team_trend(session, Q4)
        rosa = team_trend(session, Q4, owner_id=_id("r1"))
        set_meta(session, MetaKey.USER_ID, _id("m1"))
        marta = team_trend(session, Q4)
    assert [(p.day, p.call, p.submitted) for p in trend] == [
        (dt.date(2026, 10, 5), {"EUR": 9_000 + 3_500, "USD": 1}, 3),
        (dt.date(2026, 10, 19), {"EUR": 12_500 + 3_500, "USD": 1}, 3),
    ]
    assert [p.call for p in rosa] == [{"EUR": 9_000}, {"EUR": 12_500}]
    assert [p.call for p in marta] == [{"EUR": 9_000, "USD": 1}, {"EUR": 12_500, "USD": 1}]


# --- random deals: SQL against the rules ----------------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    with open_database(tmp_path_factory.mktemp("forecast-scratch") / "sfa.sqlite3") as database:
        yield database


random_deals = st.lists(
    st.fixed_dictionaries(
        {
            "owner_id": st.sampled_from([_id("r1"), _id("r2"), _id("m1")]),
            "stage": st.sampled_from(OPPORTUNITY_STAGES),
            "forecast_category": st.sampled_from(FORECAST_CATEGORIES),
            "amount": st.integers(0, 10**13),
            "currency": st.sampled_from(["EUR", "USD", "JPY"]),
            "probability": st.none() | st.integers(0, 100),
            "expected_close_date": st.none() | st.dates(dt.date(2026, 9, 20), dt.date(2027, 1, 10)),
            "deleted_at": st.none() | st.just(NOW),
        }
    ),
    max_size=30,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(random_deals, st.sampled_from(["2026-Q4", "2026-12", "2026-10", "2027-Q1"]))
def test_sql_figures_match_the_rules_on_any_deals(
    scratch: Database, found: list[dict[str, Any]], text: str
) -> None:
    period = parse_period(text)
    rows = [
        {**deal, "account_id": _id("account"), "name": f"deal {n}", "id": str(uuid.uuid4())}
        for n, deal in enumerate(found)
    ]
    with scratch.session() as session:
        session.execute(delete(Opportunity))
        bulk_insert(session, "opportunity", rows, now=NOW)
        stored = list(session.scalars(select(Opportunity).where(Opportunity.deleted_at.is_(None))))
        assert period_figures(session, period) == figures_by_owner(stored, period)
        session.rollback()
