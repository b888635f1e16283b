"""Push and pull (SPEC §4)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from sync_server.api.deps import CurrentDevice, SessionDep, StateDep
from sync_server.api.errors import ERROR_RESPONSES
from sync_server.protocol.wire import (
    DEFAULT_PULL_LIMIT,
    MAX_PULL_LIMIT,
    ErrorBody,
    PullResponse,
    PushRequest,
    PushResponse,
)
from sync_server.services.pull import pull as pull_changes
from sync_server.services.push import push as push_mutations

router = APIRouter(prefix="/sync", tags=["sync"], responses=ERROR_RESPONSES)


@router.post("/push", response_model=PushResponse)
def push(body: PushRequest, device: CurrentDevice, state: StateDep) -> Response:
    """Apply a batch of field mutations; every mutation gets its own answer, in order."""
    answer = push_mutations(
        state.database, actor=device.actor, mutations=body.mutations, context=state.sync
    )
    # already a checked PushResponse: serialize it once, in pydantic-core
    return Response(answer.model_dump_json(), media_type="application/json")


@router.get(
    "/pull",
    response_model=PullResponse,
    responses={409: {"model": ErrorBody, "description": "The cursor is ahead of the server"}},
)
def pull(
    device: CurrentDevice,
    state: StateDep,
    session: SessionDep,
    cursor: Annotated[
        str, Query(pattern=r"^[0-9]{1,18}$", description="next_cursor of the last page")
    ] = "0",
    limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = DEFAULT_PULL_LIMIT,
) -> Response:
    """The changes after ``cursor`` that this user may see, oldest first."""
    page = pull_changes(
        session, user_id=device.user.id, cursor=cursor, limit=limit, context=state.sync
    )
    return Response(page.model_dump_json(), media_type="application/json")
