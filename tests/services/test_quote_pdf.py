"""The quote PDF, read back with pypdf (and rasterized with poppler when it is installed)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from pypdf import PdfReader
from quote_samples import ISSUE_DATE, sample_document

from sfa_desktop.i18n.languages import FORMATTING_LOCALES
from sfa_desktop.services.exports.quote_document import DocumentLine, QuoteDocument
from sfa_desktop.services.exports.quote_pdf import render_quote_pdf
from sync_server.protocol.quote_totals import quote_totals

ROOT = Path(__file__).resolve().parents[2]
THREE_PAGES = 50  # rows of the sample that fill three A4 pages


def money(amount: str, currency: str, language: str) -> str:
    """The same babel call as tests/ui/locale_text.py: "1.234,50 €" / "€1,234.50"."""
    text = babel_numbers.format_currency(
        Decimal(amount), currency, locale=FORMATTING_LOCALES[language]
    )
    return plain(str(text))


def long_date(day: dt.date, language: str) -> str:
    return str(babel_dates.format_date(day, format="long", locale=FORMATTING_LOCALES[language]))


def plain(text: str) -> str:
    """Whitespace runs as one space: babel puts a no-break space before "€", and pypdf gives
    table cells and wrapped lines on lines of their own."""
    return " ".join(text.split())


def pages_text(pdf: bytes) -> list[str]:
    return [plain(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def spanish_pdf() -> bytes:
    return render_quote_pdf(sample_document(THREE_PAGES))


@pytest.fixture(scope="module")
def spanish_pages(spanish_pdf: bytes) -> list[str]:
    return pages_text(spanish_pdf)


def test_a_spanish_quote_reads_back_with_locale_money_dates_and_accents(
    spanish_pages: list[str],
) -> None:
    first = spanish_pages[0]
    assert len(spanish_pages) == 3
    assert "PRESUPUESTO" in first
    assert "Q-MNU-2026-0042" in first
    assert "Suministros Hosteleros Peñalara, S.L." in first
    assert "Restaurante La Cañada de Begoña, S.A." in first
    assert "María José Núñez Ibáñez" in first
    assert "29007 Málaga" in first
    assert money("1234.50", "EUR", "es") == "1.234,50 €"
    assert "1.234,50 €" in first  # the first line: 1 × 1.234,50 €
    assert long_date(ISSUE_DATE, "es") in first  # 25 de noviembre de 2026
    for number, text in enumerate(spanish_pages, start=1):
        assert f"Página {number} de 3" in text


def test_the_printed_totals_are_the_totals_rule(spanish_pages: list[str]) -> None:
    document = sample_document(THREE_PAGES)
    totals = quote_totals(document.lines, "EUR")
    everything = " ".join(spanish_pages)
    assert "Base imponible" in everything and "Cuota de IVA" in everything
    assert f"TOTAL {money(str(totals.total), 'EUR', 'es')}" in everything
    for rate in totals.rates:
        assert money(str(rate.base), "EUR", "es") in everything
        assert money(str(rate.tax), "EUR", "es") in everything
    for section in totals.sections:
        title = document.lines[section.heading_index].description
        assert f"Subtotal {title} {money(str(section.subtotal), 'EUR', 'es')}" in everything
    optional = money(str(totals.optional_subtotal), "EUR", "es")
    assert f"Las líneas opcionales ({optional} sin IVA)" in everything
    assert "Opcional" in everything


def test_the_lines_header_repeats_on_every_page(spanish_pages: list[str]) -> None:
    header = "Descripción Cant. Precio unit. Dto. IVA Importe"
    for text in spanish_pages[:2]:
        assert header in text
    # later pages also carry the quote's number at the top
    assert "Presupuesto Q-MNU-2026-0042 · revisión 2" in spanish_pages[1]


def test_terms_validity_and_acceptance_box(spanish_pages: list[str]) -> None:
    everything = " ".join(spanish_pages)
    valid_until = long_date(ISSUE_DATE + dt.timedelta(days=30), "es")
    assert f"Este presupuesto es válido hasta el {valid_until}." in everything
    assert "Condiciones" in everything and "Garantía de dos años" in everything
    for label in ("Aceptación del cliente", "Nombre y cargo", "Firma", "Sello de la empresa"):
        assert label in everything
    assert "IBAN ES91 2100 0418 4502 0005 1332" in spanish_pages[-1]


def test_the_fonts_are_dejavu_embedded(spanish_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(spanish_pdf))
    for page in reader.pages:
        fonts = [font.get_object() for font in page["/Resources"]["/Font"].values()]
        names = sorted(str(font["/BaseFont"]).split("+")[-1] for font in fonts)
        assert names == ["DejaVuSans", "DejaVuSans-Bold"]
        for font in fonts:
            assert "/FontFile2" in font["/FontDescriptor"]  # the TrueType program is in the file


def test_the_same_quote_gives_the_same_bytes(spanish_pdf: bytes) -> None:
    again = render_quote_pdf(sample_document(THREE_PAGES))
    assert hashlib.sha256(again).hexdigest() == hashlib.sha256(spanish_pdf).hexdigest()
    # and in a fresh process, whose fonts are registered anew
    script = (
        "import hashlib, sys; sys.path.insert(0, 'tests/services');"
        "from quote_samples import sample_document;"
        "from sfa_desktop.services.exports.quote_pdf import render_quote_pdf;"
        f"print(hashlib.sha256(render_quote_pdf(sample_document({THREE_PAGES}))).hexdigest())"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert fresh.stdout.strip() == hashlib.sha256(spanish_pdf).hexdigest()


def test_the_pdf_dates_come_from_the_issue_date(spanish_pdf: bytes) -> None:
    info = PdfReader(io.BytesIO(spanish_pdf)).metadata
    assert info is not None
    assert info["/CreationDate"] == info["/ModDate"] == "D:20261125000000+00'00'"
    assert info["/Title"] == "Presupuesto Q-MNU-2026-0042"


def test_a_change_in_the_quote_changes_the_bytes(spanish_pdf: bytes) -> None:
    changed = dataclasses.replace(sample_document(THREE_PAGES), revision=3)
    assert render_quote_pdf(changed) != spanish_pdf


def test_the_draft_watermark_shows_until_approved(spanish_pages: list[str]) -> None:
    assert all("BORRADOR" in text for text in spanish_pages)
    for status in ("approved", "sent", "accepted"):
        pages = pages_text(render_quote_pdf(sample_document(8, status=status)))
        assert not any("BORRADOR" in text for text in pages), status
    pending = pages_text(render_quote_pdf(sample_document(8, status="pending_approval")))
    assert "BORRADOR" in pending[0]


def test_an_english_quote() -> None:
    pages = pages_text(render_quote_pdf(sample_document(THREE_PAGES, language="en")))
    assert len(pages) == 3
    assert "QUOTE" in pages[0]
    assert money("1234.50", "EUR", "en") == "€1,234.50"
    assert "€1,234.50" in pages[0]
    assert long_date(ISSUE_DATE, "en") in pages[0]  # 25 November 2026
    assert "Page 2 of 3" in pages[1]
    assert "Description Qty Unit price Disc. VAT Amount" in pages[1]
    assert "DRAFT" in pages[0]
    everything = " ".join(pages)
    assert "Taxable base" in everything and "Customer acceptance" in everything


def test_zero_and_three_decimal_currencies() -> None:
    lines = (DocumentLine("Consultoría", quantity=Decimal(3), unit_price=Decimal("1234.5")),)
    for currency, amount in (("JPY", "3704"), ("KWD", "3703.500")):
        document = dataclasses.replace(
            sample_document(1, status="approved"), currency=currency, lines=lines
        )
        text = " ".join(pages_text(render_quote_pdf(document)))
        assert money(amount, currency, "es") in text


def test_markup_in_texts_is_printed_as_typed_and_a_quote_may_be_empty() -> None:
    document: QuoteDocument = dataclasses.replace(
        sample_document(1, logo=False),
        note="Precio <b>cerrado</b> & sin sorpresas",
        lines=(DocumentLine("Caja <x> & tapa", unit_price=Decimal(10)),),
    )
    text = " ".join(pages_text(render_quote_pdf(document)))
    assert "Precio <b>cerrado</b> & sin sorpresas" in text
    assert "Caja <x> & tapa" in text
    empty = dataclasses.replace(document, lines=(), terms="", valid_until=None)
    assert "TOTAL 0,00 €" in " ".join(pages_text(render_quote_pdf(empty)))


def test_a_line_taller_than_the_rest_of_the_page_splits_instead_of_leaving_a_blank_page() -> None:
    description = "Descripción larga, con ñ y €. " * 66  # the longest a line may hold
    document = dataclasses.replace(
        sample_document(1), lines=(DocumentLine(description[:2000], unit_price=Decimal(1)),)
    )
    pages = pages_text(render_quote_pdf(document))
    assert "Descripción Cant. Precio unit. Dto. IVA Importe Descripción larga" in pages[0]
    assert pages[1].count("Descripción larga") > 5


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_poppler_renders_every_page(spanish_pdf: bytes, tmp_path: Path) -> None:
    source = tmp_path / "quote.pdf"
    source.write_bytes(spanish_pdf)
    completed = subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(source), str(tmp_path / "page")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""  # no syntax warnings from poppler
    assert len(list(tmp_path.glob("page-*.png"))) == 3
