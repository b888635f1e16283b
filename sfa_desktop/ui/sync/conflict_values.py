"""A conflict's values as people read them: names for references, money with its currency,
labels for choices, local dates.

The services load each value with what it needs from the database
(:func:`sfa_desktop.services.conflict_review.load_shown_value`, database thread);
:func:`show_value` formats it on the UI thread, in the current language, so a language switch
re-formats without another query.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from babel.numbers import format_decimal

from sfa_desktop.domain.money import Money
from sfa_desktop.domain.validation import format_phone
from sfa_desktop.i18n import enum_label, locale_for_formatting, pgettext
from sfa_desktop.services.conflict_review import ShownValue
from sfa_desktop.ui.account_page.display import show_date, show_datetime
from sync_server.protocol.catalog import FieldType

DELETED_FIELD = "deleted_at"
_PHONE_FIELDS = frozenset({"phone", "mobile"})


def show_value(shown: ShownValue) -> str:
    """UI thread: the value in the current language ("(empty)" for none)."""
    value = shown.value
    if shown.field == DELETED_FIELD:
        return pgettext("conflict", "Deleted") if value else pgettext("conflict", "Not deleted")
    if value is None or value == "" or value == []:
        return pgettext("conflict", "(empty)")
    typed = _by_type(shown)
    return typed if typed is not None else _by_value(shown)


def _by_type(shown: ShownValue) -> str | None:
    """The value shown the way its field type asks (None: its Python value decides)."""
    value, kind = shown.value, shown.type
    if kind is FieldType.ENUM:
        return enum_label(f"{shown.entity}.{shown.field}", str(value))
    if kind is FieldType.REF:
        return shown.ref_title or str(value)
    if kind is FieldType.BOOL:
        return pgettext("conflict", "Yes") if value else pgettext("conflict", "No")
    if kind is FieldType.MONEY and isinstance(value, int) and shown.currency:
        return Money.from_minor(value, shown.currency).format(locale_for_formatting())
    if kind in (FieldType.INT, FieldType.FLOAT, FieldType.MONEY):
        return str(format_decimal(value, locale=locale_for_formatting()))
    if kind is FieldType.TAGS and isinstance(value, list):
        return ", ".join(str(tag) for tag in value)
    if kind is FieldType.TEXT and shown.field in _PHONE_FIELDS:
        return format_phone(str(value))
    return None


def _by_value(shown: ShownValue) -> str:
    value, locale = shown.value, locale_for_formatting()
    if isinstance(value, Decimal):
        return str(format_decimal(value, locale=locale))
    if isinstance(value, dt.datetime):
        return show_datetime(value)
    if isinstance(value, dt.date):
        return show_date(value)
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def one_line(text: str, limit: int = 80) -> str:
    """The first line of ``text``, shortened to ``limit`` characters (for a table cell)."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    shortened = first if len(first) <= limit else first[: limit - 1] + "…"
    return shortened + (" …" if first != text.strip() and shortened == first else "")
