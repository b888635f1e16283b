"""``--view accounts --screenshot`` with the filter bar, in both languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from .screenshots import assert_real_screenshot, run_app


@pytest.mark.parametrize("language", ["en", "es"])
def test_accounts_screenshot(
    qapp: object, profile_dir: Path, tmp_path: Path, language: str
) -> None:
    shot = tmp_path / f"accounts-{language}.png"
    args = ["--data-dir", str(profile_dir), "--lang", language, "--view", "accounts"]
    assert run_app([*args, "--screenshot", str(shot)]) == 0
    assert_real_screenshot(shot)
