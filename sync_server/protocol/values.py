"""Checking and converting field values between the wire (JSON) and Python.

``check_wire_value`` is what the server runs on every pushed mutation and what the client runs
before writing its outbox: a value that passes is valid for the field's type and limits.
Semantic rules that need more than one field (a valid NIF, an end after a start) live in the
desktop domain layer; this module only guarantees a well-formed value.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from .catalog import FieldSpec, FieldType

JSONValue = Any


class ValueRejected(ValueError):
    """A wire value does not fit its field. ``code`` is machine readable."""

    def __init__(self, field: str, code: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.code = code
        self.detail = detail


_MAX_INT = 2**63 - 1


def check_wire_value(spec: FieldSpec, value: JSONValue) -> JSONValue:
    """Return ``value`` in canonical wire form, or raise :class:`ValueRejected`.

    ``None`` clears an optional field; a required field rejects it.
    """
    name = spec.name
    if value is None:
        if spec.required:
            raise ValueRejected(name, "required", "a value is required")
        return None
    t = spec.type
    if t is FieldType.TEXT:
        if not isinstance(value, str):
            raise ValueRejected(name, "bad_type", "expected text")
        if spec.required and not value.strip():
            raise ValueRejected(name, "required", "a value is required")
        if spec.max_length is not None and len(value) > spec.max_length:
            raise ValueRejected(name, "too_long", f"at most {spec.max_length} characters")
        if "\x00" in value:
            raise ValueRejected(name, "bad_value", "text must not contain NUL characters")
        return value
    if t in (FieldType.INT, FieldType.MONEY):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueRejected(name, "bad_type", "expected a whole number")
        if abs(value) > _MAX_INT:
            raise ValueRejected(name, "out_of_range", "number too large")
        return value
    if t is FieldType.FLOAT:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueRejected(name, "bad_type", "expected a number")
        f = float(value)
        if f != f or f in (float("inf"), float("-inf")):
            raise ValueRejected(name, "bad_value", "expected a finite number")
        return f
    if t is FieldType.BOOL:
        if not isinstance(value, bool):
            raise ValueRejected(name, "bad_type", "expected true or false")
        return value
    if t is FieldType.DECIMAL:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValueRejected(name, "bad_type", "expected a decimal number as text")
        try:
            d = Decimal(str(value))
        except InvalidOperation:
            raise ValueRejected(name, "bad_value", "not a decimal number") from None
        if not d.is_finite() or abs(d) >= Decimal(10) ** 12:
            raise ValueRejected(name, "out_of_range", "decimal out of range")
        return format(d.normalize(), "f")
    if t is FieldType.DATE:
        if not isinstance(value, str):
            raise ValueRejected(name, "bad_type", "expected a date YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueRejected(name, "bad_value", "expected a date YYYY-MM-DD") from None
    if t is FieldType.DATETIME:
        if not isinstance(value, str):
            raise ValueRejected(name, "bad_type", "expected an ISO 8601 timestamp")
        return format_datetime(parse_datetime(value, field=name))
    if t is FieldType.REF:
        if not isinstance(value, str):
            raise ValueRejected(name, "bad_type", "expected an id")
        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise ValueRejected(name, "bad_value", "not a valid id") from None
    if t is FieldType.ENUM:
        if not isinstance(value, str) or value not in spec.choices:
            raise ValueRejected(
                name, "invalid_choice", f"expected one of {', '.join(spec.choices)}"
            )
        return value
    if t is FieldType.TAGS:
        if isinstance(value, tuple):
            value = list(value)
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise ValueRejected(name, "bad_type", "expected a list of text tags")
        if len(value) > 100 or any(len(x) > 60 for x in value):
            raise ValueRejected(name, "too_long", "at most 100 tags of 60 characters")
        seen: list[str] = []
        for tag in value:
            tag = tag.strip()
            if tag and tag not in seen:
                seen.append(tag)
        return seen
    if t is FieldType.JSON:
        return value
    raise AssertionError(f"unhandled field type {t}")  # pragma: no cover


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
