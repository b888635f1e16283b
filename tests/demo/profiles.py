"""Demo databases for the tests that read the demo data set: built once around a fixed day,
then copied for each test (the tests change their copy)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

from sfa_desktop.demo.loader import load_demo
from sfa_desktop.store.database import Database, open_database


def build_demo_file(folder: Path, *, accounts: int, today: dt.date) -> Path:
    """A demo database of ``accounts`` accounts built around ``today``, in ``folder``."""
    path = folder / "sfa.sqlite3"
    with open_database(path) as database:
        load_demo(database, accounts=accounts, today=today)
    return path


def open_demo_copy(demo_file: Path, folder: Path) -> Iterator[Database]:
    """Yields a fresh copy of ``demo_file``, open, in ``folder`` (for a fixture to yield from)."""
    copy = folder / "sfa.sqlite3"
    shutil.copy2(demo_file, copy)
    with open_database(copy) as database:
        yield database
