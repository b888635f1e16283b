"""Dates typed by users and the time-zone rule for stored datetimes.

:func:`parse_date` reads ISO dates (``2026-11-25``) and the locale's short date format,
taking the day/month/year order from CLDR via babel (``d/M/yy`` in es_ES, ``M/d/yy`` in
en_US). It is stricter than ``babel.dates.parse_date``, which swaps day and month when the
month is out of range and ignores trailing text: an ambiguous date must fail, not guess.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import TypeVar

from babel import dates as babel_dates

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.localized_numbers import LocaleLike, as_locale

_D = TypeVar("_D", date, datetime)

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_NUMERIC_DATE = re.compile(r"(\d{1,4})([/.\-])(\d{1,2})\2(\d{1,4})")
_TWO_DIGIT_YEAR_BASE = 2000


def short_date_pattern(locale: LocaleLike) -> str:
    """The locale's short date pattern (``"d/M/yy"`` in es_ES), for hints and messages."""
    return str(babel_dates.get_date_format("short", locale=as_locale(locale)).pattern)


def _field_order(pattern: str) -> tuple[str, str, str]:
    """Order of day, month and year in a CLDR pattern: ``"d/M/yy"`` → ``("d", "M", "y")``."""
    order: list[str] = []
    for char in pattern:
        key = {"d": "d", "M": "M", "L": "M", "y": "y", "Y": "y", "u": "y"}.get(char)
        if key and key not in order:
            order.append(key)
    if sorted(order) != ["M", "d", "y"]:
        return ("y", "M", "d")  # exotic pattern: fall back to big-endian
    return (order[0], order[1], order[2])


def parse_date(text: str, locale: LocaleLike, field: str = "date") -> date:
    """Parse ``"2026-11-25"`` or the locale's short form (``"25/11/2026"``, ``"25/11/26"``).

    Any one of the separators ``/``, ``.`` and ``-`` is accepted; two-digit years mean 20xx. Fails with
    ``"required"`` or ``"invalid_date"`` (params ``value`` and the expected ``format``).
    """
    stripped = text.strip()
    if not stripped:
        raise ValidationError("required", field=field)
    pattern = short_date_pattern(locale)
    error = ValidationError("invalid_date", field=field, params={"value": text, "format": pattern})
    if iso := _ISO_DATE.fullmatch(stripped):
        parts = {"y": iso.group(1), "M": iso.group(2), "d": iso.group(3)}
    elif numeric := _NUMERIC_DATE.fullmatch(stripped):
        first, _separator, second, third = numeric.groups()
        parts = dict(zip(_field_order(pattern), (first, second, third), strict=True))
    else:
        raise error
    year_text = parts["y"]
    if len(year_text) not in (2, 4) or len(parts["d"]) > 2 or len(parts["M"]) > 2:
        raise error
    year = int(year_text) + (_TWO_DIGIT_YEAR_BASE if len(year_text) == 2 else 0)
    try:
        return date(year, int(parts["M"]), int(parts["d"]))
    except ValueError as exc:
        raise error from exc


def validate_date_range(start: _D | None, end: _D | None, field: str = "end") -> None:
    """Fail with ``"end_before_start"`` when both ends are set and ``end < start``."""
    if start is not None and end is not None and end < start:
        raise ValidationError("end_before_start", field=field)


def ensure_aware_utc(value: datetime, field: str = "datetime") -> datetime:
    """Return ``value`` converted to UTC; fail with ``"naive_datetime"`` if it has no zone."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError("naive_datetime", field=field, params={"value": value.isoformat()})
    return value.astimezone(UTC)
