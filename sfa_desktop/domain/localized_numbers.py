"""Locale-aware parsing and formatting of plain numbers (no floats, ever).

Parsing is strict: ``"1.234,50"`` is 1234.50 in ``es_ES`` but an error in ``en_US``, where
the user wrote ``"1,234.50"``. Exponents, ``NaN``, ``Infinity`` and non-ASCII digits are
rejected, so what the user typed is exactly what gets stored.

Formatting goes through babel (CLDR data). Note that babel separates numbers from symbols
with non-breaking spaces (``"12,5\\xa0%"``); this is intended, it keeps a value on one line.
"""

from __future__ import annotations

import copy
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel import Locale
from babel import numbers as babel_numbers

from sfa_desktop.domain.errors import ValidationError

LocaleLike = Locale | str

_ASCII_DIGITS = frozenset("0123456789")
_MINUS_SIGNS = ("\u2212", "\u2012", "\u2013")  # typographic minus and dashes users paste in


def as_locale(locale: LocaleLike) -> Locale:
    """Accept a babel Locale or an identifier such as ``"es_ES"``."""
    return locale if isinstance(locale, Locale) else Locale.parse(locale)


def _normalize_spacing(text: str, group_symbol: str) -> str:
    """Map every kind of space to the locale's group symbol when that symbol is a space."""
    if not group_symbol.isspace():
        return text
    return "".join(group_symbol if char.isspace() else char for char in text)


def parse_decimal(
    text: str, locale: LocaleLike, *, field: str | None = None, code: str = "invalid_number"
) -> Decimal:
    """Parse a number typed in ``locale`` conventions; raise ValidationError(``code``).

    Blank input raises ``"required"``. Grouping separators are optional but, when present,
    must be where the locale puts them.
    """
    stripped = text.strip()
    if not stripped:
        raise ValidationError("required", field=field)
    loc = as_locale(locale)
    decimal_symbol = babel_numbers.get_decimal_symbol(loc)
    group_symbol = babel_numbers.get_group_symbol(loc)
    for minus in _MINUS_SIGNS:
        stripped = stripped.replace(minus, "-")
    sign = stripped[0] if stripped[0] in "+-" else ""
    body = _normalize_spacing(stripped[len(sign) :].strip(), group_symbol)
    cleaned = sign + body
    allowed = _ASCII_DIGITS | {decimal_symbol, group_symbol}
    if not body or not set(body) <= allowed or not set(body) & _ASCII_DIGITS:
        raise ValidationError(code, field=field, params={"value": text})
    try:
        value = babel_numbers.parse_decimal(cleaned, locale=loc, strict=True)
    except (babel_numbers.NumberFormatError, InvalidOperation) as exc:
        raise ValidationError(code, field=field, params={"value": text}) from exc
    if not value.is_finite():
        raise ValidationError(code, field=field, params={"value": text})
    return value


def round_half_up(value: Decimal | int, decimals: int) -> Decimal:
    """Round to ``decimals`` places, halves away from zero (1.005 → 1.01, -1.005 → -1.01)."""
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def format_decimal(value: Decimal | int, locale: LocaleLike, *, decimals: int | None = None) -> str:
    """Format a plain number: ``1234.5`` → ``"1.234,5"`` (es_ES), ``"1,234.5"`` (en_US).

    With ``decimals`` the value is rounded half-up and shown with exactly that many decimals;
    without it every significant decimal of ``value`` is shown.
    """
    loc = as_locale(locale)
    if decimals is None:
        return babel_numbers.format_decimal(Decimal(value), locale=loc, decimal_quantization=False)
    pattern = copy.copy(babel_numbers.parse_pattern(loc.decimal_formats[None]))
    pattern.frac_prec = (decimals, decimals)
    return babel_numbers.format_decimal(round_half_up(value, decimals), format=pattern, locale=loc)


def format_percent(points: Decimal | int, locale: LocaleLike, *, max_decimals: int = 2) -> str:
    """Format a percentage given in points (``12.5`` means 12.5 %): ``"12,5\\xa0%"`` in es_ES.

    Points, not fractions, because discounts, probabilities and tax rates are stored that
    way across the domain. Rounds half-up to ``max_decimals`` and drops trailing zeros.
    """
    rounded = round_half_up(points, max_decimals)
    fraction = rounded.scaleb(-2)
    if fraction == fraction.to_integral_value():
        fraction = fraction.quantize(Decimal(1))
    else:
        fraction = fraction.normalize()
    return babel_numbers.format_percent(
        fraction, locale=as_locale(locale), decimal_quantization=False
    )
