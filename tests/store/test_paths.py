"""Where the profile lives: precedence of --data-dir, SFA_DATA_DIR and the platform folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
import pytest

from sfa_desktop.store.errors import DataDirError, DiskFull
from sfa_desktop.store.paths import database_path, demo_data_dir, resolve_data_dir


def test_explicit_dir_wins_over_environment(tmp_path: Path) -> None:
    explicit = tmp_path / "explicit"
    env = {"SFA_DATA_DIR": str(tmp_path / "from-env")}
    assert resolve_data_dir(explicit, environ=env) == explicit
    assert explicit.is_dir()
    assert not (tmp_path / "from-env").exists()


def test_environment_wins_over_platform_default(tmp_path: Path) -> None:
    chosen = resolve_data_dir(None, environ={"SFA_DATA_DIR": str(tmp_path / "env" / "nested")})
    assert chosen == tmp_path / "env" / "nested"
    assert chosen.is_dir()


def test_platform_default_when_nothing_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda app, author: str(tmp_path / app))
    assert resolve_data_dir(None, environ={}) == tmp_path / "sfa-desktop"
    assert resolve_data_dir("  ", environ={"SFA_DATA_DIR": ""}) == tmp_path / "sfa-desktop"


def test_demo_dir_is_its_own_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda app, author: str(tmp_path / app))
    assert demo_data_dir(environ={}) == tmp_path / "sfa-desktop" / "demo"
    assert demo_data_dir(environ={"SFA_DEMO_DIR": str(tmp_path / "d")}) == tmp_path / "d"


def test_database_path_is_inside_the_profile(tmp_path: Path) -> None:
    assert database_path(tmp_path) == tmp_path / "sfa.sqlite3"


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("data")
    with pytest.raises(DataDirError, match="is a file") as caught:
        resolve_data_dir(blocker, environ={})
    assert caught.value.code == "data_dir"
    assert blocker.read_text() == "data"


def test_a_folder_under_a_file_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DataDirError, match="cannot be created"):
        resolve_data_dir(blocker / "child", environ={})


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can write anywhere"
)
def test_an_unwritable_folder_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(DataDirError, match="not writable"):
            resolve_data_dir(locked, environ={})
    finally:
        locked.chmod(0o700)


def test_a_folder_that_refuses_new_files_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root ignores permission bits, so simulate what the OS answers to a normal user.
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    with pytest.raises(DataDirError, match="not writable: Permission denied"):
        resolve_data_dir(tmp_path / "ro", environ={})


@pytest.mark.parametrize("where", ["mkdir", "new file"])
def test_a_full_disk_is_reported_as_a_full_disk_not_an_unusable_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    import errno
    import tempfile

    def no_room(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if where == "mkdir":
        monkeypatch.setattr(Path, "mkdir", no_room)
    else:
        monkeypatch.setattr(tempfile, "TemporaryFile", no_room)
    with pytest.raises(DiskFull) as caught:
        resolve_data_dir(tmp_path / "new", environ={})
    assert caught.value.code == "disk_full"
