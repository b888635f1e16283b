"""Web addresses (an account's website)."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from ..rejections import ValueRejected

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
#: what an IP address host can look like (``ipaddress`` decides): other hosts skip its
#: failed parse, an exception path that cost more than the rest of the check
_MAYBE_IP = re.compile(r"[0-9a-f.:]+(%.*)?", re.IGNORECASE)


def _is_valid_host(host: str) -> bool:
    if host == "localhost":
        return True
    if _MAYBE_IP.fullmatch(host):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            return True
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = ascii_host.rstrip(".").split(".")
    return (
        len(ascii_host) <= 253
        and len(labels) >= 2
        and all(_LABEL.fullmatch(label) for label in labels)
        and not labels[-1].isdigit()
    )


def normalize_url(text: str, field: str = "website") -> str:
    """Return an http(s) URL, adding ``https://`` when no scheme was typed.

    ``"Example.com/Shop"`` → ``"https://example.com/Shop"``. Fails with ``"required"`` or
    ``"invalid_url"`` (params ``value``) for other schemes, spaces, user credentials or a
    malformed host.
    """
    stripped = text.strip()
    if not stripped:
        raise ValueRejected(field, "required", "a value is required")
    error = ValueRejected(field, "invalid_url", "not an http(s) web address", {"value": text})
    candidate = stripped if _SCHEME.match(stripped) else "https://" + stripped
    if any(char.isspace() for char in candidate):
        raise error
    try:
        parts = urlsplit(candidate)
        host = parts.hostname or ""
        _ = parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError as exc:
        raise error from exc
    if (
        parts.scheme.lower() not in ("http", "https")
        or "@" in parts.netloc  # credentials in a website address are a phishing trick
        or not _is_valid_host(host)
    ):
        raise error
    return urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, parts.fragment)
    )
