"""Dates, times and amounts as the UI shows them, in the current language (babel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel import dates as babel_dates

from sfa_desktop.domain.money import Money
from sfa_desktop.i18n import locale_for_formatting


def show_date(value: dt.date | None) -> str:
    """``25 nov 2026`` / ``25 Nov 2026`` ("" for none)."""
    if value is None:
        return ""
    return str(babel_dates.format_date(value, format="medium", locale=locale_for_formatting()))


def show_datetime(value: dt.datetime | None) -> str:
    """An instant in the computer's time zone: ``25 nov 2026, 14:45``."""
    if value is None:
        return ""
    local = value.astimezone()
    day = show_date(local.date())
    time = babel_dates.format_time(local.time(), format="short", locale=locale_for_formatting())
    return f"{day}, {time}"


def show_money(minor: int | None, currency: str | None) -> str:
    """Minor units as money: ``6.520,00 €`` ("" for none)."""
    if minor is None or not currency:
        return ""
    return Money.from_minor(minor, currency).format(locale_for_formatting())


def show_amount(amount: Decimal, currency: str) -> str:
    return Money(amount, currency).format(locale_for_formatting())
