"""``sfa`` commands run in child processes forked from a preloaded server process, so each costs
a fork rather than a Python start-up (about a second on the test machines).

A child is the ``sfa`` command line itself (:func:`sfa_desktop.cli.main`, what the console
script runs) with the test's keyring file, no retries, and — for the kill points — small push
batches and pull pages so that a short sync has several of each. ``SFA_FAULT`` is set in the
child before it starts, exactly as a user's environment would.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sqlite3
import sys
from dataclasses import dataclass
from multiprocessing import forkserver
from multiprocessing.context import ForkServerContext
from pathlib import Path
from typing import Any

from sfa_desktop.cli import main, sync_commands
from sfa_desktop.cli.context import CliEnvironment
from sfa_desktop.store import bulk_insert
from sfa_desktop.store.database import open_database
from sfa_desktop.store.paths import database_path
from sfa_desktop.sync import faults
from sfa_desktop.sync.engine import SyncEngine
from sfa_desktop.sync.tokens import TokenStore
from sfa_desktop.sync.transport import NO_RETRY
from sync_server.protocol.faults import KillSwitch

from .file_keyring import FileKeyring

#: a child that neither finishes nor dies in this time fails the test
CHILD_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Sizes:
    push_batch: int
    pull_page: int


def sized_connect(connect: Any, sizes: Sizes) -> Any:
    """``connect`` whose engines push and pull in batches and pages of ``sizes``."""

    def connect_with_sizes(*args: Any, **kwargs: Any) -> SyncEngine:
        engine: SyncEngine = connect(*args, **kwargs)
        engine.push_batch = sizes.push_batch
        engine.pull_page = sizes.pull_page
        engine.pull_commit_records = sizes.pull_page  # one transaction per page: seeded points
        return engine

    return connect_with_sizes


def _run(
    argv: list[str], fault: str | None, keyring: str, output: str, stdin: str, sizes: Sizes | None
) -> None:
    """The child: ``sfa *argv`` with ``SFA_FAULT=fault``; exits with the command's status."""
    os.environ.pop(faults.ENV_VAR, None)
    if fault:
        os.environ[faults.ENV_VAR] = fault
    for name in [n for n in os.environ if n.startswith(("LC_", "LANGUAGE"))]:
        del os.environ[name]
    os.environ["LANG"] = "en_GB.UTF-8"
    if sizes is not None:
        sync_commands.connect = sized_connect(sync_commands.connect, sizes)  # type: ignore[assignment]
        # new records go in as plain inserts from the first one (their tables' insert
        # triggers dropped until the transaction settles): a kill mid-page lands there
        bulk_insert.BULK_MIN_ROWS = 1
    with open(output, "w", encoding="utf-8") as out:
        env = CliEnvironment(
            stdin=io.StringIO(stdin),
            stdout=out,
            stderr=out,
            tokens=TokenStore(FileKeyring(Path(keyring))),
            retry=NO_RETRY,
        )
        status = main(argv, env=env)
    sys.exit(status)


@dataclass
class ChildResult:
    exitcode: int
    output: str

    @property
    def killed(self) -> bool:
        return self.exitcode == -9


class SfaRunner:
    """Starts ``sfa`` children; their output goes to files in ``folder``."""

    def __init__(self, context: ForkServerContext, folder: Path) -> None:
        self.context = context
        self.folder = folder
        self.runs = 0

    def __call__(
        self,
        *argv: str,
        keyring: Path,
        fault: str | None = None,
        stdin: str = "",
        sizes: Sizes | None = None,
    ) -> ChildResult:
        self.runs += 1
        output = self.folder / f"sfa-{self.runs}.out"
        process = self.context.Process(
            target=_run,
            args=(list(argv), fault, str(keyring), str(output), stdin, sizes),
            daemon=True,
        )
        process.start()
        process.join(CHILD_TIMEOUT_S)
        if process.exitcode is None:
            process.kill()
            process.join(CHILD_TIMEOUT_S)
            raise AssertionError(f"sfa {' '.join(argv)} did not finish in {CHILD_TIMEOUT_S} s")
        text = output.read_text(encoding="utf-8") if output.exists() else ""
        return ChildResult(process.exitcode, text)


def forkserver_context() -> ForkServerContext:
    """The forkserver, started now with this module (so ``sfa``) imported once for all children."""
    context = multiprocessing.get_context("forkserver")
    assert isinstance(context, ForkServerContext)
    context.set_forkserver_preload([__name__])
    # the forkserver is a new interpreter: it finds this module through PYTHONPATH only
    tests = str(Path(__file__).parents[1])
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (tests, saved) if p)
    try:
        forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    return context


def _hold_profile(folder: str, holding: Any, release: Any) -> None:
    """The child: the app has the profile open (its lock held) until ``release`` is set."""
    database = open_database(database_path(Path(folder)))
    holding.set()
    release.wait(CHILD_TIMEOUT_S)
    database.close()


def _hold_write_transaction(folder: str, holding: Any, release: Any) -> None:
    """The child: another program holds a write transaction on the profile's database."""
    connection = sqlite3.connect(database_path(Path(folder)), isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    holding.set()
    release.wait(CHILD_TIMEOUT_S)
    connection.execute("ROLLBACK")
    connection.close()


class Holder:
    """Another process holding the profile (``"profile"``: its lock, as a running app does;
    ``"write"``: an SQLite write transaction) from :meth:`start` until :meth:`stop`."""

    def __init__(self, context: ForkServerContext, folder: Path, what: str) -> None:
        target = _hold_profile if what == "profile" else _hold_write_transaction
        self._holding = context.Event()
        self._release = context.Event()
        self._process = context.Process(
            target=target, args=(str(folder), self._holding, self._release), daemon=True
        )

    def start(self) -> None:
        self._process.start()
        assert self._holding.wait(CHILD_TIMEOUT_S), "the other process never took the lock"

    def stop(self) -> None:
        self._release.set()
        self._process.join(CHILD_TIMEOUT_S)
        if self._process.exitcode is None:
            self._process.kill()
            self._process.join(CHILD_TIMEOUT_S)
        assert self._process.exitcode == 0


def pass_point(point: str, times: int) -> None:
    """The child: pass ``point`` ``times`` times with a switch set to kill at the third "a.b"."""
    os.environ["SFA_TEST_SWITCH"] = "a.b:3"
    switch = KillSwitch("SFA_TEST_SWITCH", frozenset({"a.b", "c.d"}))
    for _ in range(times):
        switch.reached(point)
