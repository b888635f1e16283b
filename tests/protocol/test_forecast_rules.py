"""The forecast rules (sync_server.protocol.forecast_rules): periods, figures, roll-up, calls,
accuracy."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync_server.protocol.catalog import (
    FORECAST_CATEGORIES,
    OPPORTUNITY_STAGES,
    STAGE_DEFAULT_PROBABILITY,
)
from sync_server.protocol.forecast_rules import (
    Adjustment,
    Call,
    Figures,
    Period,
    Person,
    Snapshot,
    TeamNode,
    add_amounts,
    add_sets,
    adjustment_kind,
    attainment_pct,
    call_trend,
    deal_bucket,
    figures_by_owner,
    forecast_accuracy,
    gap_to_quota,
    kind_of,
    layered,
    parse_period,
    period_ended,
    roll_up,
    standing_adjustments,
)
from sync_server.protocol.rejections import ValueRejected

Q4 = parse_period("2026-Q4")


@dataclass(frozen=True)
class D:
    owner_id: str
    stage: str
    forecast_category: str
    amount: int
    currency: str = "EUR"
    probability: int | None = None
    expected_close_date: dt.date | None = dt.date(2026, 11, 15)


# --- periods -------------------------------------------------------------------------------------


def test_periods_parse_format_and_bounds() -> None:
    december = parse_period("2026-12")
    assert december == Period("month", 2026, 12) and str(december) == "2026-12"
    assert (december.start, december.end) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert str(december.next()) == "2027-01" and str(december.previous()) == "2026-11"
    assert parse_period(" 2026-q4 ") == Q4 and str(Q4) == "2026-Q4"
    assert (Q4.start, Q4.end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert str(Q4.next()) == "2027-Q1" and str(Q4.previous()) == "2026-Q3"
    assert [str(m) for m in Q4.months()] == ["2026-10", "2026-11", "2026-12"]
    assert parse_period("2028-02").end == dt.date(2028, 2, 29)
    assert Period.of(dt.date(2026, 12, 6), "quarter") == Q4
    assert period_ended(Q4, dt.date(2027, 1, 1)) and not period_ended(Q4, dt.date(2026, 12, 31))


@pytest.mark.parametrize(
    "text", ["", "2026", "2026-13", "2026-00", "2026-Q5", "2026-Q0", "26-12", "2026-1", "0000-01"]
)
def test_a_bad_period_is_refused_with_its_code(text: str) -> None:
    with pytest.raises(ValueRejected) as refused:
        parse_period(text)
    assert refused.value.code == "invalid_period" and refused.value.params["value"] == text


periods = st.builds(
    lambda kind, year, n: Period(kind, year, n if kind == "month" else (n - 1) // 3 + 1),
    st.sampled_from(["month", "quarter"]),
    st.integers(2, 9998),
    st.integers(1, 12),
)


@given(periods, st.integers(0, 400))
def test_periods_tile_the_calendar(period: Period, offset: int) -> None:
    assert parse_period(str(period)) == period
    assert period.next().previous() == period == period.previous().next()
    assert period.next().start == period.end + dt.timedelta(days=1)
    day = period.start + dt.timedelta(days=offset)
    assert period.contains(day) == (day <= period.end)
    assert Period.of(period.start, period.kind) == Period.of(period.end, period.kind) == period
    months = period.months()
    assert months[0].start == period.start and months[-1].end == period.end


# --- figures -------------------------------------------------------------------------------------


def test_figures_of_a_period_follow_the_buckets() -> None:
    deals = [
        D("ana", "closed_won", "closed", 1000),
        D("ana", "closed_won", "omitted", 500),  # won is won
        D("ana", "closed_lost", "closed", 9999),
        D("ana", "negotiation", "commit", 2000, probability=80),
        D("ana", "proposal", "best_case", 3000),  # stage default 50 %
        D("ana", "qualification", "pipeline", 4000),  # default 20 %
        D("ana", "prospecting", "closed", 100),  # an open deal marked closed: pipeline
        D("ana", "prospecting", "omitted", 7777),
        D("ana", "negotiation", "commit", 5555, expected_close_date=dt.date(2027, 1, 2)),
        D("ana", "negotiation", "commit", 4444, expected_close_date=None),
        D("ana", "proposal", "commit", 10, currency="USD", probability=33),
    ]
    figures = figures_by_owner(deals, Q4)["ana"]
    eur = figures["EUR"]
    assert (eur.closed, eur.commit, eur.best_case, eur.pipeline) == (1500, 3500, 6500, 9100)
    assert eur.weighted == Decimal(2000 * 80 + 3000 * 50 + 4000 * 20 + 100 * 10) / 100
    assert (eur.won_count, eur.open_count) == (2, 4)
    assert figures["USD"] == Figures("USD", 0, 10, 10, 10, Decimal("3.3"), 0, 1)
    assert deal_bucket("closed_lost", "commit") is None
    with pytest.raises(ValueError, match="cannot add"):
        _ = eur + figures["USD"]


deals = st.builds(
    D,
    owner_id=st.sampled_from(["a", "b", "c", "d", "e"]),
    stage=st.sampled_from(OPPORTUNITY_STAGES),
    forecast_category=st.sampled_from(FORECAST_CATEGORIES),
    amount=st.integers(0, 10**12),
    currency=st.sampled_from(["EUR", "USD"]),
    probability=st.none() | st.integers(0, 100),
    expected_close_date=st.none() | st.dates(dt.date(2026, 9, 1), dt.date(2027, 1, 31)),
)


@given(st.lists(deals, max_size=40))
def test_figures_are_exact_and_ordered(found: list[D]) -> None:
    for currency in ("EUR", "USD"):
        mine = [
            d
            for d in found
            if d.currency == currency
            and d.expected_close_date
            and Q4.contains(d.expected_close_date)
        ]
        total = add_sets(*figures_by_owner(mine, Q4).values()).get(currency, Figures(currency))
        open_deals = [
            d for d in mine if deal_bucket(d.stage, d.forecast_category) not in (None, "won")
        ]
        weighted = sum(
            (
                Fraction(
                    d.amount
                    * (
                        d.probability
                        if d.probability is not None
                        else STAGE_DEFAULT_PROBABILITY[d.stage]
                    ),
                    100,
                )
                for d in open_deals
            ),
            Fraction(0),
        )
        assert Fraction(total.weighted) == weighted
        assert total.closed == sum(d.amount for d in mine if d.stage == "closed_won")
        assert 0 <= total.closed <= total.commit <= total.best_case
        assert total.best_case - total.closed <= total.pipeline
        assert total.weighted <= total.pipeline


# --- the roll-up ---------------------------------------------------------------------------------


@st.composite
def teams(draw: st.DrawFn) -> tuple[list[Person], list[D]]:
    """A random forest of up to 12 people with deals, quotas, calls and a few overrides."""
    size = draw(st.integers(1, 12))
    ids = [f"u{i:02d}" for i in range(size)]
    people: list[Person] = []
    for index, user in enumerate(ids):
        manager = draw(st.none() | st.sampled_from(ids[:index])) if index else None
        money = st.dictionaries(st.sampled_from(["EUR", "USD"]), st.integers(0, 10**9), max_size=2)
        signed = st.dictionaries(
            st.sampled_from(["EUR", "USD"]), st.integers(-(10**8), 10**9), max_size=2
        )
        people.append(
            Person(
                user,
                manager,
                sort_key=draw(st.sampled_from(["Ana", "Luis", "Eva"])),
                quota=draw(money),
                team_quota=draw(money) if draw(st.booleans()) and draw(st.booleans()) else {},
                call=draw(signed),
                team_adjustment=draw(signed) if draw(st.booleans()) else {},
            )
        )
    found = draw(st.lists(st.tuples(deals, st.sampled_from(ids)), max_size=30))
    return people, [replace(deal, owner_id=owner) for deal, owner in found]


def _with_figures(people: list[Person], found: list[D]) -> list[Person]:
    owned = figures_by_owner(found, Q4)
    return [replace(p, figures=owned.get(p.user_id, {})) for p in people]


def _subtree_ids(node: TeamNode) -> set[str]:
    return {n.person.user_id for n in node.walk()}


@settings(max_examples=150)
@given(teams(), st.randoms(use_true_random=False))
def test_a_team_is_the_sum_of_its_members_in_any_order(
    team: tuple[list[Person], list[D]], rnd
) -> None:  # type: ignore[no-untyped-def]
    people, found = team
    forest = roll_up(_with_figures(people, found))
    shuffled_people, shuffled_deals = people[:], found[:]
    rnd.shuffle(shuffled_people)
    rnd.shuffle(shuffled_deals)
    assert roll_up(_with_figures(shuffled_people, shuffled_deals)) == forest
    assert sorted(n.person.user_id for root in forest for n in root.walk()) == sorted(
        p.user_id for p in people
    )
    for root in forest:
        for node in root.walk():
            members = _subtree_ids(node)
            theirs = [d for d in found if d.owner_id in members]
            assert node.figures == add_sets(*figures_by_owner(theirs, Q4).values())
            assert node.members == len(members)
            assert node.submitted == sum(1 for p in people if p.user_id in members and p.call)
            # the team quota: Σ members' unless set explicitly (per currency)
            summed = add_amounts(node.person.quota, *(c.quota for c in node.children))
            for currency in {*summed, *node.person.team_quota}:
                expected = node.person.team_quota.get(currency, summed.get(currency))
                assert node.quota.get(currency) == expected
            if (
                not any(c.quota for c in node.walk() if c is not node)
                and not node.person.team_quota
            ):
                assert node.quota == dict(node.person.quota)
            # calls layered: Σ members' final calls + every team adjustment in the team
            layers = [n.person.call for n in node.walk()] + [
                n.person.team_adjustment for n in node.walk()
            ]
            assert node.call == add_amounts(*layers)


def test_roll_up_cuts_cycles_and_takes_roots() -> None:
    people = [
        Person("vp", None, "A", quota={"EUR": 100}),
        Person("m1", "vp", "B", quota={"EUR": 10}, team_quota={"EUR": 50}),
        Person("r1", "m1", "C", quota={"EUR": 20}, call={"EUR": 7}),
        Person("r2", "m1", "D", quota={"EUR": 30}),
        Person("x", "y", "E"),
        Person("y", "x", "F"),
    ]
    (tree,) = roll_up(people, roots=["vp", "nobody"])
    assert [(n.person.user_id, n.depth) for n in tree.walk()] == [
        ("vp", 0),
        ("m1", 1),
        ("r1", 2),
        ("r2", 2),
    ]
    assert tree.children[0].quota == {"EUR": 50} and tree.quota == {"EUR": 150}
    assert tree.call == {"EUR": 7} and tree.submitted == 1 and tree.is_manager
    (cycle,) = roll_up(people, roots=["x"])
    assert [n.person.user_id for n in cycle.walk()] == ["x", "y"]
    assert [r.person.user_id for r in roll_up(people)] == ["vp"]


# --- quota, calls, accuracy ----------------------------------------------------------------------


def test_attainment_and_gap() -> None:
    assert attainment_pct(1, 3) == Decimal("33.3") and attainment_pct(2, 3) == Decimal("66.7")
    assert attainment_pct(5, 0) is None and attainment_pct(5, None) is None
    assert attainment_pct(300, 200) == Decimal("150.0")
    assert gap_to_quota(150, 200) == 50 and gap_to_quota(250, 200) == -50
    assert gap_to_quota(1, None) is None


@given(
    st.integers(-(10**12), 10**12),
    st.none() | st.integers(-(10**11), 10**11),
    st.none() | st.integers(-(10**11), 10**11),
)
def test_calls_are_layered(commit: int, rep: int | None, manager: int | None) -> None:
    call = Call("EUR", commit, rep, manager, "boss" if manager is not None else None)
    assert call.rep_call == commit + (rep or 0)
    assert call.final_call == call.rep_call + (manager or 0)
    assert adjustment_kind(call, "boss") == (None if manager is None else "direct")
    assert adjustment_kind(call, "other") == (None if manager is None else "indirect")


@given(st.integers(-(10**15), 10**15), st.integers(0, 10**15))
def test_accuracy_is_between_0_and_100_and_100_only_when_exact(forecast: int, actual: int) -> None:
    accuracy = forecast_accuracy(forecast, actual)
    assert Decimal(0) <= accuracy <= Decimal(100)
    assert (accuracy == 100) == (forecast == actual)
    assert accuracy.as_tuple().exponent == -1  # always one decimal
    if actual and abs(forecast - actual) >= actual:
        assert accuracy == 0


def test_accuracy_examples() -> None:
    assert forecast_accuracy(90, 100) == Decimal("90.0")
    assert forecast_accuracy(110, 100) == Decimal("90.0")
    assert forecast_accuracy(250, 100) == Decimal(0)
    assert forecast_accuracy(0, 0) == 100 and forecast_accuracy(5, 0) == 0
    assert forecast_accuracy(2, 3) == Decimal("66.6")  # truncated, never rounded up


snapshots = st.builds(
    Snapshot,
    owner_id=st.sampled_from(["a", "b", "c"]),
    currency=st.sampled_from(["EUR", "USD"]),
    submitted_at=st.datetimes(dt.datetime(2026, 10, 1), dt.datetime(2026, 10, 20)),
    call=st.integers(-(10**9), 10**9),
    best_case=st.integers(0, 10**9),
)


@given(st.lists(snapshots, max_size=25))
def test_the_trend_sums_the_calls_standing_each_day(found: list[Snapshot]) -> None:
    trend = call_trend(found)
    days = [p.day for p in trend]
    assert days == sorted(set(days)) == sorted({s.submitted_at.date() for s in found})
    for point in trend:
        standing: dict[tuple[str, str], Snapshot] = {}
        for snapshot in sorted(found, key=lambda s: (s.submitted_at, s.owner_id, s.currency)):
            if snapshot.submitted_at.date() <= point.day:
                standing[snapshot.owner_id, snapshot.currency] = snapshot
        expected = add_amounts(*({s.currency: s.call} for s in standing.values()))
        assert point.call == expected
        assert point.submitted == len({owner for owner, _ in standing})
    assert [p.submitted for p in trend] == sorted(p.submitted for p in trend)


# --- adjustments, layered ------------------------------------------------------------------------

_T0 = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
adjustments = st.builds(
    Adjustment,
    owner_id=st.sampled_from(["rosa", "raul"]),
    currency=st.sampled_from(["EUR", "USD"]),
    amount=st.integers(-(10**9), 10**9),
    adjusted_by=st.sampled_from(["marta", "vera", "admin"]),
    adjusted_at=st.integers(0, 50).map(lambda h: _T0 + dt.timedelta(hours=h)),
    scope=st.sampled_from(["rep", "team"]),
    id=st.uuids().map(str),
)


def _naive_layers(
    found: list[Adjustment], before: dt.datetime | None = None
) -> dict[tuple[str, str], dict[str, int]]:
    """The rule spelled out: for each owner, scope, currency and manager, the adjustment made
    last (before ``before``) counts; the managers' add up."""
    latest: dict[tuple[str, str, str, str], Adjustment] = {}
    for item in found:
        if before is not None and item.adjusted_at >= before:
            continue
        key = (item.owner_id, item.scope, item.currency, item.adjusted_by)
        if key not in latest or (item.adjusted_at, item.id) > (
            latest[key].adjusted_at,
            latest[key].id,
        ):
            latest[key] = item
    total: dict[tuple[str, str], dict[str, int]] = {}
    for (owner, scope, currency, _by), item in latest.items():
        mine = total.setdefault((owner, scope), {})
        mine[currency] = mine.get(currency, 0) + item.amount
    return total


@given(st.lists(adjustments, max_size=30), st.randoms(use_true_random=False))
def test_each_managers_latest_adjustment_counts_in_any_order(
    found: list[Adjustment], shuffler: random.Random
) -> None:
    shuffled = list(found)
    shuffler.shuffle(shuffled)
    assert layered(shuffled) == layered(found) == _naive_layers(found)
    standing = standing_adjustments(shuffled)
    # one per manager and target, oldest first, and every one of them was made
    keys = [(a.owner_id, a.scope, a.currency, a.adjusted_by) for a in standing]
    assert len(keys) == len(set(keys)) and all(a in found for a in standing)
    assert standing == sorted(standing, key=lambda a: (a.adjusted_at, a.id))


@given(st.lists(adjustments, max_size=30), st.integers(0, 52))
def test_adjustments_made_later_do_not_count_yet(found: list[Adjustment], hours: int) -> None:
    before = _T0 + dt.timedelta(hours=hours)
    earlier = [a for a in found if a.adjusted_at < before]
    assert standing_adjustments(found, before=before) == standing_adjustments(earlier)
    total: dict[tuple[str, str], dict[str, int]] = {}
    for item in standing_adjustments(found, before=before):
        mine = total.setdefault((item.owner_id, item.scope), {})
        mine[item.currency] = mine.get(item.currency, 0) + item.amount
    assert total == _naive_layers(found, before)


@given(st.lists(adjustments, max_size=20), st.integers(0, 10**9), st.integers(-(10**6), 10**6))
def test_the_final_call_is_the_rep_call_plus_the_layers(
    found: list[Adjustment], commit: int, rep: int
) -> None:
    layers = layered(found).get(("rosa", "rep"), {})
    call = Call("EUR", commit, rep, layers.get("EUR"), "marta")
    assert call.final_call == commit + rep + layers.get("EUR", 0)
    # a team's call: the members' calls plus the standing team adjustments on it
    team = layered(found).get(("rosa", "team"), {})
    person = Person("rosa", call={"EUR": call.final_call}, team_adjustment=team)
    (node,) = roll_up([person])
    assert node.call == add_amounts({"EUR": call.final_call}, team)


def test_direct_or_indirect() -> None:
    assert kind_of("marta", "marta") == "direct"
    assert kind_of("vera", "marta") == "indirect"
    assert kind_of("vera", None) == "indirect"
    assert kind_of(None, "marta") is None
