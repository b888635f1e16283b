"""The review's printed rows for any team tree (Hypothesis): every person once, a roll-up row
above each manager's people, levels that follow the tree, totals that add up in the CSV; and a
big team's review still one PDF page."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from sfa_desktop.services.exports.forecast_review_csv import render_review_csv
from sfa_desktop.services.exports.forecast_review_document import ReviewDocument, review_rows
from sfa_desktop.services.exports.forecast_review_pdf import MAX_TABLE_ROWS, render_review_pdf
from sfa_desktop.services.forecasts import ForecastLine, PersonForecast
from sync_server.protocol.forecast_rules import (
    Figures,
    Person,
    TeamNode,
    attainment_pct,
    gap_to_quota,
    parse_period,
    roll_up,
)

NOVEMBER = parse_period("2026-11")


def _line(currency: str, figures: Figures, quota: int | None) -> ForecastLine:
    return ForecastLine(
        currency=currency,
        figures=figures,
        quota=quota,
        attainment_pct=attainment_pct(figures.closed, quota),
        gap=gap_to_quota(figures.closed, quota),
        call=None,
        accuracy_pct=None,
    )


def _person(node: TeamNode) -> PersonForecast:
    me = node.person
    own = tuple(_line(c, f, me.quota.get(c)) for c, f in sorted(me.figures.items()))
    team = tuple(_line(c, f, node.quota.get(c)) for c, f in sorted(node.figures.items()))
    return PersonForecast(
        user_id=me.user_id,
        name=f"Persona {me.user_id}",
        email=f"{me.user_id}@example.es",
        manager_id=me.manager_id,
        depth=node.depth,
        is_manager=node.is_manager,
        own=own,
        team=team,
        latest=(),
        members=node.members,
        submitted=node.submitted,
    )


@st.composite
def _trees(draw: st.DrawFn, most: int = 30) -> list[PersonForecast]:
    size = draw(st.integers(1, most))
    people = []
    for index in range(size):
        manager = None if index == 0 else str(draw(st.integers(0, index - 1)))
        closed = draw(st.integers(0, 10**9))
        figures = {"EUR": Figures("EUR", closed=closed, commit=closed, best_case=closed)}
        quota = {"EUR": draw(st.integers(1, 10**9))}
        people.append(Person(str(index), manager, f"{index:04d}", figures, quota))
    (tree,) = roll_up(people, ["0"])
    return [_person(node) for node in tree.walk()]


def _document(people: list[PersonForecast], language: str = "en") -> ReviewDocument:
    return ReviewDocument(
        period=NOVEMBER,
        today=dt.date(2026, 11, 25),
        language="es" if language == "es" else "en",
        ended=False,
        people=tuple(people),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_trees())
def test_rows_follow_the_tree(people: list[PersonForecast]) -> None:
    rows = review_rows(_document(people))
    managers = [p for p in people if p.is_manager]
    assert [r.person.user_id for r in rows if r.is_team] == [p.user_id for p in managers]
    assert [r.person.user_id for r in rows if not r.is_team] == [p.user_id for p in people]
    for index, row in enumerate(rows):
        if row.is_team:
            # the manager's own row right below, one level deeper
            assert rows[index + 1].person is row.person and rows[index + 1].level == row.level + 1
        else:
            assert row.level == row.person.depth + (1 if row.person.is_manager else 0)
    assert rows[0].level == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_trees())
def test_the_csv_own_rows_add_up_to_the_top_team_row(people: list[PersonForecast]) -> None:
    text = render_review_csv(_document(people, "es")).decode("utf-8-sig")
    parsed = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))

    def amount(cell: str) -> Decimal:
        return Decimal(cell.replace(",", ".")) if cell else Decimal(0)

    own = sum(amount(r["Cerrado"]) for r in parsed if r["Fila"] == "Propio")
    assert own == amount(parsed[0]["Cerrado"])
    assert amount(parsed[0]["Cerrado"]) == Decimal(people[0].team[0].figures.closed) / 100


def test_a_big_team_stays_on_one_page() -> None:
    people = [
        Person(
            str(n),
            None if n == 0 else str((n - 1) // 6),
            f"{n:04d}",
            {"EUR": Figures("EUR", closed=n * 100_000, commit=n * 120_000, best_case=n * 150_000)},
            {"EUR": 5_000_000},
        )
        for n in range(60)
    ]
    (tree,) = roll_up(people, ["0"])
    document = _document([_person(node) for node in tree.walk()], "es")
    reader = PdfReader(io.BytesIO(render_review_pdf(document)))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    rows = review_rows(document)
    shown = [row for row in rows if row.level <= 1]  # the deepest level left out
    assert len(shown) <= MAX_TABLE_ROWS < len([row for row in rows if row.level <= 2])
    left_out = len(rows) - len(shown)
    for row in shown:
        assert row.person.name in text
    assert f"Otras {left_out} filas están en la exportación XLSX." in text
    assert "Página 1 de 1" in text
