"""Keeping this device stocked with quote numbers (see ``sync_server/protocol/quote_numbers.py``).

At the end of every sync the device counts the leased numbers it has left for this year (and,
during December, for next year) and asks the server for a new block of each year that is
below :data:`LOW_WATER`; the first time, it also learns its device code. A sync with enough
numbers left sends nothing. The answer is stored in one transaction; an answer that never
arrives only leaves a gap in the numbering.
"""

from __future__ import annotations

import datetime as dt

from sfa_desktop.store import quote_numbers as numbers
from sfa_desktop.store.database import Database
from sync_server.protocol.quote_numbers import LOW_WATER, NEXT_YEAR_FROM_MONTH, wanted_years

from .transport import SyncApi
from .write_turns import take_write_lock

__all__ = ["NEXT_YEAR_FROM_MONTH", "top_up", "wanted_years"]


def top_up(database: Database, api: SyncApi, *, today: dt.date) -> bool:
    """Lease what is missing; True when the server was asked."""
    with database.session() as session:
        rep_code = numbers.leased_rep_code(session)
        known = rep_code is not None and numbers.device_code(session) is not None
        years = [
            year
            for year in wanted_years(today)
            if rep_code is None
            or numbers.free_numbers(session, rep_code=rep_code, year=year) < LOW_WATER
        ]
    if known and not years:
        return False
    answer = api.number_blocks(years)
    with database.session() as session:
        take_write_lock(session)
        numbers.set_device_code(session, answer.device_code)
        numbers.set_leased_rep_code(session, answer.rep_code)
        numbers.add_blocks(
            session,
            rep_code=answer.rep_code,
            blocks=[(block.year, block.first, block.last) for block in answer.blocks],
        )
    return True
