"""An exclusive, non-blocking lock on a profile's database, held while the app has it open.

The lock is an OS file lock on ``<database>.lock`` (``flock`` on POSIX, ``msvcrt.locking`` on
Windows): the OS releases it when the process dies, so a crash never leaves a stale lock. Two
opens in the same process conflict too, which is how tests simulate a second app instance.
The lock file itself is left in place on release (removing it would race with a new owner).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import DatabaseLocked, DataDirError


def lock_path_for(database: Path) -> Path:
    return database.with_name(database.name + ".lock")


class ProfileLock:
    """Holds the lock on ``database``'s lock file from :meth:`acquire` until :meth:`release`."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path_for(database)
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        """Take the lock or raise :class:`DatabaseLocked` at once (never waits)."""
        if self._fd is not None:
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise DataDirError(
                f"Cannot create the lock file {str(self.path)!r}: {exc.strerror or exc}.",
                path=self.path.parent,
            ) from exc
        if not _try_lock(fd):
            os.close(fd)
            raise DatabaseLocked(
                f"The database {str(self.database)!r} is already open in another copy of "
                "SFA Desktop (or another program). Close it there and try again.",
                path=self.database,
            )
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is only a diagnostic aid
        self._fd = fd

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            _unlock(fd)
            os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
