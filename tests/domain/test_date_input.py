"""Dates typed by users, date ranges and time-zone-aware datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.validation import (
    ensure_aware_utc,
    parse_date,
    short_date_pattern,
    validate_date_range,
)

NOV_25 = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("2026-11-25", "es_ES"),
        ("2026-11-25", "en_US"),
        ("25/11/2026", "es_ES"),
        ("25/11/26", "es_ES"),
        (" 25-11-2026 ", "es_ES"),
        ("11/25/2026", "en_US"),
        ("11/25/26", "en_US"),
        ("25.11.26", "de_DE"),
        ("25.11.2026", "de_DE"),
    ],
)
def test_parse_date(text: str, locale: str) -> None:
    assert parse_date(text, locale) == NOV_25


def test_parse_date_keeps_day_month_order_of_the_locale() -> None:
    assert parse_date("5/1/2026", "es_ES") == date(2026, 1, 5)
    assert parse_date("5/1/2026", "en_US") == date(2026, 5, 1)


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("25/11/26", "en_US"),  # no month 25: never guess by swapping
        ("31/2/2026", "es_ES"),
        ("25/11/26/7", "es_ES"),
        ("25/11-2026", "es_ES"),
        ("25/11/202", "es_ES"),
        ("2026-11-5", "es_ES"),
        ("25 nov 2026", "es_ES"),
        ("mañana", "es_ES"),
        ("20261125", "es_ES"),
    ],
)
def test_parse_date_rejects(text: str, locale: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(text, locale, field="valid_until")
    assert caught.value.code == "invalid_date"
    assert caught.value.field == "valid_until"
    assert caught.value.params == {"value": text, "format": short_date_pattern(locale)}


def test_parse_blank_date_is_required() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(" ", "es_ES")
    assert caught.value.code == "required"


def test_short_date_pattern() -> None:
    assert short_date_pattern("es_ES") == "d/M/yy"
    assert short_date_pattern("en_US") == "M/d/yy"


def test_date_range() -> None:
    validate_date_range(NOV_25, NOV_25)
    validate_date_range(NOV_25, None)
    validate_date_range(None, NOV_25)
    with pytest.raises(ValidationError) as caught:
        validate_date_range(NOV_25, NOV_25 - timedelta(days=1), field="planned_end")
    assert (caught.value.code, caught.value.field) == ("end_before_start", "planned_end")
    start = datetime(2026, 11, 25, 10, tzinfo=UTC)
    with pytest.raises(ValidationError):
        validate_date_range(start, start - timedelta(minutes=1))


def test_ensure_aware_utc() -> None:
    madrid_winter = timezone(timedelta(hours=1))
    local = datetime(2026, 11, 25, 10, 30, tzinfo=madrid_winter)
    converted = ensure_aware_utc(local)
    assert converted == local
    assert converted.utcoffset() == timedelta(0)
    assert converted.hour == 9
    with pytest.raises(ValidationError) as caught:
        ensure_aware_utc(datetime(2026, 11, 25, 10, 30), field="check_in")
    assert (caught.value.code, caught.value.field) == ("naive_datetime", "check_in")
