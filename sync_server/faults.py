"""Crash points of the server for the fault-injection tests: ``SFA_SERVER_FAULT=<point>[:<nth>]``.

The server kills itself with SIGKILL the ``nth`` time (default 1) it reaches the named point
(see :mod:`sync_server.protocol.faults`); without the variable :func:`reached` costs one
comparison. The points, in the push path (:mod:`sync_server.services.push`):

``push.before_commit``
    a batch is applied and its answers stored, in a transaction not yet committed
``push.after_commit``
    the batch is committed; the answer is not sent yet
"""

from __future__ import annotations

from sync_server.protocol.faults import KillSwitch

ENV_VAR = "SFA_SERVER_FAULT"

POINTS = frozenset({"push.before_commit", "push.after_commit"})

_SWITCH = KillSwitch(ENV_VAR, POINTS)


def reached(point: str) -> None:
    """The server got to ``point`` (one of :data:`POINTS`): die here if the variable says so."""
    _SWITCH.reached(point)
