"""Long lists cut into chunks that one SQL statement can take (the client and the server).

SQLite accepts at most 32,766 parameters in one statement, so an ``IN (...)`` list over ids
gathered from a page, a batch or a report goes in chunks of :data:`MAX_IDS_PER_STATEMENT`; rows
written with ``executemany`` go in batches the same way. Both sides store in SQLite (the server
optionally), hence this one helper next to the other things they share.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

#: ids in one ``IN (...)`` list: well under SQLite's limit, with room for the other parameters
MAX_IDS_PER_STATEMENT = 5000


def chunked(items: Iterable[T], size: int = MAX_IDS_PER_STATEMENT) -> Iterator[list[T]]:
    """``items`` in order, in lists of at most ``size`` (none for no items)."""
    ordered = items if isinstance(items, list) else list(items)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]
