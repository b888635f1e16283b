"""Spanish name order: a sort key, the ``es`` collation and the ``sfa_sort_key`` SQL function.

Names sort as a Spanish reader expects: accents and case do not decide the order (Álamos
before Arcos; Pérez between Pedro and Pinto), ``ñ`` is a letter of its own after ``n``
(Nunez, Nuñez, Nuo). When two names differ only in accents or
case, the accented/cased forms follow in a fixed order, so the order is total and every
sort is deterministic.

:func:`sort_key` (:mod:`sfa_desktop.domain.name_order`, where lists sorted in Python find it
too) makes a string whose plain code-point order (SQLite's ``BINARY``) is that order.
:func:`~sfa_desktop.store.database.open_database` registers on every connection:

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

from typing import Any

from sqlalchemy import ColumnElement, func
from sqlalchemy.orm import QueryableAttribute

from sfa_desktop.domain.name_order import (
    KEY_SEPARATOR,
    compare,
    general_key,
    sort_key,
    sorted_names,
)

__all__ = [
    "COLLATION",
    "KEY_SEPARATOR",
    "SORT_KEY_FUNCTION",
    "compare",
    "general_key",
    "name_key",
    "sort_key",
    "sorted_names",
]

#: The collation name registered on every connection.
COLLATION = "es"
#: The SQL function name of :func:`sort_key`.
SORT_KEY_FUNCTION = "sfa_sort_key"


def name_key(column: ColumnElement[Any] | QueryableAttribute[Any]) -> ColumnElement[str | None]:
    """``sfa_sort_key(column)``: what the name indexes are built on, to ORDER BY."""
    key: ColumnElement[str | None] = getattr(func, SORT_KEY_FUNCTION)(column)
    return key
