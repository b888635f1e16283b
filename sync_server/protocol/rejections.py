"""The error a protocol rule raises when a value or a write is refused."""

from __future__ import annotations

from collections.abc import Mapping


class ValueRejected(ValueError):
    """A wire value does not fit its field. ``code`` is machine readable.

    ``params`` carry what a user-facing message needs (``{"value": "abc", "reason": "..."}``),
    with the same names the desktop client's validation errors use.
    """

    def __init__(
        self, field: str, code: str, detail: str, params: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field
        self.code = code
        self.detail = detail
        self.params: dict[str, object] = dict(params or {})
