"""Country and currency codes."""

from __future__ import annotations

import re
from functools import cache

from babel import numbers as babel_numbers

from ..rejections import ValueRejected

_COUNTRY = re.compile(r"[A-Z]{2}")


def normalize_country(text: str, field: str = "country") -> str:
    """An upper-case ISO 3166 alpha-2 shape (``"es"`` → ``"ES"``), else ``invalid_country``."""
    code = text.strip().upper()
    if not _COUNTRY.fullmatch(code):
        raise ValueRejected(
            field, "invalid_country", "not a two-letter country code", {"value": text}
        )
    return code


@cache
def known_currencies() -> frozenset[str]:
    """All ISO 4217 codes babel knows (current and historic)."""
    return frozenset(babel_numbers.list_currencies())


def normalize_currency(code: str, field: str = "currency") -> str:
    """``code`` upper-cased if it is a known ISO 4217 code, else ``invalid_currency``."""
    normalized = code.strip().upper()
    if len(normalized) != 3 or normalized not in known_currencies():
        raise ValueRejected(
            field, "invalid_currency", "not a known currency code", {"currency": code}
        )
    return normalized
