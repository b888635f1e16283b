"""Tax ids by country, including EU VAT numbers with the ES prefix."""

from __future__ import annotations

import pytest

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.validation import validate_country_code, validate_tax_id


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("B12345674", "ES", "B12345674"),
        ("b-1234567-4", "es", "B12345674"),
        ("12345678Z", "ES", "12345678Z"),
        ("ESB12345674", "ES", "ESB12345674"),
        ("ES B12345674", "FR", "ESB12345674"),  # a Spanish VAT number is checked anywhere
        ("FR 40 303 265 045", "FR", "FR40303265045"),
        ("DE123456789", "DE", "DE123456789"),
        ("12-3456789", "US", "123456789"),
    ],
)
def test_valid_tax_ids(text: str, country: str, expected: str) -> None:
    assert validate_tax_id(text, country) == expected


@pytest.mark.parametrize(
    ("text", "country", "code"),
    [
        ("B12345675", "ES", "invalid_tax_id"),
        ("ESB12345675", "FR", "invalid_tax_id"),
        ("FR40303265045", "ES", "invalid_tax_id"),
        ("X", "FR", "invalid_tax_id"),
        ("A" * 21, "FR", "invalid_tax_id"),
        ("ABC#123", "FR", "invalid_tax_id"),
        ("  ", "FR", "required"),
        ("B12345674", "ESP", "invalid_country"),
    ],
)
def test_invalid_tax_ids(text: str, country: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_tax_id(text, country)
    assert caught.value.code == code


def test_error_reports_what_the_user_typed() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_tax_id("es b12345675", "FR")
    assert caught.value.params["value"] == "es b12345675"
    assert caught.value.field == "tax_id"


def test_country_code() -> None:
    assert validate_country_code(" es ") == "ES"
    with pytest.raises(ValidationError) as caught:
        validate_country_code("E1")
    assert caught.value.code == "invalid_country"
