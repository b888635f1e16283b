"""A conflict's values as people read them: names for references, money with its currency,
labels for choices, local dates.

:func:`load_shown_value` runs on the database thread (it looks up what a reference names and
which currency an amount is in); :func:`show_value` formats on the UI thread, in the current
language, so a language switch re-formats without another query.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from babel import dates as babel_dates
from babel.numbers import format_decimal
from sqlalchemy.orm import Session

from sfa_desktop.domain.money import Money
from sfa_desktop.domain.validation import format_phone
from sfa_desktop.i18n import enum_label, locale_for_formatting, pgettext
from sfa_desktop.store.errors import StoreError
from sfa_desktop.store.repositories.records import get_record
from sync_server.protocol.catalog import CATALOG, COMMON_FIELDS, FieldSpec, FieldType
from sync_server.protocol.values import to_python

DELETED_FIELD = "deleted_at"
_PHONE_FIELDS = frozenset({"phone", "mobile"})
_COMMON = {spec.name: spec for spec in COMMON_FIELDS}


@dataclass(frozen=True)
class ShownValue:
    """One side of a conflict, typed, with what formatting it needs from the database."""

    entity: str
    field: str
    type: FieldType | None
    value: Any
    currency: str | None = None
    ref_title: str | None = None


def field_spec(entity: str, field: str) -> FieldSpec | None:
    spec = CATALOG.get(entity)
    if spec is not None and spec.has_field(field):
        return spec.field(field)
    return _COMMON.get(field)


def load_shown_value(
    session: Session, entity: str, record_id: str, field: str, wire: Any
) -> ShownValue:
    """Database thread: convert ``wire`` and look up a reference's name or a currency."""
    spec = field_spec(entity, field)
    if spec is None:
        return ShownValue(entity, field, None, wire)
    try:
        value = to_python(spec, wire)
    except (TypeError, ValueError, ArithmeticError):
        return ShownValue(entity, field, None, wire)
    if spec.type is FieldType.REF and spec.ref and isinstance(value, str):
        return ShownValue(
            entity, field, spec.type, value, ref_title=record_title(session, spec.ref, value)
        )
    if spec.type is FieldType.MONEY and spec.currency_field:
        record = _record(session, entity, record_id)
        currency = record.get(spec.currency_field) if record else None
        return ShownValue(entity, field, spec.type, value, currency=currency)
    return ShownValue(entity, field, spec.type, value)


def _record(session: Session, entity: str, record_id: str) -> dict[str, Any] | None:
    try:
        return get_record(session, entity, record_id)
    except StoreError:  # an entity this version does not store locally
        return None


def record_title(session: Session, entity: str, record_id: str) -> str | None:
    """The record's name (its catalog title field), if it is stored here."""
    spec = CATALOG.get(entity)
    record = _record(session, entity, record_id)
    if spec is None or record is None:
        return None
    title = record.get(spec.title_field)
    return str(title) if title else None


def show_value(shown: ShownValue) -> str:
    """UI thread: the value in the current language ("(empty)" for none)."""
    value, kind = shown.value, shown.type
    if shown.field == DELETED_FIELD:
        return pgettext("conflict", "Deleted") if value else pgettext("conflict", "Not deleted")
    if value is None or value == "" or value == []:
        return pgettext("conflict", "(empty)")
    locale = locale_for_formatting()
    if kind is FieldType.ENUM:
        return enum_label(f"{shown.entity}.{shown.field}", str(value))
    if kind is FieldType.REF:
        return shown.ref_title or str(value)
    if kind is FieldType.BOOL:
        return pgettext("conflict", "Yes") if value else pgettext("conflict", "No")
    if kind is FieldType.MONEY and isinstance(value, int) and shown.currency:
        return Money.from_minor(value, shown.currency).format(locale)
    if kind in (FieldType.INT, FieldType.FLOAT, FieldType.MONEY) or isinstance(value, Decimal):
        return str(format_decimal(value, locale=locale))
    if isinstance(value, dt.datetime):
        return str(babel_dates.format_datetime(value.astimezone(), format="short", locale=locale))
    if isinstance(value, dt.date):
        return str(babel_dates.format_date(value, format="medium", locale=locale))
    if kind is FieldType.TAGS and isinstance(value, list):
        return ", ".join(str(tag) for tag in value)
    if kind is FieldType.TEXT and shown.field in _PHONE_FIELDS:
        return format_phone(str(value))
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def one_line(text: str, limit: int = 80) -> str:
    """The first line of ``text``, shortened to ``limit`` characters (for a table cell)."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    shortened = first if len(first) <= limit else first[: limit - 1] + "…"
    return shortened + (" …" if first != text.strip() and shortened == first else "")
