"""Spanish name order: a sort key, the ``es`` collation and the ``sfa_sort_key`` SQL function.

Names sort as a Spanish reader expects: accents and case do not decide the order (Álamos
before Arcos; Pérez between Pedro and Pinto), ``ñ`` is a letter of its own after ``n``
(Nunez, Nuñez, Nuo). When two names differ only in accents or
case, the accented/cased forms follow in a fixed order, so the order is total and every
sort is deterministic.

:func:`sort_key` makes a string whose plain code-point order (SQLite's ``BINARY``) is that
order. :func:`~sfa_desktop.store.database.open_database` registers on every connection:

* ``sfa_sort_key(text)`` — the key, deterministic: the big lists' indexes are built on it
  (``ix_accounts_name`` is ``(sfa_sort_key(name), id)``), so ``ORDER BY sfa_sort_key(name)``
  walks an index;
* the ``es`` collation — comparing by the key, for ``ORDER BY x COLLATE es`` on small sets
  (a collation has no index here: on 100,000 rows it sorts in ~0.8 s, the index walk in
  under a millisecond).

A connection without them (the ``sqlite3`` shell) can read the file but not write the
tables these indexes are on — like the search fallback's ``sfa_fold`` triggers.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import QueryableAttribute

#: The collation name registered on every connection.
COLLATION = "es"
#: The SQL function name of :func:`sort_key`.
SORT_KEY_FUNCTION = "sfa_sort_key"

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


def name_key(column: ColumnElement[Any] | QueryableAttribute[Any]) -> ColumnElement[str | None]:
    """``sfa_sort_key(column)``: what the name indexes are built on, to ORDER BY."""
    key: ColumnElement[str | None] = getattr(func, SORT_KEY_FUNCTION)(column)
    return key
