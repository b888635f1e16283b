"""E-mail and phone validation."""

from __future__ import annotations

import pytest

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.validation import format_phone, validate_email, validate_phone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ana.lopez@ejemplo.es", "ana.lopez@ejemplo.es"),
        ("  Ana.Lopez@Ejemplo.ES ", "Ana.Lopez@ejemplo.es"),
        ("josé@ejemplo.es", "josé@ejemplo.es"),
        ("ventas+sfa@empresa.com", "ventas+sfa@empresa.com"),
    ],
)
def test_valid_emails_are_normalized(text: str, expected: str) -> None:
    assert validate_email(text) == expected


@pytest.mark.parametrize(
    "text", ["ana", "ana@", "@ejemplo.es", "ana@ejemplo", "ana lopez@ejemplo.es", "a@@b.es"]
)
def test_invalid_emails(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_email(text, field="contact_email")
    assert caught.value.code == "invalid_email"
    assert caught.value.field == "contact_email"
    assert caught.value.params["value"] == text


def test_blank_email_is_required() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_email("  ")
    assert caught.value.code == "required"


@pytest.mark.parametrize(
    ("text", "region", "expected"),
    [
        ("612 34 56 78", "ES", "+34612345678"),
        ("91 123 45 67", "ES", "+34911234567"),
        ("+34 612-345-678", "ES", "+34612345678"),
        ("0034 612 345 678", "ES", "+34612345678"),
        ("(650) 253-0000", "US", "+16502530000"),
        ("+1 650 253 0000", "ES", "+16502530000"),
        ("030 123456", "de", "+4930123456"),
    ],
)
def test_valid_phones_become_e164(text: str, region: str, expected: str) -> None:
    assert validate_phone(text, default_region=region) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12345", "too_short"),
        ("612 34 56 7", "too_short"),
        ("612 34 56 789 0", "too_long"),
        ("abc", "not_a_number"),
        ("+999 123456", "not_a_number"),
        ("412 34 56 78", "invalid"),  # right length, but no Spanish numbers start with 4
    ],
)
def test_invalid_phones(text: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_phone(text, field="mobile")
    assert caught.value.code == "invalid_phone"
    assert caught.value.field == "mobile"
    assert caught.value.params == {"value": text, "reason": reason}


def test_blank_phone_is_required() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_phone("")
    assert caught.value.code == "required"


def test_format_phone_for_display() -> None:
    assert format_phone("+34612345678") == "612 34 56 78"
    assert format_phone("+16502530000") == "+1 650-253-0000"
    assert format_phone("+16502530000", home_region="US") == "(650) 253-0000"
    assert format_phone("not a phone") == "not a phone"
