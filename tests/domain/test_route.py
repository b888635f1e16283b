"""Route suggestion: nearest neighbour + 2-opt over haversine distances."""

from __future__ import annotations

import itertools
import math
import random
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.route import (
    Stop,
    haversine_km,
    nearest_neighbour_order,
    plan_route,
    route_length,
)

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, max_examples=150)

MADRID = (40.4168, -3.7038)
BARCELONA = (41.3874, 2.1686)

# Points in a typical territory (the Iberian peninsula), on a 0.001° grid so duplicates occur.
lats = st.integers(min_value=36_000, max_value=43_000).map(lambda v: v / 1000)
lons = st.integers(min_value=-9_000, max_value=3_000).map(lambda v: v / 1000)
points = st.tuples(lats, lons)


def stops_from(coords: list[tuple[float, float]]) -> list[Stop]:
    return [Stop(f"s{i}", lat, lon) for i, (lat, lon) in enumerate(coords)]


def brute_force_km(start: tuple[float, float] | None, stops: list[Stop]) -> float:
    """The shortest open path over every order of ``stops`` (n <= 7)."""
    located = [stop.point for stop in stops if stop.point is not None]
    nodes = [start, *located] if start else located
    dist = [[haversine_km(a, b) for b in nodes] for a in nodes]
    first = 1 if start else 0
    best = math.inf
    for order in itertools.permutations(range(first, len(nodes))):
        path = (0, *order) if start else order
        best = min(best, sum(dist[a][b] for a, b in itertools.pairwise(path)))
    return best


def keys(stops: list[Stop]) -> list[str]:
    return [stop.key for stop in stops]


# distances --------------------------------------------------------------------------------


def test_haversine_known_distances() -> None:
    assert 500 < haversine_km(MADRID, BARCELONA) < 510
    assert haversine_km(MADRID, MADRID) == 0
    assert haversine_km(MADRID, BARCELONA) == pytest.approx(haversine_km(BARCELONA, MADRID))
    # one degree of latitude is about 111.2 km everywhere
    assert haversine_km((0.0, 0.0), (1.0, 0.0)) == pytest.approx(111.195, abs=0.01)
    # antipodes: half the circumference, no domain error from rounding
    assert haversine_km((0.0, 0.0), (0.0, 180.0)) == pytest.approx(math.pi * 6371.0088)


def test_route_length_skips_unlocated_and_counts_from_start() -> None:
    line = [Stop("a", 40.0, -3.0), Stop("x", None, None), Stop("b", 41.0, -3.0)]
    assert route_length(None, line) == pytest.approx(haversine_km((40, -3), (41, -3)))
    assert route_length((39.0, -3.0), line) == pytest.approx(2 * 111.195, abs=0.05)
    assert route_length(None, []) == 0
    assert route_length(MADRID, []) == 0


# known cases ------------------------------------------------------------------------------


def test_points_on_a_meridian_are_visited_in_order() -> None:
    coords = [(40.0 + step / 10, -3.7) for step in range(1, 10)]
    shuffled = stops_from(coords)
    random.Random(7).shuffle(shuffled)
    plan = plan_route((40.0, -3.7), shuffled)
    assert [stop.lat for stop in plan.ordered] == [lat for lat, _ in coords]
    assert plan.total_km == pytest.approx(haversine_km((40.0, -3.7), coords[-1]))


def test_without_start_a_line_is_walked_end_to_end() -> None:
    coords = [(40.5, -3.7), (40.1, -3.7), (40.9, -3.7), (40.3, -3.7), (40.7, -3.7)]
    plan = plan_route(None, stops_from(coords))
    lats_in_order = [stop.lat for stop in plan.ordered]
    ascending = sorted(lat for lat, _ in coords)
    assert lats_in_order in (ascending, ascending[::-1])
    assert len(plan.legs_km) == len(coords) - 1
    assert plan.total_km == pytest.approx(haversine_km((40.1, -3.7), (40.9, -3.7)))


def test_start_in_the_middle_goes_to_the_near_end_first() -> None:
    # start at 40.0; 0.1 south and 0.3 north: south first, then the whole way north
    stops = stops_from([(40.3, -3.7), (39.9, -3.7), (40.2, -3.7), (40.1, -3.7)])
    plan = plan_route((40.0, -3.7), stops)
    assert [stop.lat for stop in plan.ordered] == [39.9, 40.1, 40.2, 40.3]


def test_two_opt_untangles_a_crossing() -> None:
    # a square visited corner to corner crosses itself; the plan walks around it instead
    start = (40.0, -3.0)
    stops = [Stop("far", 40.1, -2.9), Stop("up", 40.1, -3.0), Stop("right", 40.0, -2.9)]
    plan = plan_route(start, stops)
    assert plan.total_km == pytest.approx(brute_force_km(start, stops))
    assert keys(plan.ordered)[1] == "far"


# edge cases -------------------------------------------------------------------------------


def test_empty_input() -> None:
    for start in (None, MADRID):
        plan = plan_route(start, [])
        assert plan.ordered == [] and plan.unlocated == []
        assert plan.legs_km == [] and plan.total_km == 0


def test_single_stop() -> None:
    stop = Stop("only", *BARCELONA)
    with_start = plan_route(MADRID, [stop])
    assert with_start.ordered == [stop]
    assert with_start.legs_km == [pytest.approx(haversine_km(MADRID, BARCELONA))]
    without = plan_route(None, [stop])
    assert without.ordered == [stop] and without.legs_km == [] and without.total_km == 0


def test_unlocated_stops_come_last_in_input_order_and_are_reported() -> None:
    stops = [
        Stop("no-lat", None, -3.0),
        Stop("b", 40.2, -3.0),
        Stop("nothing", None, None),
        Stop("a", 40.1, -3.0),
        Stop("out-of-range", 95.0, -3.0),
        Stop("nan", math.nan, -3.0),
        Stop("no-lon", 40.0, None),
    ]
    plan = plan_route((40.0, -3.0), stops)
    unlocated = ["no-lat", "nothing", "out-of-range", "nan", "no-lon"]
    assert keys(plan.ordered) == ["a", "b", *unlocated]
    assert keys(plan.unlocated) == unlocated
    assert len(plan.legs_km) == 2


def test_only_unlocated_stops() -> None:
    stops = [Stop("x", None, None), Stop("y", None, 2.0)]
    plan = plan_route(MADRID, stops)
    assert plan.ordered == stops and plan.unlocated == stops
    assert plan.legs_km == [] and plan.total_km == 0


def test_duplicate_coordinates_stay_together_in_input_order() -> None:
    stops = [
        Stop("far", 41.0, -3.0),
        Stop("twin-1", 40.5, -3.0),
        Stop("twin-2", 40.5, -3.0),
        Stop("near", 40.1, -3.0),
    ]
    plan = plan_route((40.0, -3.0), stops)
    assert keys(plan.ordered) == ["near", "twin-1", "twin-2", "far"]
    assert plan.legs_km[2] == 0


def test_same_stops_at_the_start_point() -> None:
    stops = [Stop(k, *MADRID) for k in "abc"]
    plan = plan_route(MADRID, stops)
    assert keys(plan.ordered) == ["a", "b", "c"]
    assert plan.total_km == 0


@pytest.mark.parametrize("start", [(91.0, 0.0), (0.0, 181.0), (math.inf, 0.0)])
def test_invalid_start_is_a_validation_error(start: tuple[float, float]) -> None:
    with pytest.raises(ValidationError) as caught:
        plan_route(start, [Stop("a", 40.0, -3.0)])
    assert caught.value.code in {"out_of_range", "invalid_number"}


def test_two_hundred_stops_plan_quickly() -> None:
    rng = random.Random(42)
    stops = [Stop(str(i), 40 + rng.random(), -4 + rng.random()) for i in range(200)]
    began = time.perf_counter()
    plan = plan_route(MADRID, stops)
    assert time.perf_counter() - began < 2.0  # ~25 ms on a laptop; generous for CI
    assert sorted(keys(plan.ordered)) == sorted(keys(stops))
    assert plan.total_km <= route_length(MADRID, nearest_neighbour_order(MADRID, stops))


# properties -------------------------------------------------------------------------------


@DETERMINISTIC
@given(start=st.none() | points, coords=st.lists(points, max_size=25))
def test_plan_is_a_permutation_with_consistent_legs(
    start: tuple[float, float] | None, coords: list[tuple[float, float]]
) -> None:
    stops = stops_from(coords)
    plan = plan_route(start, stops)
    assert sorted(keys(plan.ordered)) == sorted(keys(stops))
    expected_legs = len(stops) - (0 if start is not None or not stops else 1)
    assert len(plan.legs_km) == expected_legs
    assert plan.total_km == pytest.approx(math.fsum(plan.legs_km))
    assert plan.total_km == pytest.approx(route_length(start, plan.ordered))
    assert plan_route(start, stops) == plan  # deterministic


@DETERMINISTIC
@given(start=st.none() | points, coords=st.lists(points, max_size=30))
def test_two_opt_never_lengthens_the_nearest_neighbour_route(
    start: tuple[float, float] | None, coords: list[tuple[float, float]]
) -> None:
    stops = stops_from(coords)
    greedy = route_length(start, nearest_neighbour_order(start, stops))
    assert plan_route(start, stops).total_km <= greedy + 1e-9


@DETERMINISTIC
@given(start=st.none() | points, coords=st.lists(points, min_size=1, max_size=6))
def test_never_shorter_than_the_optimum(
    start: tuple[float, float] | None, coords: list[tuple[float, float]]
) -> None:
    stops = stops_from(coords)
    assert plan_route(start, stops).total_km >= brute_force_km(start, stops) - 1e-9


@DETERMINISTIC
@given(
    start=st.none() | lats.map(lambda lat: (lat, -3.7)),
    lats_on_line=st.lists(lats, min_size=1, max_size=7),
)
def test_collinear_points_get_the_optimal_route(
    start: tuple[float, float] | None, lats_on_line: list[float]
) -> None:
    stops = stops_from([(lat, -3.7) for lat in lats_on_line])
    plan = plan_route(start, stops)
    assert plan.total_km == pytest.approx(brute_force_km(start, stops), abs=1e-6)
