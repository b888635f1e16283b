"""Connections cut part-way through a request or a response (a loopback proxy between the
client and a real server): ``sfa sync`` says the server cannot be reached, keeps every change,
and the next sync converges with each edit applied exactly once."""

from __future__ import annotations

import random

import httpx
import pytest

from sfa_desktop.services.messages import error_text
from sfa_desktop.sync.errors import ServerUnreachable
from sfa_desktop.sync.transport import RetryPolicy

from .proxy import Cut
from .world import WAITING, Backend, Client, assert_converged, prepare

SEED = 8


#: (the cut, the mutations the server holds after it, the changes still waiting on the client)
CUTS = [
    pytest.param(Cut("/sync/push", "request", 0.5, skip=1), 3, 8, id="push-request-batch-2"),
    pytest.param(
        Cut("/sync/push", "response", 0.5, skip=0),
        3,
        11,
        id="push-response-batch-1",
    ),
    pytest.param(
        Cut("/sync/push", "response", 0.0, skip=3),
        11,
        2,
        id="push-response-last-batch",
    ),
    pytest.param(Cut("/sync/pull", "request", 0.5, skip=0), 11, 0, id="pull-request-page-1"),
    pytest.param(Cut("/sync/pull", "response", 0.5, skip=1), 11, 0, id="pull-response-page-2"),
]


def _seeded(cut: Cut) -> Cut:
    """The same cut at a seeded place inside the chosen half of the body."""
    rng = random.Random(f"{SEED}:{cut}")
    return Cut(cut.path, cut.where, cut.fraction + rng.random() * 0.49, cut.skip)


@pytest.mark.slow
@pytest.mark.parametrize(("cut", "on_server", "waiting"), CUTS)
def test_a_cut_connection_is_reported_and_the_next_sync_converges(
    cut: Cut, on_server: int, waiting: int, backend: Backend, clients: list[Client]
) -> None:
    victim, witness = prepare(backend, clients, random.Random(f"{SEED}:{cut.path}:{cut.skip}"))
    done = backend.proxy.cuts_done
    backend.proxy.arm(_seeded(cut))
    try:
        status, stderr = victim.cli("sync")
    finally:
        backend.proxy.disarm()
    assert backend.proxy.cuts_done == done + 1
    assert (status, stderr) == (1, f"sfa: {error_text(ServerUnreachable(''))}\n")
    assert len(backend.applied_ids(victim.device_id)) == on_server
    assert victim.pending() == waiting
    status, stderr = victim.cli("sync")
    assert (status, stderr) == (0, "")
    witness.sync()
    assert_converged(backend, victim, witness)


@pytest.mark.slow
def test_a_cut_answer_is_retried_within_the_same_sync(
    backend: Backend, clients: list[Client]
) -> None:
    victim, witness = prepare(backend, clients, random.Random(f"{SEED}:retried"))
    waits: list[float] = []
    backend.proxy.arm(_seeded(Cut("/sync/push", "response", 0.5, skip=1)))
    report = victim.sync(retry=RetryPolicy(attempts=3, sleep=waits.append))
    assert (report.pushed, report.rejected, len(waits)) == (WAITING, 0, 1)
    witness.sync()
    assert_converged(backend, victim, witness)


@pytest.mark.slow
def test_a_lost_answer_then_another_devices_edit_of_the_same_field_reaches_this_device(
    backend: Backend, clients: list[Client]
) -> None:
    """The victim's edit is applied but its answer is cut; before the victim's pull (which now
    runs in the same sync) the witness changes the same field again. Once the victim's edit is
    acknowledged (the replay), the victim must show what the server holds: the witness's value."""
    victim, witness = prepare(backend, clients, random.Random(f"{SEED}:lost-answer"))
    victim.sync()
    witness.sync()
    account = victim.marked["edited_by_both"]
    victim.edit("account", account, region="Moncayo")

    def witness_edits_first(request: httpx.Request) -> None:
        if request.url.path.endswith("/sync/pull") and not witness.pending():
            witness.edit("account", account, region="Maestrazgo")
            witness.sync()

    backend.proxy.arm(Cut("/sync/push", "response", 0.5))
    victim.http.event_hooks["request"] = [witness_edits_first]
    with pytest.raises(ServerUnreachable):
        victim.sync()
    victim.http.event_hooks["request"] = []
    victim.sync()
    witness.sync()
    server = backend.records_of(victim.person.id)[account].data["region"]
    assert (server, victim.records("account")[account]["region"]) == ("Maestrazgo",) * 2
    assert_converged(backend, victim, witness, conflicts=2)
