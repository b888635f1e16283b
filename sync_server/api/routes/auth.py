"""Sign in and sign out."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from sync_server.api.deps import CurrentDevice, StateDep
from sync_server.api.errors import ERROR_RESPONSES
from sync_server.protocol.wire import LoginRequest, LoginResponse

router = APIRouter(prefix="/auth", tags=["auth"], responses=ERROR_RESPONSES)


@router.post("/login", response_model=LoginResponse)
def login(body: LoginRequest, request: Request, state: StateDep) -> LoginResponse:
    """Check email and password; returns a new token for this device (shown only once)."""
    address = request.client.host if request.client else "unknown"
    return state.auth.login(
        email=body.email,
        password=body.password,
        device_name=body.device_name,
        address=address[:64],
        now=state.sync.now(),
    )


@router.post("/logout", status_code=204, response_class=Response)
def logout(device: CurrentDevice, state: StateDep) -> Response:
    """Revoke this device's token."""
    state.auth.logout(device, now=state.sync.now())
    return Response(status_code=204)
