"""What a team review export holds, as plain values (no database, no Qt), and the rows every
format prints.

The forecast export service (:mod:`sfa_desktop.services.forecast_export`) fills a
:class:`ReviewDocument` from :func:`~sfa_desktop.services.forecasts.team_review`, the team's
trend and each person's deals; the renderers (``forecast_review_csv``, ``_xlsx``, ``_pdf``)
turn it into bytes. Amounts stay integer minor units of their currency, as the forecast rules
keep them.

The review's tree becomes :func:`review_rows`, top down: a manager's **team row** (the
roll-up of everyone below them, outline level = their depth) comes first, then their **own
row** (their own deals, one level deeper), then their reports' rows, recursively; someone
without reports has only their own row. A person with figures in several currencies has a row
per currency; a person with nothing in the period still has one (blank) row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sfa_desktop.services.forecasts import DealRow, ForecastLine, PersonForecast, SubmissionRow
from sync_server.protocol.forecast_rules import Period, TrendPoint

ReviewLanguage = Literal["es", "en"]
RowKind = Literal["team", "own"]


@dataclass(frozen=True, slots=True)
class ReviewDocument:
    """A team review to export, as of ``today``, printed in ``language``."""

    period: Period
    today: dt.date
    language: ReviewLanguage
    ended: bool
    #: the review's people, depth first (see :class:`~sfa_desktop.services.forecasts.TeamReview`)
    people: tuple[PersonForecast, ...]
    #: the team's submitted calls through the period (the trend chart)
    trend: tuple[TrendPoint, ...] = ()
    #: each person's deals closing in the period: (person's name, deal), person by person
    deals: tuple[tuple[str, DealRow], ...] = ()
    #: the time zone submission times are shown in
    zone: dt.tzinfo = dt.UTC

    @property
    def title_name(self) -> str:
        """Whose team this is (the review's first person), "" for an empty review."""
        return self.people[0].name if self.people else ""

    @property
    def currency(self) -> str | None:
        """The currency the charts show: the one with the biggest team quota (else the biggest
        pipeline) at the top of the tree; None for an empty review."""
        if not self.people or not self.people[0].team:
            return None
        lines = self.people[0].team
        best = max(lines, key=lambda line: (line.quota or 0, line.figures.best_case))
        return best.currency


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One printed row: a person's own figures or a manager's team roll-up, in one currency
    (``line`` None: nothing in the period)."""

    kind: RowKind
    level: int
    person: PersonForecast
    line: ForecastLine | None
    latest: SubmissionRow | None

    @property
    def is_team(self) -> bool:
        return self.kind == "team"


def _rows_of(person: PersonForecast, kind: RowKind, level: int) -> list[ReviewRow]:
    lines: Sequence[ForecastLine | None] = (person.team if kind == "team" else person.own) or (
        None,
    )
    latest = {row.currency: row for row in person.latest}
    return [
        ReviewRow(
            kind=kind,
            level=level,
            person=person,
            line=line,
            latest=latest.get(line.currency) if line is not None and kind == "own" else None,
        )
        for line in lines
    ]


def review_rows(document: ReviewDocument) -> list[ReviewRow]:
    """The printed rows, top down (see the module's docstring)."""
    rows: list[ReviewRow] = []
    for person in document.people:
        if person.is_manager:
            rows += _rows_of(person, "team", person.depth)
            rows += _rows_of(person, "own", person.depth + 1)
        else:
            rows += _rows_of(person, "own", person.depth)
    return rows


def major(minor: int | Decimal, digits: int) -> Decimal:
    """Minor units as an exact ``Decimal`` of major units (1234 → 12.34 with 2 digits)."""
    return Decimal(minor).scaleb(-digits)
