"""The field rules a record must pass before it is written (forms, CLI, imports).

The rules on values are the ones the catalog declares and the sync server enforces
(:mod:`sync_server.protocol.field_rules`: formats, bounds, decimal precision), so a value the
server would refuse is refused here first, with the same code.

:func:`check_new_record` and :func:`check_record_changes` take Python values typed per the
entity catalog, normalize them (trimmed text, E.164 phones, upper-case country and currency,
canonical tax ids and web addresses) and raise :class:`ValidationErrors` listing *every* bad
field with its code, so a form can show them all at once. Rules that need more than one field
(a tax id valid for the account's country, a visit ending after it starts) are checked on the
record as it would be after the change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import ValidationCollector, ValidationError, ValidationErrors
from sfa_desktop.domain.validation import (
    validate_choice,
    validate_date_range,
    validate_length,
)
from sfa_desktop.domain.validation.shared_rules import shared_rule
from sfa_desktop.store.errors import InvalidRecord
from sfa_desktop.store.repositories.record_values import check_value, default_for
from sfa_desktop.store.repositories.records import get_record
from sync_server.protocol.catalog import EntitySpec, FieldFormat, FieldSpec, FieldType
from sync_server.protocol.field_rules import check_field_rules, dependent_fields
from sync_server.protocol.values import bounded_decimal


def new_record_defaults(fields: Iterable[FieldSpec]) -> dict[str, Any]:
    """The catalog defaults a new record starts with (a form shows them before any typing)."""
    return {field.name: default_for(field) for field in fields}


def check_new_record(
    session: Session, spec: EntitySpec, values: Mapping[str, Any]
) -> dict[str, Any]:
    """The normalized fields of a new record (catalog defaults filled in for the checks)."""
    merged = new_record_defaults(spec.fields)
    return _check(session, spec, merged, values, creating=True)


def check_record_changes(
    session: Session, spec: EntitySpec, current: Mapping[str, Any], changes: Mapping[str, Any]
) -> dict[str, Any]:
    """The normalized changes to an existing record ``current``."""
    merged = {f.name: current.get(f.name) for f in spec.fields}
    return _check(session, spec, merged, changes, creating=False)


def _check(
    session: Session,
    spec: EntitySpec,
    merged: dict[str, Any],
    values: Mapping[str, Any],
    *,
    creating: bool,
) -> dict[str, Any]:
    collector = ValidationCollector()
    normalized: dict[str, Any] = {}
    for name, value in values.items():
        if not spec.has_field(name):
            collector.add(ValidationError("unknown_field", field=name, params={"value": name}))
            continue
        result = collector.check(_check_field, session, spec, spec.field(name), value, merged)
        if result is not None:
            normalized[name] = result[0]
    merged.update(normalized)
    for field in spec.fields:
        bad = any(e.field == field.name for e in collector.errors)
        wanted = (field.name in values or creating) and field.required
        if wanted and not bad and _blank(merged.get(field.name)):
            collector.add(ValidationError("required", field=field.name))
    touched = None if creating else set(values)
    for rule in _RECORD_RULES:
        updates = collector.check(rule, session, spec, merged, touched)
        normalized.update(updates or {})
    collector.raise_if_any()
    return normalized


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_field(
    session: Session, spec: EntitySpec, field: FieldSpec, value: Any, merged: Mapping[str, Any]
) -> tuple[Any]:
    """``(normalized value,)`` — a tuple so that a valid ``None`` is told from a failure."""
    name = field.name
    _check_python_type(field, value)
    if isinstance(value, str) and field.type in (FieldType.TEXT, FieldType.ENUM, FieldType.REF):
        value = value.strip()
        if not value:
            return (None,)
    if value is None:
        return (None,)
    if field.type is FieldType.TEXT:
        value = _check_text(session, spec, field, value, merged)
    elif field.type is FieldType.ENUM:
        value = validate_choice(value, field.choices, name)
    elif field.type is FieldType.REF:
        _check_reference(session, field, value)
    elif field.type in (FieldType.INT, FieldType.MONEY, FieldType.FLOAT, FieldType.DECIMAL):
        value = _check_number(field, value)
    try:
        return (check_value(spec.name, field, value),)
    except InvalidRecord as error:
        raise ValidationError(
            "invalid_value", field=name, params={"value": _shown(value), "reason": error.reason}
        ) from None


def _shown(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


_DATE_FORMAT = "YYYY-MM-DD"


def _check_python_type(field: FieldSpec, value: Any) -> None:
    name, t = field.name, field.type
    if value is None:
        return
    if t is FieldType.DATE and not _is_date(value):
        raise ValidationError(
            "invalid_date", field=name, params={"value": _shown(value), "format": _DATE_FORMAT}
        )
    if t is FieldType.DATETIME and isinstance(value, dt.datetime) and value.utcoffset() is None:
        raise ValidationError("naive_datetime", field=name, params={"value": value.isoformat()})
    if not _PYTHON_TYPES.get(t, _is_text)(value):
        code = "invalid_number" if t in _NUMBERS else "invalid_value"
        raise ValidationError(code, field=name, params={"value": _shown(value), "reason": t.value})


def _is_date(value: Any) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


#: Whether a Python value has the field type's Python type (text for the types not listed).
_PYTHON_TYPES: dict[FieldType, Callable[[Any], bool]] = {
    FieldType.INT: lambda v: not isinstance(v, bool) and isinstance(v, int),
    FieldType.MONEY: lambda v: not isinstance(v, bool) and isinstance(v, int),
    FieldType.FLOAT: lambda v: not isinstance(v, bool) and isinstance(v, int | float | Decimal),
    FieldType.DECIMAL: lambda v: not isinstance(v, bool) and isinstance(v, int | Decimal),
    FieldType.DATE: _is_date,
    FieldType.DATETIME: lambda v: isinstance(v, dt.datetime),
    FieldType.BOOL: lambda v: isinstance(v, bool),
    FieldType.TAGS: lambda v: isinstance(v, list | tuple) and all(isinstance(x, str) for x in v),
    FieldType.JSON: lambda v: True,
}


_NUMBERS = frozenset({FieldType.INT, FieldType.MONEY, FieldType.FLOAT, FieldType.DECIMAL})


def _check_text(
    session: Session, spec: EntitySpec, field: FieldSpec, value: str, merged: Mapping[str, Any]
) -> str:
    """The declared format (tax ids are checked with the record's country, see the record
    rules), then the length."""
    if field.format is not None and field.format is not FieldFormat.TAX_ID:
        region = _home_country(session, spec, merged) if field.format is FieldFormat.PHONE else None
        value = shared_rule(check_field_rules, field, value, phone_region=region)
    if field.max_length is not None:
        value = validate_length(value, field.max_length, field.name)
    return value


def _home_country(session: Session, spec: EntitySpec, merged: Mapping[str, Any]) -> str:
    """The country a national phone number is read in: the account's (Spain by default)."""
    country = merged.get("country")
    if not country and merged.get("account_id"):
        account = get_record(session, "account", str(merged["account_id"]))
        country = account.get("country") if account else None
    text = str(country or "ES").strip().upper()
    return text if len(text) == 2 and text.isalpha() else "ES"


def _check_reference(session: Session, field: FieldSpec, value: str) -> None:
    if field.ref is None:
        return
    target = get_record(session, field.ref, value)
    if target is None or target["deleted_at"] is not None:
        raise ValidationError(
            "unknown_reference", field=field.name, params={"value": value, "entity": field.ref}
        )


def _check_number(field: FieldSpec, value: Any) -> Any:
    """The decimal precision (digits, places) and the bounds the catalog declares."""
    if field.type is FieldType.DECIMAL:
        if not isinstance(value, int) and not value.is_finite():
            raise ValidationError("invalid_number", field=field.name, params={"value": str(value)})
        shared_rule(bounded_decimal, field.name, value)
    shared_rule(check_field_rules, field, value)
    return float(value) if field.type is FieldType.FLOAT else value


# --- rules over the whole record ------------------------------------------------------------

#: A rule over the whole record: raises, or returns normalized values to store.
RecordRule = Callable[
    [Session, EntitySpec, Mapping[str, Any], "set[str] | None"], "dict[str, Any] | None"
]


def _touches(touched: set[str] | None, *names: str) -> bool:
    return touched is None or any(name in touched for name in names)


def _tax_id_for_country(
    session: Session, spec: EntitySpec, merged: Mapping[str, Any], touched: set[str] | None
) -> dict[str, Any] | None:
    """A tax id is valid for the record's country (checked when either changes)."""
    updates: dict[str, Any] = {}
    for field in spec.fields:
        if field.format is not FieldFormat.TAX_ID or not merged.get(field.name):
            continue
        readers = {f.name for f in spec.fields if field in dependent_fields(spec, f.name)}
        if not _touches(touched, field.name, *readers):
            continue
        updates[field.name] = shared_rule(
            check_field_rules, field, str(merged[field.name]), record=merged
        )
    return updates or None


def _visit_ends_after_start(
    session: Session, spec: EntitySpec, merged: Mapping[str, Any], touched: set[str] | None
) -> dict[str, Any] | None:
    if spec.name != "visit" or not _touches(touched, "planned_start", "planned_end"):
        return None
    start, end = merged.get("planned_start"), merged.get("planned_end")
    if isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
        validate_date_range(start, end, "planned_end")
    return None


def _consent_is_documented(
    session: Session, spec: EntitySpec, merged: Mapping[str, Any], touched: set[str] | None
) -> dict[str, Any] | None:
    """Marketing consent given must say when and where (GDPR: the proof travels with it)."""
    if spec.name != "contact" or not merged.get("marketing_consent"):
        return None
    if not _touches(touched, "marketing_consent", "consent_at", "consent_source"):
        return None
    missing = [
        ValidationError("required", field=name)
        for name in ("consent_at", "consent_source")
        if _blank(merged.get(name))
    ]
    if missing:
        raise ValidationErrors(missing)
    return None


_RECORD_RULES: tuple[RecordRule, ...] = (
    _tax_id_for_country,
    _visit_ends_after_start,
    _consent_is_documented,
)


__all__ = ["ValidationErrors", "check_new_record", "check_record_changes"]
