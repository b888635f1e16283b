"""New, empty desktop databases for tests, copied from one migrated template.

Migrating a new file runs every store migration (a tenth of a second, most of it Alembic's);
the tests make thousands of profiles, so the first one is migrated for real and the others start
as byte-for-byte copies of it. A test of creating or migrating a database
(``tests/store/test_database_open.py``, ``test_migrations.py``) opens a new file itself.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from functools import cache
from pathlib import Path

from sfa_desktop.store.database import Database, open_database


@cache
def _template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="sfa-profile-template-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "sfa.sqlite3"
    open_database(path).close()  # closing the last connection checkpoints the WAL into the file
    return path


def open_new_database(path: Path) -> Database:
    """``open_database(path)`` for a ``path`` that does not exist yet: a new, migrated database
    (FTS5 search where SQLite has it), as the app makes it."""
    if path.exists():
        raise FileExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_template(), path)
    return open_database(path)
