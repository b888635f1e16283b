"""Valid-looking company tax ids: Spanish CIF with its real control character, EU/UK VAT numbers.

Every id gets the check digits of its country's algorithm, so validators in the app accept it.
"""

from __future__ import annotations

import random

CIF_CONTROL_LETTERS = "JABCDEFGHI"
_LETTER_CONTROL = frozenset("PQRSNW")


def cif_control(organisation: str, digits: str) -> str:
    """Control character of a CIF: a digit or a letter depending on the organisation letter."""
    total = 0
    for position, char in enumerate(digits, start=1):
        value = int(char)
        if position % 2:  # odd positions are doubled and their digits summed
            value *= 2
            value = value // 10 + value % 10
        total += value
    control = (10 - total % 10) % 10
    return CIF_CONTROL_LETTERS[control] if organisation in _LETTER_CONTROL else str(control)


def cif(organisation: str, number: int) -> str:
    """A complete CIF such as ``B28123456``-style ids from a 7-digit ``number``."""
    digits = f"{number:07d}"
    return organisation + digits + cif_control(organisation, digits)


def _portuguese(rng: random.Random) -> str:
    digits = [5, *(rng.randrange(10) for _ in range(7))]
    remainder = sum(d * (9 - i) for i, d in enumerate(digits)) % 11
    check = 0 if remainder < 2 else 11 - remainder
    return "PT" + "".join(map(str, digits)) + str(check)


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(number)):
        value = int(char) * (2 if i % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _french(rng: random.Random) -> str:
    while True:
        siren = str(rng.randrange(300_000_000, 999_999_999))
        if _luhn_ok(siren):
            key = (12 + 3 * (int(siren) % 97)) % 97
            return f"FR{key:02d}{siren}"


def _german(rng: random.Random) -> str:
    digits = [rng.randrange(1, 10), *(rng.randrange(10) for _ in range(7))]
    product = 10
    for d in digits:
        total = (d + product) % 10 or 10
        product = (2 * total) % 11
    check = (11 - product) % 10
    return "DE" + "".join(map(str, digits)) + str(check)


def _italian(rng: random.Random) -> str:
    body = [*(rng.randrange(10) for _ in range(7)), 0, *divmod(rng.randrange(1, 100), 10)]
    total = 0
    for i, d in enumerate(body):
        if i % 2:
            d *= 2
            d = d - 9 if d > 9 else d
        total += d
    return "IT" + "".join(map(str, body)) + str((10 - total % 10) % 10)


def _british(rng: random.Random) -> str:
    digits = [rng.randrange(1, 10), *(rng.randrange(10) for _ in range(6))]
    total = sum(d * w for d, w in zip(digits, range(8, 1, -1), strict=True))
    return "GB" + "".join(map(str, digits)) + f"{(-total) % 97:02d}"


_VAT = {"PT": _portuguese, "FR": _french, "DE": _german, "IT": _italian, "GB": _british}


def foreign_vat(country: str, rng: random.Random) -> str:
    """A VAT number of ``country`` (PT, FR, DE, IT or GB) with valid check digits."""
    return _VAT[country](rng)
