"""Phone numbers in E.164 built from valid numbering-plan prefixes (no parsing per number).

The prefixes in :mod:`.places` were chosen so every number drawn here passes
``phonenumbers.is_valid_number``; the tests check a large sample.
"""

from __future__ import annotations

import random

from .places import CALLING_CODES, MOBILE_PREFIXES, NUMBER_LENGTH, City


def _number(rng: random.Random, country: str, prefix: str, length: int) -> str:
    free = length - len(prefix)
    return f"+{CALLING_CODES[country]}{prefix}{rng.randrange(10**free):0{free}d}"


def landline(rng: random.Random, city: City) -> str:
    """A landline in ``city``'s area, e.g. ``+34915551234``."""
    return _number(rng, city.country, city.landline_prefix, NUMBER_LENGTH[city.country][0])


def mobile(rng: random.Random, country: str) -> str:
    """A mobile number of ``country``, e.g. ``+34612345678``."""
    prefix = rng.choice(MOBILE_PREFIXES[country])
    return _number(rng, country, prefix, NUMBER_LENGTH[country][1])
