"""What a command runs with: streams, the profile folder, the keyring, the HTTP client.

Built once in :func:`sfa_desktop.cli.main` (the composition root of the ``sfa`` command);
tests pass their own (an in-memory keyring, the server's in-process client, fixed clocks).
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import httpx

from sfa_desktop.services.profile import Database, open_profile_database, profile_folder
from sfa_desktop.services.sync_types import RetryPolicy, TokenStore


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class CliEnvironment:
    """Everything from outside the command line that a command may use."""

    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    tokens: TokenStore = field(default_factory=TokenStore)
    #: the HTTP client for the server (None: a new ``httpx.Client`` per command)
    http: httpx.Client | None = None
    retry: RetryPolicy | None = None
    now: Callable[[], dt.datetime] = _utc_now
    ask_password: Callable[[str], str] = getpass.getpass


@dataclass
class CommandContext:
    env: CliEnvironment
    data_dir_option: str | None
    json: bool = False

    @property
    def out(self) -> TextIO:
        return self.env.stdout

    @property
    def err(self) -> TextIO:
        return self.env.stderr

    def data_dir(self) -> Path:
        return profile_folder(self.data_dir_option)

    @contextmanager
    def database(self) -> Iterator[Database]:
        database = open_profile_database(self.data_dir())
        try:
            yield database
        finally:
            database.close()
