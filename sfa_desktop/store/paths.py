"""Where the local profile (database, lock file, attachments) lives on disk.

Precedence for the data folder: an explicit ``--data-dir`` option, then the ``SFA_DATA_DIR``
environment variable, then the platform's per-user data folder. The demo profile has its own
folder (``SFA_DEMO_DIR`` or a ``demo`` folder in the platform data folder) so that demo data
never mixes with a real profile.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from .errors import DataDirError, DiskFull

APP_NAME = "sfa-desktop"
APP_AUTHOR = "SFA"
DATA_DIR_ENV = "SFA_DATA_DIR"
DEMO_DIR_ENV = "SFA_DEMO_DIR"
DATABASE_FILENAME = "sfa.sqlite3"


def resolve_data_dir(
    explicit: str | Path | None, *, environ: Mapping[str, str] = os.environ
) -> Path:
    """The profile folder to use, created if needed and checked to be a writable folder."""
    if explicit is not None and str(explicit).strip():
        chosen = Path(explicit)
    elif environ.get(DATA_DIR_ENV, "").strip():
        chosen = Path(environ[DATA_DIR_ENV])
    else:
        chosen = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    return ensure_writable_dir(chosen)


def demo_data_dir(*, environ: Mapping[str, str] = os.environ) -> Path:
    """The folder of the demo profile (``SFA_DEMO_DIR`` or ``<platform data dir>/demo``)."""
    if environ.get(DEMO_DIR_ENV, "").strip():
        chosen = Path(environ[DEMO_DIR_ENV])
    else:
        chosen = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)) / "demo"
    return ensure_writable_dir(chosen)


def database_path(data_dir: Path) -> Path:
    """The database file inside a profile folder."""
    return Path(data_dir) / DATABASE_FILENAME


def ensure_writable_dir(path: Path) -> Path:
    """Create ``path`` (and its parents) if missing; raise :class:`DataDirError` if unusable.

    Returns the absolute path. Writability is proven by creating and removing a temporary
    file, which is what matters (permission bits alone lie on some systems).
    """
    path = path.expanduser().absolute()
    if path.exists() and not path.is_dir():
        raise DataDirError(
            f"The data folder {str(path)!r} exists but is a file, not a folder.", path=path
        )
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _raise_if_no_room(exc, path)
        raise DataDirError(
            f"The data folder {str(path)!r} cannot be created: {exc.strerror or exc}.",
            path=path,
        ) from exc
    try:
        with tempfile.TemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as exc:
        _raise_if_no_room(exc, path)
        raise DataDirError(
            f"The data folder {str(path)!r} is not writable: {exc.strerror or exc}.",
            path=path,
        ) from exc
    return path


def _raise_if_no_room(exc: OSError, path: Path) -> None:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        raise DiskFull(
            f"The disk holding {str(path)!r} is full: {exc.strerror or exc}.", path=path
        ) from exc
