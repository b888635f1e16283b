"""Shared machinery of the demo generator: seeded random streams, the clock, ids, weighted picks."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from sync_server.protocol.chunks import chunked
from sync_server.protocol.ids import uuid7

T = TypeVar("T")
Row = dict[str, Any]

LOCAL_ZONE = ZoneInfo("Europe/Madrid")
UTC = dt.UTC


class FastRandom(random.Random):
    """``random.Random`` with cheaper integer and choice draws (one float each).

    The standard methods draw unbiased bits in a Python loop; at a million rows that loop
    dominates, and the tiny bias of scaling a 53-bit float does not matter for demo data.
    """

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if stop is None:
            start, stop = 0, start
        if step != 1 or stop <= start:
            return super().randrange(start, stop, step)
        return start + int(self.random() * (stop - start))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        if not seq:
            raise IndexError("cannot choose from an empty sequence")
        return seq[int(self.random() * len(seq))]


def stream(seed: int, name: str) -> random.Random:
    """An independent, reproducible random stream for one part of the data set.

    Separate streams keep, say, the accounts identical whatever the number of visits asked for.
    """
    return FastRandom(f"sfa-demo/{seed}/{name}")


class Weighted(Generic[T]):
    """Pick items with fixed relative weights (faster than ``random.choices`` for one item)."""

    __slots__ = ("_cumulative", "_items", "_total")

    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        items: list[T] = []
        weights: list[float] = []
        for item, weight in pairs:
            items.append(item)
            weights.append(weight)
        self._items = items
        self._cumulative = list(itertools.accumulate(weights))
        self._total = self._cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        return self._items[bisect.bisect_right(self._cumulative, rng.random() * self._total)]


class Clock:
    """Today, "now" and local (Europe/Madrid) times converted to aware UTC datetimes."""

    def __init__(self, today: dt.date) -> None:
        self.today = today
        #: local midnight of each day, as an aware UTC datetime (DST-correct for daytime)
        self._midnights: dict[dt.date, dt.datetime] = {}
        #: the demo's "now": 07:45 local time on ``today``, before the first visit of the day
        self.now = self.local(today, 7 * 60 + 45)

    def local(self, day: dt.date, minutes: int) -> dt.datetime:
        """``minutes`` after local midnight of ``day`` (daytime hours), as UTC."""
        midnight = self._midnights.get(day)
        if midnight is None:
            noon = dt.datetime(day.year, day.month, day.day, 12, tzinfo=LOCAL_ZONE)
            offset = noon.utcoffset() or dt.timedelta(0)
            naive = dt.datetime(day.year, day.month, day.day) - offset
            midnight = self._midnights[day] = naive.replace(tzinfo=UTC)
        return midnight + dt.timedelta(minutes=minutes)

    def office(self, rng: random.Random, day: dt.date) -> dt.datetime:
        """A random moment of office hours (08:00-19:30 local) on ``day``."""
        return self.local(day, 0) + dt.timedelta(seconds=rng.randrange(8 * 3600, 19 * 3600 + 1800))

    def between(self, rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
        """A random moment of office hours on a working day in ``[start, end]``.

        Clamped to the range, so a short range may give a time outside office hours;
        an empty range gives ``start``.
        """
        if end <= start:
            return start
        first, last = start.date(), end.date()
        day = first + dt.timedelta(days=rng.randrange((last - first).days + 1))
        weekday = workday(day)
        when = self.office(rng, weekday if weekday <= last else day)
        return min(max(when, start), end)


def workday(day: dt.date, *, forward: bool = True) -> dt.date:
    """``day`` moved to the nearest Monday-Friday in the given direction."""
    step = dt.timedelta(days=1 if forward else -1)
    while day.weekday() >= 5:
        day += step
    return day


def new_id(rng: random.Random, created: dt.datetime) -> str:
    """A UUIDv7 stamped with ``created`` and random bits from ``rng``."""
    unix_ms = int(created.timestamp() * 1000)
    return str(uuid7(unix_ms=unix_ms, rand=rng.randbytes(10)))


def base_row(rng: random.Random, created: dt.datetime, updated: dt.datetime) -> Row:
    """The common fields of a new record (not deleted)."""
    return {
        "id": new_id(rng, created),
        "created_at": created,
        "updated_at": updated,
        "deleted_at": None,
    }


def batched(entity: str, rows: Sequence[Row], size: int) -> Iterator[tuple[str, list[Row]]]:
    """``rows`` in batches of at most ``size``, each tagged with the entity name."""
    for batch in chunked(rows, size):
        yield entity, batch
