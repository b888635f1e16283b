"""ASGI middleware: protocol/schema version check and a request body size limit."""

from __future__ import annotations

import json
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sync_server.protocol.versions import (
    MIN_PROTOCOL_VERSION,
    MIN_SCHEMA_VERSION,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SCHEMA_HEADER,
    SCHEMA_VERSION,
)
from sync_server.protocol.wire import ClientOutdatedDetails

API_PREFIX = "/api/v1"
#: reachable without version headers (monitoring, discovering the server's versions)
UNVERSIONED_PATHS = frozenset({f"{API_PREFIX}/health"})


def _header(scope: Scope, name: str) -> str | None:
    wanted = name.lower().encode()
    for key, value in scope.get("headers", ()):
        if key == wanted:
            return bytes(value).decode("latin-1")
    return None


def _version(text: str | None) -> int | None:
    if text is None or not text.strip().isdigit() or len(text.strip()) > 6:
        return None
    return int(text.strip())


async def _send_error(
    send: Send, status: int, code: str, message: str, details: dict[str, Any] | None = None
) -> None:
    body = json.dumps({"code": code, "message": message, "details": details}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def outdated_details(required_protocol: int, download_url: str | None) -> dict[str, Any]:
    """The ``details`` of a 426 ``client_outdated`` answer."""
    return ClientOutdatedDetails(
        required_protocol=required_protocol, download_url=download_url
    ).model_dump(mode="json")


class VersionCheckMiddleware:
    """Every API request names its protocol and schema versions (SPEC §4.8).

    Missing or older than the oldest supported: 426 ``client_outdated``. Newer than this
    server: 400 ``server_outdated`` (the server cannot read a newer format). The 426 carries
    :class:`ClientOutdatedDetails`: the protocol needed and where to download the app.
    """

    def __init__(self, app: ASGIApp, download_url: str | None = None) -> None:
        self.app = app
        self.download_url = download_url

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(API_PREFIX) or path in UNVERSIONED_PATHS:
            await self.app(scope, receive, send)
            return
        protocol = _version(_header(scope, PROTOCOL_HEADER))
        schema = _version(_header(scope, SCHEMA_HEADER))
        if (
            protocol is None
            or schema is None
            or protocol < MIN_PROTOCOL_VERSION
            or schema < MIN_SCHEMA_VERSION
        ):
            await _send_error(
                send,
                426,
                "client_outdated",
                "This version of SFA Desktop is too old for the server: please update it.",
                outdated_details(MIN_PROTOCOL_VERSION, self.download_url),
            )
            return
        if protocol > PROTOCOL_VERSION or schema > SCHEMA_VERSION:
            await _send_error(
                send,
                400,
                "server_outdated",
                "The server is older than this client: ask your administrator to update it.",
            )
            return
        await self.app(scope, receive, send)


class BodySizeLimitMiddleware:
    """Refuse request bodies over ``max_bytes`` with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, "content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            status, code = (
                (413, "request_too_large") if declared.isdigit() else (400, "bad_request")
            )
            await _send_error(
                send, status, code, f"request bodies are limited to {self.max_bytes} bytes"
            )
            return
        seen = 0

        async def limited_receive() -> Message:
            nonlocal seen
            message: dict[str, Any] = dict(await receive())
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(
                        413, f"request bodies are limited to {self.max_bytes} bytes"
                    )
            return message

        await self.app(scope, limited_receive, send)
