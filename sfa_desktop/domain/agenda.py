"""Time rules for the visits agenda: local days and weeks as UTC ranges, visit times.

Visits are stored with aware UTC instants; the agenda shows the rep's local days. A local day
is not always 24 hours long (23 h and 25 h on daylight-saving change days), so bounds are
computed from local midnights, never by adding ``timedelta(days=1)`` to a UTC instant. Every
range is half-open: ``start <= instant < end``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.validation.dates import ensure_aware_utc

MAX_VISIT_DURATION = timedelta(hours=24)
"""Longest span a single visit or activity may have."""

DEFAULT_FOLLOW_UP_DURATION = timedelta(hours=1)


def local_midnight(day: date, tz: ZoneInfo) -> datetime:
    """The UTC instant at which local ``day`` begins in ``tz``.

    Where a clock change skips midnight, the day begins when the clock resumes.
    """
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC ``[start, end)`` of local ``day`` in ``tz`` (23 h or 25 h on DST change days)."""
    return local_midnight(day, tz), local_midnight(day + timedelta(days=1), tz)


def week_start(day: date, first_weekday: int = 0) -> date:
    """The first day of the week holding ``day``; ``first_weekday`` 0 is Monday, 6 Sunday."""
    if isinstance(first_weekday, bool) or first_weekday not in range(7):
        raise ValidationError(
            "out_of_range",
            field="first_weekday",
            params={"min": 0, "max": 6, "value": first_weekday},
        )
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


def week_days(day: date, first_weekday: int = 0) -> list[date]:
    """The seven dates of the week holding ``day``, in order."""
    first = week_start(day, first_weekday)
    return [first + timedelta(days=offset) for offset in range(7)]


def week_bounds(day: date, tz: ZoneInfo, first_weekday: int = 0) -> tuple[datetime, datetime]:
    """UTC ``[start, end)`` of the local week holding ``day`` (Monday-first by default)."""
    first = week_start(day, first_weekday)
    return local_midnight(first, tz), local_midnight(first + timedelta(days=7), tz)


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    """The local calendar date in ``tz`` of an aware ``instant`` (to group visits by day)."""
    return ensure_aware_utc(instant, "instant").astimezone(tz).date()


def validate_visit_times(
    start: datetime, end: datetime, *, max_duration: timedelta = MAX_VISIT_DURATION
) -> tuple[datetime, datetime]:
    """Return ``(start, end)`` in UTC after checking them.

    Codes: ``naive_datetime`` (no time zone), ``end_before_start`` (end earlier than start),
    ``zero_duration`` (end equals start), ``duration_too_long`` (params ``max_hours``). Errors
    concern field ``planned_start`` or ``planned_end``.
    """
    start_utc = ensure_aware_utc(start, "planned_start")
    end_utc = ensure_aware_utc(end, "planned_end")
    if end_utc < start_utc:
        raise ValidationError("end_before_start", field="planned_end")
    if end_utc == start_utc:
        raise ValidationError("zero_duration", field="planned_end")
    if end_utc - start_utc > max_duration:
        raise ValidationError(
            "duration_too_long",
            field="planned_end",
            params={"max_hours": max_duration // timedelta(hours=1)},
        )
    return start_utc, end_utc


def plan_follow_up(
    follow_up_date: date,
    tz: ZoneInfo,
    default_hour: int = 9,
    *,
    duration: timedelta = DEFAULT_FOLLOW_UP_DURATION,
) -> tuple[datetime, datetime]:
    """UTC ``(start, end)`` of the follow-up activity: ``default_hour`` local time that day.

    If that wall time does not exist (skipped by a clock change), it moves later by the length
    of the gap, as ``java.time`` does. ``end`` is ``duration`` of elapsed time later.
    """
    if isinstance(default_hour, bool) or default_hour not in range(24):
        raise ValidationError(
            "out_of_range",
            field="default_hour",
            params={"min": 0, "max": 23, "value": default_hour},
        )
    local_start = datetime.combine(follow_up_date, time(default_hour), tzinfo=tz)
    start = local_start.astimezone(UTC)  # fold=0: a wall time in a gap reads as the old offset
    return validate_visit_times(start, start + duration)


def next_working_day(day: date) -> date:
    """The next day from Monday to Friday after ``day`` (Friday → Monday)."""
    following = day + timedelta(days=1)
    while following.weekday() >= 5:
        following += timedelta(days=1)
    return following


def task_due_times(due: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC ``(start, end)`` of a task due on ``due``: the whole local day ("any time that day")."""
    start = datetime.combine(due, time(), tzinfo=tz).astimezone(UTC)
    end = datetime.combine(due + timedelta(days=1), time(), tzinfo=tz).astimezone(UTC)
    return validate_visit_times(start, end)
