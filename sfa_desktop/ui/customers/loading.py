"""What the Customers workspace reads and writes, run on the database thread: the analysis of a
segment with its two charts built there (plain matplotlib figures), and the saved segments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from sfa_desktop.domain.segments import AccountFacts, SegmentDefinition
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.exports.customer_charts import (
    pareto_figure,
    quadrant_figure,
    quadrant_points,
)
from sfa_desktop.services.exports.files import write_atomically
from sfa_desktop.services.exports.segment_csv import render_segment_csv
from sfa_desktop.services.segments import (
    CustomerAnalysis,
    SavedSegmentRow,
    analyse,
    delete_segment,
    save_segment,
    saved_segments,
    update_segment,
)


@dataclass(frozen=True)
class CustomersPage:
    """One segment as the workspace shows it."""

    analysis: CustomerAnalysis
    definition: SegmentDefinition
    pareto: Figure
    quadrant: Figure


def load_page(
    session: Any,
    today: dt.date,
    definition: SegmentDefinition,
    language: str,
    facts: tuple[AccountFacts, ...] | None = None,
) -> CustomersPage:
    """The segment's analysis and charts; ``facts``: reuse those (only the criteria changed)."""
    analysis = analyse(session, today, definition, facts=facts)
    pareto = pareto_figure(
        analysis.pareto,
        counts=analysis.counts.abc,
        currency=analysis.currency,
        language=language,
    )
    quadrant = quadrant_figure(
        quadrant_points(analysis.accounts), currency=analysis.currency, language=language
    )
    return CustomersPage(analysis, definition, pareto, quadrant)


def load_segments(session: Any) -> list[SavedSegmentRow]:
    return saved_segments(session)


def store_new_segment(
    session: Any, name: str, definition: SegmentDefinition, now: Callable[[], dt.datetime]
) -> str:
    return save_segment(session, load_edit_context(session, now=now), name, definition)


def store_update(
    session: Any,
    segment_id: str,
    now: Callable[[], dt.datetime],
    *,
    name: str | None = None,
    definition: SegmentDefinition | None = None,
) -> str:
    context = load_edit_context(session, now=now)
    update_segment(session, context, segment_id, name=name, definition=definition)
    return segment_id


def store_deletion(session: Any, segment_id: str, now: Callable[[], dt.datetime]) -> None:
    delete_segment(session, load_edit_context(session, now=now), segment_id)


def write_csv(page: CustomersPage, accounts: list[Any], path: Path, language: str) -> int:
    """Write ``accounts`` (the list as shown) to ``path``; returns the byte count."""
    data = render_segment_csv(
        accounts, today=page.analysis.today, currency=page.analysis.currency, language=language
    )
    write_atomically(path, data)
    return len(data)
