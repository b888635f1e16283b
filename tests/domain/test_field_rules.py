"""Presence, length, choices and percentages."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

import pytest

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.validation import (
    require,
    validate_choice,
    validate_length,
    validate_percent,
)


class Role(StrEnum):
    REP = "rep"
    MANAGER = "manager"


def _error(call: object, *args: object, **kwargs: object) -> ValidationError:
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value


@pytest.mark.parametrize("value", [None, "", "   \t\n", [], {}, ()])
def test_require_rejects_missing_values(value: object) -> None:
    error = _error(require, value, "name")
    assert (error.code, error.field) == ("required", "name")


def test_require_returns_the_value() -> None:
    assert require("  Acme  ", "name") == "Acme"
    assert require(0, "visits") == 0
    assert require(False, "consent") is False
    assert require([1], "tags") == [1]


def test_validate_length() -> None:
    assert validate_length("  Acme ", 4, "name") == "Acme"
    error = _error(validate_length, "Acme S.L.", 4, "name")
    assert (error.code, error.field, error.params) == ("too_long", "name", {"max": 4, "length": 9})


def test_validate_choice() -> None:
    assert validate_choice("b", ["a", "b"], "kind") == "b"
    assert validate_choice("manager", Role, "role") is Role.MANAGER
    error = _error(validate_choice, "admin", Role, "role")
    assert error.code == "invalid_choice"
    assert error.params == {"value": "admin", "choices": ["rep", "manager"]}


@pytest.mark.parametrize("value", [0, 100, Decimal("12.5"), Decimal("0.001")])
def test_validate_percent_accepts_the_range(value: Decimal | int) -> None:
    assert validate_percent(value, "discount") == Decimal(value)


def test_validate_percent_rejects_out_of_range_and_floats() -> None:
    error = _error(validate_percent, Decimal("100.01"), "discount")
    assert error.code == "out_of_range"
    assert error.params["min"] == 0
    assert error.params["max"] == 100
    assert _error(validate_percent, -1, "discount").code == "out_of_range"
    assert _error(validate_percent, 60, "discount", hi=50).code == "out_of_range"
    assert _error(validate_percent, 12.5, "discount").code == "invalid_number"
    assert _error(validate_percent, Decimal("NaN"), "discount").code == "invalid_number"
    assert validate_percent(-5, "margin", lo=-100) == Decimal(-5)
