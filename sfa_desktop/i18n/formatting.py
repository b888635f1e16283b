"""Locale-aware formatting of counts for UI texts ("1.234 cuentas")."""

from __future__ import annotations

from babel.numbers import format_decimal

from sfa_desktop.i18n.translator import locale_for_formatting


def format_count(value: int) -> str:
    """An integer with the current locale's digit grouping."""
    return format_decimal(value, locale=locale_for_formatting())
