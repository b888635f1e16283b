"""Opening the local SQLite database: checks, connection settings, migrations, sessions.

``open_database`` never writes to a file it has not first proven sound (see
:mod:`.preflight`); then it migrates it to the newest schema in one transaction and returns a
:class:`Database` holding the profile lock until :meth:`Database.close`.

Every connection gets ``journal_mode=WAL``, ``foreign_keys=ON``, ``busy_timeout``,
``synchronous=NORMAL``, the ``sfa_fold`` SQL function (search fallback), the Spanish name order
(``sfa_sort_key`` and the ``es`` collation, :mod:`.collation`) and explicit ``BEGIN``
handling, so transactions and savepoints behave as SQLAlchemy documents. The UI's own
database work runs on one worker thread and a sync on a network thread, each writer taking
the write turn first (:mod:`sfa_desktop.sync.write_turns`); connections are not tied to the
thread that made them (``check_same_thread=False``) so tests may also use the main thread.

On a full disk a profile can still be opened and read: when the WAL index cannot be shared
(see :mod:`.preflight`), the engine keeps one connection in exclusive locking mode, and every
write fails with :class:`~.errors.DiskFull`, undone whole. An open that fails removes what it
created (a new database file, ``-wal``, ``-shm``; the ``.lock`` goes with the lock).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from .collation import COLLATION, SORT_KEY_FUNCTION, compare, sort_key
from .errors import DatabaseCorrupt, DatabaseNotFound, DiskFull, DiskIOError, StoreError
from .lockfile import ProfileLock
from .migrator import upgrade_to_head
from .paths import ensure_writable_dir
from .preflight import check_database_file, remove_new_side_files, side_files, translate_error
from .search import SearchMode, fold_for_search, search_mode

BUSY_TIMEOUT_MS = 5000
#: How long opening waits for another program's write lock before reporting it.
LOCK_PROBE_TIMEOUT_S = 0.5
#: Page cache per connection (SQLite's default is 2 MiB): index-heavy writes and big sorts need more.
CACHE_SIZE_KIB = 65536


class Database:
    """An open local database: the engine, a session factory and the profile lock."""

    def __init__(self, path: Path, engine: Engine, lock: ProfileLock) -> None:
        self.path = path
        self.engine = engine
        self._lock = lock

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        SQLite errors that mean a damaged or locked file come out as
        :class:`~.errors.DatabaseCorrupt` / :class:`~.errors.DatabaseLocked`.
        """
        session = Session(self.engine, expire_on_commit=False)
        try:
            yield session
            session.commit()
        except SQLAlchemyError as exc:
            session.rollback()
            translated = translate_error(exc, self.path)
            if translated is not None:
                raise translated from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @property
    def search_mode(self) -> SearchMode:
        with self.session() as session:
            return search_mode(session)

    def check_integrity(self) -> None:
        """Run SQLite's full ``integrity_check``; :class:`DatabaseCorrupt` if it fails.

        Slow on big files (it reads everything): for a maintenance command, not for startup.
        """
        with self.engine.connect() as connection:
            rows = connection.execute(text("PRAGMA integrity_check(5)")).scalars().all()
        if list(rows) != ["ok"]:
            raise DatabaseCorrupt(
                f"The database {str(self.path)!r} failed its integrity check: "
                + "; ".join(str(r) for r in rows),
                path=self.path,
            )

    def close(self) -> None:
        """Close every connection and release the profile lock (safe to call twice)."""
        self.engine.dispose()
        self._lock.release()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def open_database(
    path: Path | str,
    *,
    create: bool = True,
    use_fts5: bool = True,
    lock_timeout: float = LOCK_PROBE_TIMEOUT_S,
) -> Database:
    """Open (creating if ``create``) and migrate the database at ``path``.

    ``use_fts5=False`` builds a *new* file with the LIKE search fallback even where SQLite has
    FTS5 (tests use it); an existing file keeps the search it was created with.

    Raises :class:`~.errors.DatabaseNotFound`, :class:`~.errors.DatabaseCorrupt`,
    :class:`~.errors.DatabaseTooNew`, :class:`~.errors.DatabaseLocked`,
    :class:`~.errors.ForeignDatabase` or :class:`~.errors.DataDirError`; in each case the file
    is left exactly as it was.
    """
    path = Path(path).expanduser().absolute()
    if not path.exists():
        if not create:
            raise DatabaseNotFound(f"There is no database at {str(path)!r}.", path=path)
        ensure_writable_dir(path.parent)
    lock = ProfileLock(path)
    lock.acquire()
    engine: Engine | None = None
    is_new = not path.exists()
    existed = {side for side in side_files(path) if side.exists()}
    try:
        facts = check_database_file(path, lock_timeout=lock_timeout)
        engine = _create_engine(path, shared_memory=facts.shared_memory)
        with engine.begin() as connection:
            upgrade_to_head(connection, prefer_fts5=use_fts5)
    except BaseException as exc:
        if engine is not None:
            engine.dispose()
        translated = translate_error(exc, path) if not isinstance(exc, StoreError) else None
        if is_new:  # ours alone (we hold the lock) and nothing in it: leave no trace
            path.unlink(missing_ok=True)
        if is_new or isinstance(translated or exc, DiskFull | DiskIOError):
            remove_new_side_files(path, existed)
        lock.release()
        if translated is not None:
            raise translated from exc
        raise
    return Database(path, engine, lock)


def _create_engine(path: Path, *, shared_memory: bool = True) -> Engine:
    engine = create_engine(
        f"sqlite+pysqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        # no shared WAL index (a full disk): one connection, which holds it in its memory
        pool_size=4 if shared_memory else 1,
        max_overflow=4 if shared_memory else 0,
    )
    if not shared_memory:
        event.listen(engine, "connect", _exclusive_locking)
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


def _configure_connection(dbapi_connection: Any, connection_record: Any) -> None:
    connection: sqlite3.Connection = dbapi_connection
    # Let SQLAlchemy's "begin" event issue BEGIN (pysqlite's own handling breaks savepoints).
    connection.isolation_level = None
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA foreign_keys=ON")
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(f"PRAGMA cache_size=-{CACHE_SIZE_KIB}")
    connection.create_function("sfa_fold", -1, fold_for_search, deterministic=True)
    connection.create_function(SORT_KEY_FUNCTION, 1, sort_key, deterministic=True)
    connection.create_collation(COLLATION, compare)


def _exclusive_locking(dbapi_connection: Any, connection_record: Any) -> None:
    dbapi_connection.execute("PRAGMA locking_mode=EXCLUSIVE")


def _begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")
