"""The Pipeline's reads on a real demo profile (issue 11): the board's columns and totals, the
deals list, and every combination of its filters checked against the deals read plainly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from sfa_desktop.domain.opportunity_stages import CLOSED_STAGES
from sfa_desktop.services.current_user import current_user_id
from sfa_desktop.services.opportunities import stage_facts_for
from sfa_desktop.services.pipeline import (
    CLOSE_PERIODS,
    DEAL_SORT_KEYS,
    MAIN_CURRENCY,
    OPEN_STAGES,
    RECENTLY_CLOSED_DAYS,
    STALLED_DAYS,
    PipelineFilters,
    count_deals,
    list_deals,
    pipeline_board,
    pipeline_by_stage,
)
from sfa_desktop.store.database import Database
from sfa_desktop.store.models.reference import User
from sfa_desktop.store.models.sales import Opportunity
from sync_server.protocol.catalog import FORECAST_CATEGORIES
from sync_server.protocol.forecast_rules import Period, deal_probability

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-pipeline"), accounts=60, today=TODAY)


@pytest.fixture(scope="module")
def demo(demo_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path_factory.mktemp("pipeline-copy"))


def _deals(demo: Database) -> list[Opportunity]:
    with demo.session() as session:
        rows = list(session.scalars(select(Opportunity).where(Opportunity.deleted_at.is_(None))))
        session.expunge_all()
        return rows


def _team(demo: Database) -> tuple[str, set[str]]:
    """The signed-in user and everyone at or below them in the manager tree."""
    with demo.session() as session:
        me = current_user_id(session)
        assert me is not None
        managers = {
            row.id: row.manager_id for row in session.execute(select(User.id, User.manager_id))
        }
    team = {me}
    grew = True
    while grew:
        below = {u for u, m in managers.items() if m in team} - team
        team |= below
        grew = bool(below)
    return me, team


def _matches(
    deal: Opportunity, filters: PipelineFilters, me: str, team: set[str], age: int
) -> bool:
    """The filters, read plainly from their documentation."""
    owner = filters.owner
    if owner == "mine" and deal.owner_id != me:
        return False
    if owner == "team" and deal.owner_id not in team:
        return False
    if owner not in (None, "mine", "team") and deal.owner_id != owner:
        return False
    close = deal.expected_close_date
    if filters.close_period == "overdue":
        if close is None or close >= TODAY or deal.stage in CLOSED_STAGES:
            return False
    elif filters.close_period is not None:
        quarter = Period.of(TODAY, "quarter")
        period = {
            "this_month": Period.of(TODAY, "month"),
            "this_quarter": quarter,
            "next_quarter": quarter.next(),
        }[filters.close_period]
        if close is None or not period.contains(close):
            return False
    if (
        filters.forecast_category is not None
        and deal.forecast_category != filters.forecast_category
    ):
        return False
    return filters.stalled_days is None or age > filters.stalled_days


def test_the_board_has_every_open_deal_and_exact_totals(demo: Database) -> None:
    deals = _deals(demo)
    with demo.session() as session:
        board = pipeline_board(session, PipelineFilters(), today=TODAY, now=NOW)
    assert [c.stage for c in board.columns] == [*OPEN_STAGES, "closed_won", "closed_lost"]
    for column in board.columns:
        expected = [d for d in deals if d.stage == column.stage]
        if column.stage in CLOSED_STAGES:
            since = TODAY - dt.timedelta(days=RECENTLY_CLOSED_DAYS)
            expected = [
                d for d in expected if d.expected_close_date and d.expected_close_date >= since
            ]
        assert {d.id for d in column.deals} == {d.id for d in expected}
        assert column.count == len(expected)
        assert [t.currency for t in column.totals][:1] in ([], [MAIN_CURRENCY]) or (
            MAIN_CURRENCY not in {d.currency for d in expected}
        )
        for total in column.totals:
            mine = [d for d in expected if d.currency == total.currency]
            assert total.amount == sum(d.amount for d in mine)
            assert total.weighted == sum(
                (
                    Decimal(d.amount * deal_probability(d.stage, d.probability)).scaleb(-2)
                    for d in mine
                ),
                Decimal(0),
            )
        dates = [d.expected_close_date for d in column.deals if d.expected_close_date]
        assert dates == sorted(dates)


def test_pipeline_by_stage_is_unchanged_by_the_board(demo: Database) -> None:
    with demo.session() as session:
        totals = pipeline_by_stage(session, None)
    deals = _deals(demo)
    assert sum(t.count for t in totals) == len(deals)


def test_every_sort_key_orders_the_list(demo: Database) -> None:
    with demo.session() as session:
        total = count_deals(session, today=TODAY, now=NOW)
        for key in DEAL_SORT_KEYS:
            for descending in (False, True):
                rows = list_deals(
                    session, today=TODAY, now=NOW, sort=key, descending=descending, limit=500
                )
                assert len(rows) == total
        ages = [
            r.age_in_stage_days
            for r in list_deals(
                session, today=TODAY, now=NOW, sort="age_in_stage", descending=True, limit=500
            )
        ]
        assert ages == sorted(ages, reverse=True)
        amounts = [
            r.amount for r in list_deals(session, today=TODAY, now=NOW, sort="amount", limit=500)
        ]
        assert amounts == sorted(amounts)
        with pytest.raises(ValueError, match="unknown sort key"):
            list_deals(session, today=TODAY, now=NOW, sort="nope")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    owner=st.sampled_from([None, "mine", "team", "person"]),
    period=st.sampled_from([None, *CLOSE_PERIODS]),
    category=st.sampled_from([None, *FORECAST_CATEGORIES]),
    stalled=st.sampled_from([None, 0, *STALLED_DAYS]),
)
def test_the_filters_pick_exactly_the_deals_they_say(
    demo: Database, owner: str | None, period: str | None, category: str | None, stalled: int | None
) -> None:
    me, team = _team(demo)
    if owner == "person":
        owner = sorted(team - {me})[0] if len(team) > 1 else me
    filters = PipelineFilters(owner, period, category, stalled)
    deals = _deals(demo)
    with demo.session() as session:
        ages = {
            k: f.age_in_stage_days
            for k, f in stage_facts_for(session, [d.id for d in deals], now=NOW).items()
        }
        listed = list_deals(
            session,
            today=TODAY,
            now=NOW,
            owner=owner,
            close_period=period,
            forecast_category=category,
            stalled_days=stalled,
            limit=1000,
        )
        counted = count_deals(
            session,
            today=TODAY,
            now=NOW,
            owner=owner,
            close_period=period,
            forecast_category=category,
            stalled_days=stalled,
        )
        board = pipeline_board(session, filters, today=TODAY, now=NOW)
    expected = {
        d.id
        for d in deals
        if d.stage not in CLOSED_STAGES and _matches(d, filters, me, team, ages[d.id])
    }
    assert {r.id for r in listed} == expected, filters
    assert counted == len(expected)
    assert {r.id: r.age_in_stage_days for r in listed} == {i: ages[i] for i in expected}
    on_board = {d.id for c in board.columns if c.stage in OPEN_STAGES for d in c.deals}
    assert on_board == expected


def test_bad_filters_are_refused() -> None:
    with pytest.raises(ValueError, match="close period"):
        PipelineFilters(close_period="someday")
    with pytest.raises(ValueError, match="forecast category"):
        PipelineFilters(forecast_category="maybe")
