"""The demo rep's saved customer segments, so the Customers workspace opens populated.

Drawn on their own random stream (``segments``): the rest of the data set is unchanged.
The definitions follow :mod:`sfa_desktop.domain.segments` (version 1).
"""

from __future__ import annotations

import datetime as dt
import random

from .context import Clock, Row, base_row
from .team import Team

#: (name, description, definition)
DEMO_SEGMENTS: tuple[tuple[str, str, dict[str, object]], ...] = (
    (
        "Clientes A",
        "Los que hacen el 80 % del valor: retener.",
        {"version": 1, "abc": ["A"]},
    ),
    (
        "En riesgo",
        "Compraron, pero hace más de seis meses o gastan la mitad que el año anterior.",
        {"version": 1, "rfm": ["at_risk", "lapsed"]},
    ),
    (
        "Nuevos clientes de climatización",
        "Primera compra en los últimos seis meses, con algo de climatización.",
        {"version": 1, "rfm": ["new"], "families": ["Climatización"]},
    ),
)


def segment_rows(rng: random.Random, clock: Clock, team: Team) -> list[Row]:
    """The demo user's saved segments, made in the last weeks."""
    rows: list[Row] = []
    for name, description, definition in DEMO_SEGMENTS:
        made = clock.now - dt.timedelta(days=rng.randint(3, 40), minutes=rng.randint(0, 600))
        row = base_row(rng, made, made)
        row.update(owner_id=team.me.id, name=name, description=description, definition=definition)
        rows.append(row)
    return rows
