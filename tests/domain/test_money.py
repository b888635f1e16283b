"""Money: exact arithmetic, minor units, half-up rounding, locale parsing and formatting."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfa_desktop.domain.errors import DomainError, ValidationError
from sfa_desktop.domain.money import MAX_MINOR_UNITS, Money, currency_precision

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, max_examples=150)

CURRENCIES = ["EUR", "USD", "JPY", "KWD", "GBP", "CHF"]
LOCALES = ["es_ES", "en_US", "de_DE"]

amounts = st.decimals(
    min_value=Decimal("-1000000000000"),
    max_value=Decimal("1000000000000"),
    allow_nan=False,
    allow_infinity=False,
    places=6,
)
minor_units = st.integers(min_value=-(10**15), max_value=10**15)
currencies = st.sampled_from(CURRENCIES)


def eur(text: str) -> Money:
    return Money(Decimal(text), "EUR")


# construction -----------------------------------------------------------------------------


def test_currency_code_is_normalized_and_checked() -> None:
    assert Money(Decimal("1"), " eur ").currency == "EUR"
    with pytest.raises(ValidationError) as caught:
        Money(Decimal("1"), "EUX")
    assert caught.value.code == "invalid_currency"
    assert caught.value.field == "currency"


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        Money(1.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        eur("1") * 1.5  # type: ignore[operator]


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", "sNaN"])
def test_non_finite_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Money(Decimal(text), "EUR")
    assert caught.value.code == "invalid_money"


def test_zero_and_precision_per_currency() -> None:
    assert Money.zero("EUR").is_zero()
    assert currency_precision("EUR") == 2
    assert currency_precision("JPY") == 0
    assert currency_precision("KWD") == 3


# minor units and rounding -------------------------------------------------------------------


def test_minor_units() -> None:
    assert Money.from_minor(123450, "EUR") == eur("1234.50")
    assert eur("1234.5").to_minor() == 123450
    assert Money.from_minor(1234, "JPY").amount == Decimal("1234")
    assert Money(Decimal("1234"), "JPY").to_minor() == 1234
    assert Money.from_minor(1, "KWD").amount == Decimal("0.001")


@pytest.mark.parametrize(
    ("amount", "expected_minor"),
    [
        ("0.005", 1),
        ("0.015", 2),
        ("0.025", 3),  # half-even would give 2
        ("0.0049999", 0),
        ("1234.505", 123451),
        ("-0.005", -1),  # halves go away from zero
        ("-0.015", -2),
    ],
)
def test_rounding_is_half_up_at_half_a_cent(amount: str, expected_minor: int) -> None:
    assert eur(amount).to_minor() == expected_minor


def test_jpy_rounds_to_whole_yen() -> None:
    assert Money(Decimal("2.5"), "JPY").to_minor() == 3
    assert Money(Decimal("2.4"), "JPY").quantize().amount == Decimal("2")
    assert Money(Decimal("1234.4"), "JPY").format("es_ES") == "1.234\xa0JPY"
    assert Money(Decimal("1234"), "JPY").format("en_US") == "¥1,234"


def test_to_minor_refuses_what_storage_cannot_hold() -> None:
    too_big = Money.from_minor(MAX_MINOR_UNITS, "EUR") + eur("0.01")
    with pytest.raises(DomainError) as caught:
        too_big.to_minor()
    assert caught.value.code == "out_of_range"


@DETERMINISTIC
@given(amount=amounts, currency=currencies)
def test_minor_round_trip_equals_quantize(amount: Decimal, currency: str) -> None:
    money = Money(amount, currency)
    assert Money.from_minor(money.to_minor(), currency) == money.quantize()


@DETERMINISTIC
@given(minor=minor_units, currency=currencies)
def test_from_minor_is_exact(minor: int, currency: str) -> None:
    assert Money.from_minor(minor, currency).to_minor() == minor


@DETERMINISTIC
@given(amount=amounts, currency=currencies)
def test_quantize_is_idempotent_and_within_half_a_unit(amount: Decimal, currency: str) -> None:
    money = Money(amount, currency)
    once = money.quantize()
    assert once.quantize() == once
    half_unit = Decimal(1).scaleb(-currency_precision(currency)) / 2
    assert abs(once.amount - money.amount) <= half_unit


# arithmetic -------------------------------------------------------------------------------


@DETERMINISTIC
@given(a=minor_units, b=minor_units, c=minor_units, currency=currencies)
def test_addition_is_associative_and_exact_in_minor_units(
    a: int, b: int, c: int, currency: str
) -> None:
    x, y, z = (Money.from_minor(v, currency) for v in (a, b, c))
    assert (x + y) + z == x + (y + z)
    assert ((x + y) + z).to_minor() == a + b + c
    assert (x - y).to_minor() == a - b


def test_arithmetic() -> None:
    assert eur("10.10") + eur("0.20") == eur("10.30")
    assert eur("10") - eur("12.5") == eur("-2.5")
    assert eur("19.99") * 3 == eur("59.97")
    assert 3 * eur("19.99") == eur("59.97")
    assert (eur("100") * Decimal("0.21")).to_minor() == 2100
    assert -eur("5") == eur("-5")
    assert abs(eur("-5")) == eur("5")
    assert sum([eur("1"), eur("2.5")], Money.zero("EUR")) == eur("3.5")


def test_unrounded_intermediate_amounts_are_kept() -> None:
    unit_price = eur("0.0125")
    assert (unit_price * 1000).amount == Decimal("12.5")
    assert unit_price.quantize() == eur("0.01")


def test_currency_mismatch() -> None:
    usd = Money(Decimal("1"), "USD")
    for operation in (
        lambda: eur("1") + usd,
        lambda: eur("1") - usd,
        lambda: eur("1") < usd,
        lambda: eur("1") >= usd,
    ):
        with pytest.raises(DomainError) as caught:
            operation()
        assert caught.value.code == "currency_mismatch"
        assert caught.value.params == {"left": "EUR", "right": "USD"}
    assert eur("1") != usd


def test_comparison_and_equality_ignore_scale() -> None:
    assert eur("1.5") == eur("1.50")
    assert hash(eur("1.5")) == hash(eur("1.50"))
    assert eur("1") < eur("1.01") <= eur("1.01") < eur("2")
    assert max(eur("3"), eur("7"), eur("5")) == eur("7")
    assert eur("-1").is_negative()


# locale text ------------------------------------------------------------------------------


def test_format_uses_locale_conventions_and_non_breaking_spaces() -> None:
    assert eur("1234.5").format("es_ES") == "1.234,50\xa0€"
    assert eur("1234.5").format("de_DE") == "1.234,50\xa0€"
    assert Money(Decimal("1234.5"), "USD").format("en_US") == "$1,234.50"
    assert eur("0.125").format("es_ES") == "0,13\xa0€"  # half-up, like to_minor


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("1.234,50", "es_ES", "1234.50"),
        ("1234,5", "es_ES", "1234.5"),
        ("1,234.50", "en_US", "1234.50"),
        ("1234.5", "en_US", "1234.5"),
        ("  -12,30 € ", "es_ES", "-12.30"),
        ("EUR 7", "en_US", "7"),
        ("7 eur", "es_ES", "7"),
        ("−3,50", "de_DE", "-3.50"),
        ("1\u202f234,5", "fr_FR", "1234.5"),
        ("1 234,5", "fr_FR", "1234.5"),
    ],
)
def test_parse_user_input(text: str, locale: str, expected: str) -> None:
    assert Money.parse(text, "EUR", locale) == eur(expected)


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("1,234.50", "es_ES"),
        ("1.234,50", "en_US"),
        ("abc", "es_ES"),
        ("12abc", "es_ES"),
        ("1.2.3", "es_ES"),
        ("NaN", "en_US"),
        ("Infinity", "en_US"),
        ("1e5", "en_US"),
        ("١٢٣", "en_US"),
        ("€", "es_ES"),
        ("5-", "es_ES"),
        ("--5", "es_ES"),
        ("$5", "es_ES"),
    ],
)
def test_parse_rejects_garbage(text: str, locale: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Money.parse(text, "EUR", locale, field="unit_price")
    assert caught.value.code == "invalid_money"
    assert caught.value.field == "unit_price"
    assert caught.value.params["value"] == text


def test_parse_blank_is_required() -> None:
    with pytest.raises(ValidationError) as caught:
        Money.parse("   ", "EUR", "es_ES")
    assert caught.value.code == "required"


@DETERMINISTIC
@given(amount=amounts, currency=currencies, locale=st.sampled_from(LOCALES))
def test_parse_of_format_round_trips(amount: Decimal, currency: str, locale: str) -> None:
    money = Money(amount, currency)
    assert Money.parse(money.format(locale), currency, locale) == money.quantize()
