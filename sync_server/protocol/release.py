"""The release version of SFA (``0.1.0``): what ``--version`` prints in sfa-desktop, sfa and
sfa-server, and the About box shows.

One number for the whole product, ``[project] version`` in pyproject.toml, found in this order:

1. inside a PyInstaller bundle: the ``VERSION`` file the spec (installer/sfa.spec) writes from
   pyproject.toml next to the bundled libraries (``sys._MEIPASS``);
2. in a source tree (a checkout, editable install or not): its pyproject.toml, so a version
   bump shows at once (an editable install's metadata keeps the version it was installed with);
3. an installed wheel: the package metadata of ``sfa-desktop``;
4. otherwise ``"dev"``.

It lives in the shared protocol package because both the client and the server print it.
"""

from __future__ import annotations

import sys
import tomllib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

DISTRIBUTION = "sfa-desktop"
#: the file the PyInstaller spec writes into the bundle
BUNDLED_VERSION_FILE = "VERSION"
UNKNOWN_VERSION = "dev"


def _bundled_version() -> str | None:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if not frozen_root:
        return None
    try:
        return (Path(frozen_root) / BUNDLED_VERSION_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _source_tree_version(pyproject: Path) -> str | None:
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return None
    if project.get("name") != DISTRIBUTION or not isinstance(project.get("version"), str):
        return None
    return str(project["version"])


def _installed_version() -> str | None:
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return None


@cache
def release_version() -> str:
    """``"0.1.0"``: the product's version, or ``"dev"`` when it cannot be found."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    return (
        _bundled_version()
        or _source_tree_version(pyproject)
        or _installed_version()
        or UNKNOWN_VERSION
    )
