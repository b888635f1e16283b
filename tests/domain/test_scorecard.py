"""The scorecard's rules: periods, ratios in range, growth's sign, breakdowns adding up to the
totals, a deal's split across families adding up to the deal (Hypothesis), and the tiles'
trend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.scorecard import (
    NO_FAMILY,
    Kpi,
    PeriodFacts,
    ScorePeriod,
    breakdown,
    build_scorecard,
    growth,
    lost,
    new_buyers,
    new_product_since,
    parse_period,
    retention,
    split_by_family,
    within_cadence,
)

accounts = st.frozensets(st.sampled_from([f"a{i}" for i in range(12)]))
amounts = st.dictionaries(st.sampled_from([f"a{i}" for i in range(12)]), st.integers(0, 10**9))
keys = st.dictionaries(
    st.sampled_from([f"a{i}" for i in range(12)]), st.sampled_from(["", "A", "B", "Madrid"])
)
periods = st.builds(
    lambda year, kind, n: ScorePeriod(
        year, kind, {"month": n % 12, "quarter": n % 4, "year": 0}[kind] + 1
    ),
    st.integers(1900, 2200),
    st.sampled_from(["month", "quarter", "year"]),
    st.integers(0, 11),
)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-11", dt.date(2026, 11, 1), dt.date(2026, 11, 30)),
        ("2026-Q4", dt.date(2026, 10, 1), dt.date(2026, 12, 31)),
        ("2026-q1", dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        ("2024", dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
        ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ],
)
def test_periods_are_read(text: str, start: dt.date, end: dt.date) -> None:
    period = parse_period(text)
    assert (period.start, period.end) == (start, end)
    assert str(parse_period(str(period))) == str(period)


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "26", "2026-1", "Q4", "", "2026-00"])
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_period(text)
    assert raised.value.code == "invalid_period"


def test_compared_periods() -> None:
    assert str(parse_period("2026-01").previous()) == "2025-12"
    assert str(parse_period("2026-Q1").compared("previous")) == "2025-Q4"
    assert str(parse_period("2026-Q3").compared("last_year")) == "2025-Q3"
    assert str(parse_period("2026").compared("previous")) == "2025"
    assert new_product_since(parse_period("2026-Q4")) == dt.date(2026, 1, 1)
    assert new_product_since(parse_period("2026-03")) == dt.date(2025, 4, 1)


@given(periods, st.integers(-30, 30))
def test_shifting_moves_whole_periods(period: ScorePeriod, steps: int) -> None:
    moved = period.shifted(steps)
    assert moved.kind == period.kind
    assert moved.shifted(-steps) == period
    assert period.previous().end + dt.timedelta(days=1) == period.start


@given(accounts, accounts)
def test_retention_is_a_share_and_lost_plus_kept_is_the_previous(
    now: frozenset[str], before: frozenset[str]
) -> None:
    kept = retention(now, before)
    if not before:
        assert kept is None
        return
    assert kept is not None and 0 <= kept <= 1
    assert len(lost(now, before)) + len(now & before) == len(before)
    assert (kept == 1) == (not lost(now, before))


@given(st.integers(0, 10**9), st.integers(0, 10**9))
def test_growth_has_the_sign_of_the_change(now: int, before: int) -> None:
    change = growth(now, before)
    if before == 0:
        assert change is None
    else:
        assert change is not None
        assert (change > 0) == (now > before) and (change < 0) == (now < before)
        assert change >= -1


@given(amounts, amounts, keys)
def test_a_breakdown_adds_up_to_the_totals(
    now: dict[str, int], before: dict[str, int], key_of: dict[str, str]
) -> None:
    rows = breakdown(now, before, key_of)
    assert sum(r.sales for r in rows) == sum(now.values())
    assert sum(r.compared_sales for r in rows) == sum(before.values())
    assert sum(r.buyers for r in rows) == len(now)
    assert len({r.key for r in rows}) == len(rows)
    assert [r.sales for r in rows] == sorted((r.sales for r in rows), reverse=True)


@given(
    st.integers(0, 10**10),
    st.dictionaries(
        st.sampled_from(["", "x", "y", "z"]),
        st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False),
    ),
)
def test_a_deal_split_across_families_adds_up_to_the_deal(
    amount: int, nets: dict[str, Decimal]
) -> None:
    parts = split_by_family(amount, nets)
    assert sum(parts.values()) == amount
    assert all(part >= 0 for part in parts.values())
    if not any(n > 0 for n in nets.values()):
        assert parts == {NO_FAMILY: amount}


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(-5, 400)),
            st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2026, 12, 31))),
        )
    )
)
def test_within_cadence_is_a_part_of_the_counted(
    rows: list[tuple[int | None, dt.date | None]],
) -> None:
    within, counted = within_cadence(rows, dt.date(2026, 12, 31))
    assert 0 <= within <= counted == sum(1 for c, _d in rows if c is not None and c > 0)


def test_new_buyers_are_those_whose_first_purchase_is_in_the_period() -> None:
    first = {"a": dt.date(2026, 10, 3), "b": dt.date(2025, 1, 1)}
    assert new_buyers({"a", "b", "c"}, first, dt.date(2026, 10, 1)) == {"a"}


def _facts(period: str, sales: dict[str, int]) -> PeriodFacts:
    total = Decimal(sum(sales.values()))
    return PeriodFacts(
        period=parse_period(period),
        sales=sales,
        deals_won=len(sales),
        family_sales={NO_FAMILY: total},
        new_product_sales=Decimal(0),
        days_to_close=(),
        quotes_accepted=0,
        quotes_decided=0,
        visits_done=0,
        visits_with_outcome=0,
        cadence=(0, 0),
    )


@given(amounts, amounts, keys)
def test_every_ratio_of_the_scorecard_is_between_0_and_1(
    now: dict[str, int], before: dict[str, int], tiers: dict[str, str]
) -> None:
    card = build_scorecard(
        _facts("2026-Q4", now),
        _facts("2026-Q3", before),
        compare="previous",
        currency="EUR",
        first_purchase={},
        tiers=tiers,
        zones={},
        channels={},
        potential_known=(1, 2),
        key_tier="A",
    )
    for kpi in card.kpis:
        if kpi.unit == "ratio" and not kpi.is_change:
            for value in (kpi.value, kpi.compared):
                assert value is None or 0 <= value <= 1, kpi
    for rows in card.breakdowns.values():
        assert sum(r.sales for r in rows) == sum(now.values())


def test_the_trend_follows_what_is_better() -> None:
    assert Kpi("sales", "financial", "money", Decimal(2), Decimal(1)).trend == 1
    assert Kpi("days", "internal", "days", Decimal(2), Decimal(1), False).trend == -1
    assert Kpi("g", "financial", "ratio", Decimal("-0.2"), None, True, True).trend == -1
    assert Kpi("x", "customer", "count", Decimal(1), None).trend == 0
