"""The architecture rules: only ``sfa_desktop.ui`` and ``sfa_desktop.app`` import Qt, and
every import follows the layer arrows of ARCHITECTURE.md (the import-linter contracts in
``pyproject.toml``)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: ``lint-imports`` without its cache (it would write ``.import_linter_cache`` into the tree)
_LINT_IMPORTS = (
    "from importlinter.cli import lint_imports_command; "
    "lint_imports_command(['--no-cache', '--no-logo'])"
)

QT_FREE_PACKAGES = (
    "sfa_desktop.domain",
    "sfa_desktop.store",
    "sfa_desktop.sync",
    "sfa_desktop.services",
    "sfa_desktop.demo",
    "sfa_desktop.i18n",
    "sync_server.protocol",
)

_PROBE = textwrap.dedent(
    """
    import importlib, json, pkgutil, sys

    imported = []
    for name in sys.argv[1:]:
        package = importlib.import_module(name)
        imported.append(name)
        for module in pkgutil.walk_packages(package.__path__, prefix=name + "."):
            if ".migrations." in module.name:  # Alembic scripts run only inside Alembic
                continue
            importlib.import_module(module.name)
            imported.append(module.name)
    qt = sorted(m for m in sys.modules if m == "PySide6" or m.startswith(("PySide6.", "shiboken6")))
    print(json.dumps({"imported": imported, "qt": qt}))
    """
)


def test_qt_free_packages_load_no_pyside6() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE, *QT_FREE_PACKAGES],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert set(QT_FREE_PACKAGES) <= set(report["imported"])
    assert any(name.startswith("sfa_desktop.i18n.") for name in report["imported"])
    assert report["qt"] == [], f"Qt-free layers imported {report['qt']}"


def test_imports_follow_the_layer_contracts() -> None:
    completed = subprocess.run(
        [sys.executable, "-c", _LINT_IMPORTS],
        cwd=ROOT,  # import-linter reads pyproject.toml and imports the packages from here
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0 or "0 broken" not in completed.stdout:
        pytest.fail(
            "imports against the layers of ARCHITECTURE.md (pyproject.toml [tool.importlinter]):\n"
            + completed.stdout
            + completed.stderr,
            pytrace=False,
        )
