"""Blocks of quote numbers leased to devices (protocol 3, see protocol/quote_numbers.py)."""

from __future__ import annotations

from fastapi import APIRouter

from sync_server.api.deps import CurrentDevice, StateDep
from sync_server.api.errors import ERROR_RESPONSES
from sync_server.protocol.wire import NumberBlocksRequest, NumberBlocksResponse
from sync_server.services.number_blocks import lease_number_blocks

router = APIRouter(prefix="/sync", tags=["sync"], responses=ERROR_RESPONSES)


@router.post("/number-blocks", response_model=NumberBlocksResponse)
def number_blocks(
    body: NumberBlocksRequest, device: CurrentDevice, state: StateDep
) -> NumberBlocksResponse:
    """Lease this device a new block of quote numbers for each year asked for (a year more
    than one away from the server's date gets none), and tell it its device code."""
    return lease_number_blocks(
        state.database,
        user_id=device.user.id,
        device_id=device.device_id,
        rep_code=device.user.rep_code,
        request=body,
        context=state.sync,
    )
