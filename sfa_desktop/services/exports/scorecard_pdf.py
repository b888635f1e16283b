"""The CRM scorecard as a PDF (A4 landscape, reportlab, DejaVu Sans embedded), in Spanish or
English: a head (title, period against the compared one, currency), the four perspectives as
tables of indicators (value, compared value, change), the sales by tier and by zone (largest
ten zones), the two charts of :mod:`.scorecard_charts`, and a footer "Página 1 de 2".

The same scorecard gives the same bytes (reportlab's invariant mode, the PDF's dates from the
document's day, charts without metadata).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from sfa_desktop.domain.scorecard import PERSPECTIVES, Scorecard
from sfa_desktop.i18n import _
from sfa_desktop.i18n.translator import speaking
from sfa_desktop.services.exports.files import write_atomically
from sfa_desktop.services.exports.forecast_charts import figure_bytes
from sfa_desktop.services.exports.paged_canvas import PagedCanvas
from sfa_desktop.services.exports.pdf_fonts import register_pdf_fonts
from sfa_desktop.services.exports.quote_pdf_pages import pdf_date
from sfa_desktop.services.exports.quote_pdf_style import INK, MUTED_HEX, RULE, SHADE, table_style
from sfa_desktop.services.exports.scorecard_charts import (
    family_sales_figure,
    retention_trend_figure,
)
from sfa_desktop.services.scorecard_text import (
    COMPARE_LABELS,
    DIMENSION_LABELS,
    KPI_LABELS,
    PERSPECTIVE_LABELS,
    arrow,
    breakdown_key_text,
    change_text,
    label,
    money_text,
    percent_text,
    period_text,
    value_text,
)

__all__ = ["render_scorecard_pdf", "write_scorecard_pdf"]

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 12 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
MAX_ZONES = 10


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=15, leading=18, textColor=INK),
        "sub": ParagraphStyle(
            "sub", fontName=regular, fontSize=8.5, leading=11, textColor=colors.HexColor(MUTED_HEX)
        ),
        "h": ParagraphStyle("h", fontName=bold, fontSize=10, leading=13, spaceBefore=4),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=7.5, leading=9),
    }


def _grid(rows: list[list[Any]], widths: list[float], *, total: bool = False) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("FONTSIZE", (0, 0), (-1, 0), 6.8),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (1, 0), (-1, -1), 2),
        ("FONTNAME", (0, 0), (-1, 0), register_pdf_fonts()[1]),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    if total:
        commands += [
            ("FONTNAME", (0, -1), (-1, -1), register_pdf_fonts()[1]),
            ("LINEABOVE", (0, -1), (-1, -1), 0.5, RULE),
        ]
    table.setStyle(table_style(commands))
    return table


def _perspectives(card: Scorecard) -> Table:
    half = (CONTENT_WIDTH - 6 * mm) / 2
    widths = [half * 0.46, half * 0.18, half * 0.18, half * 0.18]
    cells = []
    for perspective in PERSPECTIVES:
        rows = [
            [
                label(PERSPECTIVE_LABELS, perspective),
                period_text(card.period),
                period_text(card.compared_period),
                _("Change"),
            ]
        ]
        for kpi in card.perspective(perspective):
            compared = (
                value_text(kpi, card.currency, kpi.compared) if kpi.compared is not None else ""
            )
            rows.append(
                [
                    label(KPI_LABELS, kpi.key),
                    value_text(kpi, card.currency),
                    compared,
                    f"{arrow(kpi)} {change_text(kpi, card.currency)}".strip(),
                ]
            )
        cells.append(_grid(rows, widths))
    outer = Table(
        [[cells[0], cells[1]], [cells[2], cells[3]]], colWidths=[half + 3 * mm, half + 3 * mm]
    )
    outer.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return outer


def _breakdown(card: Scorecard, dimension: str, width: float, limit: int | None = None) -> Table:
    rows = list(card.breakdowns[dimension])
    total = sum((r.sales for r in rows), start=0)
    compared_total = sum((r.compared_sales for r in rows), start=0)
    shown = rows[:limit] if limit else rows
    body = [
        [
            label(DIMENSION_LABELS, dimension),
            period_text(card.period),
            period_text(card.compared_period),
            _("Growth"),
            _("Share"),
        ]
    ]
    name_style = ParagraphStyle("name", fontName=register_pdf_fonts()[0], fontSize=7.5, leading=9)
    for r in shown:
        body.append(
            [
                Paragraph(escape(breakdown_key_text(dimension, r.key)), name_style),
                money_text(r.sales, card.currency),
                money_text(r.compared_sales, card.currency),
                percent_text(r.growth),
                percent_text(r.sales / total if total else None),
            ]
        )
    if limit and len(rows) > limit:
        rest = rows[limit:]
        body.append(
            [
                _("Other ({count})").format(count=len(rest)),
                money_text(sum((r.sales for r in rest), start=0), card.currency),
                money_text(sum((r.compared_sales for r in rest), start=0), card.currency),
                "",
                "",
            ]
        )
    body.append(
        [
            _("Total"),
            money_text(total, card.currency),
            money_text(compared_total, card.currency),
            "",
            "",
        ]
    )
    return _grid(
        body, [width * 0.26, width * 0.2, width * 0.2, width * 0.2, width * 0.14], total=True
    )


def _story(card: Scorecard, today: dt.date) -> list[Flowable]:
    regular, bold = register_pdf_fonts()
    st = _styles(regular, bold)
    head = _("CRM scorecard {period}").format(period=period_text(card.period))
    sub = _("{period} ({start} – {end}) against {compared} ({how}); amounts in {currency}").format(
        period=period_text(card.period),
        start=card.period.start.isoformat(),
        end=card.period.end.isoformat(),
        compared=period_text(card.compared_period),
        how=label(COMPARE_LABELS, card.compare).lower(),
        currency=card.currency,
    )
    third = (CONTENT_WIDTH - 8 * mm) / 3
    charts = Table(
        [
            [
                Image(
                    io.BytesIO(figure_bytes(family_sales_figure(card, (5.2, 3.0)))),
                    width=1.5 * third,
                    height=1.5 * third * 3.0 / 5.2,
                ),
                Image(
                    io.BytesIO(figure_bytes(retention_trend_figure(card, (5.2, 3.0)))),
                    width=1.5 * third,
                    height=1.5 * third * 3.0 / 5.2,
                ),
            ]
        ],
        colWidths=[CONTENT_WIDTH / 2, CONTENT_WIDTH / 2],
    )
    lower = Table(
        [
            [
                _breakdown(card, "tier", third),
                _breakdown(card, "channel", third),
                _breakdown(card, "zone", third, MAX_ZONES),
            ]
        ],
        colWidths=[third + 4 * mm] * 3,
    )
    lower.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [
        Paragraph(escape(head), st["title"]),
        Paragraph(escape(sub), st["sub"]),
        Spacer(1, 3 * mm),
        _perspectives(card),
        Spacer(1, 4 * mm),
        lower,
        PageBreak(),
        Paragraph(escape(_("Sales by product family and retention")), st["h"]),
        _breakdown(card, "family", CONTENT_WIDTH / 2),
        Spacer(1, 3 * mm),
        charts,
    ]


def _footer(today: dt.date, regular: str, bold: str) -> Callable[[Canvas, int, int], None]:
    note = _("Figures as of {date}; amounts in the company's currency.")
    page_text = _("Page {page} of {pages}")

    def decorate(canvas: Canvas, page: int, pages: int) -> None:
        y = MARGIN - 4 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y + 3.5 * mm, PAGE_WIDTH - MARGIN, y + 3.5 * mm)
        canvas.setFont(regular, 7)
        canvas.setFillColor(colors.HexColor(MUTED_HEX))
        canvas.drawString(MARGIN, y, note.format(date=today.isoformat()))
        canvas.setFont(bold, 7.5)
        canvas.setFillColor(INK)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, y, page_text.format(page=page, pages=pages))

    return decorate


def render_scorecard_pdf(card: Scorecard, language: str, *, today: dt.date) -> bytes:
    """The scorecard as PDF bytes in ``language`` ("es" or "en"), identical for identical
    input."""
    regular, bold = register_pdf_fonts()
    stamp = pdf_date(today)
    with speaking(language):
        decorate = _footer(today, regular, bold)

        def make_canvas(*args: Any, **kwargs: Any) -> PagedCanvas:
            canvas = PagedCanvas(*args, decorate=decorate, **kwargs)
            canvas.setDateFormatter(lambda *_: stamp)
            return canvas

        buffer = io.BytesIO()
        frame = Frame(
            MARGIN,
            MARGIN + 2 * mm,
            CONTENT_WIDTH,
            PAGE_HEIGHT - 2 * MARGIN - 2 * mm,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="content",
        )
        template = BaseDocTemplate(
            buffer,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            pageTemplates=[PageTemplate(id="scorecard", frames=[frame])],
            title=_("CRM scorecard {period}").format(period=period_text(card.period)),
            creator="SFA Desktop",
            producer="SFA Desktop (ReportLab)",
            lang=language,
            invariant=1,
            initialFontName=regular,
            initialFontSize=8,
        )
        template.build(_story(card, today), canvasmaker=make_canvas)
    return buffer.getvalue()


def write_scorecard_pdf(card: Scorecard, path: Path, language: str, *, today: dt.date) -> int:
    """Write the PDF whole (or nothing); returns its size in bytes."""
    data = render_scorecard_pdf(card, language, today=today)
    write_atomically(path, data)
    return len(data)
