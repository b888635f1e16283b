"""Running ``sfa`` in-process on a copy of a demo profile, with no server: what the offline
command tests share (each module keeps its own clock and demo file)."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from sfa_desktop.cli import main
from sfa_desktop.cli.context import CliEnvironment
from sfa_desktop.store.paths import DATABASE_FILENAME


def profile_copy(demo_file: Path, tmp_path: Path) -> Path:
    """A profile folder holding a copy of ``demo_file``."""
    profile = tmp_path / "profile"
    profile.mkdir()
    shutil.copy2(demo_file, profile / DATABASE_FILENAME)
    return profile


class OfflineRun:
    """Runs ``sfa --data-dir FOLDER …`` at ``now`` (a test may move it), keeping what it
    printed in :attr:`out` and :attr:`err`."""

    def __init__(self, folder: Path, now: dt.datetime) -> None:
        self.folder = folder
        self.now = now
        self.out = ""
        self.err = ""

    def __call__(self, *argv: str) -> int:
        stdout, stderr = io.StringIO(), io.StringIO()
        env = CliEnvironment(stdout=stdout, stderr=stderr, now=lambda: self.now)
        status = main(["--data-dir", str(self.folder), *argv], env=env)
        self.out, self.err = stdout.getvalue(), stderr.getvalue()
        return status

    def json(self, *argv: str) -> Any:
        """The command's ``--json`` output (it must succeed and print nothing on stderr)."""
        assert self(*argv, "--json") == 0, self.err
        assert self.err == ""
        return json.loads(self.out)


def db_rows(folder: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Rows read straight from the profile's database file."""
    with sqlite3.connect(folder / DATABASE_FILENAME) as connection:
        return connection.execute(sql, params).fetchall()
