"""Plain numbers typed and shown in the user's locale."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.localized_numbers import (
    format_decimal,
    format_percent,
    parse_decimal,
    round_half_up,
)

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, max_examples=150)


def test_format_decimal() -> None:
    assert format_decimal(Decimal("1234.5"), "es_ES") == "1.234,5"
    assert format_decimal(Decimal("1234.5"), "en_US") == "1,234.5"
    assert format_decimal(Decimal("1234.5"), "es_ES", decimals=2) == "1.234,50"
    assert format_decimal(Decimal("2.345"), "en_US", decimals=2) == "2.35"
    assert format_decimal(7, "de_DE", decimals=0) == "7"


def test_format_percent_takes_points() -> None:
    assert format_percent(Decimal("12.5"), "es_ES") == "12,5\xa0%"
    assert format_percent(10, "en_US") == "10%"
    assert format_percent(Decimal("33.3333"), "es_ES") == "33,33\xa0%"
    assert format_percent(Decimal("12.50"), "de_DE") == "12,5\xa0%"
    assert format_percent(100, "es_ES") == "100\xa0%"
    assert format_percent(Decimal("0.125"), "en_US") == "0.13%"


def test_round_half_up() -> None:
    assert round_half_up(Decimal("2.5"), 0) == Decimal("3")
    assert round_half_up(Decimal("-2.5"), 0) == Decimal("-3")
    assert round_half_up(Decimal("1.005"), 2) == Decimal("1.01")


@pytest.mark.parametrize("text", ["1,5.3", "1e3", "NaN", "12 %", "", "+"])
def test_parse_decimal_rejects(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_decimal(text, "es_ES", field="qty")
    assert caught.value.code == ("required" if not text else "invalid_number")
    assert caught.value.field == "qty"


@DETERMINISTIC
@given(
    value=st.decimals(
        min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
    ),
    locale=st.sampled_from(["es_ES", "en_US", "de_DE", "fr_FR"]),
)
def test_parse_of_format_round_trips(value: Decimal, locale: str) -> None:
    assert parse_decimal(format_decimal(value, locale), locale) == value
    assert parse_decimal(format_decimal(value, locale, decimals=2), locale) == round_half_up(
        value, 2
    )
