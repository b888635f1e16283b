"""A suggested visiting order for the day's stops.

The order is a heuristic, not a promise: nearest neighbour from the start point, then local
improvement until no move helps: 2-opt (reverse a stretch of the route) and or-opt (move a run
of up to three stops elsewhere), each applied only when it makes the route shorter. The
route is an *open path*: it begins at the start point (the rep's home or office) and ends at
whichever stop suits best; there is no way back. Without a start point both ends are free.

Distances are great-circle (haversine) kilometres: straight lines over the globe, good enough
to order stops in a territory without a road network. Stops without usable coordinates
(missing, out of range or not finite) cannot be placed; they come last, in their input order.

Everything is deterministic: ties go to the stop given first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from sfa_desktop.domain.validation.coordinates import validate_lat_lon

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG), in kilometres."""

_OR_OPT_MAX_RUN = 3
_EPSILON_KM = 1e-9  # an improvement smaller than this is rounding noise, not a better route

Point = tuple[float, float]
"""``(latitude, longitude)`` in degrees (WGS 84)."""


@dataclass(frozen=True, slots=True)
class Stop:
    """A place to visit: ``key`` identifies it to the caller (an account or visit id)."""

    key: str
    lat: float | None
    lon: float | None

    @property
    def point(self) -> Point | None:
        """``(lat, lon)`` if both are set, finite and within range, else ``None``."""
        if self.lat is None or self.lon is None:
            return None
        if not (math.isfinite(self.lat) and math.isfinite(self.lon)):
            return None
        if abs(self.lat) > 90 or abs(self.lon) > 180:
            return None
        return (float(self.lat), float(self.lon))


@dataclass(frozen=True, slots=True)
class RoutePlan:
    """The suggested order and its length.

    ``ordered`` holds every stop: the located ones in visiting order, then the ``unlocated``
    ones in input order. ``legs_km[i]`` is the distance to the ``i``-th located stop from the
    previous one (from the start point for the first, when there is one), so ``legs_km`` has
    one entry per located stop with a start point and one fewer without.
    """

    ordered: list[Stop]
    unlocated: list[Stop]
    legs_km: list[float]
    total_km: float


def haversine_km(a: Point, b: Point) -> float:
    """Great-circle distance in kilometres between two ``(lat, lon)`` points in degrees."""
    lat1, lon1 = math.radians(a[0]), math.radians(a[1])
    lat2, lon2 = math.radians(b[0]), math.radians(b[1])
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def _checked_start(start: Point | None) -> Point | None:
    """The start point as floats; ``ValidationError`` if its coordinates are not valid."""
    return None if start is None else validate_lat_lon(start[0], start[1])


def _legs(start: Point | None, points: Sequence[Point]) -> list[float]:
    path = ([start] if start is not None else []) + list(points)
    return [haversine_km(a, b) for a, b in pairwise(path)]


def route_length(start: Point | None, ordered: Sequence[Stop]) -> float:
    """Kilometres along ``ordered`` from ``start`` (if any); unlocated stops are skipped."""
    points = [p for p in (stop.point for stop in ordered) if p is not None]
    return math.fsum(_legs(_checked_start(start), points))


# --- the search, on indices into a distance matrix -------------------------------------------
# Node 0 is the anchor: the start point, or (without one) a virtual point at distance zero
# from every stop, which makes the first stop free as well. Nodes 1..n are the stops.


def distance_matrix(start: Point | None, points: Sequence[Point]) -> list[list[float]]:
    """Kilometres between every pair of nodes: node 0 the anchor, nodes 1..n the ``points``."""
    n = len(points)
    matrix = [[0.0] * (n + 1) for _ in range(n + 1)]
    for i in range(n):
        if start is not None:
            matrix[0][i + 1] = matrix[i + 1][0] = haversine_km(start, points[i])
        for j in range(i + 1, n):
            matrix[i + 1][j + 1] = matrix[j + 1][i + 1] = haversine_km(points[i], points[j])
    return matrix


def _nearest_neighbour(dist: list[list[float]]) -> list[int]:
    """Greedy path from node 0: always the closest unvisited node, lowest index on ties."""
    remaining = list(range(1, len(dist)))
    path = [0]
    while remaining:
        row = dist[path[-1]]
        best = min(remaining, key=lambda node: (row[node], node))
        remaining.remove(best)
        path.append(best)
    return path


def _two_opt(route: list[int], dist: list[list[float]]) -> bool:
    """Reverse ``route[i..j]`` while that shortens the open path (in place); node 0 stays put.

    Returns whether the route changed.
    """
    last = len(route) - 1
    changed, improved = False, True
    while improved:
        improved = False
        for i in range(1, last):
            before = route[i - 1]
            for j in range(i + 1, last + 1):
                removed = dist[before][route[i]]
                added = dist[before][route[j]]
                if j < last:
                    after = route[j + 1]
                    removed += dist[route[j]][after]
                    added += dist[route[i]][after]
                if added < removed - _EPSILON_KM:
                    route[i : j + 1] = route[i : j + 1][::-1]
                    improved = changed = True
    return changed


def _or_opt(route: list[int], dist: list[list[float]]) -> bool:
    """Move one run of up to three stops elsewhere (maybe reversed) if that shortens the path.

    2-opt alone cannot fetch a stop left for the end back to the front, which a fixed start
    often needs. Applies the first improving move found, in place; returns whether it did.
    """
    for length in range(1, min(_OR_OPT_MAX_RUN, len(route) - 1) + 1):
        for i in range(1, len(route) - length + 1):
            run = route[i : i + length]
            rest = route[:i] + route[i + length :]
            after = route[i + length] if i + length < len(route) else None
            gain = dist[route[i - 1]][run[0]]
            if after is not None:
                gain += dist[run[-1]][after] - dist[route[i - 1]][after]
            for k in range(len(rest)):
                if k == i - 1:
                    continue  # its own place
                a, b = rest[k], rest[k + 1] if k + 1 < len(rest) else None
                for piece in (run, run[::-1]):
                    cost = dist[a][piece[0]]
                    if b is not None:
                        cost += dist[piece[-1]][b] - dist[a][b]
                    if cost < gain - _EPSILON_KM:
                        route[:] = rest[: k + 1] + piece + rest[k + 1 :]
                        return True
    return False


def _improve(path: list[int], dist: list[list[float]]) -> list[int]:
    """2-opt to a local optimum, then or-opt moves, until neither finds anything better."""
    route = list(path)
    _two_opt(route, dist)
    while _or_opt(route, dist):
        _two_opt(route, dist)
    return route


def _split(stops: Sequence[Stop]) -> tuple[list[Stop], list[Point], list[Stop]]:
    located: list[Stop] = []
    points: list[Point] = []
    unlocated: list[Stop] = []
    for stop in stops:
        point = stop.point
        if point is None:
            unlocated.append(stop)
        else:
            located.append(stop)
            points.append(point)
    return located, points, unlocated


def nearest_neighbour_order(start: Point | None, stops: Sequence[Stop]) -> list[Stop]:
    """The located stops in greedy nearest-neighbour order (no 2-opt), for comparison."""
    located, points, _ = _split(stops)
    path = _nearest_neighbour(distance_matrix(_checked_start(start), points))
    return [located[node - 1] for node in path[1:]]


def plan_route(start: Point | None, stops: Sequence[Stop]) -> RoutePlan:
    """Suggest a visiting order for ``stops``, leaving from ``start`` if given.

    Raises ``ValidationError`` if ``start`` has invalid coordinates. Stops without usable
    coordinates are not placed: they follow the others in ``ordered`` and are listed in
    ``unlocated``.
    """
    origin = _checked_start(start)
    located, points, unlocated = _split(stops)
    dist = distance_matrix(origin, points)
    path = _improve(_nearest_neighbour(dist), dist)
    in_order = [located[node - 1] for node in path[1:]]
    legs = _legs(origin, [points[node - 1] for node in path[1:]])
    return RoutePlan(
        ordered=in_order + unlocated,
        unlocated=unlocated,
        legs_km=legs,
        total_km=math.fsum(legs),
    )
