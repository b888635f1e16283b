"""Typed FastAPI dependencies: the server state, a database session, the signed-in device."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, cast

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from sync_server.api.push_slots import PushSlots
from sync_server.db.database import Database
from sync_server.services.actor import Actor, SyncContext
from sync_server.services.auth import AuthService, SignedIn
from sync_server.services.errors import Unauthorized
from sync_server.settings import Settings


@dataclass
class ServerState:
    """What the routes work with, built once by ``create_app`` (no global singletons)."""

    settings: Settings
    database: Database
    auth: AuthService
    sync: SyncContext
    #: this process's turns for applying pushes
    push_slots: PushSlots = field(default_factory=PushSlots)


def get_state(request: Request) -> ServerState:
    return cast(ServerState, request.app.state.server)


StateDep = Annotated[ServerState, Depends(get_state)]


def get_session(state: StateDep) -> Iterator[Session]:
    """A read-only transaction for the request (writes open their own, see services)."""
    with state.database.read_session() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]

_bearer = HTTPBearer(auto_error=False, description="the token returned by /api/v1/auth/login")


def get_current_device(
    state: StateDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> SignedIn:
    if credentials is None:
        raise Unauthorized("sign in first: this request needs a bearer token")
    return state.auth.authenticate(credentials.credentials, now=state.sync.now())


CurrentDevice = Annotated[SignedIn, Depends(get_current_device)]


def get_current_actor(device: CurrentDevice) -> Actor:
    return device.actor


CurrentUser = Annotated[Actor, Depends(get_current_actor)]
