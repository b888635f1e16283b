"""The profile's database held by another process during ``sfa sync``: the app's profile lock,
or another program's write transaction taken while the sync runs. The command says so in one
line, keeps every change, and a later sync succeeds with each edit applied exactly once."""

from __future__ import annotations

import random

import httpx
import pytest

from sfa_desktop.services.messages import error_text
from sfa_desktop.store import database as store_database
from sfa_desktop.store.errors import DatabaseLocked
from sfa_desktop.store.paths import database_path

from .child import Holder, SfaRunner
from .world import WAITING, Backend, Client, assert_converged, prepare


def _locked_message(client: Client) -> str:
    return f"sfa: {error_text(DatabaseLocked('', path=database_path(client.folder)))}\n"


@pytest.mark.slow
def test_a_profile_open_elsewhere_is_reported_and_a_later_sync_succeeds(
    backend: Backend, clients: list[Client], sfa_runner: SfaRunner
) -> None:
    victim, witness = prepare(backend, clients, random.Random("profile-lock"))
    holder = Holder(sfa_runner.context, victim.folder, "profile")
    with victim.released():
        holder.start()
        try:
            status, stderr = victim.cli("sync")
        finally:
            holder.stop()
    assert (status, stderr) == (1, _locked_message(victim))
    assert (victim.pending(), backend.applied_ids(victim.device_id)) == (WAITING, [])
    assert victim.cli("sync") == (0, "")
    witness.sync()
    assert_converged(backend, victim, witness)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("path", "on_server", "waiting"), [("push", 3, WAITING), ("pull", WAITING, 0)]
)
def test_a_write_lock_taken_during_sync_is_reported_and_a_later_sync_succeeds(
    path: str,
    on_server: int,
    waiting: int,
    backend: Backend,
    clients: list[Client],
    sfa_runner: SfaRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another program starts a write transaction when the server's first answer to a push
    (its acknowledgement cannot be stored) or a pull (the page cannot be written) arrives."""
    victim, witness = prepare(backend, clients, random.Random(f"write-lock:{path}"))
    monkeypatch.setattr(store_database, "BUSY_TIMEOUT_MS", 200)  # how long SQLite waits for it
    holder = Holder(sfa_runner.context, victim.folder, "write")
    held: list[bool] = []

    def lock_on_first_answer(response: httpx.Response) -> None:
        if response.request.url.path.endswith(f"/sync/{path}") and not held:
            holder.start()
            held.append(True)

    http = httpx.Client(
        timeout=30.0,
        limits=httpx.Limits(max_keepalive_connections=0),
        event_hooks={"response": [lock_on_first_answer]},
    )
    with victim.released():
        try:
            status, stderr = victim.cli("sync", http=http)
        finally:
            if held:
                holder.stop()
            http.close()
    assert held
    assert (status, stderr) == (1, _locked_message(victim))
    assert len(backend.applied_ids(victim.device_id)) == on_server
    assert victim.pending() == waiting
    monkeypatch.undo()
    assert victim.cli("sync") == (0, "")
    witness.sync()
    assert_converged(backend, victim, witness)
