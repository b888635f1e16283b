"""Spanish name order as a sort key (no database): what every list of names sorts by.

Names sort as a Spanish reader expects: accents and case do not decide the order (Álamos
before Arcos; Pérez between Pedro and Pinto), ``ñ`` is a letter of its own after ``n``
(Nunez, Nuñez, Nuo). When two names differ only in accents or
case, the accented/cased forms follow in a fixed order, so the order is total and every
sort is deterministic.

:func:`sort_key` makes a string whose plain code-point order is that order: lists sorted in
Python use it, and :mod:`sfa_desktop.store.collation` registers it on every database
connection (the big lists' indexes are built on it).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import overload

#: Follows "n" in a key for "ñ": greater than any letter, so "nz" < "ñ" < "o".
_AFTER_N = "\U0010ffff"
#: Between the key's parts: lower than anything the primary part holds.
_SEPARATOR = "\x01"
#: Between a key's parts (its first part is the folded text: a range of keys is "equal but for
#: accents and case").
KEY_SEPARATOR = _SEPARATOR
_TILDE = "\u0303"


#: Control characters become spaces in the primary part (so it never holds the separator).
_CONTROLS = {code: " " for code in range(0x20)}


@lru_cache(maxsize=65536)
def _key(value: str) -> str:
    if value.isascii():  # most names: no accents, no ñ (the same key, ~2x faster)
        return _SEPARATOR.join((value.lower().translate(_CONTROLS), value, value))
    return general_key(value)


def general_key(value: str) -> str:
    """:func:`sort_key` for any text, character by character."""
    primary: list[str] = []
    for char in unicodedata.normalize("NFKD", value):
        if unicodedata.combining(char):
            if char == _TILDE and primary and primary[-1] == "n":
                primary.append(_AFTER_N)
            continue
        primary.append(" " if char < " " else char.casefold())
    tie_break = unicodedata.normalize("NFC", value)
    return _SEPARATOR.join(("".join(primary), tie_break, value))


@overload
def sort_key(value: str) -> str: ...


@overload
def sort_key(value: None) -> None: ...


def sort_key(value: str | None) -> str | None:
    """The key whose code-point order is the Spanish order of ``value`` (``None`` stays)."""
    if value is None:
        return None
    return _key(value)


def compare(left: str, right: str) -> int:
    """The ``es`` collation: -1, 0 or 1 as ``left`` sorts before, with or after ``right``."""
    left_key, right_key = _key(left), _key(right)
    return (left_key > right_key) - (left_key < right_key)


def sorted_names(values: list[str]) -> list[str]:
    """``values`` in Spanish order (for lists sorted in Python)."""
    return sorted(values, key=_key)
