"""Checking record values (Python types) against the entity catalog.

A value is accepted only in the Python type of its field: TEXT→``str``, INT/MONEY→``int``,
FLOAT→``float`` (or ``int``), BOOL→``bool``, DECIMAL→``Decimal`` (or ``int``), DATE→``date``,
DATETIME→timezone-aware ``datetime``, REF/ENUM→``str``, TAGS→list of ``str``, JSON→any JSON
value. Then the protocol's own wire check runs (:func:`sync_server.protocol.values.check_wire_value`),
so what the store accepts is exactly what sync will accept, and the value comes back in
canonical form (UTC datetimes, normalized decimals, lowercase UUIDs, de-duplicated tags).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from sync_server.protocol.catalog import CATALOG, EntitySpec, FieldSpec, FieldType
from sync_server.protocol.values import ValueRejected, check_wire_value, to_python, to_wire

from ..errors import InvalidRecord
from ..models import MODEL_BY_ENTITY, SyncedRecord

_EXPECTED: dict[FieldType, tuple[str, Callable[[Any], bool]]] = {
    FieldType.TEXT: ("text", lambda v: isinstance(v, str)),
    FieldType.INT: ("a whole number", lambda v: isinstance(v, int) and not isinstance(v, bool)),
    FieldType.MONEY: (
        "a whole number of minor units",
        lambda v: isinstance(v, int) and not isinstance(v, bool),
    ),
    FieldType.FLOAT: (
        "a number",
        lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    ),
    FieldType.BOOL: ("true or false", lambda v: isinstance(v, bool)),
    FieldType.DECIMAL: (
        "a Decimal",
        lambda v: isinstance(v, Decimal | int) and not isinstance(v, bool),
    ),
    FieldType.DATE: (
        "a date",
        lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime),
    ),
    FieldType.DATETIME: (
        "a timezone-aware datetime",
        lambda v: isinstance(v, dt.datetime) and v.utcoffset() is not None,
    ),
    FieldType.REF: ("an id", lambda v: isinstance(v, str)),
    FieldType.ENUM: ("text", lambda v: isinstance(v, str)),
    FieldType.TAGS: (
        "a list of text tags",
        lambda v: isinstance(v, list | tuple) and all(isinstance(x, str) for x in v),
    ),
    FieldType.JSON: ("a JSON value", lambda v: True),
}


def resolve_entity(entity: str) -> tuple[EntitySpec, type[SyncedRecord]]:
    """The catalog spec and model of ``entity``; :class:`InvalidRecord` if unknown."""
    spec = CATALOG.get(entity)
    model = MODEL_BY_ENTITY.get(entity)
    if spec is None or model is None:
        raise InvalidRecord(entity, None, "unknown entity")
    return spec, model


def check_value(entity: str, spec: FieldSpec, value: Any) -> Any:
    """``value`` in canonical form for field ``spec``, or :class:`InvalidRecord`."""
    return _make_checker(entity, spec)(value)


def _make_checker(entity: str, spec: FieldSpec) -> Callable[[Any], Any]:
    """A checking function specialised for one field (bulk loads check millions of values)."""
    expected, accepts = _EXPECTED[spec.type]
    convert = spec.type not in _SAME_ON_WIRE
    is_json = spec.type is FieldType.JSON

    def check(value: Any) -> Any:
        if value is not None:
            if not accepts(value):
                raise InvalidRecord(
                    entity, spec.name, f"expected {expected}, got {type(value).__name__}"
                )
            if is_json:
                try:
                    json.dumps(value, allow_nan=False)
                except (TypeError, ValueError):
                    raise InvalidRecord(entity, spec.name, "not a JSON value") from None
        try:
            if not convert:
                return check_wire_value(spec, value)
            return to_python(spec, check_wire_value(spec, to_wire(spec, value)))
        except ValueRejected as exc:
            raise InvalidRecord(entity, spec.name, exc.detail) from None

    return check


#: Types whose Python and wire forms are the same (no conversion either way).
_SAME_ON_WIRE = frozenset(
    {
        FieldType.TEXT,
        FieldType.INT,
        FieldType.MONEY,
        FieldType.FLOAT,
        FieldType.BOOL,
        FieldType.REF,
        FieldType.ENUM,
    }
)


class RecordChecker:
    """Checks the fields of one entity; built once per entity (see :func:`record_checker`)."""

    def __init__(self, spec: EntitySpec) -> None:
        self.spec = spec
        self._checkers = {f.name: _make_checker(spec.name, f) for f in spec.fields}
        self._defaults: dict[str, Any] = {}
        for f in spec.fields:
            default = default_for(f)
            if default is not None:
                self._defaults[f.name] = self._checkers[f.name](default)

    def check(self, name: str, value: Any) -> Any:
        checker = self._checkers.get(name)
        if checker is None:
            raise InvalidRecord(self.spec.name, name, "no such field")
        return checker(value)

    def check_fields(
        self, values: Mapping[str, Any], *, allowed_extra: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """Check every catalog field in ``values``; reject names the catalog does not know."""
        return {
            name: self.check(name, value)
            for name, value in values.items()
            if name not in allowed_extra
        }

    def complete(self, checked: Mapping[str, Any]) -> dict[str, Any]:
        """Every catalog field: the checked values, else defaults (``required`` if none)."""
        row: dict[str, Any] = {}
        for name, checker in self._checkers.items():
            if name in checked:
                row[name] = checked[name]
            elif name in self._defaults:
                default = self._defaults[name]
                row[name] = list(default) if isinstance(default, list) else default
            else:
                row[name] = checker(None)
        return row


_RECORD_CHECKERS: dict[str, RecordChecker] = {}


def record_checker(spec: EntitySpec) -> RecordChecker:
    """The (cached) checker of an entity."""
    checker = _RECORD_CHECKERS.get(spec.name)
    if checker is None:
        checker = _RECORD_CHECKERS[spec.name] = RecordChecker(spec)
    return checker


def check_id(entity: str, value: Any) -> str:
    """A record id in canonical UUID text form."""
    if not isinstance(value, str):
        raise InvalidRecord(entity, "id", f"expected an id, got {type(value).__name__}")
    try:
        canonical: str = check_wire_value(_ID_SPEC, value)
    except ValueRejected as exc:
        raise InvalidRecord(entity, "id", exc.detail) from None
    return canonical


def check_timestamp(entity: str, field: str, value: Any, *, required: bool) -> dt.datetime | None:
    """A common timestamp (created/updated/deleted) as an aware UTC datetime."""
    if value is None:
        if required:
            raise InvalidRecord(entity, field, "a value is required")
        return None
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise InvalidRecord(entity, field, "expected a timezone-aware datetime")
    return value.astimezone(dt.UTC)


def default_for(spec: FieldSpec) -> Any:
    """The catalog default of a field as a Python value (``None`` if it has none)."""
    if spec.default is None:
        return None
    if spec.type is FieldType.DECIMAL:
        return Decimal(str(spec.default))
    if spec.type is FieldType.TAGS:
        return list(spec.default)  # type: ignore[call-overload]
    return spec.default


_ID_SPEC = FieldSpec("id", FieldType.REF, required=True)
