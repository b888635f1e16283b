"""The two lock files name the same packages at the same versions: ``requirements.txt`` is
what ``dev.py`` and CI install (with hashes), ``pylock.toml`` the same pins in the standard
format (PEP 751). Both are written by ``python3 dev.py lock``."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_pylock_pins_what_requirements_installs() -> None:
    pinned = {
        _normal(match.group(1)): match.group(2)
        for match in re.finditer(
            r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", (ROOT / "requirements.txt").read_text(), re.M
        )
    }
    lock = tomllib.loads((ROOT / "pylock.toml").read_text())
    locked = {_normal(p["name"]): p["version"] for p in lock["packages"]}
    assert pinned and locked == pinned
