"""What every page of a quote PDF carries: watermark, running head, footer, "Página X de Y"."""

from __future__ import annotations

import datetime as dt

from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from sfa_desktop.services.exports.paged_canvas import PageDecorator
from sfa_desktop.services.exports.quote_document import QuoteDocument
from sfa_desktop.services.exports.quote_labels import QuoteLabels
from sfa_desktop.services.exports.quote_pdf_style import (
    ACCENT,
    CONTENT_WIDTH,
    INK,
    MARGIN_BOTTOM,
    MARGIN_X,
    MUTED,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
)

WATERMARK_SIZE = 96
FOOTER_SIZE = 7


def page_furniture(
    doc: QuoteDocument, words: QuoteLabels, regular: str, bold: str
) -> PageDecorator:
    """Draws, over each page: the watermark while a draft, the quote's number from page 2 on,
    and the footer (company footer in up to two lines, the bank line, "Página X de Y")."""
    head = doc.letterhead
    width = CONTENT_WIDTH - 36 * mm  # leaves room for the page number
    footer_lines = (
        _wrapped(head.footer, regular, width)[:2] + _wrapped(head.bank_line, regular, width)[:1]
    )
    continued = words.continued.format(number=doc.number, revision=doc.revision)

    def decorate(canvas: Canvas, page: int, pages: int) -> None:
        if doc.is_draft:
            canvas.saveState()
            canvas.setFillColor(ACCENT)
            canvas.setFillAlpha(0.09)
            canvas.setFont(bold, WATERMARK_SIZE)
            canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
            canvas.rotate(52)
            canvas.drawCentredString(
                0, -WATERMARK_SIZE * 0.36, words.draft
            )  # centred on its x-height
            canvas.restoreState()
        if page > 1:
            canvas.setFont(regular, 7.5)
            canvas.setFillColor(MUTED)
            top = PAGE_HEIGHT - 10 * mm
            canvas.drawString(MARGIN_X, top, head.company_name)
            canvas.drawRightString(PAGE_WIDTH - MARGIN_X, top, continued)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        rule_y = MARGIN_BOTTOM - 8 * mm
        canvas.line(MARGIN_X, rule_y, PAGE_WIDTH - MARGIN_X, rule_y)
        canvas.setFillColor(MUTED)
        canvas.setFont(regular, FOOTER_SIZE)
        y = rule_y - 3.5 * mm
        for line in footer_lines:
            canvas.drawString(MARGIN_X, y, line)
            y -= 3 * mm
        canvas.setFont(bold, 7.5)
        canvas.setFillColor(INK)
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN_X, rule_y - 3.5 * mm, words.page.format(page=page, pages=pages)
        )

    return decorate


def _wrapped(text: str, font: str, width: float) -> list[str]:
    lines: list[str] = []
    for paragraph in text.strip().splitlines():
        lines += simpleSplit(paragraph, font, FOOTER_SIZE, width)
    return lines


def pdf_date(day: dt.date) -> str:
    """A PDF date string (``D:20261125000000+00'00'``) for the document's info dates."""
    return f"D:{day:%Y%m%d}000000+00'00'"
