"""Error codes, params, English fallback messages and form-level collection."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from sfa_desktop.domain.errors import (
    DomainError,
    ValidationCollector,
    ValidationError,
    ValidationErrors,
)
from sfa_desktop.domain.validation import require, validate_email, validate_length


def test_error_carries_code_field_and_params() -> None:
    error = ValidationError("too_long", field="name", params={"max": 80, "length": 95})
    assert isinstance(error, DomainError)
    assert error.code == "too_long"
    assert error.field == "name"
    assert error.message == "At most 80 characters are allowed (got 95)."
    assert str(error) == "name: At most 80 characters are allowed (got 95). [too_long]"
    assert error.to_dict() == {
        "code": "too_long",
        "field": "name",
        "params": {"max": 80, "length": 95},
        "message": "At most 80 characters are allowed (got 95).",
    }


def test_to_dict_is_json_ready() -> None:
    error = ValidationError(
        "out_of_range",
        field="discount",
        params={"min": Decimal("0"), "max": 100, "value": Decimal("120.5"), "on": date(2026, 1, 2)},
    )
    data = json.loads(json.dumps(error.to_dict()))
    assert data["params"] == {"min": "0", "max": 100, "value": "120.5", "on": "2026-01-02"}
    assert data["message"] == "The value must be between 0 and 100."
    assert error.params["value"] == Decimal("120.5")  # the live object keeps real types


def test_message_survives_unknown_codes_and_missing_params() -> None:
    assert DomainError("quota_exceeded").message == "Quota exceeded"
    assert DomainError("too_long").message == "At most {max} characters are allowed (got {length})."


def test_collector_gathers_every_failure() -> None:
    collector = ValidationCollector()
    name = collector.check(require, "  Acme ", "name")
    email = collector.check(validate_email, "nope", field="email")
    notes = collector.check(validate_length, "x" * 11, 10, "notes")
    collector.check(require, None, "owner")
    assert name == "Acme"
    assert email is None
    assert notes is None
    with pytest.raises(ValidationErrors) as caught:
        collector.raise_if_any()
    errors = caught.value
    assert errors.code == "validation_failed"
    assert len(errors) == 3
    assert [error.field for error in errors] == ["email", "notes", "owner"]
    assert list(errors.by_field()) == ["email", "notes", "owner"]
    as_dict = errors.to_dict()
    assert as_dict["params"] == {"count": 3}
    assert [item["code"] for item in as_dict["errors"]] == [  # type: ignore[attr-defined]
        "invalid_email",
        "too_long",
        "required",
    ]


def test_collector_flattens_nested_errors_and_is_quiet_when_clean() -> None:
    inner = ValidationErrors([ValidationError("required", field="a")])
    collector = ValidationCollector()

    def nested() -> None:
        raise inner

    collector.check(nested)
    collector.add(ValidationError("end_before_start", field="end"))
    assert [error.code for error in collector.errors] == ["required", "end_before_start"]
    ValidationCollector().raise_if_any()
