"""Hybrid logical clock (Kulkarni et al.): wall-clock-like stamps that never go backwards.

A stamp is ``(wall_ms, counter, node)``; its text form ``"<wall_ms:015d>-<counter:06d>-<node>"``
sorts the same way as the tuple, so stamps can be compared as strings in SQL too. The node (a
device id) breaks ties between two devices that produced the same wall time and counter.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

#: Stamps further than this ahead of the local wall clock are clamped (SPEC §4.3).
DEFAULT_MAX_DRIFT_MS = 5 * 60 * 1000

_MAX_COUNTER = 999_999
_STAMP_RE = re.compile(r"^(\d{15})-(\d{6})-([A-Za-z0-9_.:\-]{1,64})$")


class InvalidStamp(ValueError):
    """A text that is not a hybrid-logical-clock stamp."""


@dataclass(frozen=True, order=True)
class Stamp:
    wall_ms: int
    counter: int
    node: str

    def __str__(self) -> str:
        return self.text

    @cached_property
    def text(self) -> str:
        """The text form (made once: a merge writes a stamp's text several times)."""
        return f"{self.wall_ms:015d}-{self.counter:06d}-{self.node}"

    @classmethod
    def parse(cls, text: str) -> Stamp:
        match = _STAMP_RE.match(text) if isinstance(text, str) else None
        if match is None:
            raise InvalidStamp(f"not a clock stamp: {text!r}")
        stamp = cls(int(match.group(1)), int(match.group(2)), match.group(3))
        stamp.__dict__["text"] = match.group(0)  # the pattern admits one spelling of it
        return stamp


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridLogicalClock:
    """A monotonic clock for one node. Thread safe.

    ``now()`` stamps a local event; ``observe(stamp)`` merges a stamp received from elsewhere so
    later local stamps sort after it. A received stamp more than ``max_drift_ms`` ahead of the
    local wall clock is clamped first, so one device with a wrong clock cannot drag everybody
    into the future.
    """

    def __init__(
        self,
        node: str,
        *,
        wall: Callable[[], int] = wall_clock_ms,
        max_drift_ms: int = DEFAULT_MAX_DRIFT_MS,
        last: Stamp | None = None,
    ) -> None:
        if not _STAMP_RE.match(f"{0:015d}-{0:06d}-{node}"):
            raise ValueError(f"bad clock node id: {node!r}")
        self.node = node
        self._wall = wall
        self._max_drift_ms = max_drift_ms
        self._lock = threading.Lock()
        self._wall_ms = last.wall_ms if last else 0
        self._counter = last.counter if last else 0

    @property
    def last(self) -> Stamp:
        return Stamp(self._wall_ms, self._counter, self.node)

    def now(self) -> Stamp:
        with self._lock:
            physical = self._wall()
            if physical > self._wall_ms:
                self._wall_ms, self._counter = physical, 0
            else:
                self._tick()
            return Stamp(self._wall_ms, self._counter, self.node)

    def observe(self, remote: Stamp) -> Stamp:
        """Merge a remote stamp (clamped if too far ahead); return the new local stamp."""
        with self._lock:
            physical = self._wall()
            remote = clamp(remote, physical, self._max_drift_ms)
            top = max(self._wall_ms, remote.wall_ms, physical)
            if top == self._wall_ms == remote.wall_ms:
                self._counter = max(self._counter, remote.counter)
                self._tick()
            elif top == self._wall_ms:
                self._tick()
            elif top == remote.wall_ms:
                self._wall_ms, self._counter = top, remote.counter
                self._tick()
            else:
                self._wall_ms, self._counter = top, 0
            return Stamp(self._wall_ms, self._counter, self.node)

    def _tick(self) -> None:
        if self._counter >= _MAX_COUNTER:
            self._wall_ms += 1
            self._counter = 0
        else:
            self._counter += 1


def clamp(stamp: Stamp, now_ms: int, max_drift_ms: int = DEFAULT_MAX_DRIFT_MS) -> Stamp:
    """``stamp`` unless it lies more than ``max_drift_ms`` after ``now_ms``; then the limit."""
    limit = now_ms + max_drift_ms
    if stamp.wall_ms > limit:
        return Stamp(limit, 0, stamp.node)
    return stamp
