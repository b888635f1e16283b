"""Opening the database file: settings, and every refusal leaving the file byte-for-byte intact."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.errors import (
    DatabaseCorrupt,
    DatabaseLocked,
    DatabaseNotFound,
    DatabaseTooNew,
    DataDirError,
    ForeignDatabase,
    StoreError,
)
from sfa_desktop.store.lockfile import ProfileLock, lock_path_for
from sfa_desktop.store.meta import MetaKey, get_meta, set_meta
from sfa_desktop.store.migrator import STORE_SCHEMA_VERSION

from .conftest import add_account, add_user, sha256

QUICK = 0.05  # lock probe timeout for tests: seconds, not a sleep


def make_real_database(path: Path, accounts: int = 0) -> None:
    """A database written by this app, closed (WAL checkpointed into the main file)."""
    with open_database(path) as database, database.session() as session:
        owner = add_user(session)
        for i in range(accounts):
            add_account(session, owner, f"Cuenta {i} " + "x" * 150, notes="n" * 500)


def assert_refused(path: Path, error: type[StoreError], code: str) -> StoreError:
    before = sha256(path)
    with pytest.raises(error) as caught:
        open_database(path, lock_timeout=QUICK)
    assert caught.value.code == code
    assert caught.value.message
    assert sha256(path) == before, "a refused database must be left byte-for-byte intact"
    return caught.value


# --- normal opening ----------------------------------------------------------------------------


def test_connection_settings(db: Database) -> None:
    with db.engine.connect() as connection:
        pragma = lambda name: connection.execute(text(f"PRAGMA {name}")).scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 5000
        assert pragma("synchronous") == 1  # NORMAL
        assert connection.execute(text("SELECT sfa_fold('Málaga')")).scalar() == " malaga "


def test_new_file_is_created_with_its_folder_and_migrated(db_path: Path) -> None:
    assert not db_path.parent.exists()
    with open_database(db_path) as database, database.session() as session:
        assert get_meta(session, MetaKey.SCHEMA_VERSION) == str(STORE_SCHEMA_VERSION)
    assert db_path.is_file()


def test_reopening_keeps_the_data(db_path: Path) -> None:
    make_real_database(db_path, accounts=3)
    with open_database(db_path) as database, database.session() as session:
        assert session.execute(text("SELECT count(*) FROM accounts")).scalar() == 3


def test_missing_file_without_create(tmp_path: Path) -> None:
    with pytest.raises(DatabaseNotFound) as caught:
        open_database(tmp_path / "nothing.sqlite3", create=False)
    assert caught.value.code == "db_not_found"
    assert not (tmp_path / "nothing.sqlite3").exists()


def test_an_empty_file_is_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    path.touch()
    with open_database(path) as database, database.session() as session:
        assert get_meta(session, MetaKey.SEARCH_MODE) in ("fts5", "fallback")


def test_session_commits_on_success_and_rolls_back_on_error(db: Database) -> None:
    with db.session() as session:
        set_meta(session, "k", "kept")
    with pytest.raises(RuntimeError), db.session() as session:
        set_meta(session, "k", "changed")
        set_meta(session, "other", "x")
        raise RuntimeError("boom")
    with db.session() as session:
        assert get_meta(session, "k") == "kept"
        assert get_meta(session, "other") is None


def test_close_releases_the_profile(db_path: Path) -> None:
    first = open_database(db_path)
    first.close()
    first.close()  # twice is harmless
    open_database(db_path).close()


def test_works_from_another_thread(db: Database) -> None:
    import threading

    results: list[object] = []

    def work() -> None:
        with db.session() as session:
            set_meta(session, "from_thread", "yes")
            results.append(get_meta(session, "from_thread"))

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert results == ["yes"]
    with db.session() as session:
        assert get_meta(session, "from_thread") == "yes"


def test_integrity_check_passes_on_a_sound_file(db: Database) -> None:
    db.check_integrity()


def test_migrations_do_not_depend_on_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    open_database(tmp_path / "db.sqlite3").close()
    assert list(elsewhere.iterdir()) == []


# --- refusals: corrupt ------------------------------------------------------------------------


def test_random_bytes_are_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "random.sqlite3"
    path.write_bytes(os.urandom(64 * 1024))
    error = assert_refused(path, DatabaseCorrupt, "db_corrupt")
    assert "not an SQLite database" in error.message


def test_a_text_file_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("name,city\nAcme,Málaga\n" * 100)
    assert_refused(path, DatabaseCorrupt, "db_corrupt")


def test_a_tiny_file_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "tiny.sqlite3"
    path.write_bytes(b"SQLite format 3\x00")
    assert_refused(path, DatabaseCorrupt, "db_corrupt")


def test_a_truncated_database_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "truncated.sqlite3"
    make_real_database(path, accounts=200)
    data = path.read_bytes()
    assert len(data) > 20 * 4096
    path.write_bytes(data[: len(data) // 2])
    error = assert_refused(path, DatabaseCorrupt, "db_corrupt")
    assert "truncated" in error.message


def test_a_damaged_page_fails_the_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite3"
    make_real_database(path, accounts=200)
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    # Scribble over the b-tree pages after the schema page, keeping the file length.
    for offset in range(page_size * 3, len(data), page_size * 2):
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    assert_refused(path, DatabaseCorrupt, "db_corrupt")


def test_a_folder_at_the_database_path_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sfa.sqlite3"
    path.mkdir()
    with pytest.raises(DataDirError):
        open_database(path)


# --- refusals: too new, foreign ----------------------------------------------------------------


def test_an_unknown_alembic_revision_is_too_new(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    make_real_database(path, accounts=2)
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    raw.close()
    error = assert_refused(path, DatabaseTooNew, "db_too_new")
    assert "newer version" in error.message


def test_a_higher_schema_version_is_too_new(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    make_real_database(path)
    with sqlite3.connect(path) as raw:
        raw.execute(
            "UPDATE app_meta SET value = ? WHERE key = 'schema_version'",
            (str(STORE_SCHEMA_VERSION + 1),),
        )
    raw.close()
    assert_refused(path, DatabaseTooNew, "db_too_new")


def test_another_programs_database_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        raw.execute("INSERT INTO invoices (total) VALUES (12.5)")
    raw.close()
    assert_refused(path, ForeignDatabase, "db_foreign")


# --- refusals: locked --------------------------------------------------------------------------


def test_a_second_instance_is_refused_by_the_profile_lock(db_path: Path) -> None:
    make_real_database(db_path, accounts=1)
    with open_database(db_path):
        assert_refused(db_path, DatabaseLocked, "db_locked")
    open_database(db_path).close()  # free again once the first one closed


@pytest.mark.skipif(os.name == "nt", reason="Windows cannot remove an open lock file")
def test_a_closed_profile_leaves_only_its_database_file(db_path: Path) -> None:
    make_real_database(db_path, accounts=1)
    with open_database(db_path):
        assert lock_path_for(db_path).exists()
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


@pytest.mark.skipif(os.name == "nt", reason="Windows cannot remove an open lock file")
def test_a_lock_file_removed_by_its_owner_is_not_trusted(db_path: Path) -> None:
    make_real_database(db_path)
    first = ProfileLock(db_path)
    first.acquire()
    stale = os.open(first.path, os.O_RDWR)  # another opener got this far, then was paused
    first.release()  # removes the file it locked
    with open_database(db_path):  # a new owner, with a new lock file
        paused = ProfileLock(db_path)
        opened = [stale]
        real_open = paused._open
        monkeypatched = lambda: opened.pop() if opened else real_open()  # noqa: E731
        paused._open = monkeypatched  # type: ignore[method-assign]
        with pytest.raises(DatabaseLocked):  # its stale file locks, but is not the profile's
            paused.acquire()
        assert not paused.held


def test_a_writer_in_another_connection_is_refused(db_path: Path) -> None:
    make_real_database(db_path, accounts=1)
    holder = sqlite3.connect(db_path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        assert_refused(db_path, DatabaseLocked, "db_locked")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    open_database(db_path).close()


def test_an_exclusive_lock_in_rollback_journal_mode_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    make_real_database(path, accounts=1)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("PRAGMA journal_mode=DELETE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE app_meta SET value = value")
        with pytest.raises(DatabaseLocked):
            open_database(path, lock_timeout=QUICK)
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_an_sqlite_header_over_garbage_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "garbage.sqlite3"
    header = bytearray(os.urandom(100))
    header[:16] = b"SQLite format 3\x00"
    header[16:18] = (4096).to_bytes(2, "big")
    path.write_bytes(bytes(header) + os.urandom(4096 * 4 - 100))
    assert_refused(path, DatabaseCorrupt, "db_corrupt")
