"""Spanish NIF, NIE and CIF check characters."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.validation import (
    cif_check_digit,
    cif_control,
    nie_check_letter,
    nif_check_letter,
    validate_cif,
    validate_nie,
    validate_nif,
    validate_spanish_tax_id,
)
from sfa_desktop.domain.validation.spanish_tax_ids import (
    CIF_CONTROL_LETTERS,
    CIF_DIGIT_CONTROL,
    CIF_LETTER_CONTROL,
    CIF_ORGANISATION_LETTERS,
    NIF_LETTERS,
)

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, max_examples=200)

dni_numbers = st.integers(min_value=0, max_value=99_999_999)
seven_digits = st.integers(min_value=0, max_value=9_999_999)
letters = st.sampled_from(NIF_LETTERS)


def _code(call: object, *args: str) -> str:
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return caught.value.code


# known identifiers (computed by hand from the published algorithms) ------------------------


def test_known_valid_identifiers() -> None:
    assert nif_check_letter(12345678) == "Z"  # 12345678 % 23 == 14
    assert validate_nif("12345678Z") == "12345678Z"
    assert nie_check_letter("X", 1234567) == "L"  # 01234567 % 23 == 19
    assert validate_nie("X1234567L") == "X1234567L"
    assert nie_check_letter("Y", 1234567) == "X"  # 11234567 % 23 == 10
    assert nie_check_letter("Z", 1234567) == "R"  # 21234567 % 23 == 1
    # CIF digits 1234567: odd positions 1,3,5,7 doubled → 2+6+(1+0)+(1+4)=14; even 2+4+6=12;
    # total 26 → control 4 (letter D).
    assert cif_check_digit(1234567) == 4
    assert validate_cif("B12345674") == "B12345674"
    assert validate_cif("P1234567D") == "P1234567D"
    # 5800000: odd 5,0,0,0 → 10 → 1+0 = 1; even 8+0+0 = 8; total 9 → control 1 (letter A).
    assert cif_control("A", 5800000) == "1"
    assert cif_control("S", 5800000) == "A"
    assert cif_control("Q", 2818002) == CIF_CONTROL_LETTERS[cif_check_digit(2818002)]


def test_input_is_normalized() -> None:
    assert validate_nif(" 12.345.678-z ") == "12345678Z"
    assert validate_nif("1234567L") == "01234567L"  # the leading zero spreadsheets drop
    assert validate_nie("x-1234567-l") == "X1234567L"
    assert validate_cif("b 1234567 4") == "B12345674"
    assert validate_spanish_tax_id("b-12345674") == "B12345674"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12345678A", "check_digit"),
        ("123456789", "format"),
        ("1234Z", "format"),
        ("X1234567A", "check_digit"),
        ("W1234567", "format"),
        ("B1234567D", "check_digit"),  # A, B, E, H need a digit
        ("P12345674", "check_digit"),  # P, Q, R, S, W, N need a letter
        ("B12345675", "check_digit"),
        ("I12345674", "format"),  # I is not an organisation letter
        ("ÑÑÑ", "format"),
    ],
)
def test_invalid_identifiers(text: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_spanish_tax_id(text, field="vat")
    assert caught.value.code == "invalid_tax_id"
    assert caught.value.field == "vat"
    assert caught.value.params == {"value": text, "reason": reason}


def test_blank_is_required() -> None:
    for validator in (validate_nif, validate_nie, validate_cif, validate_spanish_tax_id):
        assert _code(validator, " - ") == "required"


def test_validators_do_not_accept_each_others_forms() -> None:
    assert _code(validate_nif, "X1234567L") == "invalid_tax_id"
    assert _code(validate_nie, "12345678Z") == "invalid_tax_id"
    assert _code(validate_cif, "12345678Z") == "invalid_tax_id"


def test_generators_reject_out_of_range_input() -> None:
    with pytest.raises(ValueError):
        nif_check_letter(100_000_000)
    with pytest.raises(ValueError):
        nie_check_letter("W", 1)
    with pytest.raises(ValueError):
        cif_control("X", 1)
    with pytest.raises(ValueError):
        cif_check_digit(-1)


# properties -------------------------------------------------------------------------------


@DETERMINISTIC
@given(number=dni_numbers, other=letters)
def test_nif_only_its_own_letter_validates(number: int, other: str) -> None:
    letter = nif_check_letter(number)
    assert validate_nif(f"{number:08d}{letter}") == f"{number:08d}{letter}"
    assert validate_spanish_tax_id(f"{number:08d}{letter}") == f"{number:08d}{letter}"
    if other != letter:
        assert _code(validate_nif, f"{number:08d}{other}") == "invalid_tax_id"


@DETERMINISTIC
@given(prefix=st.sampled_from("XYZ"), number=seven_digits, other=letters)
def test_nie_only_its_own_letter_validates(prefix: str, number: int, other: str) -> None:
    nie = f"{prefix}{number:07d}{nie_check_letter(prefix, number)}"
    assert validate_nie(nie) == nie
    assert validate_spanish_tax_id(nie) == nie
    if other != nie[-1]:
        assert _code(validate_nie, nie[:-1] + other) == "invalid_tax_id"


@DETERMINISTIC
@given(prefix=st.sampled_from("KLM"), number=seven_digits, other=letters)
def test_klm_nif_uses_the_dni_letter(prefix: str, number: int, other: str) -> None:
    nif = f"{prefix}{number:07d}{nif_check_letter(number)}"
    assert validate_spanish_tax_id(nif) == nif
    if other != nif[-1]:
        assert _code(validate_nif, nif[:-1] + other) == "invalid_tax_id"


@DETERMINISTIC
@given(
    organisation=st.sampled_from(CIF_ORGANISATION_LETTERS),
    number=seven_digits,
    other=st.sampled_from("0123456789" + CIF_CONTROL_LETTERS),
)
def test_cif_only_its_own_control_validates(organisation: str, number: int, other: str) -> None:
    digit = cif_check_digit(number)
    as_digit = f"{organisation}{number:07d}{digit}"
    as_letter = f"{organisation}{number:07d}{CIF_CONTROL_LETTERS[digit]}"
    canonical = f"{organisation}{number:07d}{cif_control(organisation, number)}"
    assert validate_cif(canonical) == canonical
    assert validate_spanish_tax_id(canonical) == canonical
    digit_ok = organisation not in CIF_LETTER_CONTROL
    letter_ok = organisation not in CIF_DIGIT_CONTROL
    assert digit_ok or letter_ok
    for candidate, allowed in ((as_digit, digit_ok), (as_letter, letter_ok)):
        if allowed:
            assert validate_cif(candidate) == candidate
        else:
            assert _code(validate_cif, candidate) == "invalid_tax_id"
    if other not in (str(digit), CIF_CONTROL_LETTERS[digit]):
        assert _code(validate_cif, f"{organisation}{number:07d}{other}") == "invalid_tax_id"
