"""Every error is JSON ``{code, message}`` (ErrorBody), whatever went wrong (SPEC §5, §6)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from sync_server.protocol.wire import ErrorBody
from sync_server.services.errors import ClientOutdated, RateLimited, ServiceError

from .middleware import outdated_details

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    426: "client_outdated",
    429: "rate_limited",
}

#: documented on every route, so clients (and schemathesis) know the error shape
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description}
    for status, description in (
        (400, "Malformed request"),
        (401, "Not signed in, or the sign-in is no longer valid"),
        (403, "Not allowed for this user"),
        (404, "No such resource"),
        (413, "Request body too large"),
        (422, "Request does not match the schema"),
        (426, "Client too old: update it"),
        (429, "Too many attempts"),
    )
}


def error_response(
    status: int,
    code: str,
    message: str,
    *,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = ErrorBody(code=code, message=message, details=details)
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)


def _validation_details(error: RequestValidationError) -> dict[str, Any]:
    problems = [
        {
            "loc": [str(part) for part in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in error.errors()[:20]
    ]
    return {"errors": problems}


async def _on_service_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, ServiceError)
    headers = None
    details = None
    if isinstance(error, RateLimited):
        headers = {"Retry-After": str(error.retry_after_seconds)}
    if isinstance(error, ClientOutdated):
        settings = request.app.state.server.settings
        details = outdated_details(error.required_protocol, settings.client_download_url)
    return error_response(error.status, error.code, error.message, details=details, headers=headers)


async def _on_validation_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    details = _validation_details(error)
    if any(p["type"] == "json_invalid" for p in details["errors"]):
        return error_response(400, "invalid_json", "the request body is not valid JSON")
    first = details["errors"][0] if details["errors"] else {"loc": [], "msg": "invalid"}
    where = ".".join(first["loc"][1:] or first["loc"]) or "request"
    return error_response(422, "invalid_request", f"{where}: {first['msg']}", details=details)


async def _on_http_error(_request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    code = _CODES.get(error.status_code, "http_error")
    message = error.detail if isinstance(error.detail, str) else code.replace("_", " ")
    if error.status_code == 404 and message == "Not Found":
        message = "no such resource"
    headers = dict(error.headers) if error.headers else None
    return error_response(error.status_code, code, message, headers=headers)


async def _on_unexpected_error(_request: Request, error: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=error)
    return error_response(500, "internal_error", "the server failed; the error was logged")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _on_service_error)
    app.add_exception_handler(RequestValidationError, _on_validation_error)
    app.add_exception_handler(HTTPException, _on_http_error)
    app.add_exception_handler(Exception, _on_unexpected_error)
