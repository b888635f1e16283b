"""The one rule for a quote's totals, shared by the editor, lists, PDF, CLI and server.

The rule (Spanish invoicing: *base imponible* and *cuota* per VAT rate):

1. **Line net** = quantity × unit price × (1 − discount % / 100), rounded half-up (halves away
   from zero) to the currency's minor unit: EUR 2 decimals, JPY 0, KWD 3. The product is exact;
   only the final figure is rounded, once.
2. **Base per rate** = the sum of the rounded nets of the lines taxed at that rate.
   **Tax per rate** = base × rate / 100, rounded half-up to the minor unit. Tax is never
   computed per line, so the cuota matches what the customer checks with a calculator.
3. **Subtotal** = Σ bases; **tax total** = Σ taxes; **total** = subtotal + tax total.
4. Only *item* lines carry amounts. *Section* headings and free *text* lines have none. An
   *optional* item gets its net computed (the document shows it) but is left out of the bases,
   the section subtotals and the totals.
5. A **section** runs from its heading to the next heading; its subtotal is the sum of its
   non-optional nets. Items before the first heading belong to no section, so
   Σ section subtotals + those items' nets = subtotal.

The totals do not depend on the order of the lines (only section subtotals do, by design).
Everything is ``Decimal``: products run in a private context that traps inexact results, so a
figure is either exact or refused (``out_of_range``), never silently rounded; rounding happens
only in the quantization of rule 1 and 2. The minor unit comes from CLDR through babel, the
same source :class:`sfa_desktop.domain.money.Money` uses, so both sides round alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from functools import cache
from typing import Literal, Protocol

from babel import numbers as babel_numbers

from .formats import normalize_currency
from .rejections import ValueRejected

LineKind = Literal["item", "section", "text"]
LINE_KINDS: tuple[LineKind, ...] = ("item", "section", "text")

TOTALS_ROUNDING = ROUND_HALF_UP
"""Rounding of every line net and every tax figure (halves away from zero)."""

_EXACT = Context(
    prec=60, rounding=TOTALS_ROUNDING, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact]
)
_ROUND = Context(prec=60, rounding=TOTALS_ROUNDING, traps=[InvalidOperation, Overflow])
_HUNDRED = Decimal(100)
_ZERO = Decimal(0)


class TotalsLine(Protocol):
    """What the rule reads from a line (a quote line row, an editor row, a PDF line)."""

    @property
    def kind(self) -> LineKind: ...
    @property
    def quantity(self) -> Decimal: ...
    @property
    def unit_price(self) -> Decimal: ...
    @property
    def discount_pct(self) -> Decimal: ...
    @property
    def tax_rate_pct(self) -> Decimal: ...
    @property
    def optional(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class LineAmounts:
    """The figures of one line; ``unit_price`` in major units (12.5 is 12.50 €)."""

    kind: LineKind = "item"
    quantity: Decimal = Decimal(1)
    unit_price: Decimal = _ZERO
    discount_pct: Decimal = _ZERO
    tax_rate_pct: Decimal = _ZERO
    optional: bool = False


@dataclass(frozen=True, slots=True)
class RateTotal:
    """One row of the tax summary: the base imponible and cuota of a rate."""

    rate_pct: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True, slots=True)
class SectionTotal:
    """The subtotal of the section whose heading is ``lines[heading_index]``."""

    heading_index: int
    subtotal: Decimal


@dataclass(frozen=True, slots=True)
class QuoteTotals:
    """Every figure of a quote, rounded to its currency's minor unit.

    ``line_nets[i]`` is the net of ``lines[i]`` (``None`` for headings and text lines; set for
    optional items too). ``rates`` is sorted by rate. ``optional_subtotal`` is the sum of the
    optional items' nets, shown apart and never added to ``total``.
    """

    currency: str
    line_nets: tuple[Decimal | None, ...]
    sections: tuple[SectionTotal, ...]
    rates: tuple[RateTotal, ...]
    subtotal: Decimal
    tax_total: Decimal
    total: Decimal
    optional_subtotal: Decimal


@cache
def minor_unit_digits(currency: str) -> int:
    """Decimals of ``currency``'s minor unit from CLDR (EUR 2, JPY 0, KWD 3).

    Raises :class:`ValueRejected` ``invalid_currency`` for a code babel does not know.
    """
    return int(babel_numbers.get_currency_precision(normalize_currency(currency)))


def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_unit_digits(currency))


def _decimal(value: object, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{field} must be Decimal or int, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueRejected(field, "invalid_number", "not a finite number", {"value": str(value)})
    return number


def _rounded(value: Decimal, quantum: Decimal, field: str) -> Decimal:
    try:
        return value.quantize(quantum, context=_ROUND)
    except InvalidOperation as error:
        raise ValueRejected(
            field, "out_of_range", "too many digits", {"value": str(value)}
        ) from error


def _exact(
    operation: Literal["add", "multiply", "divide"], left: Decimal, right: Decimal, field: str
) -> Decimal:
    try:
        result: Decimal = getattr(_EXACT, operation)(left, right)
    except (Inexact, Overflow, InvalidOperation) as error:
        raise ValueRejected(
            field, "out_of_range", "too many digits", {"value": f"{left} {operation} {right}"}
        ) from error
    return result


def _checked_percent(value: object, field: str) -> Decimal:
    number = _decimal(value, field)
    if not _ZERO <= number <= _HUNDRED:
        raise ValueRejected(
            field,
            "out_of_range",
            "not between 0 and 100",
            {"value": str(number), "min": 0, "max": 100},
        )
    return number


def line_net(
    quantity: Decimal | int,
    unit_price: Decimal | int,
    discount_pct: Decimal | int,
    currency: str,
) -> Decimal:
    """quantity × unit price × (1 − discount / 100), rounded half-up to the minor unit.

    ``line_net(Decimal(3), Decimal("19.99"), Decimal(10), "EUR")`` is ``Decimal("53.97")``.
    """
    qty = _decimal(quantity, "quantity")
    price = _decimal(unit_price, "unit_price")
    discount = _checked_percent(discount_pct, "discount_pct")
    gross = _exact("multiply", qty, price, "unit_price")
    kept = _exact("multiply", gross, _HUNDRED - discount, "discount_pct")
    return _rounded(_exact("divide", kept, _HUNDRED, "discount_pct"), _quantum(currency), "amount")


def rate_key(rate_pct: Decimal) -> Decimal:
    """One representative per rate value (21, 21.0 and 21.00 are one rate, shown as 21)."""
    if rate_pct == rate_pct.to_integral_value():
        return rate_pct.quantize(Decimal(1))
    return rate_pct.normalize()


def tax_on(base: Decimal, rate_pct: Decimal, currency: str) -> Decimal:
    """The cuota of ``base`` at ``rate_pct``, rounded half-up to the minor unit."""
    raw = _exact(
        "divide", _exact("multiply", base, rate_pct, "tax_rate_pct"), _HUNDRED, "tax_rate_pct"
    )
    return _rounded(raw, _quantum(currency), "amount")


def quote_totals(lines: Sequence[TotalsLine], currency: str) -> QuoteTotals:
    """Apply the module's rule to ``lines`` (in document order) in ``currency``."""
    code = normalize_currency(currency)
    quantum = _quantum(code)
    zero = _ZERO.quantize(quantum)
    nets: list[Decimal | None] = []
    bases: dict[Decimal, Decimal] = {}
    sections: list[SectionTotal] = []
    section_sum = zero
    optional_sum = zero
    for index, line in enumerate(lines):
        kind = line.kind
        if kind == "section":
            if sections:
                sections[-1] = SectionTotal(sections[-1].heading_index, section_sum)
            sections.append(SectionTotal(index, zero))
            section_sum = zero
            nets.append(None)
            continue
        if kind == "text":
            nets.append(None)
            continue
        if kind != "item":
            raise ValueRejected("kind", "invalid_choice", "not a line kind", {"value": str(kind)})
        net = line_net(line.quantity, line.unit_price, line.discount_pct, code)
        nets.append(net)
        if line.optional:
            optional_sum = _exact("add", optional_sum, net, "amount")
            continue
        rate = rate_key(_checked_percent(line.tax_rate_pct, "tax_rate_pct"))
        bases[rate] = _exact("add", bases.get(rate, zero), net, "amount")
        section_sum = _exact("add", section_sum, net, "amount")
    if sections:
        sections[-1] = SectionTotal(sections[-1].heading_index, section_sum)
    rates = tuple(
        RateTotal(rate, base, tax_on(base, rate, code)) for rate, base in sorted(bases.items())
    )
    subtotal = _sum((r.base for r in rates), zero)
    tax_total = _sum((r.tax for r in rates), zero)
    return QuoteTotals(
        currency=code,
        line_nets=tuple(nets),
        sections=tuple(sections),
        rates=rates,
        subtotal=subtotal,
        tax_total=tax_total,
        total=_exact("add", subtotal, tax_total, "amount"),
        optional_subtotal=optional_sum,
    )


def _sum(values: Iterable[Decimal], start: Decimal) -> Decimal:
    total = start
    for value in values:
        total = _exact("add", total, value, "amount")
    return total
