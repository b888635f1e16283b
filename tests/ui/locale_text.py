"""Expected locale texts, computed by the same babel calls the UI makes.

Tests compare against these instead of literals, so a CLDR update in babel (a new dash or a
thin space in a date interval) changes both sides alike. The lock file pins babel, so the
texts only move when the lock is updated on purpose.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from sfa_desktop.i18n.translator import FORMATTING_LOCALES


def _locale(language: str) -> str:
    return FORMATTING_LOCALES[language]


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def full_day(day: dt.date, language: str) -> str:
    """ "Wednesday, 25 November 2026" (capitalized, as the headings show it)."""
    return capitalized(str(babel_dates.format_date(day, format="full", locale=_locale(language))))


def medium_date(day: dt.date, language: str) -> str:
    """ "25 Nov 2026" / "25 nov 2026"."""
    return str(babel_dates.format_date(day, format="medium", locale=_locale(language)))


def week_range(first: dt.date, last: dt.date, language: str) -> str:
    """ "23–29 Nov 2026" (whatever dashes and spaces the pinned CLDR data uses)."""
    return str(babel_dates.format_interval(first, last, "yMMMd", locale=_locale(language)))


def money(amount: str, currency: str, language: str) -> str:
    """ "€1,234.50" / "1.234,50 €"."""
    return str(babel_numbers.format_currency(Decimal(amount), currency, locale=_locale(language)))
