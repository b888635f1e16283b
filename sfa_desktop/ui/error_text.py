"""Turning any exception from a background task into a translated message."""

from __future__ import annotations

import logging

from sfa_desktop.i18n import _
from sfa_desktop.services.messages import coded_error_text

_log = logging.getLogger(__name__)


def describe_error(error: BaseException) -> str:
    """A sentence for the user: translated by code for domain and store errors."""
    text = coded_error_text(error)
    if text is not None:
        return text
    _log.error("unexpected error", exc_info=error)
    return _("An unexpected error occurred: {error}").format(error=error)
