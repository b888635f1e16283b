"""The look of the quote PDF: page geometry, colours, paragraph styles, locale formats."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, TableStyle

from sfa_desktop.domain.money import Money
from sfa_desktop.i18n.languages import FORMATTING_LOCALES
from sfa_desktop.services.exports.pdf_fonts import register_pdf_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 16 * mm
MARGIN_BOTTOM = 26 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X

INK = colors.HexColor("#1d232b")
MUTED_HEX = "#5f6b78"
MUTED = colors.HexColor(MUTED_HEX)
ACCENT = colors.HexColor("#1f4e79")
SHADE = colors.HexColor("#eaf0f6")
RULE = colors.HexColor("#c9d1da")
OPTIONAL_HEX = "#8a6d1c"
"""The "Opcional" tag before an optional line's description."""

# description, qty, unit price, discount, VAT, amount
LINE_COLUMNS = (78 * mm, 15 * mm, 26 * mm, 13 * mm, 13 * mm, 29 * mm)
TABLE_FONT_SIZE = 8.5


@dataclass(frozen=True, slots=True)
class QuoteStyles:
    """The paragraph styles of the document (all in the embedded DejaVu Sans)."""

    body: ParagraphStyle
    small: ParagraphStyle
    small_right: ParagraphStyle
    cell: ParagraphStyle
    cell_muted: ParagraphStyle
    cell_right: ParagraphStyle
    heading: ParagraphStyle
    company: ParagraphStyle
    title: ParagraphStyle
    label: ParagraphStyle


def quote_styles(regular: str, bold: str) -> QuoteStyles:
    """The styles, given the registered regular and bold font names."""
    base = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12, textColor=INK)
    small = ParagraphStyle("small", base, fontSize=7.5, leading=9.5, textColor=MUTED)
    cell = ParagraphStyle("cell", base, fontSize=TABLE_FONT_SIZE, leading=10.5)
    return QuoteStyles(
        body=base,
        small=small,
        small_right=ParagraphStyle("small_right", small, alignment=TA_RIGHT),
        cell=cell,
        cell_muted=ParagraphStyle("cell_muted", cell, textColor=MUTED),
        cell_right=ParagraphStyle("cell_right", cell, fontName=bold, alignment=TA_RIGHT),
        heading=ParagraphStyle(
            "heading", base, fontName=bold, fontSize=10, leading=13, textColor=ACCENT, spaceAfter=3
        ),
        company=ParagraphStyle("company", base, fontName=bold, fontSize=13, leading=16),
        title=ParagraphStyle(
            "title",
            base,
            fontName=bold,
            fontSize=20,
            leading=24,
            textColor=ACCENT,
            alignment=TA_RIGHT,
        ),
        label=ParagraphStyle(
            "label", small, fontName=bold, fontSize=7, leading=9, textColor=ACCENT
        ),
    )


class LocaleFormats:
    """Locale texts for one document: money, plain numbers, percentages, dates."""

    def __init__(self, language: str, currency: str) -> None:
        self.locale = FORMATTING_LOCALES[language]
        self.currency = currency

    def money(self, amount: Decimal) -> str:
        """An amount rounded to the currency: "1.234,50 €" (es) / "€1,234.50" (en)."""
        return Money(amount, self.currency).format(self.locale)

    def unit_price(self, amount: Decimal) -> str:
        """Like :meth:`money`, keeping decimals beyond the currency's (0,0125 €)."""
        return str(
            babel_numbers.format_currency(
                amount, self.currency, locale=self.locale, decimal_quantization=False
            )
        )

    def number(self, value: Decimal) -> str:
        """A quantity with the decimals it has: "2,5", "1.000"."""
        return str(
            babel_numbers.format_decimal(value, locale=self.locale, decimal_quantization=False)
        )

    def percent(self, value: Decimal) -> str:
        """Percentage points as a percentage: 21 → "21 %" (es) / "21%" (en)."""
        return str(
            babel_numbers.format_percent(
                value / 100, locale=self.locale, decimal_quantization=False
            )
        )

    def date(self, day: dt.date) -> str:
        """A long date: "25 de noviembre de 2026" / "25 November 2026"."""
        return str(babel_dates.format_date(day, format="long", locale=self.locale))


def table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A table style whose cells default to the embedded font, not reportlab's Helvetica."""
    regular, _bold = register_pdf_fonts()
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), regular), *commands])


def markup(value: str) -> str:
    """Plain text as paragraph markup (escaped, line breaks kept)."""
    return "<br/>".join(escape(part) for part in value.strip().splitlines())


def paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    blocks = [block for block in text.strip().split("\n\n") if block.strip()]
    return [Paragraph(markup(block), style) for block in blocks]
