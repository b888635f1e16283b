"""The server's clock: several server processes on one database never issue the same stamp."""

from __future__ import annotations

import datetime as dt

from sync_server.protocol.hlc import Stamp
from sync_server.services.actor import server_clock

FROZEN = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC)


def test_two_server_processes_never_issue_the_same_stamp() -> None:
    first, second = server_clock(lambda: FROZEN), server_clock(lambda: FROZEN)
    stamps = [first.now(), second.now()]
    assert stamps[0] != stamps[1]
    assert stamps[0].wall_ms == stamps[1].wall_ms and stamps[0].counter == stamps[1].counter
    assert all(s.node.startswith("server-") for s in stamps)
    assert all(Stamp.parse(str(s)) == s for s in stamps)


def test_a_named_server_clock_keeps_its_node() -> None:
    assert server_clock(lambda: FROZEN, node="server-a").now().node == "server-a"
