"""The quote numbers this device may hand out: its leased blocks and its fallback counters.

See ``sync_server/protocol/quote_numbers.py`` for the numbering scheme. Taking a number is
one ``UPDATE … RETURNING`` statement, so two writers of this file can never take the same
one; the caller's transaction holds the quote that gets it, so a number is spent only when
the quote is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from sync_server.protocol.quote_numbers import parse_quote_number

from .errors import StoreError
from .meta import get_meta, get_meta_int, set_meta
from .models.quote_numbers import QuoteNumberBlock, QuoteNumberFallback
from .models.sales import Quote


class QuoteNumberKey(StrEnum):
    """``app_meta`` keys of quote numbering."""

    #: this device's code, unique across all devices, given by the server on the first lease
    DEVICE_CODE = "quote_number_device_code"
    #: the signed-in user's rep code as of the last lease (the rep code of the blocks)
    REP_CODE = "quote_number_rep_code"


class QuoteNumberUnavailable(StoreError):
    """No number can be made: this device has never reached the server's number blocks."""

    code = "quote_number_unavailable"


def device_code(session: Session) -> int | None:
    return get_meta_int(session, QuoteNumberKey.DEVICE_CODE)


def set_device_code(session: Session, code: int) -> None:
    set_meta(session, QuoteNumberKey.DEVICE_CODE, str(code))


def leased_rep_code(session: Session) -> str | None:
    return get_meta(session, QuoteNumberKey.REP_CODE) or None


def set_leased_rep_code(session: Session, rep_code: str) -> None:
    set_meta(session, QuoteNumberKey.REP_CODE, rep_code)


def free_numbers(session: Session, *, rep_code: str, year: int) -> int:
    """How many leased numbers of ``rep_code`` and ``year`` are left to hand out."""
    block = QuoteNumberBlock
    left = session.execute(
        select(func.coalesce(func.sum(block.last_seq - block.next_seq + 1), 0)).where(
            block.rep_code == rep_code, block.year == year, block.next_seq <= block.last_seq
        )
    ).scalar_one()
    return int(left)


def add_blocks(session: Session, *, rep_code: str, blocks: Iterable[tuple[int, int, int]]) -> None:
    """Keep newly leased blocks, each ``(year, first, last)``."""
    for year, first, last in blocks:
        session.add(
            QuoteNumberBlock(
                rep_code=rep_code, year=year, first_seq=first, last_seq=last, next_seq=first
            )
        )
    session.flush()


def highest_seq(session: Session, *, rep_code: str, year: int) -> int:
    """The highest leased-form sequence number (not fallback) of ``rep_code`` and ``year`` on
    any quote here, deleted ones included; 0 when there is none."""
    prefix = f"Q-{rep_code}-{year:04d}-"
    found = session.scalars(
        select(Quote.number).where(Quote.number.startswith(prefix, autoescape=True))
    )
    highest = 0
    for number in found:
        parsed = parse_quote_number(number)
        if parsed is not None and parsed.device_code is None and parsed.rep_code == rep_code:
            highest = max(highest, parsed.seq)
    return highest


def take_leased(session: Session, *, rep_code: str, year: int) -> int | None:
    """The next leased number of ``rep_code`` and ``year`` (lowest block first); None when
    every block is used up."""
    block = QuoteNumberBlock
    current = (
        select(block.id)
        .where(block.rep_code == rep_code, block.year == year, block.next_seq <= block.last_seq)
        .order_by(block.first_seq)
        .limit(1)
        .scalar_subquery()
    )
    taken = session.execute(
        update(block)
        .where(block.id == current)
        .values(next_seq=block.next_seq + 1)
        .returning(block.next_seq - 1)
    ).scalar_one_or_none()
    return int(taken) if taken is not None else None


def take_fallback(session: Session, *, rep_code: str, year: int, device: int) -> int:
    """The next fallback number of ``rep_code`` and ``year`` under this device's code."""
    fallback = QuoteNumberFallback
    statement = sqlite_insert(fallback).values(
        rep_code=rep_code, year=year, device_code=device, next_seq=2
    )
    statement = statement.on_conflict_do_update(
        index_elements=[fallback.rep_code, fallback.year, fallback.device_code],
        set_={"next_seq": fallback.next_seq + 1},
    )
    taken = session.execute(statement.returning(fallback.next_seq - 1)).scalar_one()
    return int(taken)


def forget_numbers(session: Session) -> None:
    """Drop every block, counter and the device code (the profile now syncs elsewhere)."""
    session.execute(delete(QuoteNumberBlock))
    session.execute(delete(QuoteNumberFallback))
    set_meta(session, QuoteNumberKey.DEVICE_CODE, None)
    set_meta(session, QuoteNumberKey.REP_CODE, None)
