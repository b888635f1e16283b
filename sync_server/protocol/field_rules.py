"""The business rules of a field's value, declared in the catalog (``format``, ``minimum``,
``maximum``) and checked here for both sides.

:func:`check_wire_value` (in :mod:`.values`) guarantees a well-formed value of the field's type;
:func:`check_field_rules` then applies what the catalog declares: an e-mail that is an
address, a phone number that exists, an http(s) web address, a known currency, a tax id valid
for the record's country, a number inside its bounds. The server runs both on every pushed
value and stores the canonical form returned; the desktop client runs the same function before
it queues an edit, so both refuse the same values with the same code and params.

These rules run on writes only. Values already stored are never re-checked when they are read
or pulled, so tightening a rule cannot make existing data unreadable.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from .catalog import EntitySpec, FieldFormat, FieldSpec, FieldType
from .formats import (
    normalize_country,
    normalize_currency,
    normalize_email,
    normalize_phone,
    normalize_png_base64,
    normalize_tax_id_for_country,
    normalize_url,
)
from .rejections import ValueRejected

#: The field a TAX_ID field is checked against.
TAX_ID_COUNTRY_FIELD = "country"
DEFAULT_COUNTRY = "ES"


def check_field_rules(
    spec: FieldSpec,
    value: Any,
    *,
    record: Mapping[str, Any] | None = None,
    phone_region: str | None = None,
) -> Any:
    """``value`` in canonical form if it passes the field's declared rules.

    ``value`` is a checked wire value or its Python form (``Decimal`` for decimals); ``None``
    passes. ``record`` is the record as it would be after the write (the country a tax id is
    checked against). ``phone_region`` reads national phone numbers (the client passes the
    account's country); the server passes none, so phones travel in international form.
    """
    if value is None:
        return None
    if spec.format is not None and isinstance(value, str):
        value = _check_format(spec, value, record or {}, phone_region)
        if spec.max_length is not None and len(value) > spec.max_length:  # grew: "https://"…
            raise ValueRejected(
                spec.name,
                "too_long",
                f"at most {spec.max_length} characters",
                {"max": spec.max_length, "length": len(value)},
            )
    if spec.minimum is not None or spec.maximum is not None:
        _check_bounds(spec, value)
    return value


def dependent_fields(entity: EntitySpec, name: str) -> tuple[FieldSpec, ...]:
    """The fields of ``entity`` whose rule reads field ``name`` (tax ids read the country)."""
    if name != TAX_ID_COUNTRY_FIELD:
        return ()
    return tuple(f for f in entity.fields if f.format is FieldFormat.TAX_ID)


def _check_format(
    spec: FieldSpec, value: str, record: Mapping[str, Any], phone_region: str | None
) -> str:
    name = spec.name
    match spec.format:
        case FieldFormat.EMAIL:
            return normalize_email(value, name)
        case FieldFormat.PHONE:
            return normalize_phone(value, name, phone_region)
        case FieldFormat.URL:
            return normalize_url(value, name)
        case FieldFormat.COUNTRY:
            return normalize_country(value, name)
        case FieldFormat.CURRENCY:
            return normalize_currency(value, name)
        case FieldFormat.TAX_ID:
            country = record.get(TAX_ID_COUNTRY_FIELD) or DEFAULT_COUNTRY
            return normalize_tax_id_for_country(value, str(country), name)
        case FieldFormat.PNG:
            return normalize_png_base64(value, name)
    raise AssertionError(f"unhandled format {spec.format}")  # pragma: no cover


def _check_bounds(spec: FieldSpec, value: Any) -> None:
    if isinstance(value, bool):
        return
    if spec.type is FieldType.DECIMAL and isinstance(value, str):
        number: Decimal | int | float = Decimal(value)
    elif isinstance(value, Decimal | int | float):
        number = value
    else:
        return
    low, high = spec.minimum, spec.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        shown_high: object = "∞" if high is None else high
        shown_low: object = "-∞" if low is None else low
        raise ValueRejected(
            spec.name,
            "out_of_range",
            f"must be between {shown_low} and {shown_high}",
            {"min": shown_low, "max": shown_high, "value": value},
        )
