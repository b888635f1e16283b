"""Quote numbers that stay unique with no connection (SPEC §3, issue 10).

A quote number is ``Q-<rep code>-<year>-<seq>`` (``Q-ANA-2026-0042``). Numbers are handed out
by the server in advance, as *blocks* leased to one device: a block is a range of ``seq`` of
one rep code and one year, and the server never leases one range twice (one locked counter
row per rep code and year). A laptop keeps its blocks and takes the next free number locally,
so two laptops of the same rep never write the same number, connected or not.

When a laptop has used up its blocks while offline it falls back to
``Q-<rep code>-<year>-D<device code>-<n>`` (``Q-ANA-2026-D7-0001``): the device code is a
number the server gives each device once, unique across all devices, so a fallback number can
collide neither with another device's fallback numbers nor with any leased one (those have no
``D`` part). Blocks are per year: a laptop asks for next year's block during December, and a
year it holds no block for falls back the same way.

Numbers are zero-padded to :data:`SEQ_DIGITS` digits and grow past them (``Q-ANA-2026-12345``)
up to 8 digits, so the longest number (a 12-character rep code, a fallback of a 9-digit device
code) fits the quote's 40-character ``number`` field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: how many numbers the server leases to a device at a time
BLOCK_SIZE = 50
#: a device asks for a new block when fewer free numbers than this are left for a year
LOW_WATER = 20
#: the first number of every rep code's year
FIRST_SEQ = 1
#: the digits a sequence number is padded to (and the fewest :data:`QUOTE_NUMBER_PATTERN` takes)
SEQ_DIGITS = 4
#: the years the server leases blocks for, around its own current year
LEASE_YEARS_BEFORE = 1
LEASE_YEARS_AFTER = 1
#: from this month on, a device also keeps numbers of next year (it may be offline at
#: midnight on 31 December)
NEXT_YEAR_FROM_MONTH = 12
#: the lowest and highest year a quote number may carry
MIN_YEAR = 2000
MAX_YEAR = 9999

#: every quote number, leased or fallback (rep codes are 1-12 letters or digits)
QUOTE_NUMBER_PATTERN = re.compile(
    r"^Q-(?P<rep>[A-Z0-9]{1,12})-(?P<year>[0-9]{4})-(?:D(?P<device>[1-9][0-9]{0,8})-)?"
    r"(?P<seq>[0-9]{4,8})$"
)


@dataclass(frozen=True)
class QuoteNumber:
    """A parsed quote number; ``device_code`` is set for a fallback number."""

    rep_code: str
    year: int
    seq: int
    device_code: int | None = None

    def __str__(self) -> str:
        seq = f"{self.seq:0{SEQ_DIGITS}d}"
        device = f"D{self.device_code}-" if self.device_code is not None else ""
        return f"Q-{self.rep_code}-{self.year:04d}-{device}{seq}"


def leased_number(rep_code: str, year: int, seq: int) -> str:
    """A number taken from a leased block."""
    return str(QuoteNumber(rep_code, year, seq))


def fallback_number(rep_code: str, year: int, device_code: int, n: int) -> str:
    """The ``n``-th number a device made up without a block (see the module docstring)."""
    return str(QuoteNumber(rep_code, year, n, device_code))


def parse_quote_number(text: str) -> QuoteNumber | None:
    """The parts of a quote number, or None when ``text`` is not one."""
    match = QUOTE_NUMBER_PATTERN.match(text)
    if match is None:
        return None
    device = match["device"]
    return QuoteNumber(
        rep_code=match["rep"],
        year=int(match["year"]),
        seq=int(match["seq"]),
        device_code=int(device) if device else None,
    )


def lease_years(current_year: int) -> range:
    """The years a lease may be asked for when it is ``current_year`` on the server."""
    return range(current_year - LEASE_YEARS_BEFORE, current_year + LEASE_YEARS_AFTER + 1)


def wanted_years(today: dt.date) -> list[int]:
    """The years a device keeps leased numbers for on ``today``."""
    years = [today.year]
    if today.month >= NEXT_YEAR_FROM_MONTH:
        years.append(today.year + 1)
    return years
