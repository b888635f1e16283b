"""A day's route that keeps appointment times.

Stops come in three sorts:

* **fixed**: an appointment at a time (``at``). Fixed stops are visited in time order and their
  time never moves; the route only estimates when the rep gets there.
* **window**: to be reached between two times (``window``: earliest, latest arrival).
* **flexible**: any time within the working day (``RouteSettings.day_start``..``day_end``).

Travel time is the great-circle distance times a road factor over an average speed
(:class:`RouteSettings`; defaults 1.3 and 50 km/h). Times are minutes since the day's local
midnight. The rep waits when early; a stop is *late* when the estimated arrival is after its
appointment (or after its window closes); a window or flexible stop *does not fit* when it
would end after the working day.

The search (deterministic; ties go to the stop given first):

1. The fixed stops in time order are the skeleton.
2. **Cheapest insertion**: window stops (soonest closing first), then flexible ones (in the
   order given), each go where they add the fewest kilometres among the places that make
   nothing late and end within the day. A stop that fits nowhere goes after the last fixed
   stop (so no appointment suffers) and is reported.
3. **Local search** on the non-fixed stops until nothing helps: or-opt (move one stop
   elsewhere) and 2-opt (reverse a run of consecutive non-fixed stops), each kept only when
   the route gets shorter and nothing gets later or out of the day.
4. The result is compared (fewer appointments missed, then fewer windows missed and stops
   out of the day, then fewer late minutes, then fewer kilometres) with the plain time-order routes (the fixed
   stops in time order with the others before, or after, them) and the better is returned,
   so the suggestion is never worse than time order.

Why a heuristic and not a solver (OR-Tools, PyVRP): a rep's day has at most some forty
stops, one vehicle and hard appointment times, where insertion plus local search lands within
a few per cent of the optimum in milliseconds, with no native dependency to ship on three
desktop platforms; the time-order comparison bounds the worst case.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.route import Point, Stop, distance_matrix
from sfa_desktop.domain.validation.coordinates import validate_lat_lon

MINUTES_PER_DAY = 24 * 60
_EPS_MIN = 1e-6  # minutes: rounding noise, not lateness
_EPS_KM = 1e-9
_MAX_PASSES = 200  # local search rounds (each one improves; a bound on the worst case)


@dataclass(frozen=True, slots=True)
class RouteSettings:
    """How travel time is estimated and when the working day runs (minutes since midnight)."""

    road_factor: float = 1.3
    speed_kmh: float = 50.0
    day_start: float = 8 * 60
    day_end: float = 18 * 60

    def __post_init__(self) -> None:
        _check_range("road_factor", self.road_factor, 1.0, 5.0)
        _check_range("speed_kmh", self.speed_kmh, 1.0, 200.0)
        _check_range("day_start", self.day_start, 0, MINUTES_PER_DAY)
        _check_range("day_end", self.day_end, self.day_start, MINUTES_PER_DAY)

    def travel_minutes(self, km: float) -> float:
        """Minutes to drive ``km`` great-circle kilometres."""
        return km * self.road_factor / self.speed_kmh * 60


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, bool) or not math.isfinite(value) or not low <= value <= high:
        raise ValidationError(
            "out_of_range", field=name, params={"min": low, "max": high, "value": value}
        )


@dataclass(frozen=True, slots=True)
class TimedStop:
    """A place to visit, for how long, and when (``at`` or ``window``; neither: flexible)."""

    key: str
    lat: float | None
    lon: float | None
    duration: float = 30.0
    at: float | None = None
    window: tuple[float, float] | None = None

    @property
    def point(self) -> Point | None:
        return Stop(self.key, self.lat, self.lon).point

    @property
    def fixed(self) -> bool:
        return self.at is not None

    @property
    def sort_time(self) -> float:
        """When the stop is wanted: its time, its window's start, else the end of the day."""
        if self.at is not None:
            return self.at
        if self.window is not None:
            return self.window[0]
        return math.inf


@dataclass(frozen=True, slots=True)
class PlannedStop:
    """A stop in the suggested route (``position`` ``None``: no location, not routed)."""

    stop: TimedStop
    position: int | None
    #: kilometres from the previous stop (or the start point); ``None`` when not routed
    leg_km: float | None
    #: estimated arrival, minutes since midnight; ``None`` when not routed
    arrival: float | None
    #: minutes after the appointment (or the window's end) the rep gets there
    late_by: float = 0.0
    #: ``False``: a window or flexible stop that would end after the working day
    fits: bool = True

    @property
    def late(self) -> bool:
        return self.late_by > 0


@dataclass(frozen=True, slots=True)
class DayPlan:
    """The suggested route: routed stops in order, then the unlocated ones in time order."""

    stops: list[PlannedStop]
    total_km: float

    @property
    def late(self) -> list[PlannedStop]:
        return [stop for stop in self.stops if stop.late]

    @property
    def unfit(self) -> list[PlannedStop]:
        return [stop for stop in self.stops if not stop.fits]


@dataclass(frozen=True, slots=True)
class _Score:
    """How good a route is: compared by lateness first, then kilometres."""

    late_count: int
    unfit_count: int
    late_minutes: float
    km: float

    def better_than(self, other: _Score) -> bool:
        if (self.late_count, self.unfit_count) != (other.late_count, other.unfit_count):
            return (self.late_count, self.unfit_count) < (other.late_count, other.unfit_count)
        if abs(self.late_minutes - other.late_minutes) > _EPS_MIN:
            return self.late_minutes < other.late_minutes
        return self.km < other.km - _EPS_KM


_State = tuple[int, int, float, float]
"""The route up to a stop: appointments missed, windows missed and stops out of the day, late
minutes, when the rep leaves (compared in that order: appointments come first)."""
_START: _State = (0, 0, 0.0, 0.0)


def _penalty_not_above(state: _State, other: _State) -> bool:
    """Nothing later and nothing more out of the day in ``state`` than in ``other``."""
    if state[:2] != other[:2]:
        return state[:2] < other[:2]
    return state[2] <= other[2] + _EPS_MIN


class _Day:
    """The located stops as nodes 1..n of a distance matrix (node 0: the start point).

    Every stop is a window of arrival ``[low, high]`` (a fixed one: ``[at, at]``; a flexible
    one: ``[day_start, inf]``) and a duration; windows and flexible stops must also end within
    the day. The arrays are indexed by node (entry 0 unused), for the hot loops.
    """

    def __init__(self, origin: Point | None, stops: Sequence[TimedStop], settings: RouteSettings):
        self.stops = list(stops)
        self.settings = settings
        self.dist = distance_matrix(origin, [stop.point for stop in stops])  # type: ignore[misc]
        per_km = settings.road_factor / settings.speed_kmh * 60
        self.travel = [[km * per_km for km in row] for row in self.dist]
        self.low = [0.0] + [_window(stop, settings)[0] for stop in stops]
        self.high = [0.0] + [_window(stop, settings)[1] for stop in stops]
        self.duration = [0.0] + [max(0.0, float(stop.duration)) for stop in stops]
        self.is_fixed = [False] + [stop.at is not None for stop in stops]
        self.day_start = float(settings.day_start)
        self.day_end = float(settings.day_end) + _EPS_MIN

    def step(self, state: _State, previous: int, node: int) -> tuple[_State, float, float]:
        """The state after visiting ``node`` next, the arrival and the minutes late.

        The first stop (``previous`` 0) is reached on time when it can be:
        the rep leaves in time for it, and not before the day starts for the others.
        """
        late_count, unfit_count, late_minutes, leave = state
        low, high = self.low[node], self.high[node]
        if previous == 0:  # node 0 is the start point: no stop before
            arrival = min(max(self.day_start + self.travel[0][node], low), high)
        else:
            arrival = leave + self.travel[previous][node]
        late = arrival - high
        if late <= _EPS_MIN:
            late = 0.0
        elif self.is_fixed[node]:
            late_count += 1
        else:
            unfit_count += 1  # a window missed counts after the appointments
        late_minutes += late
        leave = (arrival if arrival > low else low) + self.duration[node]
        if leave > self.day_end and not self.is_fixed[node]:
            unfit_count += 1
        return (late_count, unfit_count, late_minutes, leave), arrival, late

    def km(self, order: Sequence[int]) -> float:
        return math.fsum(self.dist[a][b] for a, b in pairwise([0, *order]))

    def score(self, order: Sequence[int]) -> _Score:
        state = _states(self, order)[-1]
        return _Score(state[0], state[1], state[2], self.km(order))

    def fixed(self, node: int) -> bool:
        return self.is_fixed[node]

    def insertion_km(self, order: Sequence[int], node: int, place: int) -> float:
        """Kilometres added by putting ``node`` before ``order[place]`` (at the end: len)."""
        before = order[place - 1] if place > 0 else 0
        added = self.dist[before][node]
        if place < len(order):
            after = order[place]
            added += self.dist[node][after] - self.dist[before][after]
        return added


def _window(stop: TimedStop, settings: RouteSettings) -> tuple[float, float]:
    if stop.at is not None:
        return float(stop.at), float(stop.at)
    if stop.window is not None:
        return float(stop.window[0]), float(stop.window[1])
    return float(settings.day_start), math.inf


# --- construction --------------------------------------------------------------------------


def _states(day: _Day, order: Sequence[int]) -> list[_State]:
    """``states[k]``: the route's state after its first ``k`` stops."""
    states = [_START]
    previous = 0
    for node in order:
        states.append(day.step(states[-1], previous, node)[0])
        previous = node
    return states


def _final_state(
    day: _Day,
    states: Sequence[_State],
    candidate: Sequence[int],
    change: tuple[int, int, int],
) -> _State:
    """The final state of ``candidate``, a variation of the route ``states`` describes.

    ``change``: ``(start, stable_from, shift)``: the candidate has the route's first ``start``
    stops, and from ``stable_from`` on its stop ``k`` is the route's stop ``k - shift``. It is
    simulated from ``start``; once the rep leaves a stop of the stable part no later than on
    the route, the rest of the day is the route's.
    """
    start, stable_from, shift = change
    state = states[start]
    previous = candidate[start - 1] if start > 0 else 0
    step = day.step
    for index in range(start, len(candidate)):
        node = candidate[index]
        state = step(state, previous, node)[0]
        if index >= stable_from:
            same = states[index + 1 - shift]
            if state[3] <= same[3] + _EPS_MIN:
                final = states[-1]
                return (
                    state[0] + final[0] - same[0],
                    state[1] + final[1] - same[1],
                    state[2] + final[2] - same[2],
                    final[3],
                )
        previous = node
    return state


def _cheapest_place(day: _Day, order: list[int], node: int) -> int | None:
    """Where ``node`` adds the fewest km without making anything late or out of the day."""
    states = _states(day, order)
    places = sorted(range(len(order) + 1), key=lambda p: (day.insertion_km(order, node, p), p))
    for place in places:
        candidate = [*order[:place], node, *order[place:]]
        final = _final_state(day, states, candidate, (place, place + 1, 1))
        if _penalty_not_above(final, states[-1]):
            return place
    return None


def _construct(day: _Day) -> list[int]:
    nodes = range(1, len(day.stops) + 1)
    order = sorted((n for n in nodes if day.fixed(n)), key=lambda n: (day.stops[n - 1].at, n))
    windows = sorted(
        (n for n in nodes if day.stops[n - 1].window is not None and not day.fixed(n)),
        key=lambda n: (day.stops[n - 1].window[1], n),  # type: ignore[index]
    )
    flexible = [n for n in nodes if day.stops[n - 1].window is None and not day.fixed(n)]
    left_over: list[int] = []
    for node in windows + flexible:
        place = _cheapest_place(day, order, node)
        if place is None:
            left_over.append(node)
        else:
            order.insert(place, node)
    return order + left_over


# --- local search --------------------------------------------------------------------------


def _removal_km(day: _Day, order: Sequence[int], index: int) -> float:
    """Kilometres saved by taking ``order[index]`` out."""
    before = order[index - 1] if index > 0 else 0
    node = order[index]
    saved = day.dist[before][node]
    if index + 1 < len(order):
        after = order[index + 1]
        saved += day.dist[node][after] - day.dist[before][after]
    return saved


def _relocate(day: _Day, order: list[int]) -> float | None:
    """Move one non-fixed stop where the route is shorter and nothing gets later (the first
    such move, in place); the kilometres saved, or ``None`` when there is no such move."""
    states = _states(day, order)
    for index, node in enumerate(order):
        if day.fixed(node):
            continue
        rest = order[:index] + order[index + 1 :]
        saved = _removal_km(day, order, index)
        for place in range(len(rest) + 1):
            gain = saved - day.insertion_km(rest, node, place)
            if place == index or gain <= _EPS_KM:
                continue
            candidate = [*rest[:place], node, *rest[place:]]
            change = (min(index, place), max(index, place) + 1, 0)
            if _penalty_not_above(_final_state(day, states, candidate, change), states[-1]):
                order[:] = candidate
                return gain
    return None


def _reversal_km(day: _Day, order: Sequence[int], i: int, j: int) -> float:
    """Kilometres the route changes by when ``order[i..j]`` is reversed (distances symmetric)."""
    before = order[i - 1] if i > 0 else 0
    change = day.dist[before][order[j]] - day.dist[before][order[i]]
    if j + 1 < len(order):
        after = order[j + 1]
        change += day.dist[order[i]][after] - day.dist[order[j]][after]
    return change


def _two_opt(day: _Day, order: list[int]) -> float | None:
    """Reverse a run of consecutive non-fixed stops where the route is shorter and nothing
    gets later (the first such move, in place); the kilometres saved, or ``None``."""
    states = _states(day, order)
    for i in range(len(order)):
        if day.fixed(order[i]):
            continue
        for j in range(i + 1, len(order)):
            if day.fixed(order[j]):
                break
            gain = -_reversal_km(day, order, i, j)
            if gain <= _EPS_KM:
                continue
            candidate = order[:i] + order[i : j + 1][::-1] + order[j + 1 :]
            final = _final_state(day, states, candidate, (i, j + 1, 0))
            if _penalty_not_above(final, states[-1]):
                order[:] = candidate
                return gain
    return None


def _improve(day: _Day, order: list[int]) -> list[int]:
    route = list(order)
    for _ in range(_MAX_PASSES):
        if _two_opt(day, route) is None and _relocate(day, route) is None:
            break
    return route


def time_order_routes(stops: Sequence[TimedStop]) -> list[list[TimedStop]]:
    """The plain time-order routes a suggestion must not be worse than.

    The fixed stops in time order, then the others by the start of their window (flexible
    ones in the order given) placed before and, separately, after them.
    """
    ranked = sorted(enumerate(stops), key=lambda item: (item[1].sort_time, item[0]))
    fixed = [stop for _, stop in ranked if stop.fixed]
    others = [stop for _, stop in ranked if not stop.fixed]
    return [others + fixed, fixed + others]


# --- the plan ------------------------------------------------------------------------------


def plan_day(
    start: Point | None,
    stops: Sequence[TimedStop],
    settings: RouteSettings | None = None,
) -> DayPlan:
    """The suggested route for ``stops`` leaving from ``start`` (``None``: from the first stop).

    Raises ``ValidationError`` for invalid start coordinates or settings. Stops without usable
    coordinates are not routed: they come last, in time order.
    """
    settings = settings or RouteSettings()
    origin = None if start is None else validate_lat_lon(start[0], start[1])
    located = [stop for stop in stops if stop.point is not None]
    unlocated = [stop for stop in stops if stop.point is None]
    day = _Day(origin, located, settings)
    node_of = {id(stop): index + 1 for index, stop in enumerate(located)}
    best = _improve(day, _construct(day))
    best_score = day.score(best)
    for baseline in time_order_routes(located):
        order = [node_of[id(stop)] for stop in baseline]
        score = day.score(order)
        if score.better_than(best_score):
            best, best_score = order, score
    return DayPlan(_planned(day, best) + _unrouted(unlocated), best_score.km)


def _planned(day: _Day, order: list[int]) -> list[PlannedStop]:
    planned: list[PlannedStop] = []
    state, previous = _START, 0
    for number, node in enumerate(order, start=1):
        after, arrival, late = day.step(state, previous, node)
        planned.append(
            PlannedStop(
                stop=day.stops[node - 1],
                position=number,
                leg_km=day.dist[previous][node],
                arrival=arrival,
                late_by=late,
                fits=day.is_fixed[node] or after[3] <= day.day_end,
            )
        )
        state, previous = after, node
    return planned


def _unrouted(stops: Sequence[TimedStop]) -> list[PlannedStop]:
    ranked = sorted(enumerate(stops), key=lambda item: (item[1].sort_time, item[0]))
    return [PlannedStop(stop, None, None, None) for _, stop in ranked]
