"""One version for the product: ``--version`` of sfa-desktop, sfa and sfa-server, the About box,
and the packaged bundle all come from pyproject.toml (sync_server/protocol/release.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from sync_server.protocol import release

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]

COMMANDS = {
    "sfa-desktop": "from sfa_desktop.app import main",
    "sfa": "from sfa_desktop.cli import main",
    "sfa-server": "from sync_server.cli import main",
}


@pytest.fixture(autouse=True)
def fresh_lookup() -> Iterator[None]:
    release.release_version.cache_clear()
    yield
    release.release_version.cache_clear()


def test_the_three_commands_print_the_same_version() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    printed = {}
    for name, imported in COMMANDS.items():
        done = subprocess.run(
            [sys.executable, "-c", f"import sys; {imported}; sys.exit(main(['--version']))"],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        printed[name] = done.stdout.strip()
    assert printed == {name: f"{name} {PYPROJECT_VERSION}" for name in COMMANDS}


def test_the_source_tree_wins_over_stale_package_metadata() -> None:
    # an editable install keeps the version it was installed with; the checkout's is the truth
    assert release.release_version() == PYPROJECT_VERSION


def test_a_frozen_bundle_reads_the_version_file_the_spec_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / release.BUNDLED_VERSION_FILE).write_text("9.8.7\n")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert release.release_version() == "9.8.7"


def test_another_projects_pyproject_is_not_taken_for_ours(tmp_path: Path) -> None:
    other = tmp_path / "pyproject.toml"
    other.write_text('[project]\nname = "something-else"\nversion = "5.0"\n')
    assert release._source_tree_version(other) is None
    other.write_text("not toml [")
    assert release._source_tree_version(other) is None
    assert release._source_tree_version(tmp_path / "missing.toml") is None
    other.write_text('[project]\nname = "sfa-desktop"\nversion = "1.2.3"\n')
    assert release._source_tree_version(other) == "1.2.3"
