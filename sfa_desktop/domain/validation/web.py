"""Web addresses (an account's website): the sync server's rule
(:func:`sync_server.protocol.formats.normalize_url`)."""

from __future__ import annotations

from sync_server.protocol.formats import normalize_url

from .shared_rules import shared_rule


def validate_url(text: str, field: str = "website") -> str:
    """Return an http(s) URL, adding ``https://`` when no scheme was typed.

    ``"Example.com/Shop"`` → ``"https://example.com/Shop"``. Fails with ``"required"`` or
    ``"invalid_url"`` (params ``value``) for other schemes, spaces, user credentials or a
    malformed host.
    """
    return shared_rule(normalize_url, text, field)
