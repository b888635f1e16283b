"""The team review exported by the demo's manager: XLSX read back with openpyxl, CSV parsed back,
the one-page PDF read back with pypdf and rendered with pdftoppm; same bytes for the same
review; a bad file name writes nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from demo.profiles import build_demo_file, open_demo_copy
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.i18n import _, current_language, set_language, speaking
from sfa_desktop.services.exports.forecast_review_document import review_rows
from sfa_desktop.services.exports.forecast_review_xlsx import money_format
from sfa_desktop.services.forecast_export import (
    export_format,
    export_review,
    render_review,
    review_document,
)
from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import MetaKey, set_meta
from sfa_desktop.store.models.reference import User
from sync_server.protocol.forecast_rules import parse_period

DEMO_DAY = dt.date(2026, 11, 25)
NOVEMBER = parse_period("2026-11")
OCTOBER = parse_period("2026-10")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-review"), accounts=80, today=DEMO_DAY)


@pytest.fixture
def manager(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    """The demo, opened as its sales manager."""
    for database in open_demo_copy(demo_file, tmp_path):
        with database.session() as session:
            boss = session.scalars(select(User).where(User.role == "manager")).one()
            set_meta(session, MetaKey.USER_ID, boss.id)
        yield database


def _euros(minor: int | Decimal) -> Decimal:
    return Decimal(minor) / 100


# --- XLSX ------------------------------------------------------------------------------------------


def test_the_xlsx_holds_the_tree_with_roll_up_rows_and_formats(
    manager: Database, tmp_path: Path
) -> None:
    out = tmp_path / "review.xlsx"
    with manager.session() as session:
        export_review(session, NOVEMBER, DEMO_DAY, "es", out)
        document = review_document(session, NOVEMBER, DEMO_DAY, "es")
    rows = review_rows(document)
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Equipo", "Oportunidades"]
    sheet = book["Equipo"]
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["Nivel", "Fila", "Persona", "Correo electrónico", "Moneda", "Cerrado"]
    assert "Precisión" not in header  # November has not ended
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    assert sheet.sheet_properties.outlinePr is not None
    assert sheet.sheet_properties.outlinePr.summaryBelow is False
    assert sheet.max_row == len(rows) + 1
    column = {name: index for index, name in enumerate(header, start=1)}

    top, boss = rows[0], document.people[0]
    assert top.is_team and top.person is boss and boss.is_manager
    team_line = boss.team[0]
    assert sheet.cell(2, column["Fila"]).value == "Equipo"
    assert sheet.cell(2, column["Persona"]).value == boss.name
    assert sheet.cell(2, column["Persona"]).font.bold
    closed = sheet.cell(2, column["Cerrado"])
    assert Decimal(str(closed.value)) == _euros(team_line.figures.closed)
    assert closed.number_format == money_format("EUR") == '#,##0.00 "€"'
    quota = sheet.cell(2, column["Cuota"])
    assert Decimal(str(quota.value)) == _euros(team_line.quota or 0)
    attainment = sheet.cell(2, column["Cumplimiento"])
    assert attainment.number_format == "0.0%"
    assert Decimal(str(attainment.value)) == (team_line.attainment_pct or 0) / 100
    assert sheet.cell(2, column["Enviadas"]).value == boss.submitted
    assert sheet.cell(2, column["Miembros"]).value == boss.members
    assert sheet.row_dimensions[2].outlineLevel == 0

    # the reps: one level down, indented, their own figures adding up to the team's
    reps = [n for n, row in enumerate(rows, start=2) if not row.is_team and row.level == 1]
    assert reps and all(sheet.row_dimensions[n].outlineLevel == 1 for n in reps)
    assert all(sheet.cell(n, column["Persona"]).alignment.indent == 2 for n in reps)
    assert not any(sheet.cell(n, column["Persona"]).font.bold for n in reps)
    total = sum(Decimal(str(sheet.cell(n, column["Cerrado"]).value or 0)) for n in reps)
    assert total == _euros(team_line.figures.closed)
    submitted = [sheet.cell(n, column["Último envío"]) for n in reps]
    assert all(isinstance(c.value, dt.datetime) for c in submitted if c.value is not None)
    assert any(c.value is not None for c in submitted)


def test_the_xlsx_deals_sheet_lists_each_persons_deals(manager: Database, tmp_path: Path) -> None:
    out = tmp_path / "review.xlsx"
    with manager.session() as session:
        export_review(session, NOVEMBER, DEMO_DAY, "en", out)
        document = review_document(session, NOVEMBER, DEMO_DAY, "en")
    sheet = openpyxl.load_workbook(out)["Deals"]
    assert [c.value for c in sheet[1]][:4] == ["Person", "Account", "Deal", "Stage"]
    assert sheet.max_row == len(document.deals) + 1 > 1
    owner, deal = document.deals[0]
    assert sheet.cell(2, 1).value == owner and sheet.cell(2, 3).value == deal.name
    assert Decimal(str(sheet.cell(2, 8).value)) == _euros(deal.amount)
    assert sheet.cell(2, 8).number_format == '#,##0.00 "€"'
    assert sheet.cell(2, 6).number_format == "yyyy-mm-dd"


def test_the_deals_sheet_names_stages_in_the_documents_language(manager: Database) -> None:
    set_language("en")  # the UI speaks English; the document Spanish
    with manager.session() as session:
        document = review_document(session, NOVEMBER, DEMO_DAY, "es")
    sheet = openpyxl.load_workbook(io.BytesIO(render_review(document, "xlsx")))["Oportunidades"]
    stages = {sheet.cell(n, 4).value for n in range(2, sheet.max_row + 1)}
    assert "Ganada" in stages and "Closed won" not in stages
    assert current_language() == "en"


def test_speaking_is_for_this_thread_only() -> None:
    set_language("en")
    seen: list[str] = []
    with speaking("es"):
        worker = threading.Thread(target=lambda: seen.append(_("Accounts")))
        worker.start()
        worker.join()
        assert _("Accounts") == "Cuentas" and current_language() == "es"
    assert seen == ["Accounts"] and current_language() == "en"
    with pytest.raises(ValueError):
        speaking("fr").__enter__()


def test_an_ended_period_shows_accuracy(manager: Database) -> None:
    with manager.session() as session:
        document = review_document(session, OCTOBER, DEMO_DAY, "en")
    book = openpyxl.load_workbook(io.BytesIO(render_review(document, "xlsx")))
    header = [c.value for c in book["Team"][1]]
    accuracy = header.index("Accuracy") + 1
    expected = document.people[0].team[0].accuracy_pct
    assert expected is not None
    assert Decimal(str(book["Team"].cell(2, accuracy).value)) == expected / 100


# --- CSV ----------------------------------------------------------------------------------------


def test_the_spanish_csv_uses_semicolons_and_decimal_commas(manager: Database) -> None:
    with manager.session() as session:
        document = review_document(session, NOVEMBER, DEMO_DAY, "es")
    data = render_review(document, "csv")
    assert data.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    parsed = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    rows = review_rows(document)
    assert len(parsed) == len(rows)
    top = parsed[0]
    line = document.people[0].team[0]
    assert top["Fila"] == "Equipo" and top["Nivel"] == "0"
    assert top["Cerrado"] == f"{_euros(line.figures.closed):.2f}".replace(".", ",")
    assert Decimal(top["Cumplimiento"].replace(",", ".")) == line.attainment_pct
    assert "García" in text or "Fernández" in text  # accents survive


def test_the_english_csv_uses_commas_and_decimal_points(manager: Database) -> None:
    with manager.session() as session:
        document = review_document(session, NOVEMBER, DEMO_DAY, "en")
    text = render_review(document, "csv").decode("utf-8-sig")
    parsed = list(csv.DictReader(io.StringIO(text, newline="")))
    for row, expected in zip(parsed, review_rows(document), strict=True):
        assert row["Person"] == expected.person.name
        if expected.line is not None:
            assert Decimal(row["Commit"]) == _euros(expected.line.figures.commit)
            assert row["Currency"] == expected.line.currency


# --- PDF ----------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_spanish_pdf_is_one_landscape_page(manager: Database) -> None:
    with manager.session() as session:
        document = review_document(session, NOVEMBER, DEMO_DAY, "es")
    reader, text = _pdf_text(render_review(document, "pdf"))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # landscape
    assert "Revisión semanal de la previsión" in text
    assert "Noviembre 2026" in text and "25 de noviembre de 2026" in text
    assert "Página 1 de 1" in text
    for person in document.people:
        assert person.name in text
    line = document.people[0].team[0]
    closed = f"{round(_euros(line.figures.closed)):,}".replace(",", ".")
    assert f"{closed}\xa0€" in text or f"{closed} €" in text
    assert reader.metadata is not None and reader.metadata.title.startswith("Revisión semanal")
    fonts = {
        str(font["/BaseFont"])
        for font in reader.pages[0]["/Resources"]["/Font"].values()  # type: ignore[index]
    }
    assert all("DejaVuSans" in name for name in fonts)


def test_the_english_pdf(manager: Database) -> None:
    with manager.session() as session:
        document = review_document(session, OCTOBER, DEMO_DAY, "en")
    _reader, text = _pdf_text(render_review(document, "pdf"))
    assert "Weekly forecast review" in text and "Page 1 of 1" in text
    assert "October 2026" in text and "period ended" in text and "Accuracy" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_the_pdf_renders(manager: Database, tmp_path: Path) -> None:
    out = tmp_path / "review.pdf"
    with manager.session() as session:
        export_review(session, NOVEMBER, DEMO_DAY, "es", out)
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(out), str(tmp_path / "page")], check=True)
    (png,) = sorted(tmp_path.glob("page*.png"))
    image = Image.open(png).convert("RGB")
    assert image.size == (936, 662)  # A4 landscape at 80 dpi
    # the charts' palette is on the page (blue call, green closed)
    colours = {colour for _count, colour in image.getcolors(maxcolors=1 << 20) or []}
    assert any(abs(r - 0) < 30 and abs(g - 114) < 30 and abs(b - 178) < 30 for r, g, b in colours)


# --- determinism and bad input --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_the_same_review_gives_the_same_bytes(manager: Database, fmt: str) -> None:
    with manager.session() as session:
        first = render_review(review_document(session, NOVEMBER, DEMO_DAY, "es"), fmt)  # type: ignore[arg-type]
        again = render_review(review_document(session, NOVEMBER, DEMO_DAY, "es"), fmt)  # type: ignore[arg-type]
    assert first == again


def test_a_file_name_without_a_known_format_writes_nothing(
    manager: Database, tmp_path: Path
) -> None:
    out = tmp_path / "review.docx"
    with manager.session() as session, pytest.raises(DomainError) as raised:
        export_review(session, NOVEMBER, DEMO_DAY, "es", out)
    assert raised.value.code == "export_format"
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith("sfa.sqlite3")]
    assert export_format(Path("A.XLSX")) == "xlsx"


def test_a_folder_in_the_way_leaves_nothing_behind(manager: Database, tmp_path: Path) -> None:
    out = tmp_path / "review.pdf"
    out.mkdir()
    with manager.session() as session, pytest.raises(IsADirectoryError):
        export_review(session, NOVEMBER, DEMO_DAY, "es", out)
    left = [p.name for p in tmp_path.iterdir() if not p.name.startswith("sfa.sqlite3")]
    assert left == ["review.pdf"] and not any(out.iterdir())


def test_a_rep_exports_their_own_forecast(demo_file: Path, tmp_path: Path) -> None:
    for database in open_demo_copy(demo_file, tmp_path):
        with database.session() as session:
            document = review_document(session, NOVEMBER, DEMO_DAY, "es", team=False)
        assert len(document.people) == 1 and not document.people[0].is_manager
        assert [row.kind for row in review_rows(document)] == ["own"]
        _reader, text = _pdf_text(render_review(document, "pdf"))
        assert document.people[0].name in text
