"""A day's route with appointment times: fixed times kept, others inserted, never worse."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfa_desktop.domain.day_route import (
    RouteSettings,
    TimedStop,
    plan_day,
    time_order_routes,
)
from sfa_desktop.domain.errors import ValidationError

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, max_examples=60)
START = (40.4168, -3.7038)
NEAR = st.tuples(
    st.integers(40_300, 40_500).map(lambda v: v / 1000),
    st.integers(-3_800, -3_600).map(lambda v: v / 1000),
)


@st.composite
def days(draw: st.DrawFn) -> list[TimedStop]:
    count = draw(st.integers(0, 9))
    stops = []
    for i in range(count):
        lat, lon = draw(NEAR)
        sort = draw(st.sampled_from(["fixed", "window", "flexible"]))
        duration = draw(st.integers(5, 45))
        if sort == "fixed":
            stops.append(TimedStop(f"s{i}", lat, lon, duration, at=draw(st.integers(420, 1080))))
        elif sort == "window":
            low = draw(st.integers(480, 900))
            high = low + draw(st.integers(0, 240))
            stops.append(TimedStop(f"s{i}", lat, lon, duration, window=(low, high)))
        else:
            stops.append(TimedStop(f"s{i}", lat, lon, duration))
    return stops


def _plan_score(
    plan_stops: list[TimedStop], start: tuple[float, float] | None
) -> tuple[int, int, float, float]:
    """(late, unfit, late minutes, km) of visiting ``plan_stops`` in exactly that order."""
    from sfa_desktop.domain.day_route import _Day, _states  # the same measure as the planner

    day = _Day(start, plan_stops, RouteSettings())
    final = _states(day, list(range(1, len(plan_stops) + 1)))[-1]
    return final[0], final[1], final[2], day.km(list(range(1, len(plan_stops) + 1)))


@DETERMINISTIC
@given(days(), st.booleans())
def test_fixed_times_keep_their_time_and_order(stops: list[TimedStop], with_start: bool) -> None:
    plan = plan_day(START if with_start else None, stops)
    assert sorted(p.stop.key for p in plan.stops) == sorted(s.key for s in stops)
    fixed = [p.stop for p in plan.stops if p.stop.fixed]
    assert [s.at for s in fixed] == sorted(s.at for s in fixed)  # type: ignore[type-var]
    by_key = {s.key: s for s in stops}
    assert all(p.stop is by_key[p.stop.key] for p in plan.stops)  # times never change


@DETERMINISTIC
@given(days(), st.booleans())
def test_never_worse_than_time_order(stops: list[TimedStop], with_start: bool) -> None:
    start = START if with_start else None
    plan = plan_day(start, stops)
    mine = _plan_score([p.stop for p in plan.stops], start)
    for baseline in time_order_routes(stops):
        theirs = _plan_score(baseline, start)
        if mine[:2] == theirs[:2] and abs(mine[2] - theirs[2]) < 1e-6:
            assert mine[3] <= theirs[3] + 1e-9
        elif mine[:2] == theirs[:2]:
            assert mine[2] < theirs[2]
        else:
            assert mine[:2] < theirs[:2]
        if theirs[:3] == (0, 0, 0.0):  # time order on time: the suggestion is too, and shorter
            assert not plan.late and not plan.unfit
            assert plan.total_km <= theirs[3] + 1e-9


@DETERMINISTIC
@given(days(), st.booleans())
def test_arrivals_are_on_time_unless_reported(stops: list[TimedStop], with_start: bool) -> None:
    plan = plan_day(START if with_start else None, stops)
    for planned in plan.stops:
        assert planned.arrival is not None
        limit = planned.stop.at if planned.stop.fixed else None
        if planned.stop.window is not None:
            limit = planned.stop.window[1]
        if limit is not None and not planned.late:
            assert planned.arrival <= limit + 1e-6
        if planned.late:
            assert limit is not None
            assert planned.arrival == pytest.approx(limit + planned.late_by)


@DETERMINISTIC
@given(days())
def test_fixed_stops_on_time_alone_stay_on_time(stops: list[TimedStop]) -> None:
    fixed_only = [s for s in stops if s.fixed]
    if plan_day(START, fixed_only).late:
        return
    plan = plan_day(START, stops)
    assert not [p for p in plan.stops if p.stop.fixed and p.late]


@DETERMINISTIC
@given(days())
def test_deterministic(stops: list[TimedStop]) -> None:
    assert plan_day(START, stops) == plan_day(START, list(stops))


def test_flexible_visit_goes_between_appointments_on_the_way() -> None:
    # 09:00 in the west, 12:00 in the east; the flexible one is halfway: between them.
    west = TimedStop("west", 40.40, -3.80, 30, at=9 * 60)
    east = TimedStop("east", 40.40, -3.60, 30, at=12 * 60)
    middle = TimedStop("middle", 40.40, -3.70, 30)
    plan = plan_day((40.40, -3.85), [east, middle, west])
    assert [p.stop.key for p in plan.stops] == ["west", "middle", "east"]
    assert not plan.late and not plan.unfit
    arrival = plan.stops[1].arrival
    assert arrival is not None and 9 * 60 + 30 < arrival < 12 * 60


def test_travel_time_from_road_factor_and_speed() -> None:
    assert RouteSettings().travel_minutes(50) == pytest.approx(78.0)  # 50 × 1.3 / 50 km/h
    assert RouteSettings(road_factor=1.0, speed_kmh=60).travel_minutes(30) == pytest.approx(30)


def test_unreachable_appointment_is_reported_late() -> None:
    madrid = TimedStop("madrid", 40.4168, -3.7038, 30, at=9 * 60)
    barcelona = TimedStop("barcelona", 41.3874, 2.1686, 30, at=10 * 60)
    plan = plan_day(None, [barcelona, madrid])
    assert [p.stop.key for p in plan.stops] == ["madrid", "barcelona"]
    assert [p.stop.key for p in plan.late] == ["barcelona"]
    assert plan.stops[0].arrival == 9 * 60 and plan.stops[0].leg_km == 0


def test_flexible_visit_that_does_not_fit_the_day_is_reported() -> None:
    busy = TimedStop("busy", 40.40, -3.70, 9 * 60, at=8 * 60)  # 08:00-17:00
    extra = TimedStop("extra", 40.41, -3.70, 90)
    plan = plan_day(None, [busy, extra])
    assert [p.stop.key for p in plan.unfit] == ["extra"]
    assert [p.stop.key for p in plan.stops] == ["busy", "extra"]


def test_unlocated_stops_come_last_in_time_order() -> None:
    plan = plan_day(
        None,
        [
            TimedStop("b", None, None, at=600),
            TimedStop("a", None, 1, at=500),
            TimedStop("x", 40, -3),
        ],
    )
    assert [p.stop.key for p in plan.stops] == ["x", "a", "b"]
    assert [p.position for p in plan.stops] == [1, None, None]


@pytest.mark.parametrize(
    "changes",
    [
        {"road_factor": 0.5},
        {"speed_kmh": 0},
        {"day_start": 600, "day_end": 500},
        {"speed_kmh": float("nan")},
    ],
)
def test_bad_settings_are_refused(changes: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        RouteSettings(**changes)


def test_a_full_day_of_forty_stops_keeps_the_rules() -> None:
    """A rep's busiest day: 12 appointments, 8 windows, 20 flexible visits in one city."""
    stops: list[TimedStop] = []
    for i in range(40):
        lat, lon = 40.35 + (i * 37 % 100) / 1000, -3.75 + (i * 61 % 100) / 1000
        if i % 10 < 3:
            stops.append(TimedStop(f"s{i}", lat, lon, 20, at=8 * 60 + 45 * (i // 10 * 3 + i % 10)))
        elif i % 5 == 3:
            stops.append(TimedStop(f"s{i}", lat, lon, 10, window=(9 * 60 + i * 5, 13 * 60 + i * 5)))
        else:
            stops.append(TimedStop(f"s{i}", lat, lon, 10))
    plan = plan_day(START, stops)
    assert len(plan.stops) == 40 and plan == plan_day(START, stops)
    fixed = [p.stop.at for p in plan.stops if p.stop.fixed]
    assert fixed == sorted(fixed)  # type: ignore[type-var]
    for baseline in time_order_routes(stops):
        theirs = _plan_score(baseline, START)
        mine = _plan_score([p.stop for p in plan.stops], START)
        assert mine[:2] <= theirs[:2]
        if mine[:2] == theirs[:2] and abs(mine[2] - theirs[2]) < 1e-6:
            assert mine[3] <= theirs[3] + 1e-9
