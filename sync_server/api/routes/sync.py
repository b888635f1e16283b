"""Push and pull (SPEC §4)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response

from sync_server.api.deps import CurrentDevice, SessionDep, StateDep
from sync_server.api.errors import ERROR_RESPONSES
from sync_server.protocol.versions import PROTOCOL_HEADER, PROTOCOL_VERSION
from sync_server.protocol.wire import (
    DEFAULT_PULL_LIMIT,
    EPOCH_HEADER,
    MAX_PULL_LIMIT,
    EpochInfo,
    ErrorBody,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync_server.services.epochs import check_epoch, current_epoch
from sync_server.services.pull import pull as pull_changes
from sync_server.services.push import push as push_mutations

router = APIRouter(prefix="/sync", tags=["sync"], responses=ERROR_RESPONSES)

_EPOCH_CHANGED: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorBody, "description": "epoch_changed: the server was restored"}
}
#: the epoch the device last synced with (protocol 2); omitted by older clients
ClaimedEpoch = Annotated[
    str | None, Header(alias=EPOCH_HEADER, max_length=64, description="the last epoch synced")
]
#: checked by the version middleware; read here for what older protocols are told
ClientProtocol = Annotated[int, Header(alias=PROTOCOL_HEADER, include_in_schema=False)]


@router.post("/push", response_model=PushResponse, responses=_EPOCH_CHANGED)
def push(
    body: PushRequest,
    device: CurrentDevice,
    state: StateDep,
    protocol: ClientProtocol = PROTOCOL_VERSION,
    epoch: ClaimedEpoch = None,
) -> Response:
    """Apply a batch of field mutations; every mutation gets its own answer, in order."""
    with state.database.read_session() as session:
        current = check_epoch(session, epoch, protocol=protocol)
    with state.push_slots.taken() as slot:
        answer = push_mutations(
            state.database, actor=device.actor, mutations=body.mutations, context=state.sync
        )
    headers = {EPOCH_HEADER: current.epoch}
    if slot.crowded:  # another push waited for this worker: let this client find another
        headers["Connection"] = "close"
    # already a checked PushResponse: serialize it once, in pydantic-core
    return Response(answer.model_dump_json(), media_type="application/json", headers=headers)


@router.get("/epoch", response_model=EpochInfo)
def epoch(device: CurrentDevice, session: SessionDep) -> EpochInfo:
    """The server's epoch: a new one starts each time the server is restored from a backup."""
    return current_epoch(session)


@router.get(
    "/pull",
    response_model=PullResponse,
    responses={
        409: {"model": ErrorBody, "description": "cursor_ahead or epoch_changed (restored)"}
    },
)
def pull(
    device: CurrentDevice,
    state: StateDep,
    session: SessionDep,
    protocol: ClientProtocol = PROTOCOL_VERSION,
    epoch: ClaimedEpoch = None,
    cursor: Annotated[
        str, Query(pattern=r"^[0-9]{1,18}$", description="next_cursor of the last page")
    ] = "0",
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
) -> Response:
    """The changes after ``cursor`` that this user may see, oldest first."""
    current = check_epoch(session, epoch, protocol=protocol)
    page = pull_changes(
        session, user_id=device.user.id, cursor=cursor, limit=limit, context=state.sync
    )
    return Response(
        page.to_json(), media_type="application/json", headers={EPOCH_HEADER: current.epoch}
    )
