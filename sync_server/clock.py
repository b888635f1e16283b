"""The server's notion of "now", injected everywhere so tests can pin and move time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

#: returns the current time as an aware UTC datetime
Clock = Callable[[], dt.datetime]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def to_millis(moment: dt.datetime) -> int:
    """Unix milliseconds of an aware datetime (the wall part of a clock stamp)."""
    return (moment - _EPOCH) // dt.timedelta(milliseconds=1)


def from_millis(ms: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ms / 1000, dt.UTC)
