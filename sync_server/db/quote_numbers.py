"""Data access for quote number blocks and device codes (see protocol/quote_numbers.py)."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.orm import Session

from .models import DeviceCode, QuoteNumberLease, QuoteNumberSeries

_series = cast(Table, QuoteNumberSeries.__table__)
_leases = cast(Table, QuoteNumberLease.__table__)
_codes = cast(Table, DeviceCode.__table__)


def reserve_range(session: Session, *, rep_code: str, year: int, size: int, first: int) -> int:
    """Move the series of ``rep_code`` and ``year`` past ``size`` numbers; returns the first.

    The update locks the series row until the transaction ends, so a concurrent lease of the
    same rep code and year waits and then starts after this one. A series that does not exist
    yet is inserted; two first leases at once: one fails on the primary key and is run again
    (``is_retryable``), then finds the row.
    """
    series = _series.c
    new_next = session.execute(
        update(_series)
        .where(series.rep_code == rep_code, series.year == year)
        .values(next_seq=series.next_seq + size)
        .returning(series.next_seq)
    ).scalar_one_or_none()
    if new_next is not None:
        return int(new_next) - size
    session.execute(insert(_series).values(rep_code=rep_code, year=year, next_seq=first + size))
    return first


def record_lease(
    session: Session,
    *,
    rep_code: str,
    year: int,
    first: int,
    last: int,
    device_id: str,
    user_id: str,
    at: dt.datetime,
) -> None:
    session.execute(
        insert(_leases).values(
            rep_code=rep_code,
            year=year,
            first_seq=first,
            last_seq=last,
            device_id=device_id,
            user_id=user_id,
            leased_at=at,
        )
    )


def device_code(session: Session, *, device_id: str) -> int | None:
    return session.execute(
        select(_codes.c.code).where(_codes.c.device_id == device_id)
    ).scalar_one_or_none()


def assign_device_code(session: Session, *, device_id: str) -> int:
    """The next free code (one above the highest). Two devices given the same one at once:
    the unique constraint fails one transaction, which is run again."""
    highest = session.execute(select(func.max(_codes.c.code))).scalar_one_or_none()
    code = int(highest or 0) + 1
    session.execute(insert(_codes).values(device_id=device_id, code=code))
    return code
