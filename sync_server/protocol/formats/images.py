"""Images carried in text fields (the company logo: a PNG as base64)."""

from __future__ import annotations

import base64
import binascii

from ..rejections import ValueRejected

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def normalize_png_base64(text: str, field: str = "logo_png") -> str:
    """Return the base64 text (whitespace removed) if it decodes to a PNG image.

    Only the encoding and the PNG signature are checked, not the whole image. Fails with
    ``invalid_png`` otherwise.
    """
    compact = "".join(text.split())
    try:
        data = base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueRejected(field, "invalid_png", "not a base64-encoded PNG image") from exc
    if not data.startswith(PNG_SIGNATURE):
        raise ValueRejected(field, "invalid_png", "not a base64-encoded PNG image")
    return compact
