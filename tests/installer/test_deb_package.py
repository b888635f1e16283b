"""The Debian package works: built by installer/build_linux.py, unpacked into a scratch root
(``dpkg-deb -x``, no root needed), its ``sfa-desktop`` renders the demo offscreen and its ``sfa``
reads the profile the app just made.

Building takes minutes, so the package comes from, in this order:

* ``SFA_DEB=path/to/sfa-desktop_X_amd64.deb``: a package already built (CI builds it once with
  ``python3 dev.py package`` and passes it here);
* ``SFA_BUILD_PACKAGE=1`` (or ``CI`` set): the test builds it, with the PyInstaller of this
  environment;
* otherwise the test is skipped (locally), naming both variables.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
INSTALL_DIR = Path("opt/sfa-desktop")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="the .deb is a Linux package"),
    pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed"),
]


def _build(out: Path) -> Path:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "installer" / "build_linux.py"),
            "--out",
            str(out),
            "--work",
            str(out / "work"),
        ],
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return Path(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def deb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("SFA_DEB", "").strip()
    if given:
        return Path(given).resolve()
    if not (os.environ.get("SFA_BUILD_PACKAGE") or os.environ.get("CI")):
        pytest.skip("set SFA_DEB=path/to.deb, or SFA_BUILD_PACKAGE=1 to build it (minutes)")
    return _build(tmp_path_factory.mktemp("deb"))


@pytest.fixture(scope="module")
def unpacked(deb: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


@pytest.fixture
def user_env(tmp_path: Path) -> dict[str, str]:
    """A user with an empty home: nothing read from or written to the real one."""
    home = tmp_path / "home"
    home.mkdir()
    keep = ("PATH", "LANG", "TZ")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(tmp_path),
        QT_QPA_PLATFORM="offscreen",
        LANG="en_GB.UTF-8",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return env


def run(
    command: list[str], env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env=env, check=False
    )


def test_the_package_declares_its_files_version_and_dependencies(deb: Path) -> None:
    info = subprocess.run(["dpkg-deb", "--info", str(deb)], capture_output=True, text=True)
    fields = dict(line.strip().split(": ", 1) for line in info.stdout.splitlines() if ": " in line)
    assert fields["Package"] == "sfa-desktop"
    assert fields["Version"] == VERSION
    depends = fields["Depends"]
    for needed in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libfontconfig1", "libc6"):
        assert needed in depends
    assert int(fields["Installed-Size"]) > 50_000  # KiB: Python, Qt and the app

    contents = subprocess.run(
        ["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True
    ).stdout
    entries = {line.split()[5]: line for line in contents.splitlines()}
    for path in (
        "./usr/share/applications/sfa-desktop.desktop",
        "./usr/share/icons/hicolor/scalable/apps/sfa-desktop.svg",
        "./opt/sfa-desktop/sfa-desktop",
        "./opt/sfa-desktop/sfa",
    ):
        assert path in entries
    for name in ("sfa-desktop", "sfa"):
        link = entries[f"./usr/bin/{name}"]
        assert link.startswith("l") and f"-> ../../opt/sfa-desktop/{name}" in link
    assert entries["./opt/sfa-desktop/sfa-desktop"].startswith("-rwxr-xr-x root/root")


def test_the_desktop_entry_starts_the_app_with_its_icon(unpacked: Path) -> None:
    entry = (unpacked / "usr/share/applications/sfa-desktop.desktop").read_text()
    lines = set(entry.splitlines())
    assert {"Exec=sfa-desktop", "Icon=sfa-desktop", "Type=Application"} <= lines
    assert (unpacked / "usr/share/icons/hicolor/scalable/apps/sfa-desktop.svg").stat().st_size


def test_the_packaged_app_and_command_run(
    unpacked: Path, user_env: dict[str, str], tmp_path: Path
) -> None:
    app = str(unpacked / "usr/bin/sfa-desktop")
    sfa = str(unpacked / "usr/bin/sfa")
    assert run([app, "--version"], user_env).stdout.strip() == f"sfa-desktop {VERSION}"
    assert run([sfa, "--version"], user_env).stdout.strip() == f"sfa {VERSION}"

    demo = tmp_path / "demo"
    shot = tmp_path / "today.png"
    started = time.monotonic()
    shown = run(  # Spanish: the es_ES dates and money of the Today view (babel's data)
        [app, "--demo", "--lang", "es", "--view", "today", "--screenshot", str(shot)],
        {**user_env, "SFA_DEMO_DIR": str(demo)},
    )
    seconds = time.monotonic() - started
    assert shown.returncode == 0, shown.stderr[-4000:]
    assert_has_content(shot)
    print(f"first start (demo created) to screenshot: {seconds:.1f} s")

    listed = run([sfa, "--data-dir", str(demo), "list", "account", "--limit", "5"], user_env)
    assert listed.returncode == 0, listed.stderr
    assert len(listed.stdout.strip().splitlines()) >= 5  # a header and five accounts
    as_json = run([sfa, "--data-dir", str(demo), "list", "account", "--json"], user_env)
    assert as_json.returncode == 0 and as_json.stdout.lstrip().startswith(("[", "{"))


def test_the_packaged_app_speaks_spanish(
    unpacked: Path, user_env: dict[str, str], tmp_path: Path
) -> None:
    sfa = str(unpacked / "usr/bin/sfa")
    failed = run([sfa, "--data-dir", str(tmp_path / "p"), "sync"], {**user_env, "LANG": "es_ES"})
    assert failed.returncode == 1
    assert failed.stderr.strip() == (
        "sfa: No has iniciado sesión. Inicia sesión primero en un servidor de sincronización."
    )
    qt_catalog = unpacked / INSTALL_DIR / "_internal/PySide6/Qt/translations/qtbase_es.qm"
    assert qt_catalog.stat().st_size > 10_000  # Qt's own dialogs (ui/language.py)


def assert_has_content(png: Path) -> None:
    """A real window: a plausible size and many colours, not one flat fill."""
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert not image.isNull()
    assert image.width() >= 800 and image.height() >= 500
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20
