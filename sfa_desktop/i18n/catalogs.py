"""Loading the gettext catalogs from ``resources/translations/<lang>.po``.

The PO files are read at run time with babel and compiled in memory, so a fresh checkout
needs no build step. Fuzzy entries are ignored, exactly as ``msgfmt`` would.
"""

from __future__ import annotations

import gettext
import io
import sys
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def translations_dir() -> Path:
    """The folder holding ``es.po`` (in a source tree, or next to a frozen executable)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources" / "translations"
    return Path(__file__).resolve().parents[2] / "resources" / "translations"


def po_path(language: str) -> Path:
    """The PO catalog of ``language``."""
    return translations_dir() / f"{language}.po"


@cache
def load_translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language``; English (the source) needs none."""
    path = po_path(language)
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
