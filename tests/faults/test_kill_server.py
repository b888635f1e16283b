"""kill -9 of ``sfa-server serve`` in the middle of a pushed batch, then a restart on the same
database: the client reports the server unreachable, keeps every change, and its next sync
converges with each edit applied exactly once."""

from __future__ import annotations

import random

import pytest

from sfa_desktop.sync.errors import ServerUnreachable

from .world import WAITING, Backend, Client, assert_converged, prepare


@pytest.mark.slow
def test_a_server_killed_mid_batch_loses_nothing_and_applies_nothing_twice(
    backend: Backend, clients: list[Client]
) -> None:
    victim, witness = prepare(backend, clients, random.Random("server-kill"))
    device = victim.device_id
    try:
        # the second batch is applied, then the server dies before committing it
        backend.restart_server("push.before_commit:2")
        with pytest.raises(ServerUnreachable):
            victim.sync()
        assert backend.server.wait_killed() == -9
        assert len(backend.applied_ids(device)) == 3  # the first batch; the second rolled back
        assert victim.pending() == WAITING - 3

        # the second batch is committed, then the server dies before answering
        backend.restart_server("push.after_commit:1")
        with pytest.raises(ServerUnreachable):
            victim.sync()
        assert backend.server.wait_killed() == -9
        assert len(backend.applied_ids(device)) == 6  # applied; its answer never sent
        assert victim.pending() == WAITING - 3
    finally:
        backend.restart_server()
    victim.sync()  # the second batch again (answered from the stored answers), then the rest
    witness.sync()
    assert_converged(backend, victim, witness)
