"""Whether two account names look like the same business (issue 12: warn before a duplicate).

A name is compared *normalized*: accents and case do not count ("Ferretería" = "FERRETERIA"),
punctuation is a space, and a trailing legal form is dropped ("Ferretería Martínez, S.L." =
"Ferreteria Martinez SA" = "Ferretería Martínez"). Two normalized names are similar when
rapidfuzz's ``token_sort_ratio`` (word order does not count) reaches :data:`SIMILARITY` —
unless their numbers differ: "Panadería 3" and "Panadería 33" are two shops, not one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

#: token_sort_ratio (0-100) from which two normalized names are "similar" (see the tests:
#: a typo or a missing word in a two- or three-word name stays above it, another trade or
#: another family name falls below)
SIMILARITY = 88.0

#: Legal forms, written without dots or spaces ("S.L.U." → "slu"), dropped from a name's end.
LEGAL_FORMS = frozenset(
    {
        "sl",
        "slu",
        "sll",
        "slne",
        "slp",
        "sa",
        "sau",
        "sc",
        "scp",
        "scoop",
        "coop",
        "cb",
        "sas",
        "sarl",
        "srl",
        "spa",
        "gmbh",
        "ag",
        "kg",
        "bv",
        "nv",
        "ltd",
        "llc",
        "inc",
        "plc",
        "unipersonal",
    }
)
_LONGEST_FORM = 4  # "s.c.o.o.p." at most splits into a few one-letter words; 4 is plenty
_WORD = re.compile(r"[^\W_]+")


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalized_name(name: str) -> str:
    """``name`` as compared: folded words, without a trailing legal form (never empty when
    ``name`` has a letter or digit: a name that is only a legal form keeps it)."""
    words = _WORD.findall(_fold(name))
    dropped = True
    while dropped and len(words) > 1:
        dropped = False
        for size in range(min(_LONGEST_FORM, len(words) - 1), 0, -1):
            if "".join(words[-size:]) in LEGAL_FORMS:
                del words[-size:]
                dropped = True
                break
    return " ".join(words)


def _numbers(normalized: str) -> frozenset[str]:
    return frozenset(word.lstrip("0") for word in normalized.split() if word.isdigit())


def similarity(left: str, right: str) -> float:
    """0-100: how alike two account names are (100: the same once normalized)."""
    a, b = normalized_name(left), normalized_name(right)
    if _numbers(a) != _numbers(b):
        return 0.0
    return float(fuzz.token_sort_ratio(a, b))


@dataclass(frozen=True)
class NameMatch:
    index: int  #: the position of the candidate in the names given
    score: float


def similar_names(
    name: str, candidates: Sequence[str], *, threshold: float = SIMILARITY, limit: int = 10
) -> list[NameMatch]:
    """The candidates similar to ``name``, most similar first (ties in the order given)."""
    target = normalized_name(name)
    if not target:
        return []
    numbers = _numbers(target)
    choices: Iterable[tuple[str, int]] = (
        (normalized_name(candidate), index) for index, candidate in enumerate(candidates)
    )
    kept = {index: text for text, index in choices if _numbers(text) == numbers}
    found = process.extract(
        target, kept, scorer=fuzz.token_sort_ratio, score_cutoff=threshold, limit=None
    )
    ranked = sorted(((score, index) for _, score, index in found), key=lambda m: (-m[0], m[1]))
    return [NameMatch(int(index), float(score)) for score, index in ranked[:limit]]
