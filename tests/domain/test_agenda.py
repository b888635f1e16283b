"""Agenda time rules: local days and weeks in UTC across DST changes, visit times."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfa_desktop.domain.agenda import (
    MAX_VISIT_DURATION,
    day_bounds,
    local_date,
    local_midnight,
    next_working_day,
    plan_follow_up,
    validate_visit_times,
    week_bounds,
    week_days,
    week_start,
)
from sfa_desktop.domain.errors import ValidationError

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, max_examples=200)

MADRID = ZoneInfo("Europe/Madrid")
CANARIAS = ZoneInfo("Atlantic/Canary")
SPRING_FORWARD = date(2026, 3, 29)  # 02:00 → 03:00 in Madrid
FALL_BACK = date(2026, 10, 25)  # 03:00 → 02:00 in Madrid


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# days ---------------------------------------------------------------------------------------


def test_ordinary_day_in_madrid() -> None:
    start, end = day_bounds(date(2026, 1, 15), MADRID)
    assert (start, end) == (utc(2026, 1, 14, 23), utc(2026, 1, 15, 23))
    assert start.tzinfo is UTC and end.tzinfo is UTC


def test_spring_forward_day_has_23_hours() -> None:
    start, end = day_bounds(SPRING_FORWARD, MADRID)
    assert start == utc(2026, 3, 28, 23)  # midnight CET (+01:00)
    assert end == utc(2026, 3, 29, 22)  # midnight CEST (+02:00)
    assert end - start == timedelta(hours=23)


def test_fall_back_day_has_25_hours() -> None:
    start, end = day_bounds(FALL_BACK, MADRID)
    assert start == utc(2026, 10, 24, 22)
    assert end == utc(2026, 10, 25, 23)
    assert end - start == timedelta(hours=25)


def test_a_day_where_the_clock_skips_midnight_starts_when_it_resumes() -> None:
    # Chile: on 2026-09-06 the clock jumps from 00:00 to 01:00
    start, end = day_bounds(date(2026, 9, 6), ZoneInfo("America/Santiago"))
    assert start == utc(2026, 9, 6, 4)  # 01:00 -03:00
    assert end - start == timedelta(hours=23)


def test_local_date_groups_instants_by_local_day() -> None:
    assert local_date(utc(2026, 3, 28, 23, 30), MADRID) == SPRING_FORWARD
    assert local_date(utc(2026, 3, 28, 22, 59), MADRID) == date(2026, 3, 28)
    assert local_date(utc(2026, 3, 28, 23, 30), CANARIAS) == date(2026, 3, 28)
    with pytest.raises(ValidationError) as caught:
        local_date(datetime(2026, 3, 28, 23, 30), MADRID)
    assert caught.value.code == "naive_datetime"


@DETERMINISTIC
@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    st.sampled_from([MADRID, CANARIAS, ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")]),
)
def test_days_tile_the_timeline(day: date, tz: ZoneInfo) -> None:
    start, end = day_bounds(day, tz)
    assert end == day_bounds(day + timedelta(days=1), tz)[0]
    assert timedelta(hours=22) <= end - start <= timedelta(hours=26)
    assert local_date(start, tz) == day
    assert local_date(end - timedelta(microseconds=1), tz) == day


# weeks --------------------------------------------------------------------------------------


def test_week_starts_on_monday_by_default() -> None:
    assert week_start(SPRING_FORWARD) == date(2026, 3, 23)  # a Sunday → its Monday
    assert week_start(SPRING_FORWARD, first_weekday=6) == SPRING_FORWARD
    assert week_start(date(2026, 3, 23)) == date(2026, 3, 23)
    assert week_days(date(2026, 3, 25)) == [date(2026, 3, 23) + timedelta(days=i) for i in range(7)]


def test_weeks_holding_dst_changes() -> None:
    start, end = week_bounds(SPRING_FORWARD, MADRID)
    assert start == utc(2026, 3, 22, 23) and end == utc(2026, 3, 29, 22)
    assert end - start == timedelta(days=7) - timedelta(hours=1)
    start, end = week_bounds(date(2026, 10, 21), MADRID)
    assert start == utc(2026, 10, 18, 22) and end == utc(2026, 10, 25, 23)
    assert end - start == timedelta(days=7, hours=1)


def test_sunday_first_week() -> None:
    start, end = week_bounds(date(2026, 10, 28), MADRID, first_weekday=6)
    assert start == local_midnight(FALL_BACK, MADRID) == utc(2026, 10, 24, 22)
    assert end == utc(2026, 10, 31, 23)


@pytest.mark.parametrize("first_weekday", [-1, 7, True])
def test_invalid_first_weekday(first_weekday: int) -> None:
    with pytest.raises(ValidationError) as caught:
        week_bounds(FALL_BACK, MADRID, first_weekday)
    assert caught.value.code == "out_of_range"
    assert caught.value.field == "first_weekday"


# visit times --------------------------------------------------------------------------------


def test_valid_times_come_back_in_utc() -> None:
    start = datetime(2026, 3, 29, 10, 0, tzinfo=MADRID)
    end = datetime(2026, 3, 29, 11, 30, tzinfo=MADRID)
    assert validate_visit_times(start, end) == (utc(2026, 3, 29, 8), utc(2026, 3, 29, 9, 30))


def test_a_visit_across_the_fall_back_hour_is_measured_in_elapsed_time() -> None:
    # 01:30 CEST → 02:30 CET is two real hours
    start = datetime(2026, 10, 25, 1, 30, tzinfo=MADRID)
    end = datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=MADRID)
    start_utc, end_utc = validate_visit_times(start, end)
    assert end_utc - start_utc == timedelta(hours=2)


@pytest.mark.parametrize(
    ("start", "end", "code", "field"),
    [
        (datetime(2026, 5, 4, 10), utc(2026, 5, 4, 11), "naive_datetime", "planned_start"),
        (utc(2026, 5, 4, 10), datetime(2026, 5, 4, 11), "naive_datetime", "planned_end"),
        (utc(2026, 5, 4, 10), utc(2026, 5, 4, 9), "end_before_start", "planned_end"),
        (utc(2026, 5, 4, 10), utc(2026, 5, 4, 10), "zero_duration", "planned_end"),
        (utc(2026, 5, 4, 10), utc(2026, 5, 5, 10, 1), "duration_too_long", "planned_end"),
    ],
)
def test_invalid_visit_times(start: datetime, end: datetime, code: str, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_visit_times(start, end)
    assert caught.value.code == code
    assert caught.value.field == field


def test_exactly_24_hours_is_allowed_and_the_limit_is_reported() -> None:
    start = utc(2026, 5, 4, 10)
    assert validate_visit_times(start, start + MAX_VISIT_DURATION)[1] == utc(2026, 5, 5, 10)
    with pytest.raises(ValidationError) as caught:
        validate_visit_times(start, start + timedelta(hours=25))
    assert caught.value.params == {"max_hours": 24}


def test_a_same_instant_in_two_zones_is_zero_duration() -> None:
    start = datetime(2026, 5, 4, 10, tzinfo=MADRID)
    with pytest.raises(ValidationError) as caught:
        validate_visit_times(start, start.astimezone(CANARIAS))
    assert caught.value.code == "zero_duration"


# follow-ups ---------------------------------------------------------------------------------


def test_follow_up_at_nine_local_time() -> None:
    assert plan_follow_up(date(2026, 1, 15), MADRID) == (utc(2026, 1, 15, 8), utc(2026, 1, 15, 9))
    assert plan_follow_up(SPRING_FORWARD, MADRID) == (utc(2026, 3, 29, 7), utc(2026, 3, 29, 8))
    assert plan_follow_up(FALL_BACK, MADRID) == (utc(2026, 10, 25, 8), utc(2026, 10, 25, 9))
    assert plan_follow_up(FALL_BACK, CANARIAS, 16, duration=timedelta(minutes=30)) == (
        utc(2026, 10, 25, 16),
        utc(2026, 10, 25, 16, 30),
    )


def test_follow_up_in_the_skipped_hour_moves_later() -> None:
    start, end = plan_follow_up(SPRING_FORWARD, MADRID, default_hour=2)
    assert start == utc(2026, 3, 29, 1)  # 03:00 CEST, when the clock resumes
    assert start.astimezone(MADRID).hour == 3
    assert end - start == timedelta(hours=1)


def test_follow_up_in_the_repeated_hour_takes_the_first() -> None:
    start, _ = plan_follow_up(FALL_BACK, MADRID, default_hour=2)
    assert start == utc(2026, 10, 25, 0)  # 02:00 CEST, the first 02:00


@pytest.mark.parametrize("hour", [-1, 24, False])
def test_follow_up_hour_must_be_an_hour(hour: int) -> None:
    with pytest.raises(ValidationError) as caught:
        plan_follow_up(FALL_BACK, MADRID, hour)
    assert caught.value.code == "out_of_range"


def test_follow_up_duration_is_validated() -> None:
    with pytest.raises(ValidationError) as caught:
        plan_follow_up(FALL_BACK, MADRID, duration=timedelta(0))
    assert caught.value.code == "zero_duration"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_next_working_day_is_the_next_weekday(day: date) -> None:
    following = next_working_day(day)
    assert following.weekday() < 5 and day < following <= day + timedelta(days=3)
    between = [day + timedelta(days=n) for n in range(1, (following - day).days)]
    assert all(d.weekday() >= 5 for d in between)


def test_next_working_day_examples() -> None:
    assert next_working_day(date(2026, 11, 27)) == date(2026, 11, 30)  # Fri → Mon
    assert next_working_day(date(2026, 11, 29)) == date(2026, 11, 30)  # Sun → Mon
    assert next_working_day(date(2026, 11, 25)) == date(2026, 11, 26)
