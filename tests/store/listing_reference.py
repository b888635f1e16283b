"""Plain-Python reference behaviour the list queries are checked against."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from typing import Any

from sfa_desktop.store.collation import sort_key
from sfa_desktop.store.search import fold, search_terms

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_WORD = re.compile(r"[^\W_]+")


def nocase(value: str | None) -> tuple[int, str]:
    """SQLite's NOCASE order (ASCII letters only), NULL first."""
    return (0, "") if value is None else (1, value.translate(_ASCII_LOWER))


def spanish(value: str | None) -> tuple[int, str]:
    """The Spanish name order of the lists (store.collation), NULL first."""
    key = sort_key(value)
    return (0, "") if key is None else (1, key)


def matches(query: str | None, texts: Iterable[str | None]) -> bool:
    """Every term of ``query`` is the prefix of a word of ``texts`` (accents and case folded)."""
    words = _WORD.findall(fold(" ".join(t for t in texts if t)))
    return all(any(word.startswith(fold(term)) for word in words) for term in search_terms(query))


def all_pages(fetch: Any, *, size: int = 7) -> list[Any]:
    """Every row, fetched page by page; fails on a short page before the end."""
    rows: list[Any] = []
    while True:
        page = fetch(offset=len(rows), limit=size)
        rows.extend(page)
        if len(page) < size:
            return rows
