"""The installed ``sfa`` console script runs (a real subprocess, no server needed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SFA = Path(sys.executable).with_name("sfa")


def run(*argv: str, lang: str = "en_GB.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANGUAGE"))}
    env["LANG"] = lang
    return subprocess.run(
        [str(SFA), *argv], capture_output=True, text=True, timeout=60, env=env, check=False
    )


def test_the_console_script_works_offline(tmp_path: Path) -> None:
    folder = str(tmp_path / "profile")
    status = run("--data-dir", folder, "status", "--json")
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["pending_changes"] == 0
    failed = run("--data-dir", folder, "sync", lang="es_ES.UTF-8")
    assert failed.returncode == 1
    assert failed.stderr.strip().splitlines() == [
        "sfa: No has iniciado sesión. Inicia sesión primero en un servidor de sincronización."
    ]
    usage = run("--data-dir", folder, "nonsense")
    assert usage.returncode == 2 and len(usage.stderr.strip().splitlines()) == 1
