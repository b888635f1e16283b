"""Plain-ASCII forms of names, for e-mail addresses, domains and rep codes."""

from __future__ import annotations

import re
import unicodedata

from .companies import SLUG_STOPWORDS

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_SPECIAL = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "'": ""})


def ascii_fold(text: str) -> str:
    """Lower-case ASCII: ``"Íñigo Núñez"`` → ``"inigo nunez"``."""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def name_words(name: str) -> list[str]:
    """The meaningful ASCII words of a company name (legal forms and particles dropped)."""
    words = [w for w in name.split() if w.lower() not in SLUG_STOPWORDS]
    folded = (_NON_ALNUM.sub("", ascii_fold(w)) for w in words)
    return [w for w in folded if w]


def email_local(*parts: str) -> str:
    """An e-mail local part from name parts: ``("José", "Núñez")`` → ``"jose.nunez"``."""
    return ".".join(_NON_ALNUM.sub("", ascii_fold(p)) for p in parts if p)
