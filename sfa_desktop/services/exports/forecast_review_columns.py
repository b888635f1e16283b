"""The columns of an exported team review and the raw value of each cell, shared by the CSV,
the XLSX and the PDF so the three agree.

Texts are in the document's language (``msgctxt "forecast review"`` in ``es.po``), read from
that language's catalog directly, not through the UI's current language: a manager may send
the review in Spanish from an English UI.
"""

from __future__ import annotations

import datetime as dt
import gettext
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sfa_desktop.i18n.catalogs import load_translations
from sfa_desktop.services.exports.forecast_review_document import ReviewDocument, ReviewRow

ColumnKind = Literal["text", "money", "percent", "datetime", "count"]
Cell = str | int | Decimal | dt.datetime | None


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    kind: ColumnKind


def review_text(language: str) -> gettext.NullTranslations:
    """The catalog of ``language`` for the review's fixed texts (call its ``pgettext`` with
    ``"forecast review"``, literally, so the texts are extracted)."""
    return load_translations(language)


def review_columns(document: ReviewDocument) -> list[Column]:
    """Every column, in order (accuracy only once the period has ended)."""
    t = review_text(document.language)
    columns = [
        Column("level", t.pgettext("forecast review", "Level"), "count"),
        Column("row", t.pgettext("forecast review", "Row"), "text"),
        Column("person", t.pgettext("forecast review", "Person"), "text"),
        Column("email", t.pgettext("forecast review", "Email"), "text"),
        Column("currency", t.pgettext("forecast review", "Currency"), "text"),
        Column("closed", t.pgettext("forecast review", "Closed"), "money"),
        Column("commit", t.pgettext("forecast review", "Commit"), "money"),
        Column("best_case", t.pgettext("forecast review", "Best case"), "money"),
        Column("pipeline", t.pgettext("forecast review", "Pipeline"), "money"),
        Column("weighted", t.pgettext("forecast review", "Weighted"), "money"),
        Column("quota", t.pgettext("forecast review", "Quota"), "money"),
        Column("attainment", t.pgettext("forecast review", "Attainment"), "percent"),
        Column("gap", t.pgettext("forecast review", "Gap to quota"), "money"),
        Column("call", t.pgettext("forecast review", "Call"), "money"),
    ]
    if document.ended:
        columns.append(Column("accuracy", t.pgettext("forecast review", "Accuracy"), "percent"))
    columns += [
        Column("members", t.pgettext("forecast review", "Members"), "count"),
        Column("submitted", t.pgettext("forecast review", "Submitted"), "count"),
        Column("submitted_at", t.pgettext("forecast review", "Last submission"), "datetime"),
        Column("rep_adjustment", t.pgettext("forecast review", "Rep adjustment"), "money"),
        Column("manager_adjustment", t.pgettext("forecast review", "Manager adjustment"), "money"),
        Column("manager_note", t.pgettext("forecast review", "Manager note"), "text"),
    ]
    return columns


def row_label(row: ReviewRow, language: str) -> str:
    """ "Team" for a roll-up row, "Own" for a person's own deals."""
    t = review_text(language)
    return (
        t.pgettext("forecast review", "Team")
        if row.is_team
        else t.pgettext("forecast review", "Own")
    )


def _line_cell(row: ReviewRow, key: str) -> Cell:
    line = row.line
    if line is None:
        return None
    figures = line.figures
    values: dict[str, Cell] = {
        "currency": line.currency,
        "closed": figures.closed,
        "commit": figures.commit,
        "best_case": figures.best_case,
        "pipeline": figures.pipeline,
        "weighted": figures.weighted,
        "quota": line.quota,
        "attainment": line.attainment_pct,
        "gap": line.gap,
        "call": line.call,
        "accuracy": line.accuracy_pct,
    }
    return values.get(key)


def _submission_cell(row: ReviewRow, key: str, zone: dt.tzinfo) -> Cell:
    if key == "members":
        return row.person.members if row.is_team else 1
    if key == "submitted":
        return row.person.submitted if row.is_team else int(row.latest is not None)
    latest = row.latest
    if latest is None:
        return None
    values: dict[str, Cell] = {
        "submitted_at": latest.submitted_at.astimezone(zone).replace(tzinfo=None),
        "rep_adjustment": latest.rep_adjustment,
        "manager_adjustment": latest.manager_adjustment,
        "manager_note": latest.manager_note,
    }
    return values.get(key)


def cell(row: ReviewRow, column: Column, document: ReviewDocument) -> Cell:
    """The raw value of ``column`` in ``row``: money in minor units, percentages in points,
    times naive in the document's zone; None for an empty cell."""
    key = column.key
    if key == "level":
        return row.level
    if key == "row":
        return row_label(row, document.language)
    if key == "person":
        return row.person.name
    if key == "email":
        return row.person.email
    if key in {
        "members",
        "submitted",
        "submitted_at",
        "rep_adjustment",
        "manager_adjustment",
        "manager_note",
    }:
        return _submission_cell(row, key, document.zone)
    return _line_cell(row, key)
