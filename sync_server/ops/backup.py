"""``sfa-server backup`` and ``sfa-server restore``.

SQLite: the online backup API (:meth:`sqlite3.Connection.backup`) copies a consistent
snapshot while the server keeps serving; the copy goes to a temporary file next to the
target, is checked (``PRAGMA quick_check``) and renamed into place, so a half-written backup
never carries the final name. PostgreSQL: ``pg_dump --format=custom`` (likewise to a
temporary file, then renamed) when the client tools are installed; otherwise the command
prints the ``pg_dump`` line to run and fails. The dump leaves out the records' lz4 compression
(``--no-toast-compression``), so it restores into any PostgreSQL; a restore sets lz4 again where
the database has it.

A restore always starts a new server epoch (:func:`~sync_server.services.epochs.rotate_epoch`):
the backup carries the epoch it was taken in, and only a new one tells every device that the
server forgot what happened after the backup, so that each sends it back. ``restore`` first
copies the backup to a temporary file, brings it to the current schema and rotates its epoch
there, then replaces the live database in one step (the replaced one is kept next to it as
``….before-restore-<time>``). PostgreSQL: ``pg_restore --clean --single-transaction``, then
migrate and rotate. Run restores with the server stopped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from sync_server.db.compression import prefer_lz4
from sync_server.db.database import Database
from sync_server.db.migrate import upgrade_to_head
from sync_server.protocol.wire import EpochInfo
from sync_server.services.epochs import rotate_epoch

from . import OperationFailed


class BackupFailed(OperationFailed):
    """The backup or restore did not happen (one line, for the operator)."""


@dataclass(frozen=True)
class RestoreResult:
    epoch: EpochInfo
    #: the database that was replaced (SQLite), kept in case the restore was a mistake
    previous_copy: Path | None


#: the records' lz4 compression (migration 0005) is left out of a dump, so that it restores
#: into a PostgreSQL built without lz4; a restore sets it again where the database has it
PORTABLE_DUMP = "--no-toast-compression"


def pg_dump_line(url: str, file: Path) -> str:
    return (
        f"pg_dump --format=custom {PORTABLE_DUMP} --file {file} "
        f"'{_libpq(make_url(url), hide=True)}'"
    )


def pg_restore_line(url: str, file: Path) -> str:
    return (
        "pg_restore --clean --if-exists --no-owner --single-transaction "
        f"--dbname '{_libpq(make_url(url), hide=True)}' {file}"
    )


def backup(url: str, target: Path, *, force: bool = False) -> None:
    """Write a consistent copy of the database at ``url`` to ``target``."""
    if target.exists() and not force:
        raise BackupFailed(f"{target} already exists: give --force to replace it")
    if target.is_dir():
        raise BackupFailed(f"{target} is a folder: give the backup file's name")
    if not target.parent.is_dir():
        raise BackupFailed(f"the folder {target.parent} does not exist")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _backup_sqlite(_sqlite_file(parsed), target)
    elif parsed.get_backend_name() == "postgresql":
        _backup_postgres(parsed, target)
    else:
        raise BackupFailed(f"cannot back up a {parsed.get_backend_name()} database")


def restore(url: str, source: Path, *, now: dt.datetime) -> RestoreResult:
    """Put the backup ``source`` in place of the database at ``url`` and start a new epoch."""
    if not source.is_file():
        raise BackupFailed(f"there is no backup file {source}")
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _restore_sqlite(_sqlite_file(parsed), source, now=now)
    if parsed.get_backend_name() == "postgresql":
        return _restore_postgres(url, parsed, source, now=now)
    raise BackupFailed(f"cannot restore a {parsed.get_backend_name()} database")


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupFailed("the database is in memory: there is nothing to back up or restore")
    return Path(url.database)


@contextlib.contextmanager
def _temporary_next_to(target: Path) -> Iterator[Path]:
    """A temporary file name in ``target``'s folder (so the final rename is atomic)."""
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=60)


def _backup_sqlite(live: Path, target: Path) -> None:
    if not live.is_file():
        raise BackupFailed(f"there is no database at {live}")
    with _temporary_next_to(target) as temporary:
        source = _read_only(live)
        copy = sqlite3.connect(temporary)
        try:
            source.backup(copy)  # one consistent snapshot, while the server keeps writing
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            (verdict,) = copy.execute("PRAGMA quick_check").fetchone()
        finally:
            copy.close()
            source.close()
        if verdict != "ok":
            raise BackupFailed(f"the copy of {live} does not check out: {verdict}")
        _fsync(temporary)
        os.replace(temporary, target)


def _check_server_file(path: Path) -> None:
    try:
        connection = _read_only(path)
        try:
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
        finally:
            connection.close()
    except sqlite3.DatabaseError as error:
        raise BackupFailed(f"{path} is not an SQLite database ({error})") from None
    if not {"alembic_version", "epochs", "records"} <= tables:
        raise BackupFailed(f"{path} is not a backup of an sfa-server database")


def _restore_sqlite(live: Path, source: Path, *, now: dt.datetime) -> RestoreResult:
    _check_server_file(source)
    live.parent.mkdir(parents=True, exist_ok=True)
    previous: Path | None = None
    with _temporary_next_to(live) as temporary:
        shutil.copyfile(source, temporary)
        staged = Database(f"sqlite:///{temporary}")
        try:
            upgrade_to_head(staged)  # a backup taken by an older server version
            epoch = rotate_epoch(staged, now=now)
        finally:
            staged.dispose()
        settle = sqlite3.connect(temporary)
        try:  # everything into the file itself, so that the copy below takes it all
            settle.execute("PRAGMA journal_mode=DELETE")
        finally:
            settle.close()
        if live.is_file():
            previous = live.with_name(f"{live.name}.before-restore-{now:%Y%m%dT%H%M%SZ}")
            _backup_sqlite(live, previous)
        staged_connection = sqlite3.connect(temporary)
        live_connection = sqlite3.connect(live, timeout=60)
        try:
            staged_connection.backup(live_connection)  # replaces every page in one step
        finally:
            live_connection.close()
            staged_connection.close()
    return RestoreResult(epoch=epoch, previous_copy=previous)


def _fsync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


# --- PostgreSQL ---------------------------------------------------------------------------------


def _libpq(url: URL, *, hide: bool = False) -> str:
    plain = url.set(drivername="postgresql")
    if not hide:
        plain = plain.set(password=None)
    return plain.render_as_string(hide_password=hide)


def _tool_env(url: URL) -> dict[str, str]:
    """The password goes to the tools in ``PGPASSWORD``, never on their command line."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return env


def _run_tool(argv: list[str], url: URL, instead: str) -> None:
    if shutil.which(argv[0]) is None:
        raise BackupFailed(
            f"{argv[0]} is not installed (the PostgreSQL client tools, the server's major "
            f"version or newer): install them, or run: {instead}"
        )
    finished = subprocess.run(argv, env=_tool_env(url), capture_output=True, text=True, check=False)
    if finished.returncode != 0:
        lines = [line for line in finished.stderr.splitlines() if line.strip()]
        reason = lines[-1] if lines else f"exit status {finished.returncode}"
        raise BackupFailed(f"{argv[0]} failed: {reason}")


def _backup_postgres(url: URL, target: Path) -> None:
    with _temporary_next_to(target) as temporary:
        _run_tool(
            ["pg_dump", "--format=custom", *_portable(), "--file", str(temporary), _libpq(url)],
            url,
            pg_dump_line(url.render_as_string(False), target),
        )
        _fsync(temporary)
        os.replace(temporary, target)


def _portable() -> list[str]:
    """:data:`PORTABLE_DUMP`, for a ``pg_dump`` that knows it (14 and newer)."""
    try:
        version = subprocess.run(
            ["pg_dump", "--version"], capture_output=True, text=True, check=False, timeout=30
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return []  # the dump itself says what is wrong
    found = re.search(r"\b(\d+)(?:\.\d+)+", version)
    return [PORTABLE_DUMP] if found and int(found.group(1)) >= 14 else []


def _restore_postgres(raw: str, url: URL, source: Path, *, now: dt.datetime) -> RestoreResult:
    _run_tool(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--dbname",
            _libpq(url),
            str(source),
        ],
        url,
        pg_restore_line(raw, source) + " && sfa-server epoch rotate",
    )
    database = Database(raw)
    try:
        upgrade_to_head(database)
        with database.engine.begin() as connection:
            prefer_lz4(connection)  # left out of the dump (PORTABLE_DUMP)
        epoch = rotate_epoch(database, now=now)
    finally:
        database.dispose()
    return RestoreResult(epoch=epoch, previous_copy=None)
