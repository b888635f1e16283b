"""The bridge to the rules shared with the sync server (``sync_server.protocol.formats``).

The protocol raises :class:`ValueRejected`; the desktop speaks :class:`ValidationError`. Both
carry the same code, field and params, so a value the server refuses is refused here first
with the same message.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sfa_desktop.domain.errors import ValidationError
from sync_server.protocol.rejections import ValueRejected

_P = ParamSpec("_P")
_T = TypeVar("_T")


def as_validation_error(error: ValueRejected) -> ValidationError:
    return ValidationError(error.code, field=error.field, params=error.params)


def shared_rule(rule: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """Run a protocol rule; its refusal becomes a :class:`ValidationError`."""
    try:
        return rule(*args, **kwargs)
    except ValueRejected as error:
        raise as_validation_error(error) from error
