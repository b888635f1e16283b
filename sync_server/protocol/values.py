"""Checking and converting field values between the wire (JSON) and Python.

``check_wire_value`` is what the server runs on every pushed mutation and what the client runs
before writing its outbox: a value that passes is valid for the field's type and limits.
Semantic rules that need more than one field (a valid NIF, an end after a start) live in the
desktop domain layer; this module only guarantees a well-formed value.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from .catalog import FieldSpec, FieldType
from .rejections import ValueRejected as ValueRejected  # re-exported: its historic home

JSONValue = Any


_MAX_INT = 2**63 - 1


def check_wire_value(spec: FieldSpec, value: JSONValue) -> JSONValue:
    """Return ``value`` in canonical wire form, or raise :class:`ValueRejected`.

    ``None`` clears an optional field; a required field rejects it.
    """
    if value is None:
        if spec.required:
            raise ValueRejected(spec.name, "required", "a value is required")
        return None
    check = _CHECKS.get(spec.type)
    if check is None:  # pragma: no cover
        raise AssertionError(f"unhandled field type {spec.type}")
    return check(spec, value)


def _check_text(spec: FieldSpec, value: JSONValue) -> JSONValue:
    name = spec.name
    if not isinstance(value, str):
        raise ValueRejected(name, "bad_type", "expected text")
    if spec.required and not value.strip():
        raise ValueRejected(name, "required", "a value is required")
    if spec.max_length is not None and len(value) > spec.max_length:
        raise ValueRejected(name, "too_long", f"at most {spec.max_length} characters")
    if "\x00" in value:
        raise ValueRejected(name, "bad_value", "text must not contain NUL characters")
    return value


def _check_int(spec: FieldSpec, value: JSONValue) -> JSONValue:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueRejected(spec.name, "bad_type", "expected a whole number")
    if abs(value) > _MAX_INT:
        raise ValueRejected(spec.name, "out_of_range", "number too large")
    return value


def _check_float(spec: FieldSpec, value: JSONValue) -> JSONValue:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueRejected(spec.name, "bad_type", "expected a number")
    f = float(value)
    if f != f or f in (float("inf"), float("-inf")):
        raise ValueRejected(spec.name, "bad_value", "expected a finite number")
    return f


def _check_bool(spec: FieldSpec, value: JSONValue) -> JSONValue:
    if not isinstance(value, bool):
        raise ValueRejected(spec.name, "bad_type", "expected true or false")
    return value


def _check_decimal(spec: FieldSpec, value: JSONValue) -> JSONValue:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueRejected(spec.name, "bad_type", "expected a decimal number as text")
    return format(bounded_decimal(spec.name, value), "f")


def _check_date(spec: FieldSpec, value: JSONValue) -> JSONValue:
    if not isinstance(value, str):
        raise ValueRejected(spec.name, "bad_type", "expected a date YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueRejected(spec.name, "bad_value", "expected a date YYYY-MM-DD") from None


def _check_datetime(spec: FieldSpec, value: JSONValue) -> JSONValue:
    if not isinstance(value, str):
        raise ValueRejected(spec.name, "bad_type", "expected an ISO 8601 timestamp")
    return format_datetime(parse_datetime(value, field=spec.name))


def _check_ref(spec: FieldSpec, value: JSONValue) -> JSONValue:
    if not isinstance(value, str):
        raise ValueRejected(spec.name, "bad_type", "expected an id")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise ValueRejected(spec.name, "bad_value", "not a valid id") from None


def _check_enum(spec: FieldSpec, value: JSONValue) -> JSONValue:
    if not isinstance(value, str) or value not in spec.choices:
        raise ValueRejected(
            spec.name, "invalid_choice", f"expected one of {', '.join(spec.choices)}"
        )
    return value


def _check_tags(spec: FieldSpec, value: JSONValue) -> JSONValue:
    if isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ValueRejected(spec.name, "bad_type", "expected a list of text tags")
    if len(value) > 100 or any(len(x) > 60 for x in value):
        raise ValueRejected(spec.name, "too_long", "at most 100 tags of 60 characters")
    seen: list[str] = []
    for tag in value:
        tag = tag.strip()
        if tag and tag not in seen:
            seen.append(tag)
    return seen


def _check_json(spec: FieldSpec, value: JSONValue) -> JSONValue:
    return value


#: The check of each field type: ``value`` is not None here.
_CHECKS: dict[FieldType, Callable[[FieldSpec, JSONValue], JSONValue]] = {
    FieldType.TEXT: _check_text,
    FieldType.INT: _check_int,
    FieldType.MONEY: _check_int,
    FieldType.FLOAT: _check_float,
    FieldType.BOOL: _check_bool,
    FieldType.DECIMAL: _check_decimal,
    FieldType.DATE: _check_date,
    FieldType.DATETIME: _check_datetime,
    FieldType.REF: _check_ref,
    FieldType.ENUM: _check_enum,
    FieldType.TAGS: _check_tags,
    FieldType.JSON: _check_json,
}


#: Decimals (rates, quantities) have at most this many digits before and after the point;
#: anything else is refused, never rounded. The text of a decimal is at most
#: ``MAX_DECIMAL_TEXT`` characters, so an absurd exponent ("1e-999999") is refused before any
#: expansion into digits.
MAX_DECIMAL_INTEGER_DIGITS = 12
MAX_DECIMAL_PLACES = 6
MAX_DECIMAL_TEXT = 40


def bounded_decimal(name: str, value: str | int) -> Decimal:
    """``value`` as an exact Decimal without trailing zeros, within the decimal bounds.

    ``bad_value`` when it is not a number, ``out_of_range`` when it is not finite or has more
    than 12 integer digits, ``too_many_decimals`` when it has more than 6 decimal places.
    """
    text = str(value).strip()
    limit = 10**MAX_DECIMAL_INTEGER_DIGITS - 1
    out_of_range = {"min": -limit, "max": limit, "value": text}
    if len(text) > MAX_DECIMAL_TEXT:
        raise ValueRejected(name, "out_of_range", "decimal out of range", out_of_range)
    try:
        d = Decimal(text)
    except InvalidOperation:
        raise ValueRejected(name, "bad_value", "not a decimal number") from None
    if not d.is_finite():
        raise ValueRejected(name, "out_of_range", "decimal out of range", out_of_range)
    sign, digits, exponent = d.as_tuple()
    assert isinstance(exponent, int)
    if not any(digits):
        return Decimal(0)
    while digits[-1] == 0:  # drop trailing zeros: "12.50" -> 12.5, "1E+3" stays 1E+3
        digits = digits[:-1]
        exponent += 1
    if len(digits) + exponent > MAX_DECIMAL_INTEGER_DIGITS:
        raise ValueRejected(
            name,
            "out_of_range",
            f"at most {MAX_DECIMAL_INTEGER_DIGITS} digits before the point",
            out_of_range,
        )
    if -exponent > MAX_DECIMAL_PLACES:
        raise ValueRejected(
            name,
            "too_many_decimals",
            f"at most {MAX_DECIMAL_PLACES} decimal places",
            {"max": MAX_DECIMAL_PLACES, "value": text},
        )
    return Decimal((sign, digits, exponent))


def parse_datetime(text: str, *, field: str = "value") -> dt.datetime:
    """Parse an ISO 8601 instant; it must name its offset. Returns an aware UTC datetime."""
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueRejected(field, "bad_value", "expected an ISO 8601 timestamp") from None
    if parsed.tzinfo is None:
        raise ValueRejected(field, "bad_value", "timestamp must include a UTC offset")
    return parsed.astimezone(dt.UTC)


def format_datetime(value: dt.datetime) -> str:
    """The canonical wire form of an aware datetime: UTC, microseconds, ``Z`` suffix."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    utc = value.astimezone(dt.UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def to_python(spec: FieldSpec, value: JSONValue) -> Any:
    """Convert a (checked) wire value to its Python type."""
    if value is None:
        return None
    t = spec.type
    if t is FieldType.DECIMAL:
        return Decimal(value)
    if t is FieldType.DATE:
        return dt.date.fromisoformat(value)
    if t is FieldType.DATETIME:
        return parse_datetime(value, field=spec.name)
    if t is FieldType.TAGS:
        return list(value)
    return value


def to_wire(spec: FieldSpec, value: Any) -> JSONValue:
    """Convert a Python value of the field's type to its wire form."""
    if value is None:
        return None
    t = spec.type
    if t is FieldType.DECIMAL:
        return check_wire_value(spec, str(value))
    if t is FieldType.DATE:
        return value.isoformat()
    if t is FieldType.DATETIME:
        return format_datetime(value)
    if t is FieldType.TAGS:
        return list(value)
    return value
