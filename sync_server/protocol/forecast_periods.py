"""Forecast periods: a calendar month or quarter, written ``2026-11`` or ``2026-Q4`` (the
``period`` of submissions, adjustments and quotas). Re-exported by :mod:`.forecast_rules`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

from .rejections import ValueRejected

PeriodKind = Literal["month", "quarter"]
PERIOD_KINDS: tuple[PeriodKind, ...] = ("month", "quarter")

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")


@dataclass(frozen=True, slots=True)
class Period:
    """A calendar month (``number`` 1–12) or quarter (1–4) of ``year``."""

    kind: PeriodKind
    year: int
    number: int

    def __post_init__(self) -> None:
        top = 12 if self.kind == "month" else 4
        if self.kind not in PERIOD_KINDS or not 1 <= self.number <= top:
            raise ValueError(f"no {self.kind} {self.number}")
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} out of range")

    @classmethod
    def of(cls, day: dt.date, kind: PeriodKind) -> Period:
        """The month or quarter ``day`` is in."""
        number = day.month if kind == "month" else (day.month - 1) // 3 + 1
        return cls(kind, day.year, number)

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        return f"{self.year:04d}-Q{self.number}"

    @property
    def _first_month(self) -> int:
        return self.number if self.kind == "month" else 3 * self.number - 2

    @property
    def _length(self) -> int:
        return 1 if self.kind == "month" else 3

    @property
    def start(self) -> dt.date:
        """The first day of the period."""
        return dt.date(self.year, self._first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period (inclusive)."""
        return self.next().start - dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def _shift(self, steps: int) -> Period:
        index = self.year * 12 + self._first_month - 1 + steps * self._length
        year, month = divmod(index, 12)
        return Period.of(dt.date(year, month + 1, 1), self.kind)

    def next(self) -> Period:
        return self._shift(1)

    def previous(self) -> Period:
        return self._shift(-1)

    def months(self) -> tuple[Period, ...]:
        """The months of the period (a month is its own only month)."""
        first = Period("month", self.year, self._first_month)
        months = [first]
        while len(months) < self._length:
            months.append(months[-1].next())
        return tuple(months)


def parse_period(text: str) -> Period:
    """``"2026-12"`` (a month) or ``"2026-Q4"`` (a quarter, ``q`` accepted) as a :class:`Period`.

    Raises :class:`ValueRejected` ``invalid_period`` for anything else (``2026-13``, ``2026-Q5``).
    """
    stripped = text.strip()
    month = _MONTH.match(stripped)
    quarter = _QUARTER.match(stripped)
    try:
        if month:
            return Period("month", int(month.group(1)), int(month.group(2)))
        if quarter:
            return Period("quarter", int(quarter.group(1)), int(quarter.group(2)))
    except ValueError:
        pass
    raise ValueRejected(
        "period", "invalid_period", "not a month (2026-12) or a quarter (2026-Q4)", {"value": text}
    )


def period_ended(period: Period, today: dt.date) -> bool:
    """Whether ``period`` is over on ``today`` (its last day has passed)."""
    return period.end < today
