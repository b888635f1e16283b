"""A full disk: reads go on, writes say "the disk is full", nothing is half-written or left over.

Each test runs on both simulations of :mod:`.full_disk` (a real full tmpfs where mounting is
allowed, and a process file-size limit everywhere).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from sfa_desktop.i18n import error_message, set_language
from sfa_desktop.services.messages import error_text
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.errors import DiskFull
from sfa_desktop.store.models import Account

from .conftest import add_account, add_user, sha256
from .full_disk import KINDS, FullDisk, full_disk


@pytest.fixture(params=KINDS)
def disk(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FullDisk]:
    with full_disk(request.param, tmp_path, monkeypatch) as simulated:
        yield simulated


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


def make_profile(disk: FullDisk) -> tuple[Path, str]:
    """A profile with one user and one account, closed; returns its path and the user id."""
    path = disk.folder / "sfa.sqlite3"
    with open_database(path) as database, database.session() as session:
        user = add_user(session)
        add_account(session, user, "Uno")
    return path, user


def account_names(database: Database) -> list[str]:
    with database.session() as session:
        return list(session.scalars(select(Account.name).order_by(Account.name)))


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name != "sfa.sqlite3")


def test_a_full_disk_still_reads_and_leaves_no_files_behind(disk: FullDisk) -> None:
    path, _user = make_profile(disk)
    before = sha256(path)
    with disk.full():
        for _ in range(2):  # and again: the first read left nothing in the way
            with open_database(path) as database:
                assert account_names(database) == ["Uno"]
            assert leftovers(disk.folder) == []
    assert sha256(path) == before


def test_a_write_on_a_full_disk_says_so_and_writes_nothing(disk: FullDisk) -> None:
    path, user = make_profile(disk)
    before = sha256(path)
    with disk.full():
        with open_database(path) as database:
            with pytest.raises(DiskFull) as caught, database.session() as session:
                add_account(session, user, "Dos")
                add_account(session, user, "Tres")
            assert account_names(database) == ["Uno"]
        assert leftovers(disk.folder) == []
    assert caught.value.code == "disk_full" and caught.value.path == path
    assert error_text(caught.value) == (
        f"The disk holding “{path}” is full. Free some space and try again; "
        "what you were saving was not saved."
    )
    set_language("es")
    assert error_text(caught.value).startswith(f"El disco donde está «{path}» está lleno.")
    assert sha256(path) == before
    with open_database(path) as database:
        assert account_names(database) == ["Uno"]
        database.check_integrity()


def test_a_profile_open_when_the_disk_fills_up_says_so_and_keeps_reading(disk: FullDisk) -> None:
    path, user = make_profile(disk)
    with open_database(path) as database:
        with disk.full():
            with pytest.raises(DiskFull), database.session() as session:
                add_account(session, user, "Dos")
            assert account_names(database) == ["Uno"]
        with database.session() as session:  # room again: the same profile writes
            add_account(session, user, "Dos")
        assert account_names(database) == ["Dos", "Uno"]
    assert leftovers(disk.folder) == []


def test_a_new_profile_on_a_full_disk_says_so_and_leaves_nothing(disk: FullDisk) -> None:
    disk.folder.mkdir(parents=True)
    with disk.full():
        with pytest.raises(DiskFull):
            open_database(disk.folder / "sfa.sqlite3")
        assert list(disk.folder.iterdir()) == []
    assert error_message("disk_full", path="/x").startswith("The disk holding “/x” is full.")
