"""Field values typed on the command line (``--set field=value``) → Python values per catalog.

Dates are ISO (``2026-11-25``), date-times ISO with an offset (``2026-11-25T09:30+01:00``),
decimals with a dot, money as an amount in the record's currency (``1250.50`` EUR → 125050
minor units), tags comma-separated, booleans yes/no/true/false. An empty value clears the
field. Every bad value is reported at once (:class:`ValidationErrors`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from sfa_desktop.domain.errors import ValidationCollector, ValidationError, ValidationErrors
from sfa_desktop.domain.money import currency_precision
from sfa_desktop.i18n import _
from sync_server.protocol.catalog import EntitySpec, FieldSpec, FieldType

_TRUE = frozenset({"yes", "y", "true", "1", "si", "sí", "s"})
_FALSE = frozenset({"no", "n", "false", "0"})


class UsageProblem(ValueError):
    """The arguments are malformed (not a value problem)."""


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type`` for a whole number from ``low`` to ``high`` (one clear line if not).

    Every numeric option of ``sfa`` uses one: an unbounded number would reach SQLite and fail
    there (``OverflowError`` past 2**63).
    """

    def parse(text: str) -> int:
        stripped = text.strip()
        digits = stripped[1:] if stripped[:1] in "+-" else stripped
        if digits.isascii() and digits.isdigit() and len(digits.lstrip("0")) <= len(str(high)):
            value = int(stripped)
            if low <= value <= high:
                return value
        raise argparse.ArgumentTypeError(
            _("“{value}” is not a whole number from {low} to {high}").format(
                value=text, low=low, high=high
            )
        )

    return parse


def split_assignments(items: Sequence[str]) -> dict[str, str]:
    """``["name=Uno", "city="]`` → ``{"name": "Uno", "city": ""}``."""
    pairs: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageProblem(item)
        pairs[name.strip()] = value
    return pairs


def parse_values(
    spec: EntitySpec, texts: Mapping[str, str], *, currency: str | None = None
) -> tuple[dict[str, Any], list[ValidationError]]:
    """Typed values for ``texts`` and the errors of those that could not be read.

    ``currency`` names the money fields' currency. Unknown field names pass through as text:
    the edit itself reports them, together with every other problem.
    """
    collector = ValidationCollector()
    values: dict[str, Any] = {}
    money_currency = (texts.get("currency") or currency or "EUR").strip().upper()
    for name, text in texts.items():
        if not spec.has_field(name):
            values[name] = text
            continue
        result = collector.check(parse_value, spec.field(name), text, money_currency)
        if result is not None:
            values[name] = result[0]
    return values, collector.errors


def merge_errors(
    unreadable: list[ValidationError], invalid: ValidationErrors | None
) -> ValidationErrors:
    """Every problem once: values that could not be read, then the edit's own complaints."""
    bad_fields = {e.field for e in unreadable}
    others = [e for e in (invalid.errors if invalid else []) if e.field not in bad_fields]
    return ValidationErrors([*unreadable, *others])


def parse_value(field: FieldSpec, text: str, currency: str = "EUR") -> tuple[Any]:
    """``(value,)`` for one field (a tuple, so that a cleared field is told from a failure)."""
    stripped = text.strip()
    if not stripped:
        return (None,)
    try:
        return (_typed(field, stripped, currency),)
    except (ValueError, InvalidOperation, ArithmeticError):
        raise _unreadable(field, text) from None


def _typed(field: FieldSpec, text: str, currency: str) -> Any:
    """``text`` (stripped, not empty) read as a value of the field's type."""
    t, name = field.type, field.name
    if t in (FieldType.TEXT, FieldType.ENUM, FieldType.REF):
        return text
    if t is FieldType.INT:
        return int(text)
    if t is FieldType.FLOAT:
        return float(text.replace(",", "."))
    if t is FieldType.DECIMAL:
        return Decimal(text.replace(",", "."))
    if t is FieldType.MONEY:
        return _minor_units(text, currency, name)
    if t is FieldType.BOOL:
        return _boolean(text, name)
    if t is FieldType.DATE:
        return dt.date.fromisoformat(text)
    if t is FieldType.DATETIME:
        return _datetime(text, name)
    if t is FieldType.TAGS:
        return [tag.strip() for tag in text.split(",") if tag.strip()]
    return json.loads(text)


def _unreadable(field: FieldSpec, text: str) -> ValidationError:
    """The error for a ``text`` that is no value of the field's type."""
    t, name = field.type, field.name
    if t is FieldType.DATE:
        return ValidationError(
            "invalid_date", field=name, params={"value": text, "format": "YYYY-MM-DD"}
        )
    if t is FieldType.DATETIME:
        return ValidationError(
            "invalid_date",
            field=name,
            params={"value": text, "format": "YYYY-MM-DDTHH:MM+01:00"},
        )
    code = "invalid_number" if t in _NUMERIC else "invalid_value"
    return ValidationError(code, field=name, params={"value": text})


_NUMERIC = frozenset({FieldType.INT, FieldType.FLOAT, FieldType.DECIMAL})


def _minor_units(text: str, currency: str, field: str) -> int:
    amount = Decimal(text.replace(",", "."))
    if not amount.is_finite():
        raise ValidationError("invalid_money", field=field, params={"value": text})
    digits = currency_precision(currency)
    minor = amount.scaleb(digits)
    if minor != minor.to_integral_value():
        raise ValidationError("invalid_money", field=field, params={"value": text})
    return int(minor)


def _boolean(text: str, field: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValidationError("invalid_value", field=field, params={"value": text})


def _datetime(text: str, field: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.utcoffset() is None:
        raise ValidationError("naive_datetime", field=field, params={"value": text})
    return parsed


def format_money(minor: int | None, currency: str) -> str:
    """Minor units back to an amount (``125050`` EUR → ``1250.50``)."""
    if minor is None:
        return ""
    digits = currency_precision(currency)
    return f"{Decimal(minor).scaleb(-digits):.{digits}f}"
