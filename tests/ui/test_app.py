"""``sfa-desktop`` end to end, in-process: screenshots, the demo, preferences, bad profiles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from store.full_disk import full_disk

from sfa_desktop import app
from sfa_desktop.i18n import current_language
from sfa_desktop.services.preferences import (
    Preferences,
    load_preferences,
    preferences_path,
    save_preferences,
)
from sfa_desktop.store.database import open_database
from sfa_desktop.store.meta import MetaKey, get_meta, set_meta
from sfa_desktop.store.models.reference import User
from sfa_desktop.store.paths import database_path

from .screenshots import assert_real_screenshot, run_app, screenshot_args


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("view", ["accounts", "today"])
def test_screenshot_writes_a_png_after_the_data_loaded(
    qapp: object, profile_dir: Path, tmp_path: Path, language: str, view: str
) -> None:
    shot = tmp_path / f"shot-{view}-{language}.png"
    args = screenshot_args(profile_dir, shot, "--lang", language, "--view", view)
    assert run_app(args) == 0
    assert_real_screenshot(shot)
    assert current_language() == language
    with open_database(database_path(profile_dir)):  # closed and unlocked on exit
        pass


def test_the_data_folder_can_come_from_the_environment(
    qapp: object, profile_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SFA_DATA_DIR", str(profile_dir))
    shot = tmp_path / "env.png"
    assert run_app(["--screenshot", str(shot), "--view", "accounts"]) == 0
    assert_real_screenshot(shot)


def test_demo_profile_is_created_on_first_use(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_dir = tmp_path / "demo"
    demo_dir.mkdir()
    (demo_dir / "sfa.sqlite3.partial").write_bytes(b"left by an interrupted first start")
    monkeypatch.setenv("SFA_DEMO_DIR", str(demo_dir))
    shot = tmp_path / "demo.png"
    assert run_app(["--demo", "--lang", "es", "--view", "accounts", "--screenshot", str(shot)]) == 0
    assert_real_screenshot(shot)
    assert sorted(p.name for p in demo_dir.iterdir() if "partial" in p.name) == []
    with open_database(database_path(demo_dir)) as database, database.session() as session:
        assert get_meta(session, MetaKey.USER_ID)
    assert run_app(["--demo", "--view", "today", "--screenshot", str(shot)]) == 0  # reused


def test_the_demo_opens_as_the_manager_and_back_as_the_rep(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_dir = tmp_path / "demo"
    demo_dir.mkdir()
    monkeypatch.setenv("SFA_DEMO_DIR", str(demo_dir))
    shot = tmp_path / "demo.png"

    def role() -> str:
        with open_database(database_path(demo_dir)) as database, database.session() as session:
            user = session.get(User, get_meta(session, MetaKey.USER_ID))
            assert user is not None
            return user.role

    args = ["--demo", "--view", "accounts", "--screenshot", str(shot)]
    assert run_app([*args, "--demo-user", "manager"]) == 0
    assert role() == "manager"
    assert run_app(args) == 0  # the rep, by default
    assert role() == "rep"
    assert run_app([*args, "--demo-user", "manager"]) == 0  # an existing demo switches too
    assert role() == "manager"


def test_the_language_comes_from_the_preferences_and_switching_is_remembered(
    qapp: object, profile_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_preferences(profile_dir, Preferences(language="es"))
    assert run_app(screenshot_args(profile_dir, tmp_path / "a.png")) == 0
    assert current_language() == "es"

    take_screenshot = app.DesktopApp._take_screenshot

    def switch_then_shoot(desktop: app.DesktopApp) -> None:
        assert desktop.window is not None
        desktop.window.switch_language("en")
        take_screenshot(desktop)

    monkeypatch.setattr(app.DesktopApp, "_take_screenshot", switch_then_shoot)
    assert run_app(screenshot_args(profile_dir, tmp_path / "b.png")) == 0
    assert load_preferences(profile_dir).language == "en"


@pytest.mark.parametrize(
    "write",
    [
        lambda path: path.write_bytes(
            '{"language": "es", "route_start": "Ávila"}'.encode("cp1252")
        ),
        lambda path: path.write_bytes(b"\xff\xfe{\x00}\x00"),  # UTF-16 with a BOM
        lambda path: path.write_text("[" * 100_000),  # deeper than the JSON parser goes
        lambda path: path.mkdir(),
    ],
    ids=["windows-1252", "utf-16", "too-deep", "a-folder"],
)
def test_unreadable_preferences_never_stop_the_app(
    qapp: object, profile_dir: Path, tmp_path: Path, write: Callable[[Path], object]
) -> None:
    write(preferences_path(profile_dir))
    shot = tmp_path / "shot.png"
    assert run_app(screenshot_args(profile_dir, shot, "--lang", "en")) == 0
    assert_real_screenshot(shot)
    assert load_preferences(profile_dir) == Preferences()


def test_the_app_starts_and_shows_the_data_on_a_full_disk(
    qapp: object, profile_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a real full disk only: the file-size limit would refuse the screenshot too
    with full_disk("tmpfs", tmp_path, monkeypatch) as disk:
        shutil.copytree(profile_dir, disk.folder)
        shot = tmp_path / "full.png"
        with disk.full():
            assert run_app(screenshot_args(disk.folder, shot, "--view", "accounts")) == 0
            assert sorted(p.name for p in disk.folder.iterdir()) == ["sfa.sqlite3"]
        assert_real_screenshot(shot)


def test_version_and_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_app(["--version"]) == 0
    assert capsys.readouterr().out.strip() == "sfa-desktop 0.1.0"
    assert run_app(["--view", "nowhere"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def _fails_cleanly(
    args: list[str], capsys: pytest.CaptureFixture[str], *, untouched: Path, expected: str
) -> None:
    before = untouched.read_bytes()
    assert run_app(args) == 2
    error = capsys.readouterr().err
    assert error.startswith("sfa-desktop: ") and expected in error
    assert untouched.read_bytes() == before


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "is damaged or is not an SFA Desktop database"), ("es", "está dañada")],
)
def test_a_corrupt_database_is_reported_and_left_alone(
    qapp: object,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    language: str,
    expected: str,
) -> None:
    data_dir = tmp_path / "profile"
    data_dir.mkdir()
    corrupt = database_path(data_dir)
    corrupt.write_bytes(b"SQLite format 3\x00" + b"\x17garbage" * 512)
    args = screenshot_args(data_dir, tmp_path / "x.png", "--lang", language)
    _fails_cleanly(args, capsys, untouched=corrupt, expected=expected)
    assert not (tmp_path / "x.png").exists()


def test_a_file_given_as_data_folder_is_reported(
    qapp: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("my notes", encoding="utf-8")
    args = screenshot_args(not_a_folder, tmp_path / "x.png")
    _fails_cleanly(args, capsys, untouched=not_a_folder, expected="cannot be used")


def test_a_database_in_use_is_reported(
    qapp: object, profile_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(database_path(profile_dir)):
        args = screenshot_args(profile_dir, tmp_path / "x.png", "--lang", "es")
        _fails_cleanly(
            args, capsys, untouched=database_path(profile_dir), expected="está abierta en otra"
        )


def test_a_database_from_a_newer_version_is_reported(
    qapp: object, profile_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_database(database_path(profile_dir)) as database, database.session() as session:
        set_meta(session, MetaKey.SCHEMA_VERSION, "999")
    args = screenshot_args(profile_dir, tmp_path / "x.png")
    _fails_cleanly(
        args, capsys, untouched=database_path(profile_dir), expected="newer version of SFA Desktop"
    )


def test_without_screenshot_the_error_is_shown_in_a_message_box(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[tuple[str, str]] = []

    def record(box: QMessageBox) -> int:
        shown.append((box.text(), box.informativeText()))
        return 0

    monkeypatch.setattr(QMessageBox, "exec", record)
    not_a_folder = tmp_path / "file"
    not_a_folder.write_bytes(b"x")
    assert run_app(["--data-dir", str(not_a_folder), "--lang", "es"]) == 2
    assert shown[0][0] == "SFA Desktop no puede iniciarse"
    assert "No se puede usar la carpeta de datos" in shown[0][1]


def test_an_unwritable_screenshot_path_fails(
    qapp: object, profile_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shot = tmp_path / "missing-folder" / "x.png"
    assert run_app(screenshot_args(profile_dir, shot)) == 1
    assert "cannot write the screenshot" in capsys.readouterr().err


def test_gui_run_shows_progress_for_a_new_demo_then_the_window_and_remembers_the_view(
    qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_dir = tmp_path / "demo"
    monkeypatch.setenv("SFA_DEMO_DIR", str(demo_dir))
    seen: dict[str, object] = {}
    show_window = app.DesktopApp._show_window

    def show_then_close(desktop: app.DesktopApp, opened: app.OpenedProfile) -> None:
        seen["progress"] = desktop._progress_dialog is not None
        show_window(desktop, opened)
        window = desktop.window
        assert window is not None
        seen["title"] = window.windowTitle()
        seen["visible"] = window.isVisible()
        window.show_view("pipeline")
        QTimer.singleShot(0, window.close)

    monkeypatch.setattr(app.DesktopApp, "_show_window", show_then_close)
    assert run_app(["--demo", "--lang", "es"]) == 0
    assert seen["progress"] and seen["visible"]
    assert str(seen["title"]).startswith("SFA Desktop — ")
    assert str(seen["title"]).endswith(" (demostración)")
    assert load_preferences(demo_dir).last_view == "pipeline"


def test_runs_as_a_separate_process(profile_dir: Path, tmp_path: Path) -> None:
    shot = tmp_path / "process.png"
    completed = subprocess.run(
        [sys.executable, "-m", "sfa_desktop.app", *screenshot_args(profile_dir, shot)],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert shot.stat().st_size > 10_000
