"""Turning any exception from a background task into a translated message."""

from __future__ import annotations

import logging

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.i18n import _, error_message
from sfa_desktop.store.errors import StoreError

_log = logging.getLogger(__name__)


def describe_error(error: BaseException) -> str:
    """A sentence for the user: translated by code for domain and store errors."""
    if isinstance(error, DomainError):
        return error_message(error.code, **error.params)
    if isinstance(error, StoreError):
        params = {
            name: str(getattr(error, name))
            for name in ("path", "reason", "entity", "field")
            if getattr(error, name, None) is not None
        }
        return error_message(error.code, **params)
    _log.error("unexpected error", exc_info=error)
    return _("An unexpected error occurred: {error}").format(error=error)
