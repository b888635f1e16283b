"""General-purpose field rules: presence, length, allowed values, percentages.

Each function returns the normalized value or raises :class:`ValidationError` naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sized
from decimal import Decimal
from typing import TypeVar, overload

from sfa_desktop.domain.errors import ValidationError

_T = TypeVar("_T")


@overload
def require(value: str | None, field: str) -> str: ...
@overload
def require(value: _T | None, field: str) -> _T: ...
def require(value: object, field: str) -> object:
    """Fail with ``"required"`` on ``None``, blank strings and empty collections.

    Strings come back stripped; other values unchanged (``0`` and ``False`` are values).
    """
    if value is None:
        raise ValidationError("required", field=field)
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            raise ValidationError("required", field=field)
        return stripped
    if isinstance(value, Sized) and not isinstance(value, bytes | bytearray) and len(value) == 0:
        raise ValidationError("required", field=field)
    return value


def validate_length(text: str, max_len: int, field: str) -> str:
    """Return ``text`` stripped; fail with ``"too_long"`` (params ``max``, ``length``)."""
    stripped = text.strip()
    if len(stripped) > max_len:
        raise ValidationError(
            "too_long", field=field, params={"max": max_len, "length": len(stripped)}
        )
    return stripped


def validate_choice(value: object, choices: Iterable[_T], field: str) -> _T:
    """Return the member of ``choices`` equal to ``value``, else fail with ``"invalid_choice"``.

    Works with enums: ``validate_choice("rep", Role, "role")`` returns ``Role.REP`` when
    ``Role`` is a ``StrEnum``. Params: ``value`` and the allowed ``choices`` (as strings).
    """
    options = list(choices)
    for option in options:
        if option == value:
            return option
    raise ValidationError(
        "invalid_choice",
        field=field,
        params={"value": value, "choices": [str(option) for option in options]},
    )


def validate_percent(
    value: Decimal | int, field: str, lo: Decimal | int = 0, hi: Decimal | int = 100
) -> Decimal:
    """Return ``value`` as Decimal if ``lo <= value <= hi`` (percentage points).

    Fails with ``"invalid_number"`` for floats, NaN or infinities, and ``"out_of_range"``
    (params ``min``, ``max``, ``value``) outside the bounds.
    """
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise ValidationError("invalid_number", field=field, params={"value": value})
    number = Decimal(value)
    if not number.is_finite():
        raise ValidationError("invalid_number", field=field, params={"value": str(value)})
    if not lo <= number <= hi:
        raise ValidationError(
            "out_of_range", field=field, params={"min": lo, "max": hi, "value": number}
        )
    return number
