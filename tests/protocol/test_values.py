"""Wire value checks: what the server accepts for each field type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync_server.protocol.catalog import (
    ACCOUNT,
    CONTACT,
    OPPORTUNITY,
    QUOTE_LINE,
    FieldSpec,
    FieldType,
)
from sync_server.protocol.values import ValueRejected, check_wire_value, to_python, to_wire


def reject_code(spec: FieldSpec, value: object) -> str:
    with pytest.raises(ValueRejected) as info:
        check_wire_value(spec, value)
    return info.value.code


def test_required_text_rejects_none_and_blank() -> None:
    assert reject_code(ACCOUNT.field("name"), None) == "required"
    assert reject_code(ACCOUNT.field("name"), "   ") == "required"
    assert check_wire_value(ACCOUNT.field("name"), "Talleres Ruiz") == "Talleres Ruiz"


def test_text_limits() -> None:
    assert reject_code(ACCOUNT.field("tax_id"), "X" * 21) == "too_long"
    assert reject_code(ACCOUNT.field("city"), 42) == "bad_type"
    assert reject_code(ACCOUNT.field("city"), "a\x00b") == "bad_value"


def test_enum_and_refs() -> None:
    assert reject_code(ACCOUNT.field("lifecycle_stage"), "vip") == "invalid_choice"
    assert check_wire_value(ACCOUNT.field("lifecycle_stage"), "customer") == "customer"
    assert reject_code(CONTACT.field("account_id"), "not-a-uuid") == "bad_value"
    upper = "0192F3A1-0000-7000-8000-000000000001"
    assert check_wire_value(CONTACT.field("account_id"), upper) == upper.lower()


def test_numbers() -> None:
    assert reject_code(OPPORTUNITY.field("amount"), 1.5) == "bad_type"
    assert reject_code(OPPORTUNITY.field("amount"), True) == "bad_type"
    assert reject_code(ACCOUNT.field("latitude"), float("nan")) == "bad_value"
    assert check_wire_value(ACCOUNT.field("latitude"), 40) == 40.0


def test_decimals_are_canonical_text() -> None:
    spec = QUOTE_LINE.field("discount_pct")
    assert check_wire_value(spec, "12.50") == "12.5"
    assert check_wire_value(spec, "21.00") == "21"
    assert reject_code(spec, "abc") == "bad_value"
    assert reject_code(spec, "Infinity") == "out_of_range"
    assert reject_code(spec, 1.5) == "bad_type"


def test_dates_and_datetimes() -> None:
    assert check_wire_value(OPPORTUNITY.field("expected_close_date"), "2026-11-25") == "2026-11-25"
    assert reject_code(OPPORTUNITY.field("expected_close_date"), "25/11/2026") == "bad_value"
    spec = CONTACT.field("consent_at")
    assert check_wire_value(spec, "2026-11-25T09:30:00+01:00") == "2026-11-25T08:30:00.000000Z"
    assert reject_code(spec, "2026-11-25T09:30:00") == "bad_value"  # naive: ambiguous


def test_tags_are_trimmed_and_deduplicated() -> None:
    spec = ACCOUNT.field("tags")
    assert check_wire_value(spec, [" a", "b", "a", ""]) == ["a", "b"]
    assert reject_code(spec, "a,b") == "bad_type"


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9, places=4
    )
)
def test_decimal_round_trip(value: Decimal) -> None:
    spec = FieldSpec("q", FieldType.DECIMAL)
    assert to_python(spec, to_wire(spec, value)) == value


@given(st.datetimes(timezones=st.just(dt.UTC)))
def test_datetime_round_trip(value: dt.datetime) -> None:
    spec = FieldSpec("t", FieldType.DATETIME)
    assert to_python(spec, to_wire(spec, value)) == value
