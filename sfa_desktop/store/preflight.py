"""Checks a database file *before* anything writes to it.

Opening an existing file first proves, without modifying a byte, that it is an SQLite file
of this app that this version understands and that no other program is writing it:

1. the 100-byte header (magic string, page size) and, when no WAL is pending, that the file is
   as long as its header says (a cheap truncation check that scales to huge files);
2. a read-only connection reads the schema ("file is not a database" / "malformed" surface here);
3. ``PRAGMA quick_check`` on files up to :data:`QUICK_CHECK_MAX_BYTES` — above that it would cost
   seconds on every start, so big files rely on steps 1-2 plus :func:`translate_error`, which
   turns a "malformed" error met later into :class:`DatabaseCorrupt`, and on the explicit
   :meth:`Database.check_integrity <sfa_desktop.store.database.Database.check_integrity>`;
4. the Alembic revision must be one this app knows, and ``app_meta.schema_version`` no higher
   than ours (otherwise a newer app wrote it: :class:`DatabaseTooNew`);
5. a ``BEGIN IMMEDIATE`` probe (rolled back at once) with a short timeout proves that no other
   connection holds the write lock.

A full disk must not stop a profile from being read. Reading a WAL database needs its
shared-memory index (``-shm``), which SQLite cannot grow on a full disk; when that is the only
problem, the checks read through one connection in exclusive locking mode (the index lives in
that connection's memory) and report ``shared_memory=False``, so that
:func:`~sfa_desktop.store.database.open_database` opens the profile the same way. The files
such a failed attempt created are removed.
"""

from __future__ import annotations

import errno
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from . import diskspace
from .errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseTooNew,
    DataDirError,
    DiskFull,
    DiskIOError,
    ForeignDatabase,
    StoreError,
)
from .migrator import STORE_SCHEMA_VERSION, known_revisions

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
QUICK_CHECK_MAX_BYTES = 64 * 1024 * 1024
_CORRUPT_HINTS = ("malformed", "not a database", "corrupt", "disk image")
_LOCK_HINTS = ("locked", "busy")
_NO_ROOM_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
#: the side files SQLite keeps next to a WAL database
SIDE_FILES = ("-wal", "-shm")
_WAL_INDEX_REGION = 32 * 1024


@dataclass(frozen=True)
class FileFacts:
    """What the checks learned: ``revision`` is ``None`` for a new or empty database."""

    is_new: bool
    revision: str | None = None
    schema_version: int | None = None
    #: False when the WAL index cannot be shared (a full disk): open in exclusive locking mode
    shared_memory: bool = True


def translate_error(exc: BaseException, path: Path) -> StoreError | None:
    """The store error for an sqlite3 (or OS) error met while using ``path`` (``None`` if not ours).

    SQLite says "disk I/O error" for many things; with (almost) no free space on the disk
    it is reported as :class:`DiskFull`, otherwise as :class:`DiskIOError`.
    """
    original = getattr(exc, "orig", exc)
    if _undoing_a_failed_write(original) and exc.__context__ is not None:
        # SQLite rolled the transaction back itself on the write's error (a full disk, an I/O
        # error), so undoing the write's savepoint failed too: the write's error is the one
        return translate_error(exc.__context__, path)
    if isinstance(original, OSError) and original.errno in _NO_ROOM_ERRNOS:
        return _disk_full(path, str(original))
    if not isinstance(original, sqlite3.DatabaseError):
        return None
    detail = str(original)
    lowered = detail.lower()
    name = getattr(original, "sqlite_errorname", "")
    if any(hint in lowered for hint in _LOCK_HINTS):
        return DatabaseLocked(
            f"The database {str(path)!r} is locked by another program ({detail}).", path=path
        )
    if any(hint in lowered for hint in _CORRUPT_HINTS):
        return DatabaseCorrupt(
            f"The database {str(path)!r} is damaged ({detail}). It has been left untouched; "
            "restore a backup or sync into a new profile.",
            path=path,
        )
    if name == "SQLITE_FULL" or "disk is full" in lowered:
        return _disk_full(path, detail)
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in lowered:
        if diskspace.looks_full(path.parent):
            return _disk_full(path, detail)
        return DiskIOError(
            f"The disk reported an error using {str(path)!r} ({name or detail}).", path=path
        )
    return None


def _undoing_a_failed_write(error: BaseException) -> bool:
    return isinstance(error, sqlite3.OperationalError) and "no such savepoint" in str(error)


def _disk_full(path: Path, detail: str) -> DiskFull:
    return DiskFull(
        f"The disk holding {str(path)!r} is full ({detail}); nothing was written.", path=path
    )


def _needs_room(exc: sqlite3.Error) -> bool:
    """SQLite could not create or grow a file (on a full disk: the WAL index)."""
    name = getattr(exc, "sqlite_errorname", "")
    return name == "SQLITE_FULL" or name.startswith("SQLITE_IOERR")


def check_database_file(path: Path, *, lock_timeout: float) -> FileFacts:
    """Run the checks above on ``path``; raise the matching :class:`StoreError`."""
    if not path.exists() or path.stat().st_size == 0:
        return FileFacts(is_new=True)
    if path.is_dir():
        raise DataDirError(f"{str(path)!r} is a folder, not a database file.", path=path)
    _check_header(path)
    try:
        facts = _read_schema_facts(path, lock_timeout=lock_timeout)
        if not facts.is_new:
            exclusive = not facts.shared_memory
            _probe_write_lock(path, lock_timeout=lock_timeout, exclusive=exclusive)
    except sqlite3.DatabaseError as exc:
        translated = translate_error(exc, path)
        if translated is not None:
            raise translated from exc
        raise DataDirError(
            f"The database {str(path)!r} cannot be opened: {exc}.", path=path
        ) from exc
    return facts


def _corrupt(path: Path, reason: str) -> DatabaseCorrupt:
    return DatabaseCorrupt(
        f"The file {str(path)!r} is not a usable SFA Desktop database: {reason}. "
        "It has been left untouched.",
        path=path,
    )


def _check_header(path: Path) -> None:
    size = path.stat().st_size
    with path.open("rb") as handle:
        header = handle.read(HEADER_SIZE)
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise _corrupt(path, "it is not an SQLite database")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise _corrupt(path, "its header is damaged")
    change_counter = header[24:28]
    page_count = int.from_bytes(header[28:32], "big")
    header_count_valid = page_count > 0 and header[92:96] == change_counter
    wal = path.with_name(path.name + "-wal")
    wal_pending = wal.exists() and wal.stat().st_size > 0
    if header_count_valid and not wal_pending and size < page_count * page_size:
        raise _corrupt(path, "it is truncated")


def _connect(
    path: Path, *, mode: str, timeout: float, exclusive: bool = False
) -> sqlite3.Connection:
    uri = f"file:{quote(str(path))}?mode={mode}"
    connection = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    if exclusive:  # before the first read: the WAL index then lives in this connection
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
    return connection


def side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in SIDE_FILES]


def remove_new_side_files(path: Path, existed: set[Path]) -> None:
    """Remove the ``-wal``/``-shm`` files that did not exist before and hold nothing.

    An empty WAL only, and a WAL index smaller than its first 32 KiB region, which a
    connection using it always has: what a failed attempt on a full disk leaves.
    """
    for side in side_files(path):
        if side in existed or not side.exists():
            continue
        limit = 1 if side.name.endswith("-wal") else _WAL_INDEX_REGION
        if side.stat().st_size < limit:
            side.unlink(missing_ok=True)


def _open_for_reading(path: Path, *, lock_timeout: float) -> tuple[sqlite3.Connection, bool]:
    """A connection that has read the schema, and whether it shares the WAL index."""
    existed = {side for side in side_files(path) if side.exists()}
    connection: sqlite3.Connection | None = None
    first_error: sqlite3.OperationalError | None = None
    # Read-only first; a WAL file that needs recovery needs a read-write connection; a full
    # disk (no room to grow the WAL index) needs the exclusive, in-memory index.
    for mode, exclusive in (("ro", False), ("rw", False), ("rw", True)):
        if first_error is not None and exclusive and not _needs_room(first_error):
            break
        if exclusive:
            remove_new_side_files(path, existed)
        try:
            connection = _connect(path, mode=mode, timeout=lock_timeout, exclusive=exclusive)
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return connection, not exclusive
        except sqlite3.OperationalError as exc:
            if connection is not None:
                connection.close()
                connection = None
            translated = translate_error(exc, path)
            if isinstance(translated, DatabaseLocked | DatabaseCorrupt):
                raise
            if first_error is None or _needs_room(exc):
                first_error = exc
    remove_new_side_files(path, existed)
    assert first_error is not None
    raise first_error


def _read_schema_facts(path: Path, *, lock_timeout: float) -> FileFacts:
    connection, shared_memory = _open_for_reading(path, lock_timeout=lock_timeout)
    try:
        tables = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        if path.stat().st_size <= QUICK_CHECK_MAX_BYTES:
            problems = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
            if problems != ["ok"]:
                raise _corrupt(path, "its integrity check failed (" + "; ".join(problems) + ")")
        if not tables:
            return FileFacts(is_new=True, shared_memory=shared_memory)
        if "alembic_version" not in tables:
            raise ForeignDatabase(
                f"The file {str(path)!r} is an SQLite database that SFA Desktop did not "
                "create. It has been left untouched; choose another data folder.",
                path=path,
            )
        revisions = [
            row[0] for row in connection.execute("SELECT version_num FROM alembic_version")
        ]
        schema_version = None
        if "app_meta" in tables:
            row = connection.execute(
                "SELECT value FROM app_meta WHERE key = 'schema_version'"
            ).fetchone()
            schema_version = int(row[0]) if row and str(row[0]).isdigit() else None
    finally:
        connection.close()
    unknown = [rev for rev in revisions if rev not in known_revisions()]
    if unknown or (schema_version is not None and schema_version > STORE_SCHEMA_VERSION):
        raise DatabaseTooNew(
            f"The database {str(path)!r} was written by a newer version of SFA Desktop "
            f"(schema {', '.join(unknown) or schema_version}). Update the app to open it; "
            "the file has been left untouched.",
            path=path,
        )
    return FileFacts(
        is_new=False,
        revision=revisions[0] if revisions else None,
        schema_version=schema_version,
        shared_memory=shared_memory,
    )


def _probe_write_lock(path: Path, *, lock_timeout: float, exclusive: bool = False) -> None:
    connection = _connect(path, mode="rw", timeout=lock_timeout, exclusive=exclusive)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    finally:
        connection.close()
