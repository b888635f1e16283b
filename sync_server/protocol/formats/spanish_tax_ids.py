"""Spanish tax identification numbers: NIF (DNI), NIE and CIF, with their check characters.

* NIF of a Spanish national: 8 digits (the DNI) + a letter, ``TABLE[number % 23]``.
  K, L and M followed by 7 digits (minors, non-residents, foreigners without NIE) use the
  same letter rule over the 7 digits.
* NIE of a foreign resident: X, Y or Z + 7 digits + letter; X/Y/Z stand for 0/1/2 in front
  of the digits before the same modulo-23 rule.
* CIF of an organisation: letter for the legal form + 7 digits + control character. The
  control is a digit (A, B, E, H: companies) or a letter (P, Q, R, S, W, N: public bodies,
  religious and foreign entities, non-resident branches); other forms accept either.

Generators (:func:`nif_check_letter`, :func:`nie_check_letter`, :func:`cif_control`) are
public so tests and the demo-data generator can build valid identifiers.
"""

from __future__ import annotations

import re

from ..rejections import ValueRejected

NIF_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"
"""Check letters indexed by the number modulo 23."""

CIF_CONTROL_LETTERS = "JABCDEFGHI"
"""Control letter for each control digit 0-9 (J for 0, A for 1…)."""

CIF_ORGANISATION_LETTERS = "ABCDEFGHJNPQRSUVW"
CIF_LETTER_CONTROL = frozenset("PQRSWN")
CIF_DIGIT_CONTROL = frozenset("ABEH")

_NIE_PREFIX_VALUE = {"X": 0, "Y": 1, "Z": 2}
_SEPARATORS = re.compile(r"[\s\-./]")
_DNI = re.compile(r"(\d{7,8})([A-Z])")
_PERSON_WITHOUT_DNI = re.compile(r"([KLM])(\d{7})([A-Z])")
_NIE = re.compile(r"([XYZ])(\d{7})([A-Z])")
_CIF = re.compile(rf"([{CIF_ORGANISATION_LETTERS}])(\d{{7}})([0-9A-J])")


def normalize_tax_id(text: str) -> str:
    """Upper-case and drop spaces, dashes, dots and slashes: ``"b-1234567 4"`` → ``"B12345674"``."""
    return _SEPARATORS.sub("", text).upper()


def _invalid(text: str, field: str, reason: str) -> ValueRejected:
    return ValueRejected(
        field, "invalid_tax_id", f"not a valid tax id ({reason})", {"value": text, "reason": reason}
    )


def _blank_check(text: str, field: str) -> str:
    normalized = normalize_tax_id(text)
    if not normalized:
        raise ValueRejected(field, "required", "a value is required")
    return normalized


# check characters ---------------------------------------------------------------------


def nif_check_letter(number: int) -> str:
    """Check letter of a DNI number (0-99 999 999): ``nif_check_letter(12345678) == "Z"``."""
    if not 0 <= number <= 99_999_999:
        raise ValueError(f"DNI number out of range: {number}")
    return NIF_LETTERS[number % 23]


def nie_check_letter(prefix: str, number: int) -> str:
    """Check letter of an NIE: ``nie_check_letter("X", 1234567) == "L"``."""
    if prefix not in _NIE_PREFIX_VALUE:
        raise ValueError(f"NIE prefix must be X, Y or Z, not {prefix!r}")
    if not 0 <= number <= 9_999_999:
        raise ValueError(f"NIE number out of range: {number}")
    return nif_check_letter(_NIE_PREFIX_VALUE[prefix] * 10_000_000 + number)


def cif_check_digit(number: int) -> int:
    """Control digit (0-9) of the 7 CIF digits.

    Digits in odd positions (1st, 3rd, 5th, 7th) are doubled and their digits summed; digits
    in even positions are added as they are; the control completes the total to a multiple
    of ten.
    """
    if not 0 <= number <= 9_999_999:
        raise ValueError(f"CIF number out of range: {number}")
    total = 0
    for position, char in enumerate(f"{number:07d}", start=1):
        digit = int(char)
        if position % 2:
            doubled = digit * 2
            total += doubled // 10 + doubled % 10
        else:
            total += digit
    return (10 - total % 10) % 10


def cif_control(organisation: str, number: int) -> str:
    """Control character a CIF of this organisation type carries: letter or digit.

    ``cif_control("B", 1234567) == "4"``, ``cif_control("P", 1234567) == "D"``. Types that
    accept either (C, D, F, G, J, U, V) get the digit form.
    """
    if len(organisation) != 1 or organisation not in CIF_ORGANISATION_LETTERS:
        raise ValueError(f"not a CIF organisation letter: {organisation!r}")
    digit = cif_check_digit(number)
    return CIF_CONTROL_LETTERS[digit] if organisation in CIF_LETTER_CONTROL else str(digit)


# validators -----------------------------------------------------------------------------


def validate_nif(text: str, field: str = "tax_id") -> str:
    """Validate a personal NIF (DNI + letter, or K/L/M form); return it normalized.

    A 7-digit DNI is padded with the leading zero spreadsheets tend to drop.
    Fails with ``"required"`` or ``"invalid_tax_id"`` (params ``value``, ``reason``:
    ``"format"`` or ``"check_digit"``).
    """
    normalized = _blank_check(text, field)
    if match := _DNI.fullmatch(normalized):
        digits, letter = match.group(1).zfill(8), match.group(2)
        if nif_check_letter(int(digits)) != letter:
            raise _invalid(text, field, "check_digit")
        return digits + letter
    if match := _PERSON_WITHOUT_DNI.fullmatch(normalized):
        if nif_check_letter(int(match.group(2))) != match.group(3):
            raise _invalid(text, field, "check_digit")
        return normalized
    raise _invalid(text, field, "format")


def validate_nie(text: str, field: str = "tax_id") -> str:
    """Validate a foreigner's NIE (X/Y/Z + 7 digits + letter); return it normalized."""
    normalized = _blank_check(text, field)
    match = _NIE.fullmatch(normalized)
    if not match:
        raise _invalid(text, field, "format")
    prefix, digits, letter = match.groups()
    if nie_check_letter(prefix, int(digits)) != letter:
        raise _invalid(text, field, "check_digit")
    return normalized


def validate_cif(text: str, field: str = "tax_id") -> str:
    """Validate an organisation's CIF (letter + 7 digits + control); return it normalized."""
    normalized = _blank_check(text, field)
    match = _CIF.fullmatch(normalized)
    if not match:
        raise _invalid(text, field, "format")
    organisation, digits, control = match.groups()
    digit = cif_check_digit(int(digits))
    if control.isdigit():
        valid = organisation not in CIF_LETTER_CONTROL and int(control) == digit
    else:
        valid = organisation not in CIF_DIGIT_CONTROL and control == CIF_CONTROL_LETTERS[digit]
    if not valid:
        raise _invalid(text, field, "check_digit")
    return normalized


def validate_spanish_tax_id(text: str, field: str = "tax_id") -> str:
    """Validate any Spanish NIF, NIE or CIF, chosen by its first character.

    Returns the normalized form (upper case, no separators). Fails with ``"required"`` or
    ``"invalid_tax_id"``.
    """
    normalized = _blank_check(text, field)
    first = normalized[0]
    if first.isdigit() or first in "KLM":
        return validate_nif(text, field)
    if first in _NIE_PREFIX_VALUE:
        return validate_nie(text, field)
    if first in CIF_ORGANISATION_LETTERS:
        return validate_cif(text, field)
    raise _invalid(text, field, "format")
