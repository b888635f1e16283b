"""Where the week calendar puts each activity: day column, minutes, side-by-side lanes.

Pure (no Qt): the calendar widget turns these numbers into pixels. Times are minutes since the
local midnight of the activity's day (0..1440). An activity planned at local 00:00 with no end,
or ending at a local midnight ("any time that day": a task), is *all day* and goes in the strip
above the hours. Overlapping activities of a day share its width in lanes: each cluster of
activities that overlap one another (directly or through others) is split into as many lanes
as it needs, and every activity takes the first lane free at its start, so two activities in
the same lane never overlap.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

MINUTES_PER_DAY = 24 * 60
#: Dragging and Ctrl+Up/Down move an activity by this many minutes.
SNAP_MINUTES = 15
#: The shortest block drawn (an activity of 5 minutes still shows its name).
MIN_BLOCK_MINUTES = 30


class Timed(Protocol):
    """What an agenda row gives the layout."""

    @property
    def id(self) -> str: ...
    @property
    def planned_start(self) -> dt.datetime | None: ...
    @property
    def planned_end(self) -> dt.datetime | None: ...


@dataclass(frozen=True)
class WeekItem:
    """One activity in the week: ``day`` 0 (first day) .. 6, minutes ``[start, end)``."""

    id: str
    day: int
    start: int
    end: int
    all_day: bool = False


@dataclass(frozen=True)
class Placed:
    """An item and its lane: it takes the ``lane``-th of ``lanes`` equal parts of the column."""

    item: WeekItem
    lane: int
    lanes: int


def is_all_day(start: dt.datetime, end: dt.datetime | None, tz: ZoneInfo) -> bool:
    """Planned at local midnight with no end, or from one local midnight to another."""
    local = start.astimezone(tz)
    if local.timetz().replace(tzinfo=None) != dt.time(0):
        return False
    if end is None:
        return True
    local_end = end.astimezone(tz)
    return end > start and local_end.timetz().replace(tzinfo=None) == dt.time(0)


def week_items(
    rows: Iterable[Timed], first_day: dt.date, tz: ZoneInfo, default_minutes: int
) -> list[WeekItem]:
    """The rows planned in the week starting ``first_day``, as items (rows without a start, or
    outside the week, are left out). No end (or one not after the start): ``default_minutes``
    long. An activity running past midnight is drawn until the end of its day."""
    items: list[WeekItem] = []
    for row in rows:
        start = row.planned_start
        if start is None:
            continue
        local = start.astimezone(tz)
        day = (local.date() - first_day).days
        if not 0 <= day < 7:
            continue
        if is_all_day(start, row.planned_end, tz):
            items.append(WeekItem(row.id, day, 0, MINUTES_PER_DAY, all_day=True))
            continue
        begin = local.hour * 60 + local.minute
        end = row.planned_end
        length = (end - start) // dt.timedelta(minutes=1) if end and end > start else 0
        length = length or default_minutes
        items.append(WeekItem(row.id, day, begin, min(begin + length, MINUTES_PER_DAY)))
    return items


def lay_out_day(items: Sequence[WeekItem]) -> list[Placed]:
    """Lanes for the timed items of one day (see the module's docstring), in time order.

    A block is at least :data:`MIN_BLOCK_MINUTES` tall, so lanes are given on what is drawn
    (:func:`drawn_span`)."""
    spans = {item.id: drawn_span(item) for item in items}
    ordered = sorted(items, key=lambda item: (spans[item.id][0], -spans[item.id][1], item.id))
    placed: list[Placed] = []
    cluster: list[tuple[WeekItem, int]] = []
    lane_ends: list[int] = []
    for item in ordered:
        start, end = spans[item.id]
        if cluster and start >= max(lane_ends):
            placed.extend(Placed(done, lane, len(lane_ends)) for done, lane in cluster)
            cluster, lane_ends = [], []
        lane = next((i for i, used in enumerate(lane_ends) if used <= start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        cluster.append((item, lane))
    placed.extend(Placed(done, lane, len(lane_ends)) for done, lane in cluster)
    return placed


def lay_out_week(items: Iterable[WeekItem]) -> tuple[list[Placed], list[Placed]]:
    """``(timed, all_day)``: the timed items in lanes per day; the all-day ones of a day side by
    side in the strip (one lane each)."""
    by_day: dict[int, list[WeekItem]] = {}
    all_day: dict[int, list[WeekItem]] = {}
    for item in items:
        (all_day if item.all_day else by_day).setdefault(item.day, []).append(item)
    timed = [placed for day in sorted(by_day) for placed in lay_out_day(by_day[day])]
    strip = [
        Placed(item, lane, len(day_items))
        for day in sorted(all_day)
        for day_items in [sorted(all_day[day], key=lambda item: item.id)]
        for lane, item in enumerate(day_items)
    ]
    return timed, strip


def _drawn_end(item: WeekItem) -> int:
    return min(max(item.end, item.start + MIN_BLOCK_MINUTES), MINUTES_PER_DAY)


def drawn_span(item: WeekItem) -> tuple[int, int]:
    """The minutes the block covers on screen (at least :data:`MIN_BLOCK_MINUTES`)."""
    end = _drawn_end(item)
    return min(item.start, end - MIN_BLOCK_MINUTES), end


def snap(minutes: float, step: int = SNAP_MINUTES) -> int:
    """``minutes`` rounded to the nearest ``step``, kept within the day."""
    snapped = round(minutes / step) * step
    return max(0, min(snapped, MINUTES_PER_DAY - step))


def neighbour(placed: Sequence[Placed], current: str | None, key: str) -> str | None:
    """The item the selection moves to from ``current`` with ``key`` ("up", "down", "left",
    "right"): up/down the previous/next one in the same day (the all-day ones first),
    left/right the one nearest in time on the closest day that has any. No ``current``: the
    first item of the week. ``None`` when there is nowhere to go."""
    ordered = sorted(placed, key=_reading_order)
    if not ordered:
        return None
    here = next((p for p in ordered if p.item.id == current), None)
    if here is None:
        return ordered[0].item.id
    if key in ("up", "down"):
        same_day = [p for p in ordered if p.item.day == here.item.day]
        index = same_day.index(here) + (1 if key == "down" else -1)
        return same_day[index].item.id if 0 <= index < len(same_day) else None
    step = 1 if key == "right" else -1
    day = here.item.day + step
    while 0 <= day < 7:
        candidates = [p for p in ordered if p.item.day == day]
        if candidates:
            anchor = -1 if here.item.all_day else here.item.start
            best = min(candidates, key=lambda p: abs(_row_start(p) - anchor))
            return best.item.id
        day += step
    return None


def _row_start(placed: Placed) -> int:
    return -1 if placed.item.all_day else placed.item.start


def _reading_order(placed: Placed) -> tuple[int, int, int, str]:
    return (placed.item.day, _row_start(placed), placed.lane, placed.item.id)
