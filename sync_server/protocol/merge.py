"""The per-field conflict rule (SPEC §4.3), shared by the server and the tests.

Edits to different fields of one record never conflict. An edit to one field conflicts only
when the server's version of that field is newer than the version the client last saw
(``base_version``). A real conflict is decided by the hybrid-logical-clock stamps: the later
stamp wins (the device id inside the stamp breaks ties); the value not kept is recorded.
"""

from __future__ import annotations

from enum import StrEnum

from .hlc import Stamp


class FieldDecision(StrEnum):
    APPLY = "apply"  #: no concurrent change: take the incoming value
    INCOMING_WINS = (
        "incoming_wins"  #: concurrent change; incoming is later: take it, record the old
    )
    INCOMING_LOSES = (
        "incoming_loses"  #: concurrent change; server's is later: keep it, record incoming
    )


def decide_field(
    *,
    server_version: int,
    base_version: int,
    server_stamp: Stamp | None,
    incoming_stamp: Stamp,
) -> FieldDecision:
    """Decide one field mutation against the server's current state of that field."""
    if server_version <= base_version or server_stamp is None:
        return FieldDecision.APPLY
    if incoming_stamp > server_stamp:
        return FieldDecision.INCOMING_WINS
    return FieldDecision.INCOMING_LOSES
