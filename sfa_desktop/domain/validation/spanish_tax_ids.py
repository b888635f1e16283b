"""Spanish tax identification numbers: NIF (DNI), NIE and CIF, with their check characters.

The rules are the sync server's (:mod:`sync_server.protocol.formats.spanish_tax_ids`); these
functions give its refusals as :class:`ValidationError` (``"required"`` or
``"invalid_tax_id"`` with params ``value`` and ``reason``: ``"format"`` or ``"check_digit"``).
The generators (:func:`nif_check_letter`, :func:`nie_check_letter`, :func:`cif_control`) are
public so tests and the demo-data generator can build valid identifiers.
"""

from __future__ import annotations

from sync_server.protocol.formats import spanish_tax_ids as _rules
from sync_server.protocol.formats.spanish_tax_ids import (
    CIF_CONTROL_LETTERS,
    CIF_DIGIT_CONTROL,
    CIF_LETTER_CONTROL,
    CIF_ORGANISATION_LETTERS,
    NIF_LETTERS,
    cif_check_digit,
    cif_control,
    nie_check_letter,
    nif_check_letter,
    normalize_tax_id,
)

from .shared_rules import shared_rule

__all__ = [
    "CIF_CONTROL_LETTERS",
    "CIF_DIGIT_CONTROL",
    "CIF_LETTER_CONTROL",
    "CIF_ORGANISATION_LETTERS",
    "NIF_LETTERS",
    "cif_check_digit",
    "cif_control",
    "nie_check_letter",
    "nif_check_letter",
    "normalize_tax_id",
    "validate_cif",
    "validate_nie",
    "validate_nif",
    "validate_spanish_tax_id",
]


def validate_nif(text: str, field: str = "tax_id") -> str:
    """Validate a personal NIF (DNI + letter, or K/L/M form); return it normalized.

    A 7-digit DNI is padded with the leading zero spreadsheets tend to drop.
    """
    return shared_rule(_rules.validate_nif, text, field)


def validate_nie(text: str, field: str = "tax_id") -> str:
    """Validate a foreigner's NIE (X/Y/Z + 7 digits + letter); return it normalized."""
    return shared_rule(_rules.validate_nie, text, field)


def validate_cif(text: str, field: str = "tax_id") -> str:
    """Validate an organisation's CIF (letter + 7 digits + control); return it normalized."""
    return shared_rule(_rules.validate_cif, text, field)


def validate_spanish_tax_id(text: str, field: str = "tax_id") -> str:
    """Validate any Spanish NIF, NIE or CIF, chosen by its first character.

    Returns the normalized form (upper case, no separators).
    """
    return shared_rule(_rules.validate_spanish_tax_id, text, field)
