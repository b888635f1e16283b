"""Crash points for the fault-injection tests: ``SFA_FAULT=<point>[:<nth>]`` kills this process.

The sync engine calls :func:`reached` at the named points below. When the environment variable
``SFA_FAULT`` names the point, the process kills itself with SIGKILL the ``nth`` time (default
1) it gets there, like a crash or a power cut at that moment (see
:mod:`sync_server.protocol.faults`). Without the variable :func:`reached` costs one comparison.

Push (one batch of the outbox after another):

``push.before_send``
    a batch is read from the outbox; not yet sent
``push.after_send``
    the server applied the batch and answered; nothing of the answer stored yet
``push.before_ack_commit``
    the answer is written in the acknowledgement transaction, which is not committed
``push.after_ack``
    the acknowledgement of the batch is committed

Between push and pull:

``sync.before_pull``
    every batch is acknowledged and the deferred drops are committed; no page requested yet

Pull (one page after another; the next page is fetched while one is written; pages that arrive
faster than they are written share a transaction — the fault tests commit every page):

``pull.after_fetch``
    a page arrived; nothing of it written yet
``pull.mid_page``
    the rows of one entity of the page are written, the page's transaction still open
``pull.before_cursor``
    every record of the page is written; its cursor is not
``pull.before_page_commit``
    the page (pages) and its cursor are written, the transaction not committed
``pull.after_page``
    the page (pages) and its cursor are committed

End:

``sync.before_record``
    everything is pushed and pulled; the result of the sync ("last sync") is not saved yet
"""

from __future__ import annotations

from sync_server.protocol.faults import KillSwitch

ENV_VAR = "SFA_FAULT"

POINTS = frozenset(
    {
        "push.before_send",
        "push.after_send",
        "push.before_ack_commit",
        "push.after_ack",
        "sync.before_pull",
        "pull.after_fetch",
        "pull.mid_page",
        "pull.before_cursor",
        "pull.before_page_commit",
        "pull.after_page",
        "sync.before_record",
    }
)

_SWITCH = KillSwitch(ENV_VAR, POINTS)


def reached(point: str) -> None:
    """The sync got to ``point`` (one of :data:`POINTS`): die here if ``SFA_FAULT`` says so."""
    _SWITCH.reached(point)
