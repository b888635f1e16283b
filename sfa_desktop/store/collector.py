"""Cyclic garbage collection paused while many small objects are made at once.

Reading 100,000 rows into tuples (the value table, the segment facts) or parsing a pulled page
into rows allocates far more objects than it frees, and each allocation past a threshold starts
a collection; the full ones walk every object of the app (a second or more on a big
territory). Those rows hold no cycles, so nothing is lost by not looking for cycles meanwhile:
objects are still freed by reference counting.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (in every thread). It is on again when the use that
    turned it off ends (an inner or overlapping use does not turn it on early), and never left
    off."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def collect_young() -> None:
    """Free the cycles among the objects made since the last collection (inside
    :func:`collector_paused`, at a point where the rows made are gone, so that a long pause
    does not keep them): the young generations only, not the whole heap."""
    gc.collect(1)
