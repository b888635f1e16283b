"""An exclusive, non-blocking lock on a profile's database, held while the app has it open.

The lock is an OS file lock on ``<database>.lock`` (``flock`` on POSIX, ``msvcrt.locking`` on
Windows): the OS releases it when the process dies, so a crash never leaves a stale lock. Two
opens in the same process conflict too, which is how tests simulate a second app instance.

On POSIX the owner removes the lock file when it releases the lock, so a closed profile leaves
no ``.lock`` behind. That is safe because an owner always checks, once it holds the lock, that
the file it locked is still the one at the path (a file removed meanwhile is let go and the
new one taken). On Windows an open file cannot be removed, so the file stays there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from pathlib import Path

from .errors import DatabaseLocked, DataDirError, DiskFull

#: attempts to lock a file that another owner keeps removing (each removal is a release)
_ATTEMPTS = 20


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
        for _attempt in range(_ATTEMPTS):
            fd = self._open()
            if not _try_lock(fd):
                os.close(fd)
                raise DatabaseLocked(
                    f"The database {str(self.database)!r} is already open in another copy of "
                    "SFA Desktop (or another program). Close it there and try again.",
                    path=self.database,
                )
            if _is_at(fd, self.path):
                break
            _unlock(fd)  # the previous owner removed this file on release: take the new one
            os.close(fd)
        else:  # pragma: no cover - another process opening and closing the profile nonstop
            raise DatabaseLocked(
                f"The database {str(self.database)!r} is being opened by another program.",
                path=self.database,
            )
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            pass  # the pid is only a diagnostic aid (and a full disk has no room for it)
        self._fd = fd

    def _open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                raise DiskFull(
                    f"The disk holding {str(self.database)!r} is full: "
                    f"cannot create {str(self.path)!r}.",
                    path=self.database,
                ) from exc
            raise DataDirError(
                f"Cannot create the lock file {str(self.path)!r}: {exc.strerror or exc}.",
                path=self.path.parent,
            ) from exc

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            if _REMOVE_ON_RELEASE:
                with contextlib.suppress(OSError):
                    os.unlink(self.path)  # still ours: nobody else can hold it now
            _unlock(fd)
            os.close(fd)


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    _REMOVE_ON_RELEASE = False

    def _is_at(fd: int, path: Path) -> bool:
        return True  # the file cannot be removed while it is open

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

    _REMOVE_ON_RELEASE = True

    def _is_at(fd: int, path: Path) -> bool:
        try:
            at_path = os.stat(path)
        except FileNotFoundError:
            return False
        locked = os.fstat(fd)
        return (locked.st_dev, locked.st_ino) == (at_path.st_dev, at_path.st_ino)

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
