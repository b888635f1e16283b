#!/usr/bin/env python3
"""Developer entry point: sets up a virtual environment on first use, then runs a task.

    python3 dev.py demo [ARGS...]    open the desktop app on its demo data
    python3 dev.py test [ARGS...]    lint, type-check and run the whole test suite (on every
                                     core); with ARGS, only `pytest ARGS`
    python3 dev.py bench [NAME]      run the benchmarks (figures are printed, not asserted)
    python3 dev.py server [ARGS...]  run `sfa-server ARGS`
    python3 dev.py package [--out D] build the Linux desktop package (.deb) into D (dist/)
    python3 dev.py setup             only create/update the environment
    python3 dev.py lock [--upgrade]  re-resolve requirements.txt (--upgrade: newest versions)

Only the Python standard library is used here, so it works on a machine that has nothing
but Python 3.11+. The environment lives in `.venv/` and is installed from `requirements.txt`
(every package pinned, with hashes, for every platform), so a fresh machine gets exactly what
was tested. It is rebuilt from scratch when pyproject.toml or the lock file changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".sfa-installed"
LOCK = ROOT / "requirements.txt"
#: the same pins in the standard lock format (PEP 751), written by `dev.py lock`
PYLOCK = ROOT / "pylock.toml"


def _say(text: str) -> None:
    print(f"dev.py: {text}", file=sys.stderr, flush=True)


def _wanted_stamp() -> str:
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", LOCK):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def setup() -> None:
    """Create .venv and install exactly the locked packages, then the project (editable)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - a clear message on an old Python
        sys.exit("dev.py: Python 3.11 or newer is required")
    if not LOCK.exists():
        sys.exit("dev.py: requirements.txt is missing; run `python3 dev.py lock`")
    wanted = _wanted_stamp()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    # a new lock gets a new environment: nothing left over from older installs
    _say("creating the virtual environment in .venv …")
    venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    _say("installing the locked dependencies (first run takes a few minutes) …")
    pip = [str(PYTHON), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run([*pip, "install", "--require-hashes", "-r", str(LOCK)], check=True, cwd=ROOT)
    subprocess.run(
        [*pip, "install", "--no-deps", "--no-build-isolation", "-e", str(ROOT)],
        check=True,
        cwd=ROOT,
    )
    # a dependency added to pyproject.toml but not to the lock is caught here, not at run time
    if subprocess.run([*pip, "check"], cwd=ROOT).returncode != 0:
        sys.exit(
            "dev.py: requirements.txt does not satisfy pyproject.toml; run `python3 dev.py lock`"
        )
    STAMP.write_text(wanted)


def lock(args: list[str]) -> int:
    """Re-resolve requirements.txt with uv (from the dev extra) for every platform."""
    build = tomllib.loads((ROOT / "pyproject.toml").read_text())["build-system"]["requires"]
    # a fixed relative path, so the lock's "via" notes do not change from run to run
    build_in = ROOT / ".build-requirements.in"
    build_in.write_text("\n".join(build) + "\n")
    try:
        command = [
            str(BIN / "uv"), "pip", "compile", "pyproject.toml", build_in.name,
            "--extra", "dev", "--universal", "--python-version", "3.11",
            "--generate-hashes", "--custom-compile-command", "python3 dev.py lock", "--quiet",
            "-o", LOCK.name, *args,
        ]  # fmt: skip
        code = _run(command)
        if code == 0:
            # the same pins as a standard PEP 751 lock, for tools that read pylock.toml
            # (resolved from requirements.txt, so both name the same versions)
            code = _run([
                str(BIN / "uv"), "pip", "compile", LOCK.name, "--universal",
                "--python-version", "3.11", "--format", "pylock.toml", "--quiet",
                "-o", PYLOCK.name,
            ])  # fmt: skip
    finally:
        build_in.unlink(missing_ok=True)
    if code == 0:
        _say("requirements.txt and pylock.toml updated; `python3 dev.py setup` installs them")
    return code


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
        # the whole suite on every core (SFA_TEST_WORKERS=N to choose; 1: in this process);
        # a test file stays on one worker, so its module fixtures are built once
        workers = _test_workers()
        args = ["-n", str(workers), "--dist", "loadfile"] if workers > 1 else []
    code = _run([str(PYTHON), "-m", "pytest", *args], env)
    if code == 5:  # pytest: no tests were collected — never a green run
        _say("pytest collected no tests: failing")
        return 1
    return code


def _test_workers() -> int:
    chosen = os.environ.get("SFA_TEST_WORKERS", "")
    if chosen.isdigit() and int(chosen) > 0:
        return int(chosen)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, 8))


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


def package(args: list[str]) -> int:
    """python3 dev.py package [--out DIR]: the Linux .deb (other systems: installer/README.md)."""
    if not sys.platform.startswith("linux"):
        _say("`package` builds the Debian package on Linux; Windows/macOS: see installer/README.md")
        return 2
    return _run([str(PYTHON), str(ROOT / "installer" / "build_linux.py"), *args], dict(os.environ))


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return 0 if argv else 2
    task, rest = argv[0], argv[1:]
    if task == "lock" and (BIN / "uv").exists():
        return lock(rest)  # a lock that no longer matches pyproject.toml can still be redone
    setup()
    if task == "setup":
        return 0
    if task == "demo":
        return _run([str(BIN / "sfa-desktop"), "--demo", *rest])
    if task == "test":
        return test(rest)
    if task == "bench":
        return bench(rest)
    if task == "package":
        return package(rest)
    if task == "server":
        return _run([str(BIN / "sfa-server"), *rest])
    if task == "lock":
        return lock(rest)
    _say(f"unknown task {task!r}; see python3 dev.py --help")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
