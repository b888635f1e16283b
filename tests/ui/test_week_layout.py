"""The week calendar's pure layout: items from agenda rows, lanes for overlaps, snapping and the
arrow-key neighbours; Hypothesis checks that blocks in one column never overlap."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from sfa_desktop.ui.visits.week_layout import (
    MIN_BLOCK_MINUTES,
    MINUTES_PER_DAY,
    Placed,
    WeekItem,
    drawn_span,
    lay_out_day,
    lay_out_week,
    neighbour,
    snap,
    week_items,
)

from .fixed_clock import MADRID

MONDAY = dt.date(2027, 2, 1)


@dataclass(frozen=True)
class Row:
    id: str
    planned_start: dt.datetime | None
    planned_end: dt.datetime | None


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(
        MONDAY + dt.timedelta(days=day), dt.time(hour, minute), tzinfo=MADRID
    ).astimezone(dt.UTC)


def test_rows_become_items_by_local_day_and_minute() -> None:
    rows = [
        Row("a", local(0, 9, 30), local(0, 10, 15)),
        Row("b", local(2, 16), None),  # no end: the default length
        Row("task", local(3, 0), local(4, 0)),  # a whole local day: all day
        Row("midnight", local(4, 0), None),  # "any time that day"
        Row("late", local(5, 23), local(6, 1)),  # drawn until midnight
        Row("before", local(-1, 9), local(-1, 10)),  # last week: left out
        Row("none", None, None),
    ]
    items = {item.id: item for item in week_items(rows, MONDAY, MADRID, 60)}
    assert items["a"] == WeekItem("a", 0, 570, 615)
    assert items["b"] == WeekItem("b", 2, 960, 1020)
    assert items["task"].all_day and items["task"].day == 3
    assert items["midnight"].all_day and items["midnight"].day == 4
    assert items["late"] == WeekItem("late", 5, 1380, MINUTES_PER_DAY)
    assert set(items) == {"a", "b", "task", "midnight", "late"}


def test_overlapping_items_go_side_by_side_and_others_take_the_whole_column() -> None:
    items = [
        WeekItem("a", 0, 540, 600),
        WeekItem("b", 0, 570, 630),
        WeekItem("c", 0, 600, 660),  # overlaps b only: reuses a's lane
        WeekItem("d", 0, 700, 760),  # alone
        WeekItem("e", 1, 540, 600),  # another day
    ]
    placed = {p.item.id: (p.lane, p.lanes) for p in lay_out_day(items[:4])}
    assert placed == {"a": (0, 2), "b": (1, 2), "c": (0, 2), "d": (0, 1)}
    timed, strip = lay_out_week([*items, WeekItem("t", 1, 0, MINUTES_PER_DAY, all_day=True)])
    assert [p.item.id for p in timed] == ["a", "b", "c", "d", "e"]
    assert strip == [Placed(WeekItem("t", 1, 0, MINUTES_PER_DAY, all_day=True), 0, 1)]


def test_snap_rounds_to_a_quarter_within_the_day() -> None:
    assert [snap(m) for m in (0, 7, 8, 22.4, 23, -40, 2000)] == [0, 0, 15, 15, 30, 0, 1425]


def test_arrows_go_to_the_neighbouring_blocks() -> None:
    timed, strip = lay_out_week(
        [
            WeekItem("mon9", 0, 540, 600),
            WeekItem("mon11", 0, 660, 720),
            WeekItem("wed10", 2, 600, 660),
            WeekItem("wed16", 2, 960, 1020),
            WeekItem("mon-task", 0, 0, MINUTES_PER_DAY, all_day=True),
        ]
    )
    blocks = [*timed, *strip]
    assert neighbour(blocks, None, "down") == "mon-task"
    assert neighbour(blocks, "mon-task", "down") == "mon9"
    assert neighbour(blocks, "mon9", "down") == "mon11"
    assert neighbour(blocks, "mon11", "down") is None
    assert neighbour(blocks, "mon11", "right") == "wed10"  # skips the empty Tuesday
    assert neighbour(blocks, "wed16", "left") == "mon11"
    assert neighbour(blocks, "wed16", "right") is None
    assert neighbour([], None, "down") is None


items_of_a_day = st.lists(
    st.tuples(st.integers(0, MINUTES_PER_DAY - 1), st.integers(1, 600)),
    max_size=25,
).map(
    lambda spans: [
        WeekItem(f"v{index}", 0, start, min(start + length, MINUTES_PER_DAY))
        for index, (start, length) in enumerate(spans)
    ]
)


@given(items_of_a_day)
def test_blocks_in_the_same_column_never_overlap(items: list[WeekItem]) -> None:
    placed = lay_out_day(items)
    assert sorted(p.item.id for p in placed) == sorted(item.id for item in items)
    for p in placed:
        assert 0 <= p.lane < p.lanes
        start, end = drawn_span(p.item)
        assert end - start >= MIN_BLOCK_MINUTES and start >= 0 and end <= MINUTES_PER_DAY
    for first in placed:
        for second in placed:
            if first is second or first.lane != second.lane:
                continue
            a, b = drawn_span(first.item), drawn_span(second.item)
            assert a[1] <= b[0] or b[1] <= a[0], (first, second)
    # overlapping blocks in different lanes share the same split of the column
    for first in placed:
        for second in placed:
            a, b = drawn_span(first.item), drawn_span(second.item)
            if first is not second and a[0] < b[1] and b[0] < a[1]:
                assert first.lanes == second.lanes
