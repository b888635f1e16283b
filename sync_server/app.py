"""Composition root of the HTTP server: ``create_app(settings) -> FastAPI``."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from sync_server.api.deps import ServerState
from sync_server.api.errors import install_error_handlers
from sync_server.api.middleware import API_PREFIX, BodySizeLimitMiddleware, VersionCheckMiddleware
from sync_server.api.routes import audit, auth, quote_numbers, status, sync
from sync_server.clock import Clock, system_clock
from sync_server.db.database import Database
from sync_server.db.migrate import ensure_current
from sync_server.protocol.versions import PROTOCOL_VERSION
from sync_server.services.actor import SyncContext, server_clock
from sync_server.services.auth import AuthService
from sync_server.services.passwords import Passwords
from sync_server.settings import Settings


def build_state(
    settings: Settings, *, clock: Clock = system_clock, database: Database | None = None
) -> ServerState:
    """Wire the services the routes use (also used by the command line)."""
    database = database or Database(
        settings.sqlalchemy_url(), pool_size=settings.database_pool_size
    )
    sync = SyncContext(
        clock=clock,
        hlc=server_clock(clock),
        max_drift_ms=settings.max_clock_drift_ms,
        left_scope_grace=dt.timedelta(days=settings.left_scope_grace_days),
    )
    auth_service = AuthService(database, settings, Passwords(settings))
    return ServerState(settings=settings, database=database, auth=auth_service, sync=sync)


def create_app(
    settings: Settings, *, clock: Clock = system_clock, database: Database | None = None
) -> FastAPI:
    """The HTTP API over an already migrated database (``sfa-server migrate``)."""
    state = build_state(settings, clock=clock, database=database)
    ensure_current(state.database)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.database.dispose()

    app = FastAPI(
        title="SFA sync server",
        version=f"protocol {PROTOCOL_VERSION}",
        lifespan=lifespan,
    )
    app.state.server = state
    install_error_handlers(app)
    for router in (status.router, auth.router, sync.router, quote_numbers.router, audit.router):
        app.include_router(router, prefix=API_PREFIX)
    # level 6: nearly the size of level 9 for sync pages, at a fraction of the CPU
    app.add_middleware(GZipMiddleware, minimum_size=settings.gzip_minimum_bytes, compresslevel=6)
    app.add_middleware(VersionCheckMiddleware, download_url=settings.client_download_url)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_request_bytes)
    return app


#: the youngest generation is collected after this many new objects (Python's default: 700)
COLLECTOR_THRESHOLD = 10_000


def app_from_environment() -> FastAPI:
    """Factory for uvicorn workers: settings come from ``SFA_*`` environment variables."""
    app = create_app(Settings())
    tune_collector()
    return app


def tune_collector() -> None:
    """Make a worker's cyclic garbage collection cheap, once everything is loaded.

    A push of 500 changes decodes about 1,500 JSON documents into dicts and lists; each
    collection those allocations start walked the whole heap of the loaded app (modules, the
    catalog, SQLAlchemy's and pydantic's schemas), about a third of a push's CPU time.
    ``gc.freeze`` sets what exists now aside (it lives as long as the process anyway) and a
    higher first threshold collects less often; reference counting still frees everything
    that holds no cycle at once.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(COLLECTOR_THRESHOLD, *gc.get_threshold()[1:])
