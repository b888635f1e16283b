"""Health (no sign-in needed) and the signed-in user."""

from __future__ import annotations

from fastapi import APIRouter

from sync_server.api.deps import CurrentDevice, StateDep
from sync_server.api.errors import ERROR_RESPONSES
from sync_server.api.schemas import MeResponse
from sync_server.protocol.values import format_datetime
from sync_server.protocol.versions import PROTOCOL_VERSION, SCHEMA_VERSION
from sync_server.protocol.wire import HealthResponse

router = APIRouter(tags=["status"])


@router.get("/health", response_model=HealthResponse)
def health(state: StateDep) -> HealthResponse:
    """The server is up; its protocol and schema versions and clock."""
    return HealthResponse(
        status="ok",
        protocol_version=PROTOCOL_VERSION,
        schema_version=SCHEMA_VERSION,
        server_time=format_datetime(state.sync.now()),
    )


@router.get("/me", response_model=MeResponse, responses=ERROR_RESPONSES)
def me(device: CurrentDevice) -> MeResponse:
    """Who this token belongs to."""
    return MeResponse(user=device.user, device_id=device.device_id, device_name=device.device_name)
