#!/usr/bin/env python3
"""Developer entry point: sets up a virtual environment on first use, then runs a task.

    python3 dev.py demo [ARGS...]    open the desktop app on its demo data
    python3 dev.py test [ARGS...]    lint, type-check and run the whole test suite
    python3 dev.py bench [NAME]      run the benchmarks (figures are printed, not asserted)
    python3 dev.py server [ARGS...]  run `sfa-server ARGS`
    python3 dev.py setup             only create/update the environment

Only the Python standard library is used here, so it works on a machine that has nothing
but Python 3.11+. The environment lives in `.venv/` and is reinstalled when pyproject.toml
changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".sfa-installed"


def _say(text: str) -> None:
    print(f"dev.py: {text}", file=sys.stderr, flush=True)


def setup() -> None:
    """Create .venv and install the project with its dev extras when needed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - a clear message on an old Python
        sys.exit("dev.py: Python 3.11 or newer is required")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not PYTHON.exists():
        _say("creating the virtual environment in .venv …")
        venv.EnvBuilder(with_pip=True, clear=VENV.exists()).create(VENV)
    _say("installing the project and its dependencies (first run takes a few minutes) …")
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--upgrade", "pip", "setuptools", "wheel"], check=True)
    subprocess.run([*pip, "install", "-e", f"{ROOT}[dev]"], check=True, cwd=ROOT)
    STAMP.write_text(wanted)


def _run(cmd: list[str], env: dict[str, str] | None = None) -> int:
    return subprocess.run(cmd, cwd=ROOT, env=env).returncode


def test(args: list[str]) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    if not args:
        for step in (
            [str(BIN / "ruff"), "check", "sfa_desktop", "sync_server", "tests"],
            [str(BIN / "mypy"), "--no-error-summary"],
        ):
            _say("$ " + " ".join([Path(step[0]).name, *step[1:]]))
            if _run(step, env) != 0:
                return 1
    code = _run([str(PYTHON), "-m", "pytest", *args], env)
    if code == 5:  # pytest: no tests were collected — never a green run
        _say("pytest collected no tests: failing")
        return 1
    return code


def bench(args: list[str]) -> int:
    scripts = sorted((ROOT / "tests" / "bench").glob("bench_*.py"))
    if args and not args[0].startswith("-"):
        scripts = [s for s in scripts if args[0] in s.stem]
        args = args[1:]
    if not scripts:
        _say("no benchmark matches")
        return 2
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    worst = 0
    for script in scripts:
        _say(f"running {script.name}")
        worst = max(worst, _run([str(PYTHON), str(script), *args], env))
    return worst


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0 if argv else 2
    task, rest = argv[0], argv[1:]
    setup()
    if task == "setup":
        return 0
    if task == "demo":
        return _run([str(BIN / "sfa-desktop"), "--demo", *rest])
    if task == "test":
        return test(rest)
    if task == "bench":
        return bench(rest)
    if task == "server":
        return _run([str(BIN / "sfa-server"), *rest])
    _say(f"unknown task {task!r}; see python3 dev.py --help")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
