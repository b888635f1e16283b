"""Fixtures for the ``sfa`` command tests: the real server app in-process (both backends), as the
sync suite has it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from server.helpers import PASSWORD, ManualClock
from sync.conftest import *  # noqa: F403  (its fixtures: the server app, team, fleet)
from sync.harness import SERVER_URL, FlakyClient, MemoryKeyring

from sfa_desktop.cli import main
from sfa_desktop.cli.context import CliEnvironment
from sfa_desktop.sync.tokens import TokenStore
from sfa_desktop.sync.transport import NO_RETRY


class Sfa:
    """Runs ``sfa`` in-process for one profile folder, like a user at a terminal."""

    def __init__(
        self, app: FastAPI, folder: Path, keyring: MemoryKeyring, clock: ManualClock
    ) -> None:
        self.folder = folder
        self.http = FlakyClient(app)
        self.keyring = keyring
        self.tokens = TokenStore(keyring)
        self.clock = clock

    def env(self, stdin: str = "") -> CliEnvironment:
        return CliEnvironment(
            stdin=io.StringIO(stdin),
            tokens=self.tokens,
            http=self.http,
            retry=NO_RETRY,
            now=lambda: self.clock.now,
            ask_password=lambda prompt: PASSWORD,
        )

    def __call__(self, *argv: str, stdin: str = "") -> int:
        self.clock.advance(seconds=1)
        return main(["--data-dir", str(self.folder), *argv], env=self.env(stdin))

    def login(self, email: str, password: str = PASSWORD) -> int:
        return self(
            "login",
            "--server",
            SERVER_URL,
            "--email",
            email,
            "--password-stdin",
            stdin=password + "\n",
        )


@pytest.fixture
def sfa(app: FastAPI, tmp_path: Path, keyring_backend: MemoryKeyring, clock: ManualClock) -> Any:
    runner = Sfa(app, tmp_path / "ana-cli", keyring_backend, clock)
    yield runner
    runner.http.close()
