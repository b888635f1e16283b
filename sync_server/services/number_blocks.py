"""Leasing blocks of quote numbers to devices (see ``sync_server/protocol/quote_numbers.py``).

``POST /api/v1/sync/number-blocks`` gives the signed-in device one new block of
:data:`BLOCK_SIZE` numbers for each year it asks for, and its device code (assigned on the
first call). Everything happens in one write transaction, run again on a concurrency failure:
the series row of a rep code and year is locked by the update that moves it (PostgreSQL) or
the whole database is (SQLite ``BEGIN IMMEDIATE``), so concurrent leases get disjoint blocks.

A lease whose answer is lost leaves a gap in the numbering; numbers are unique, not gapless.
Years more than a year away from the server's date get no block (a laptop with a wrong clock
falls back to device-coded numbers rather than burning a far year's numbers).
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from sync_server.db import quote_numbers as store
from sync_server.db.database import Database, is_retryable
from sync_server.protocol.quote_numbers import BLOCK_SIZE, FIRST_SEQ, lease_years
from sync_server.protocol.wire import NumberBlock, NumberBlocksRequest, NumberBlocksResponse

from .actor import SyncContext

MAX_ATTEMPTS = 8


def lease_number_blocks(
    database: Database,
    *,
    user_id: str,
    device_id: str,
    rep_code: str,
    request: NumberBlocksRequest,
    context: SyncContext,
) -> NumberBlocksResponse:
    """One new block per year asked for (within a year of the server's date) and the
    device's code."""
    now = context.now()
    allowed = lease_years(now.year)
    years = sorted({year for year in request.years if year in allowed})
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with database.write_session() as session:
                code = store.device_code(session, device_id=device_id)
                if code is None:
                    code = store.assign_device_code(session, device_id=device_id)
                blocks: list[NumberBlock] = []
                for year in years:
                    first = store.reserve_range(
                        session, rep_code=rep_code, year=year, size=BLOCK_SIZE, first=FIRST_SEQ
                    )
                    last = first + BLOCK_SIZE - 1
                    store.record_lease(
                        session,
                        rep_code=rep_code,
                        year=year,
                        first=first,
                        last=last,
                        device_id=device_id,
                        user_id=user_id,
                        at=now,
                    )
                    blocks.append(NumberBlock(year=year, first=first, last=last))
            return NumberBlocksResponse(rep_code=rep_code, device_code=code, blocks=blocks)
        except DBAPIError as error:
            if attempt == MAX_ATTEMPTS or not is_retryable(error):
                raise
    raise AssertionError("unreachable")  # pragma: no cover
