"""Column types that store exact values in SQLite's TEXT storage.

* :class:`UTCDateTime` accepts only timezone-aware datetimes and stores fixed-width UTC ISO text
  (``2026-11-25T08:30:00.000000Z``), so text order is time order and nothing depends on the
  machine's local time zone. It reads back aware UTC datetimes.
* :class:`ExactDecimal` stores a :class:`~decimal.Decimal` as its exact text (``"21.5"``) and
  reads back a ``Decimal``: no binary floating point anywhere.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

#: Length of the stored text: ``YYYY-MM-DDTHH:MM:SS.ffffffZ``.
UTC_TEXT_LENGTH = 27
DECIMAL_TEXT_LENGTH = 40


def format_utc(value: dt.datetime) -> str:
    """The stored form of an aware datetime; ``ValueError`` for a naive one."""
    if not isinstance(value, dt.datetime):
        raise TypeError(f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("naive datetime: a timezone-aware datetime is required")
    utc = value.astimezone(dt.UTC).replace(tzinfo=None)
    return utc.isoformat(timespec="microseconds") + "Z"


def parse_utc(text: str) -> dt.datetime:
    """Read the stored form (or any ISO 8601 text with an offset) as an aware UTC datetime."""
    parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"stored timestamp {text!r} has no UTC offset")
    return parsed.astimezone(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """An aware datetime stored as sortable UTC ISO text."""

    impl = String(UTC_TEXT_LENGTH)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return format_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        return parse_utc(str(value))


class ExactDecimal(TypeDecorator[Decimal]):
    """A ``Decimal`` stored as its exact text."""

    impl = String(DECIMAL_TEXT_LENGTH)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            raise TypeError(f"expected a Decimal, got {type(value).__name__}")
        number = Decimal(value)
        if not number.is_finite():
            raise ValueError("a decimal value must be finite")
        return format(number, "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise ValueError(f"stored decimal {value!r} is not a number") from None
