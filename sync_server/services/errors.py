"""Errors the services raise; the API and the command line turn them into answers."""

from __future__ import annotations

from sync_server.protocol.versions import MIN_PROTOCOL_VERSION


class ServiceError(Exception):
    """A request that cannot be done, with a machine-readable ``code``."""

    code = "invalid_request"
    status = 400

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class NotFound(ServiceError):
    code = "not_found"
    status = 404


class Forbidden(ServiceError):
    code = "forbidden"
    status = 403


class Unauthorized(ServiceError):
    code = "not_authenticated"
    status = 401


class ClientOutdated(ServiceError):
    """This client is too old for the request: it must be updated (426)."""

    code = "client_outdated"
    status = 426
    #: the oldest protocol that may make the request
    required_protocol = MIN_PROTOCOL_VERSION


class RateLimited(ServiceError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class Rejected(Exception):
    """One mutation is not taken; ``code`` goes back to the device in its result."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
