"""The one totals rule of a quote (sync_server.protocol.quote_totals)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel import numbers as babel_numbers
from hypothesis import given, settings
from hypothesis import strategies as st

from sfa_desktop.domain.money import Money, currency_precision
from sync_server.protocol.quote_totals import (
    LineAmounts,
    QuoteTotals,
    line_net,
    minor_unit_digits,
    quote_totals,
    rate_key,
)
from sync_server.protocol.rejections import ValueRejected

D = Decimal


def item(
    qty: str,
    price: str,
    discount: str = "0",
    rate: str = "21",
    *,
    optional: bool = False,
) -> LineAmounts:
    return LineAmounts("item", D(qty), D(price), D(discount), D(rate), optional)


SECTION = LineAmounts("section")
TEXT = LineAmounts("text")

# --- strategies ---------------------------------------------------------------------------------

quantities = st.decimals(min_value=0, max_value=10_000, places=3)
prices = st.decimals(min_value=0, max_value=1_000_000, places=4)
percents = st.decimals(min_value=0, max_value=100, places=2)
rates = st.sampled_from([D(0), D(4), D(10), D(21), D("21.00"), D("5.5"), D("10.0")])

items = st.builds(
    LineAmounts,
    kind=st.just("item"),
    quantity=quantities,
    unit_price=prices,
    discount_pct=percents,
    tax_rate_pct=rates,
    optional=st.booleans(),
)
any_lines = st.lists(
    st.one_of(items, items, items, st.just(SECTION), st.just(TEXT)), min_size=0, max_size=40
)
currencies = st.sampled_from(["EUR", "USD", "JPY", "KWD", "CLP", "BHD", "GBP"])


def _exponent_ok(value: Decimal, currency: str) -> bool:
    return value.as_tuple().exponent == -minor_unit_digits(currency)


# --- the rule, by example -----------------------------------------------------------------------


def test_a_line_net_is_qty_times_price_less_discount_rounded_half_up() -> None:
    assert line_net(D(3), D("19.99"), D(10), "EUR") == D("53.97")  # 53.973
    assert line_net(D(1), D("0.125"), D(0), "EUR") == D("0.13")  # a half goes up
    assert line_net(D(1), D("0.135"), D(0), "EUR") == D("0.14")  # not to even
    assert line_net(D(1), D("-0.125"), D(0), "EUR") == D("-0.13")  # away from zero
    assert line_net(D(1), D("2.5"), D(0), "JPY") == D(3)
    assert line_net(D(1), D("1.0005"), D(0), "KWD") == D("1.001")


def test_tax_is_computed_per_rate_on_the_sum_of_rounded_nets() -> None:
    # Three lines of 0.10 € at 21 %: per line the tax would be 3 × 0.02 = 0.06;
    # on the base (0.30 €) it is 0.063 → 0.06. With 0.05 € lines: 3 × 0.01 vs 0.0315 → 0.03.
    lines = [item("1", "0.05"), item("1", "0.05"), item("1", "0.05"), item("2", "10", rate="10")]
    totals = quote_totals(lines, "EUR")
    assert [(r.rate_pct, r.base, r.tax) for r in totals.rates] == [
        (D(10), D("20.00"), D("2.00")),
        (D(21), D("0.15"), D("0.03")),
    ]
    assert totals.subtotal == D("20.15")
    assert totals.tax_total == D("2.03")
    assert totals.total == D("22.18")


def test_sections_text_and_optional_lines() -> None:
    lines = [
        item("1", "5"),  # before the first heading: in no section
        SECTION,
        item("2", "100", "10"),
        TEXT,
        item("1", "50", optional=True),
        SECTION,
        item("1", "30", rate="10"),
    ]
    totals = quote_totals(lines, "EUR")
    assert totals.line_nets == (D("5.00"), None, D("180.00"), None, D("50.00"), None, D("30.00"))
    assert [(s.heading_index, s.subtotal) for s in totals.sections] == [
        (1, D("180.00")),
        (5, D("30.00")),
    ]
    assert totals.optional_subtotal == D("50.00")
    assert totals.subtotal == D("215.00")
    assert totals.tax_total == D("38.85") + D("3.00")
    assert totals.total == D("256.85")


def test_an_empty_quote_totals_zero_in_the_currency_scale() -> None:
    totals = quote_totals([], "KWD")
    assert totals.total == D("0.000") and _exponent_ok(totals.total, "KWD")
    assert totals.rates == () and totals.sections == ()


def test_equal_rates_written_differently_are_one_rate() -> None:
    totals = quote_totals([item("1", "1", rate="21"), item("1", "1", rate="21.00")], "EUR")
    assert [(r.rate_pct, r.base) for r in totals.rates] == [(D(21), D("2.00"))]
    assert str(rate_key(D("10.50"))) == "10.5"
    assert str(rate_key(D("21.00"))) == "21"


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (item("1", "1", discount="101"), "discount_pct"),
        (item("1", "1", discount="-1"), "discount_pct"),
        (item("1", "1", rate="-21"), "tax_rate_pct"),
        (LineAmounts("item", D("NaN")), "quantity"),
        (item("1E+70", "1E+70"), "amount"),
    ],
)
def test_bad_figures_are_refused_with_a_field(line: LineAmounts, field: str) -> None:
    with pytest.raises(ValueRejected) as caught:
        quote_totals([line], "EUR")
    assert caught.value.field == field


def test_floats_and_unknown_currencies_are_refused() -> None:
    with pytest.raises(TypeError):
        line_net(1.5, D(1), D(0), "EUR")  # type: ignore[arg-type]
    with pytest.raises(ValueRejected) as caught:
        quote_totals([], "XXQ")
    assert caught.value.code == "invalid_currency"


# --- minor units agree with babel and with Money -------------------------------------------------


def test_minor_units_agree_with_babel_and_money_for_every_currency() -> None:
    for code in sorted(babel_numbers.list_currencies()):
        digits = minor_unit_digits(code)
        assert digits == babel_numbers.get_currency_precision(code), code
        assert digits == currency_precision(code), code
    assert (minor_unit_digits("EUR"), minor_unit_digits("JPY"), minor_unit_digits("KWD")) == (
        2,
        0,
        3,
    )


@given(qty=quantities, price=prices, discount=percents, currency=currencies)
def test_a_line_net_rounds_like_money(
    qty: Decimal, price: Decimal, discount: Decimal, currency: str
) -> None:
    exact = qty * price * (D(100) - discount) / D(100)
    net = line_net(qty, price, discount, currency)
    assert net == Money(exact, currency).quantize().amount
    assert _exponent_ok(net, currency)


# --- properties ---------------------------------------------------------------------------------


def _essentials(totals: QuoteTotals) -> tuple[object, ...]:
    return (totals.rates, totals.subtotal, totals.tax_total, totals.total, totals.optional_subtotal)


@settings(max_examples=150)
@given(lines=any_lines, currency=currencies, data=st.data())
def test_totals_do_not_depend_on_line_order(
    lines: list[LineAmounts], currency: str, data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(lines))
    assert _essentials(quote_totals(shuffled, currency)) == _essentials(
        quote_totals(lines, currency)
    )


@settings(max_examples=150)
@given(lines=any_lines, currency=currencies)
def test_bases_sum_to_the_subtotal_and_every_figure_is_exact_at_the_minor_unit(
    lines: list[LineAmounts], currency: str
) -> None:
    totals = quote_totals(lines, currency)
    assert sum((r.base for r in totals.rates), D(0)) == totals.subtotal
    assert sum((r.tax for r in totals.rates), D(0)) == totals.tax_total
    assert totals.subtotal + totals.tax_total == totals.total
    figures = [totals.subtotal, totals.tax_total, totals.total, totals.optional_subtotal]
    figures += [r.base for r in totals.rates] + [r.tax for r in totals.rates]
    figures += [n for n in totals.line_nets if n is not None]
    figures += [s.subtotal for s in totals.sections]
    for figure in figures:
        assert isinstance(figure, Decimal)
        assert _exponent_ok(figure, currency), (figure, currency)
    non_optional = [
        net
        for line, net in zip(lines, totals.line_nets, strict=True)
        if net is not None and not line.optional
    ]
    assert sum(non_optional, D(0)) == totals.subtotal


@settings(max_examples=100)
@given(lines=any_lines, extra=st.lists(items, max_size=5), currency=currencies)
def test_optional_lines_do_not_change_the_totals(
    lines: list[LineAmounts], extra: list[LineAmounts], currency: str
) -> None:
    optional = [
        LineAmounts("item", e.quantity, e.unit_price, e.discount_pct, e.tax_rate_pct, True)
        for e in extra
    ]
    before = quote_totals(lines, currency)
    after = quote_totals(lines + optional, currency)
    assert _essentials(after)[:4] == _essentials(before)[:4]
    assert after.optional_subtotal == before.optional_subtotal + sum(
        (n for n in after.line_nets[len(lines) :] if n is not None), D(0)
    )


@settings(max_examples=150)
@given(lines=any_lines, currency=currencies)
def test_section_subtotals_sum_to_the_non_optional_subtotal(
    lines: list[LineAmounts], currency: str
) -> None:
    totals = quote_totals([SECTION, *lines], currency)
    assert sum((s.subtotal for s in totals.sections), D(0)) == totals.subtotal
    assert totals.sections[0].heading_index == 0


@given(
    whole=st.integers(min_value=0, max_value=10**9),
    currency=st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_a_half_of_the_minor_unit_rounds_up(whole: int, currency: str) -> None:
    digits = minor_unit_digits(currency)
    half = D(5).scaleb(-(digits + 1))
    price = D(whole).scaleb(-digits) + half
    assert line_net(D(1), price, D(0), currency) == D(whole + 1).scaleb(-digits)
    assert line_net(D(1), -price, D(0), currency) == -D(whole + 1).scaleb(-digits)
