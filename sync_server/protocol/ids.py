"""Record ids: UUID version 7 (time ordered), generated on the client without a connection."""

from __future__ import annotations

import os
import re
import time
import uuid

#: a UUID already in its canonical text form (what ``str(uuid.UUID(...))`` writes)
_CANONICAL = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def uuid7(*, unix_ms: int | None = None, rand: bytes | None = None) -> uuid.UUID:
    """A UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version, 74 random bits, variant."""
    ms = time.time_ns() // 1_000_000 if unix_ms is None else unix_ms
    tail = rand if rand is not None else os.urandom(10)
    if len(tail) != 10:
        raise ValueError("rand must be 10 bytes")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= int.from_bytes(tail, "big") & ((1 << 80) - 1)
    value &= ~(0xF << 76)
    value |= 0x7 << 76  # version
    value &= ~(0x3 << 62)
    value |= 0x2 << 62  # RFC 4122 variant
    return uuid.UUID(int=value)


def new_id() -> str:
    """A new record id in its canonical text form."""
    return str(uuid7())


def canonical_id(text: str) -> str:
    """``text`` as ``str(uuid.UUID(text))`` writes it (``ValueError`` if it is no UUID).

    Ids nearly always arrive canonical already; recognising that is several times cheaper
    than parsing, and a push checks every mutation's id."""
    if _CANONICAL.fullmatch(text):
        return text
    return str(uuid.UUID(text))


def canonical_id_or_none(value: object) -> str | None:
    """:func:`canonical_id` of ``value``, or None when it is no UUID text."""
    if not isinstance(value, str):
        return None
    try:
        return canonical_id(value)
    except ValueError:
        return None
