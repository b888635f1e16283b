"""Column types: aware UTC datetimes stored as sortable text, exact decimals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfa_desktop.store.types import ExactDecimal, UTCDateTime, format_utc, parse_utc

aware_datetimes = st.datetimes(
    min_value=dt.datetime(1000, 1, 1),
    max_value=dt.datetime(9999, 12, 30),
    timezones=st.sampled_from(
        [
            dt.UTC,
            dt.timezone(dt.timedelta(hours=2)),
            dt.timezone(dt.timedelta(hours=-7, minutes=-30)),
        ]
    ),
)


@given(aware_datetimes)
def test_datetime_round_trip_is_the_same_instant_in_utc(value: dt.datetime) -> None:
    stored = format_utc(value)
    assert len(stored) == 27 and stored.endswith("Z")
    back = parse_utc(stored)
    assert back == value
    assert back.utcoffset() == dt.timedelta(0)


@given(aware_datetimes, aware_datetimes)
def test_stored_text_sorts_like_time(a: dt.datetime, b: dt.datetime) -> None:
    assert (format_utc(a) < format_utc(b)) == (a < b)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        UTCDateTime().process_bind_param(dt.datetime(2026, 1, 1), None)  # type: ignore[arg-type]


def test_non_datetimes_are_refused() -> None:
    with pytest.raises(TypeError):
        UTCDateTime().process_bind_param("2026-01-01T00:00:00Z", None)  # type: ignore[arg-type]


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=6, min_value=-(10**11), max_value=10**11
    )
)
def test_decimal_round_trip_is_exact(value: Decimal) -> None:
    kind = ExactDecimal()
    stored = kind.process_bind_param(value, None)  # type: ignore[arg-type]
    assert kind.process_result_value(stored, None) == value  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", [1.5, "2", True, Decimal("NaN")])
def test_decimal_refuses_floats_text_and_nan(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        ExactDecimal().process_bind_param(bad, None)  # type: ignore[arg-type]
