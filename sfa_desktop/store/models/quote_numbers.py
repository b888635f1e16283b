"""Local, never synced: the blocks of quote numbers leased to this device and the counters
of its fallback numbers (see ``sync_server/protocol/quote_numbers.py``).

* ``quote_number_blocks`` — one row per leased block of one rep code and year; ``next_seq``
  is the next number to hand out (the block is used up when it passes ``last_seq``). Used-up
  blocks are kept: they are a few rows a year.
* ``quote_number_fallback`` — per rep code, year and device code, the next fallback number
  (``Q-<rep>-<year>-D<device code>-<n>``) for when no leased number is left.
"""

from __future__ import annotations

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base

REP_CODE_LENGTH = 12


class QuoteNumberBlock(Base):
    """A block of quote numbers the server leased to this device."""

    __tablename__ = "quote_number_blocks"

    id: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=True)
    rep_code: Mapped[str] = mapped_column(String(REP_CODE_LENGTH))
    year: Mapped[int] = mapped_column(Integer())
    first_seq: Mapped[int] = mapped_column(Integer())
    last_seq: Mapped[int] = mapped_column(Integer())
    next_seq: Mapped[int] = mapped_column(Integer())

    __table_args__ = (Index("ix_quote_number_blocks_rep_code_year", "rep_code", "year", "id"),)


class QuoteNumberFallback(Base):
    """The next fallback number of one rep code and year under one device code."""

    __tablename__ = "quote_number_fallback"

    rep_code: Mapped[str] = mapped_column(String(REP_CODE_LENGTH), primary_key=True)
    year: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=False)
    device_code: Mapped[int] = mapped_column(Integer(), primary_key=True, autoincrement=False)
    next_seq: Mapped[int] = mapped_column(Integer())
