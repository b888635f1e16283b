"""Printing: one JSON document with ``--json``, aligned plain text otherwise."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TextIO

from sfa_desktop.i18n import _, enum_label
from sync_server.protocol.catalog import CATALOG, FieldType
from sync_server.protocol.values import format_datetime, to_wire

from .values import format_money

#: The columns ``sfa list`` shows for each entity.
LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "account": ("name", "city", "lifecycle_stage", "phone"),
    "contact": ("first_name", "last_name", "email", "phone"),
    "visit": ("planned_start", "kind", "status", "subject"),
    "opportunity": ("name", "stage", "amount", "expected_close_date"),
}


def record_to_json(entity: str, record: Mapping[str, Any]) -> dict[str, Any]:
    """A record in wire form (ISO dates, decimals as text, money in minor units)."""
    spec = CATALOG[entity]
    data: dict[str, Any] = {"id": record["id"]}
    for name in ("created_at", "updated_at", "deleted_at"):
        value = record.get(name)
        data[name] = format_datetime(value) if isinstance(value, dt.datetime) else value
    for field in spec.fields:
        data[field.name] = to_wire(field, record.get(field.name))
    return data


def print_json(document: Any, out: TextIO) -> None:
    out.write(json.dumps(document, ensure_ascii=False, indent=2, default=_default) + "\n")


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date | Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


def display(entity: str, name: str, record: Mapping[str, Any]) -> str:
    """A field's value as text for people (money as an amount, enums labelled)."""
    spec = CATALOG[entity]
    value = record.get(name)
    if value is None:
        return ""
    field = spec.field(name) if spec.has_field(name) else None
    if field is not None and field.type is FieldType.MONEY:
        currency = str(record.get("currency") or "EUR")
        return f"{format_money(int(value), currency)} {currency}"
    if field is not None and field.type is FieldType.ENUM:
        return enum_label(f"{entity}.{name}", str(value))
    if field is not None and field.type is FieldType.TAGS:
        return ", ".join(value)
    if isinstance(value, dt.datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return str(value)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], out: TextIO) -> None:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    for row in [list(headers), *rows]:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        out.write("  ".join(cells).rstrip() + "\n")


def print_fields(pairs: Sequence[tuple[str, str]], out: TextIO) -> None:
    width = max((len(name) for name, _ in pairs), default=0)
    for name, value in pairs:
        out.write(f"{name.ljust(width)}  {value}".rstrip() + "\n")
