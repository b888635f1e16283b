"""One translated sentence for any error the CLI or the UI may meet while editing or syncing.

Domain, store and sync errors carry codes; :func:`error_text` turns them into the user's
language (falling back on :func:`sfa_desktop.i18n.error_message` for the shared codes).
"""

from __future__ import annotations

import math

from sfa_desktop.domain.errors import DomainError, ValidationErrors
from sfa_desktop.i18n import _, error_message, ngettext
from sfa_desktop.store.errors import DatabaseError, InvalidRecord, StoreError
from sfa_desktop.sync.errors import (
    CaFileUnusable,
    CertificateNotTrusted,
    ClientOutdated,
    RateLimited,
    ServerTimedOut,
    SyncError,
)


class _KeepMissing(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _templates() -> dict[str, str]:
    return {
        # editing
        "unknown_field": _("There is no field “{value}”."),
        "invalid_value": _("“{value}” is not a valid value."),
        "unknown_reference": _("There is no {entity} with id “{value}”."),
        "read_only": _("This cannot be changed here: it is managed by the server."),
        "unknown_entity": _("“{entity}” is not a kind of record."),
        "conflict_not_found": _("There is no conflict with id “{id}”."),
        "conflict_resolved": _("This conflict has already been resolved."),
        # sync
        "not_signed_in": _("Not signed in. Sign in to a sync server first."),
        "sign_in_again": _("The server no longer accepts this sign-in. Please sign in again."),
        "invalid_credentials": _("Wrong email or password."),
        "client_outdated": _(
            "This version of SFA Desktop is too old for the server. Please update it."
        ),
        "client_outdated_from": _(
            "The server needs a newer SFA Desktop (protocol {protocol}). "
            "Install the latest version from {url}"
        ),
        "client_outdated_ask": _(
            "The server needs a newer SFA Desktop (protocol {protocol}). "
            "Install the latest version: your administrator can tell you where to get it."
        ),
        "server_outdated": _(
            "The server is older than this app. Ask your administrator to update it."
        ),
        "server_unreachable": _(
            "The server cannot be reached. Check the connection and try again; "
            "your changes are kept."
        ),
        "server_error": _("The server reported an error. Try again later; your changes are kept."),
        "server_timeout": _(
            "The server did not answer within {seconds} seconds. Try again later; "
            "your changes are kept."
        ),
        "rate_limited": _("Too many attempts. Wait a few minutes and try again."),
        "rate_limited_for": _("Too many attempts. Try again in {wait}."),
        "bad_response": _("The server sent an answer this app does not understand."),
        "sync_busy": _("A sync is already running."),
        "pending_changes": _(
            "This profile has changes not yet synced for another user or server. "
            "Sync them first, or use another data folder."
        ),
        "certificate_not_trusted": _(
            "The server's certificate is not trusted: {reason}. If your company uses its own "
            "certificate authority, sign in again with its certificate file "
            "(sfa login --ca-file FILE, or “Company certificate” in the sign-in window)."
        ),
        "ca_file_unusable": _("The certificate file {path} cannot be used: {reason}."),
        "sync_failed": _("Sync failed: {message}"),
    }


def _fill(template: str, params: dict[str, object]) -> str:
    try:
        return template.format_map(_KeepMissing(params))
    except (ValueError, IndexError):
        return template


def wait_text(seconds: float) -> str:
    """``"45 seconds"``, ``"15 minutes"``: a wait rounded up, in the current language."""
    if seconds < 60:
        count = max(1, math.ceil(seconds))
        return ngettext("{count} second", "{count} seconds", count).format(count=count)
    count = math.ceil(seconds / 60)
    return ngettext("{count} minute", "{count} minutes", count).format(count=count)


def _sync_code_and_params(error: SyncError) -> tuple[str, dict[str, object]]:
    params: dict[str, object] = {"message": error.message}
    if isinstance(error, RateLimited) and error.retry_after is not None:
        return "rate_limited_for", {**params, "wait": wait_text(error.retry_after)}
    if isinstance(error, CertificateNotTrusted):
        return error.code, {**params, "reason": error.reason.rstrip(".")}
    if isinstance(error, CaFileUnusable):
        return error.code, {**params, "path": error.path, "reason": error.reason.rstrip(".")}
    if isinstance(error, ClientOutdated) and error.required_protocol is not None:
        protocol = {**params, "protocol": error.required_protocol}
        if error.download_url:
            return "client_outdated_from", {**protocol, "url": error.download_url}
        return "client_outdated_ask", protocol
    if isinstance(error, ServerTimedOut):
        if error.timeout_seconds is None:
            return "server_unreachable", params
        return error.code, {**params, "seconds": f"{error.timeout_seconds:g}"}
    return error.code, params


def domain_error_text(error: DomainError) -> str:
    """The sentence for one domain error (not prefixed with its field)."""
    template = _templates().get(error.code)
    if template is not None:
        return _fill(template, error.params)
    return error_message(error.code, **error.params)


def error_text(error: BaseException) -> str:
    """One line describing ``error`` for the user, in the current language."""
    if isinstance(error, ValidationErrors):
        return "; ".join(
            f"{e.field}: {domain_error_text(e).rstrip('.')}"
            if e.field
            else domain_error_text(e).rstrip(".")
            for e in error.errors
        )
    if isinstance(error, DomainError):
        text = domain_error_text(error)
        return f"{error.field}: {text}" if error.field else text
    if isinstance(error, SyncError):
        code, params = _sync_code_and_params(error)
        template = _templates().get(code)
        if template is not None:
            return _fill(template, params)
        return _("The server refused the request: {message}").format(message=error.message)
    if isinstance(error, InvalidRecord):
        return error_message(error.code, reason=error.message)
    if isinstance(error, DatabaseError):
        return error_message(error.code, path=str(error.path))
    if isinstance(error, StoreError):
        return error_message(error.code, path=str(getattr(error, "path", "")))
    return _("Something went wrong: {error}").format(error=str(error) or type(error).__name__)


def coded_error_text(error: BaseException) -> str | None:
    """The sentence for a domain or store error, by its code; ``None`` for any other error.

    What the desktop app shows when a background task fails (it reports anything else as
    unexpected).
    """
    if isinstance(error, DomainError):
        return error_message(error.code, **error.params)
    if isinstance(error, StoreError):
        params = {
            name: str(getattr(error, name))
            for name in ("path", "reason", "entity", "field")
            if getattr(error, name, None) is not None
        }
        return error_message(error.code, **params)
    return None
