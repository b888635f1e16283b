"""kill -9 of ``sfa sync`` at seeded points across push and pull (SPEC §4: nothing is lost).

The victim profile has eleven changes waiting to go in batches of three and fifteen changed
records to pull in pages of four (:func:`.world.prepare`). ``sfa sync`` runs in its own process
with ``SFA_FAULT=<point>:<nth>`` and dies by SIGKILL there; the next sync must converge: both
devices hold exactly what the server holds, and the server applied every edit exactly once
(its stored answers and its audit log, one entry per edit).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from server.helpers import PASSWORD

from sfa_desktop.sync import faults

from .child import SfaRunner
from .file_keyring import PATH_ENV
from .world import Backend, Client, assert_converged, prepare, unique

SEED = 20261206

#: (point, nth): every push batch, between push and pull, every page, the end of the sync
KILL_POINTS = [
    "push.before_send:1",
    "push.before_send:3",
    "push.after_send:1",
    "push.after_send:2",
    "push.after_send:4",
    "push.before_ack_commit:1",
    "push.before_ack_commit:3",
    "push.after_ack:2",
    "push.after_ack:4",
    "sync.before_pull:1",
    "pull.after_fetch:1",
    "pull.after_fetch:3",
    "pull.mid_page:1",
    "pull.mid_page:4",
    "pull.before_cursor:2",
    "pull.before_page_commit:1",
    "pull.before_page_commit:4",
    "pull.after_page:1",
    "pull.after_page:3",
    "sync.before_record:1",
]

#: the first sync of a new profile: by ``sfa login``, or by ``sfa sync`` after ``login --no-sync``
FIRST_SYNC_POINTS = [
    ("login", "pull.mid_page:2"),
    ("sync", "pull.after_page:2"),
]


@pytest.mark.slow
@pytest.mark.parametrize("fault", KILL_POINTS)
def test_a_sync_killed_anywhere_converges_and_applies_every_edit_once(
    fault: str, backend: Backend, clients: list[Client], sfa_runner: SfaRunner
) -> None:
    rng = random.Random(f"{SEED}:{fault}")
    victim, witness = prepare(backend, clients, rng)
    result = victim.sfa(sfa_runner, "sync", fault=fault)
    assert result.killed, f"never reached {fault}: {result.exitcode} {result.output}"
    # the rep opens the app again and goes on working before the next sync
    account = rng.choice(sorted(victim.ids("account")))
    victim.edit("account", account, industry=unique("Ferretería"))
    victim.sync()
    witness.sync()
    assert_converged(backend, victim, witness)


@pytest.mark.slow
def test_a_delete_after_a_sync_killed_before_its_pull_keeps_the_other_devices_edit_known(
    backend: Backend, clients: list[Client], sfa_runner: SfaRunner
) -> None:
    """The push is acknowledged, the pull never ran: the victim has not seen the witness's
    notes on the account both edited. Deleting it offline must not drop those notes silently:
    the server records a conflict (the witness is told)."""
    victim, witness = prepare(backend, clients, random.Random(f"{SEED}:delete-after-kill"))
    result = victim.sfa(sfa_runner, "sync", fault="sync.before_pull:1")
    assert result.killed, result.output
    account = victim.marked["edited_by_both"]
    victim.delete("account", account)
    victim.sync()
    assert [c["field"] for c in backend.conflicts_about(account)] == ["notes"]
    witness.sync()
    assert_converged(backend, victim, witness, conflicts=2)


def test_there_are_twenty_kill_points_over_every_named_point() -> None:
    named = {f.partition(":")[0] for f in KILL_POINTS}
    assert len(set(KILL_POINTS)) >= 20 and named == faults.POINTS


@pytest.mark.slow
@pytest.mark.parametrize(("command", "fault"), FIRST_SYNC_POINTS)
def test_a_first_sync_killed_resumes_and_converges(
    fault: str, command: str, backend: Backend, clients: list[Client], sfa_runner: SfaRunner
) -> None:
    victim, witness = prepare(backend, clients, random.Random(f"{SEED}:{command}:{fault}"))
    victim.sync()
    witness.sync()
    laptop = Client(backend, f"laptop-{victim.person.id}", victim.person)
    clients.append(laptop)
    login = ("login", "--server", laptop.server_url, "--email", laptop.person.email)
    if command == "login":
        result = laptop.sfa(sfa_runner, *login, "--password-stdin", fault=fault, stdin=PASSWORD)
    else:
        signed_in = laptop.sfa(sfa_runner, *login, "--password-stdin", "--no-sync", stdin=PASSWORD)
        assert signed_in.exitcode == 0, signed_in.output
        result = laptop.sfa(sfa_runner, "sync", fault=fault)
    assert result.killed, f"never reached {fault}: {result.exitcode} {result.output}"
    laptop.sync()
    assert_converged(backend, laptop, victim, witness)
    # killed while its new records' insert triggers were dropped (``store.bulk_insert``): the
    # triggers are all there, and what they keep covers every record
    assert _derived(laptop) == _derived(victim)


def _derived(client: Client) -> dict[str, Any]:
    """The triggers and some of what they keep (search rows, visit summaries, due days)."""
    queries = {
        "triggers": "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name",
        "search": (
            "SELECT count(*) FROM accounts_fts UNION ALL "
            "SELECT count(*) FROM accounts WHERE deleted_at IS NULL UNION ALL "
            "SELECT count(*) FROM contacts_fts UNION ALL "
            "SELECT count(*) FROM contacts WHERE deleted_at IS NULL"
        ),
        "summaries": "SELECT * FROM account_visit_summary ORDER BY account_id",
        "due": "SELECT * FROM account_visit_due ORDER BY account_id",
    }
    assert client.database is not None
    with client.database.session() as session:
        connection = session.connection()
        return {name: connection.exec_driver_sql(sql).fetchall() for name, sql in queries.items()}


def _installed_sfa(client: Client, *argv: str, fault: str, stdin: str = "") -> int:
    """The installed ``sfa`` console script itself, with ``SFA_FAULT`` in its environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANGUAGE"))}
    env.update(
        LANG="en_GB.UTF-8",
        SFA_FAULT=fault,
        PYTHON_KEYRING_BACKEND="faults.file_keyring.FileKeyring",
        PYTHONPATH=os.pathsep.join([str(Path(__file__).parents[1]), env.get("PYTHONPATH", "")]),
    )
    env[PATH_ENV] = str(client.keyring)
    sfa = Path(sys.executable).with_name("sfa")
    with client.released():
        completed = subprocess.run(
            [str(sfa), "--data-dir", str(client.folder), *argv],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
    return completed.returncode


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)  # the kill points run on both
def test_the_installed_sfa_command_dies_at_the_named_point(
    backend: Backend, clients: list[Client]
) -> None:
    victim, witness = prepare(backend, clients, random.Random(f"{SEED}:installed"))
    login = ("login", "--server", victim.server_url, "--email", victim.person.email)
    laptop = Client(backend, f"laptop-{victim.person.id}", victim.person)
    clients.append(laptop)
    status = _installed_sfa(
        laptop, *login, "--password-stdin", fault="pull.mid_page:1", stdin=PASSWORD
    )
    assert status == -9
    assert _installed_sfa(victim, "sync", fault="push.after_send:1") == -9
    for client in (victim, laptop, witness, victim):
        client.sync()
    assert_converged(backend, victim, witness, laptop)
