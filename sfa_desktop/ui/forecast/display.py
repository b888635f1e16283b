"""Forecast amounts, percentages and periods as the UI shows them, in the current language.

Everything is kept per currency (the rules convert nothing), so a value of several currencies
is shown one currency a line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from babel import dates as babel_dates

from sfa_desktop.domain.localized_numbers import format_percent
from sfa_desktop.i18n import _, locale_for_formatting
from sfa_desktop.services.forecasts import ForecastLine
from sfa_desktop.ui.account_page.display import show_money
from sync_server.protocol.forecast_rules import Period

__all__ = [
    "per_currency",
    "show_money",
    "show_pct",
    "show_period",
    "show_short_date",
    "show_signed_money",
]


def show_pct(value: Decimal | None) -> str:
    """``34,3 %`` ("" for none)."""
    if value is None:
        return ""
    return format_percent(value, locale_for_formatting(), max_decimals=1)


def show_signed_money(minor: int | None, currency: str) -> str:
    """An adjustment: ``+500,00 €`` / ``−500,00 €`` ("" for none)."""
    if minor is None:
        return ""
    text = show_money(abs(minor), currency)
    return ("+" if minor >= 0 else "\u2212") + text


def show_short_date(day: dt.date) -> str:
    """``25 nov`` / ``25 Nov``."""
    return str(babel_dates.format_skeleton("MMMd", day, locale=locale_for_formatting()))


def show_period(period: Period, *, capital: bool = True) -> str:
    """``Noviembre de 2026`` / ``T4 2026`` (``November 2026`` / ``Q4 2026``); inside a
    sentence (``capital=False``) as the language writes it there: ``noviembre de 2026``."""
    if period.kind == "month":
        text = str(
            babel_dates.format_skeleton("yMMMM", period.start, locale=locale_for_formatting())
        )
        return text[:1].upper() + text[1:] if capital else text
    return _("Q{number} {year}").format(number=period.number, year=period.year)


def per_currency(
    lines: Iterable[ForecastLine],
    value: Callable[[ForecastLine], str],
    separator: str = "\n",
) -> str:
    """One currency's value a line (empty values skipped)."""
    return separator.join(text for text in (value(line) for line in lines) if text)
