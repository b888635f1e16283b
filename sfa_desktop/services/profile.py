"""Opening a profile: its data folder, its database (a new demo one is filled first) and who
uses it. The desktop app and the ``sfa`` CLI open profiles through here, never the store.

Opening does SQLite and file work that may block: the app calls :func:`open_profile` on its
database thread.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sfa_desktop.demo.loader import DEMO_USERS, DemoUser, load_demo, use_demo_user
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.lockfile import ProfileLock
from sfa_desktop.store.paths import database_path, demo_data_dir, resolve_data_dir

from .current_user import current_user_name

__all__ = [
    "DEMO_USERS",
    "Database",
    "DemoUser",
    "OpenedProfile",
    "open_profile",
    "open_profile_database",
    "profile_exists",
    "profile_folder",
]


def profile_folder(option: str | None, *, demo: bool = False) -> Path:
    """The profile folder to use (the demo's, else ``option``, ``$SFA_DATA_DIR`` or the
    per-user folder), created if needed; raises ``DataDirError`` if it is unusable."""
    return demo_data_dir() if demo else resolve_data_dir(option)


def profile_exists(data_dir: Path) -> bool:
    """Whether the folder already holds a profile's database."""
    return database_path(data_dir).exists()


def open_profile_database(data_dir: Path) -> Database:
    """The profile's database (created and migrated as needed); the caller closes it."""
    return open_database(database_path(data_dir))


@dataclass(frozen=True)
class OpenedProfile:
    database: Database
    user_name: str | None


def open_profile(
    data_dir: Path,
    *,
    create_demo: bool,
    progress: Callable[[str, int], None] | None = None,
    today: dt.date | None = None,
    demo_user: DemoUser | None = None,
) -> OpenedProfile:
    """Open the profile's database (filling a new demo database first, built around ``today``,
    the real date by default). ``demo_user`` opens a demo profile as its rep or their manager
    (see :func:`sfa_desktop.demo.loader.use_demo_user`; no effect on other profiles). DB
    thread only."""
    path = database_path(data_dir)
    database = _create_demo_database(path, progress, today) if create_demo else open_database(path)
    try:
        with database.session() as session:
            if demo_user is not None:
                use_demo_user(session, demo_user)
            user_name = current_user_name(session)
    except BaseException:
        database.close()
        raise
    return OpenedProfile(database, user_name)


def _create_demo_database(
    path: Path, progress: Callable[[str, int], None] | None, today: dt.date | None
) -> Database:
    """Build the demo in a side file, then move it into place: never a half-filled profile."""
    partial = path.with_name(path.name + ".partial")
    lock = ProfileLock(path)  # keeps a second copy of the app from building it at the same time
    lock.acquire()
    try:
        if path.exists():  # another copy of the app built it while we waited
            return _open_after(lock, path)
        _remove_database_files(partial)  # left over by an interrupted first start
        try:
            with open_database(partial) as building:
                load_demo(building, progress=progress, today=today)
                with building.engine.connect() as connection:
                    connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            os.replace(partial, path)
        finally:
            _remove_database_files(partial)
    except BaseException:
        lock.release()
        raise
    return _open_after(lock, path)


def _open_after(lock: ProfileLock, path: Path) -> Database:
    """Hand the profile over from our creation lock to the database's own lock."""
    lock.release()
    return open_database(path)


def _remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", ".lock"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
