"""``sfa scorecard`` on a small team (read only, no server): the JSON figures, the table in
English and Spanish, the comparison with last year, bad periods; and the scorecard PDF read
back (both languages, the same bytes twice)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from services.scorecard_fixtures import NOW, scorecard_database

from cli.offline import OfflineRun
from sfa_desktop.domain.scorecard import parse_period
from sfa_desktop.i18n import set_language
from sfa_desktop.services.exports.scorecard_pdf import render_scorecard_pdf
from sfa_desktop.services.scorecard import load_scorecard
from sfa_desktop.store.database import open_database


@pytest.fixture(autouse=True)
def english() -> None:
    set_language("en")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    scorecard_database(tmp_path, "m").close()
    return tmp_path


@pytest.fixture
def sfa(folder: Path) -> OfflineRun:
    return OfflineRun(folder, NOW)


def test_the_json_document(sfa: OfflineRun) -> None:
    document = sfa.json("scorecard", "--period", "2026-Q4")
    assert (document["period"], document["compared_period"], document["compare"]) == (
        "2026-Q4",
        "2026-Q3",
        "previous",
    )
    assert (document["start"], document["end"], document["currency"]) == (
        "2026-10-01",
        "2026-12-31",
        "EUR",
    )
    kpis = {k["key"]: k for k in document["kpis"]}
    assert (kpis["sales"]["value"], kpis["sales"]["compared"], kpis["sales"]["change"]) == (
        "2800.00",
        "1500.00",
        "1300.00",
    )
    assert kpis["retention"]["value"] == "0.5000"
    assert kpis["quote_conversion"]["value"] == "0.3333"
    assert kpis["days_to_close"]["value"] == "20.0"
    assert kpis["sales_growth"]["compared"] is None
    families = {r["key"]: r["sales"] for r in document["breakdowns"]["family"]}
    assert families == {"Old family": "1500.00", "New family": "500.00", "": "800.00"}
    assert [p["period"] for p in document["retention_trend"]][-1] == "2026-Q4"


def test_the_default_period_and_last_year(sfa: OfflineRun) -> None:
    assert sfa.json("scorecard")["period"] == "2026-Q4"
    document = sfa.json("scorecard", "--period", "2026", "--compare", "last-year")
    assert document["compared_period"] == "2025"
    kpis = {k["key"]: k for k in document["kpis"]}
    assert (kpis["sales"]["value"], kpis["sales"]["compared"]) == ("4300.00", "100.00")


def test_the_table_in_both_languages(sfa: OfflineRun, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "en")
    assert sfa("scorecard", "--period", "2026-11") == 0
    assert "Scorecard Nov 2026 against Oct 2026 (Previous period)" in sfa.out
    assert "Quote conversion" in sfa.out
    monkeypatch.setenv("LANGUAGE", "es")
    assert sfa("scorecard", "--period", "2026-Q4") == 0
    assert "Cuadro de mando T4 2026 frente a T3 2026" in sfa.out
    assert "Conversión de presupuestos" in sfa.out and "2.800\xa0€" in sfa.out


@pytest.mark.parametrize("period", ["2026-13", "2026-Q0", "next"])
def test_a_bad_period_is_a_usage_error(sfa: OfflineRun, period: str) -> None:
    assert sfa("scorecard", "--period", period) == 2
    assert sfa.out == "" and "period" in sfa.err.lower()


def test_the_pdf_reads_back_in_both_languages(folder: Path) -> None:
    with open_database(folder / "sfa.sqlite3") as opened, opened.session() as session:
        card = load_scorecard(session, parse_period("2026-Q4"), "previous", today=NOW.date())
    day = dt.date(2026, 12, 6)
    english = render_scorecard_pdf(card, "en", today=day)
    assert english == render_scorecard_pdf(card, "en", today=day)  # deterministic
    spanish = render_scorecard_pdf(card, "es", today=day)
    for data, title, words in (
        (english, "CRM scorecard Q4 2026", ["Learning and growth", "€2,800", "Retention"]),
        (spanish, "Cuadro de mando CRM T4 2026", ["Aprendizaje y crecimiento", "Retención"]),
    ):
        path = folder / "out.pdf"
        path.write_bytes(data)
        reader = PdfReader(path)
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert title in text
        for word in words:
            assert word in text
        assert reader.metadata is not None and reader.metadata.title == title


def test_pdf_writes_the_file(sfa: OfflineRun, folder: Path) -> None:
    target = folder / "cuadro.pdf"
    document = sfa.json("scorecard", "--period", "2026-Q4", "--pdf", str(target), "--lang", "es")
    assert document == {"path": str(target), "bytes": target.stat().st_size}
    assert "Cuadro de mando CRM T4 2026" in PdfReader(target).pages[0].extract_text()
