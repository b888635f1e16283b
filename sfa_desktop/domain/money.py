"""Money: an exact ``Decimal`` amount in one ISO 4217 currency.

Design choices:

* Never ``float``. Amounts are ``Decimal`` in code and integer minor units in storage
  (:meth:`Money.to_minor` / :meth:`Money.from_minor`).
* An amount may carry more decimals than its currency (a unit price of 0.0125 €); it is
  rounded only when it becomes a stored or shown figure (:meth:`Money.quantize`).
* Rounding is ROUND_HALF_UP (halves away from zero: 0.125 € → 0.13 €, -0.125 € → -0.13 €).
  That is the commercial rule Spanish and EU invoices follow, and what customers check
  with a calculator; banker's rounding (half-even) would surprise them.
* Precision comes from CLDR via babel: EUR has 2 decimals, JPY 0, KWD 3.
* Arithmetic runs in a private decimal context (50 digits, traps on), so results do not
  depend on whatever context the calling thread set up.
* :meth:`Money.format` uses babel, which puts a non-breaking space between number and
  symbol (``"1.234,50\\xa0€"`` in es_ES); that is correct typography, keep it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import (
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from functools import cache

from babel import numbers as babel_numbers

from sfa_desktop.domain.errors import DomainError, ValidationError
from sfa_desktop.domain.localized_numbers import LocaleLike, as_locale, parse_decimal
from sync_server.protocol.formats import normalize_currency as _normalize_currency
from sync_server.protocol.formats.places import known_currencies as _known_currencies
from sync_server.protocol.rejections import ValueRejected

MONEY_ROUNDING = ROUND_HALF_UP
"""Rounding mode for every money amount (see the module docstring)."""

MAX_MINOR_UNITS = 2**63 - 1
"""Largest magnitude :meth:`Money.to_minor` returns: a signed 64-bit SQLite INTEGER."""

_CONTEXT = Context(
    prec=50, rounding=MONEY_ROUNDING, traps=[InvalidOperation, DivisionByZero, Overflow]
)


def known_currencies() -> frozenset[str]:
    """All ISO 4217 codes babel knows (current and historic)."""
    return _known_currencies()


def normalize_currency(code: str, *, field: str = "currency") -> str:
    """Return ``code`` upper-cased if it is a known ISO 4217 code, else raise ``invalid_currency``.

    The rule is the sync server's (:func:`sync_server.protocol.formats.normalize_currency`).
    """
    try:
        return _normalize_currency(code, field)
    except ValueRejected as error:
        raise ValidationError(error.code, field=field, params=error.params) from None


@cache
def currency_precision(currency: str) -> int:
    """Number of decimals of ``currency``'s minor unit (EUR 2, JPY 0, KWD 3)."""
    return babel_numbers.get_currency_precision(normalize_currency(currency))


@dataclass(frozen=True, slots=True)
class Money:
    """An immutable amount of one currency. Combine only with the same currency."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        amount: object = self.amount
        if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
            raise TypeError(f"Money amount must be Decimal or int, not {type(amount).__name__}")
        value = Decimal(amount)
        if not value.is_finite():
            raise ValidationError("invalid_money", field="amount", params={"value": str(amount)})
        object.__setattr__(self, "amount", value)
        object.__setattr__(self, "currency", normalize_currency(self.currency))

    # construction ---------------------------------------------------------------------

    @classmethod
    def zero(cls, currency: str) -> Money:
        """Zero in ``currency``."""
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        """Build from integer minor units: ``from_minor(123450, "EUR")`` is 1234.50 €."""
        if isinstance(minor, bool) or not isinstance(minor, int):
            raise TypeError(f"minor units must be int, not {type(minor).__name__}")
        return cls(Decimal(minor).scaleb(-currency_precision(currency)), currency)

    @classmethod
    def parse(cls, text: str, currency: str, locale: LocaleLike, *, field: str = "amount") -> Money:
        """Parse user input in ``locale`` conventions: ``"1.234,50"`` (es_ES), ``"1,234.50"``.

        The currency symbol or code may be present (so the output of :meth:`format` parses
        back). Decimals beyond the currency's precision are kept, not rounded. Raises
        ``"required"`` for blank input and ``"invalid_money"`` for anything else unparsable.
        """
        code = normalize_currency(currency)
        if not text.strip():
            raise ValidationError("required", field=field)
        loc = as_locale(locale)
        cleaned = text
        symbol = babel_numbers.get_currency_symbol(code, locale=loc)
        for marker in sorted({symbol, code}, key=len, reverse=True):
            cleaned = re.sub(re.escape(marker), "", cleaned, flags=re.IGNORECASE)
        if not cleaned.strip():
            raise ValidationError("invalid_money", field=field, params={"value": text})
        try:
            amount = parse_decimal(cleaned, loc, field=field, code="invalid_money")
        except ValidationError as error:
            error.params["value"] = text
            raise
        return cls(amount, code)

    # conversion ---------------------------------------------------------------------

    @property
    def precision(self) -> int:
        """Decimals of this currency's minor unit."""
        return currency_precision(self.currency)

    def quantize(self) -> Money:
        """Round half-up to the currency's minor unit (0.125 EUR → 0.13 EUR)."""
        exponent = Decimal(1).scaleb(-self.precision)
        try:
            return Money(self.amount.quantize(exponent, context=_CONTEXT), self.currency)
        except InvalidOperation as exc:  # more than 50 significant digits
            raise DomainError(
                "out_of_range", field="amount", params={"value": str(self.amount)}
            ) from exc

    def to_minor(self) -> int:
        """Integer minor units after :meth:`quantize` (1234.505 EUR → 123451).

        Raises ``out_of_range`` beyond a signed 64-bit integer, the storage limit.
        """
        minor = int(self.quantize().amount.scaleb(self.precision, context=_CONTEXT))
        if abs(minor) > MAX_MINOR_UNITS:
            raise DomainError(
                "out_of_range",
                field="amount",
                params={"value": str(self.amount), "min": -MAX_MINOR_UNITS, "max": MAX_MINOR_UNITS},
            )
        return minor

    def format(self, locale: LocaleLike) -> str:
        """Localized text, rounded to the currency: ``"1.234,50\\xa0€"`` in es_ES."""
        return babel_numbers.format_currency(
            self.quantize().amount, self.currency, locale=as_locale(locale)
        )

    # predicates ---------------------------------------------------------------------

    def is_zero(self) -> bool:
        """True when the amount is zero (at any scale)."""
        return self.amount.is_zero()

    def is_negative(self) -> bool:
        """True when the amount is below zero."""
        return self.amount < 0

    # arithmetic ---------------------------------------------------------------------

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise DomainError(
                "currency_mismatch", params={"left": self.currency, "right": other.currency}
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(_CONTEXT.add(self.amount, other.amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(_CONTEXT.subtract(self.amount, other.amount), self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, Decimal | int):
            return NotImplemented  # floats are refused on purpose
        return Money(_CONTEXT.multiply(self.amount, Decimal(factor)), self.currency)

    __rmul__ = __mul__

    def __neg__(self) -> Money:
        return Money(_CONTEXT.minus(self.amount), self.currency)

    def __abs__(self) -> Money:
        return Money(_CONTEXT.abs(self.amount), self.currency)

    # ordering (same currency only) ------------------------------------------------------

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount >= other.amount

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"
