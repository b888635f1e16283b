"""The TrueType fonts embedded in PDFs (``resources/fonts``: DejaVu Sans, regular and bold).

PDFs never rely on the 14 standard fonts: those have no ``€`` in every viewer and no glyphs
beyond Latin-1, and a quote must print the same everywhere. reportlab embeds a subset of each
TrueType font (only the glyphs used) with a ToUnicode map, so text can be copied and searched.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}


def fonts_dir() -> Path:
    """``resources/fonts`` in a source tree, or next to a frozen executable."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources" / "fonts"
    return Path(__file__).resolve().parents[3] / "resources" / "fonts"


@cache
def register_pdf_fonts() -> tuple[str, str]:
    """Register the fonts with reportlab once per process; returns (regular, bold) names.

    ``<b>`` in a paragraph of the regular font picks the bold one.
    """
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(fonts_dir() / filename)))
    for bold, italic in ((0, 0), (0, 1), (1, 0), (1, 1)):
        addMapping(REGULAR, bold, italic, BOLD if bold else REGULAR)
    return REGULAR, BOLD
