"""Exporting the team review: CSV, XLSX or the one-page weekly review PDF, for the CLI and the
Forecast workspace.

:func:`review_document` reads the review (the team below the current user, rolled up), the
team's trend and every person's deals into a
:class:`~sfa_desktop.services.exports.forecast_review_document.ReviewDocument`;
:func:`render_review` turns it into the bytes of a format; :func:`export_review` does both
and writes the file whole or not at all. The format comes from the file's extension
(:func:`export_format`): ``.csv``, ``.xlsx``, ``.pdf``; anything else is refused before
anything is read or written (``export_format`` domain error).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.services.exports.files import write_atomically
from sfa_desktop.services.exports.forecast_review_csv import render_review_csv
from sfa_desktop.services.exports.forecast_review_document import ReviewDocument, ReviewLanguage
from sfa_desktop.services.exports.forecast_review_pdf import render_review_pdf
from sfa_desktop.services.exports.forecast_review_xlsx import render_review_xlsx
from sfa_desktop.services.forecasts import (
    PersonForecast,
    my_forecast,
    rep_deals,
    team_review,
    team_trend,
)
from sync_server.protocol.forecast_rules import Period, period_ended

ExportFormat = Literal["csv", "xlsx", "pdf"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx", "pdf")

__all__ = [
    "EXPORT_FORMATS",
    "ExportFormat",
    "ReviewLanguage",
    "export_format",
    "export_review",
    "render_review",
    "review_document",
]


def export_format(path: Path) -> ExportFormat:
    """The format a file name asks for (``.csv``, ``.xlsx``, ``.pdf``, any case);
    :class:`DomainError` ``export_format`` otherwise."""
    suffix = path.suffix.lower().lstrip(".")
    for known in EXPORT_FORMATS:
        if suffix == known:
            return known
    raise DomainError("export_format", params={"path": str(path)})


def review_document(
    session: Session,
    period: Period,
    today: dt.date,
    language: ReviewLanguage,
    *,
    team: bool = True,
    zone: dt.tzinfo = dt.UTC,
    with_deals: bool = True,
) -> ReviewDocument:
    """The review of ``period`` as of ``today``: the current user's team (``team``) or their
    own forecast alone; ``no_current_user`` when nobody is signed in."""
    people = _people(session, period, today, team)
    me = people[0].user_id
    trend = team_trend(session, period, zone=zone, owner_id=None if team else me)
    deals = (
        tuple(
            (person.name, deal)
            for person in people
            for deal in rep_deals(session, person.user_id, period)
        )
        if with_deals
        else ()
    )
    return ReviewDocument(
        period=period,
        today=today,
        language=language,
        ended=period_ended(period, today),
        people=people,
        trend=tuple(trend),
        deals=deals,
        zone=zone,
    )


def _people(
    session: Session, period: Period, today: dt.date, team: bool
) -> tuple[PersonForecast, ...]:
    if team:
        people = team_review(session, period, today).rows
    else:
        mine = my_forecast(session, period, today)
        people = (mine,) if mine is not None else ()
    if not people:
        raise DomainError("no_current_user")
    return people


def render_review(document: ReviewDocument, fmt: ExportFormat) -> bytes:
    """The review in ``fmt``: identical bytes for an identical document."""
    if fmt == "csv":
        return render_review_csv(document)
    if fmt == "xlsx":
        return render_review_xlsx(document)
    return render_review_pdf(document)


def export_review(
    session: Session,
    period: Period,
    today: dt.date,
    language: ReviewLanguage,
    path: Path,
    *,
    team: bool = True,
    zone: dt.tzinfo = dt.UTC,
) -> int:
    """Writes the review to ``path`` in the format of its extension, whole or not at all;
    returns the number of bytes written. ``OSError`` when the file cannot be written."""
    fmt = export_format(path)
    document = review_document(
        session, period, today, language, zone=zone, with_deals=fmt == "xlsx"
    )
    data = render_review(document, fmt)
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder", str(path))
    write_atomically(path, data)
    return len(data)
