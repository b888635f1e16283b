"""The weekly forecast review as a one-page PDF (A4 landscape, reportlab, DejaVu Sans embedded).

:func:`render_review_pdf` prints, in the document's language:

* a head: the title, whose team, the period and the day of the review;
* the team's figures at a glance (closed, commit, best case, quota, attainment, call) in the
  chart currency;
* the team table: :func:`~.forecast_review_document.review_rows` with the main figures, roll-up
  rows bold on a shade, names indented by depth. Beyond :data:`MAX_TABLE_ROWS` rows the
  deepest levels are left out (their managers' roll-up rows stay), with a line that says how
  many rows (the XLSX has them all); what is left is shrunk to its box if it must;
* the charts of :mod:`.forecast_charts`: the team's submitted call through the period against
  the quota, and attainment per person (the manager's direct reports), drawn by matplotlib
  as PNG at print resolution (no vector import path is in the lock);
* a footer with "Página 1 de 1".

Money follows the language ("12.345 €" / "€12,345", whole units in the table, which is a
review, not an invoice). The same document always gives the same bytes (reportlab's invariant
mode, the PDF dates from the document's day, charts without metadata).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from xml.sax.saxutils import escape

from babel import Locale
from babel import numbers as babel_numbers
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepInFrame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from sfa_desktop.domain.money import currency_precision
from sfa_desktop.i18n.languages import FORMATTING_LOCALES
from sfa_desktop.services.exports.forecast_charts import (
    attainment_rows,
    figure_bytes,
    team_attainment_figure,
    team_trend_figure,
)
from sfa_desktop.services.exports.forecast_review_columns import review_text
from sfa_desktop.services.exports.forecast_review_document import (
    ReviewDocument,
    ReviewRow,
    major,
    review_rows,
)
from sfa_desktop.services.exports.paged_canvas import PagedCanvas
from sfa_desktop.services.exports.pdf_fonts import register_pdf_fonts
from sfa_desktop.services.exports.quote_pdf_pages import pdf_date
from sfa_desktop.services.exports.quote_pdf_style import (
    ACCENT,
    INK,
    MUTED,
    MUTED_HEX,
    RULE,
    SHADE,
    LocaleFormats,
    table_style,
)

PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 12 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
FRAME_HEIGHT = PAGE_HEIGHT - 2 * MARGIN - 2 * mm
#: the table's most (it is shrunk to fit); the charts take what is left, between these two
TABLE_HEIGHT = 84 * mm
CHART_MIN_HEIGHT = 60 * mm
CHART_MAX_HEIGHT = 92 * mm
MAX_TABLE_ROWS = 16
CHART_DPI = 220


class _Formats:
    """Locale texts for the review: whole-unit money, percentages, dates."""

    def __init__(self, language: str) -> None:
        self.locale = FORMATTING_LOCALES[language]
        self._dates = LocaleFormats(language, "EUR")
        pattern = Locale.parse(self.locale).currency_formats["standard"].pattern
        self._pattern = pattern.replace(".00", "")

    def money(self, minor: int | Decimal | None, currency: str) -> str:
        if minor is None:
            return ""
        amount = major(minor, currency_precision(currency)).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
        return str(
            babel_numbers.format_currency(
                amount, currency, format=self._pattern, locale=self.locale, currency_digits=False
            )
        )

    def percent(self, value: Decimal | None) -> str:
        return "" if value is None else self._dates.percent(value)

    def date(self, day: Any) -> str:
        return self._dates.date(day)


def _styles(regular: str, bold: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=regular, fontSize=8, leading=10, textColor=INK)
    return {
        "body": base,
        "title": ParagraphStyle(
            "title", base, fontName=bold, fontSize=16, leading=19, textColor=ACCENT
        ),
        "meta": ParagraphStyle("meta", base, fontSize=9, leading=12, textColor=MUTED),
        "meta_right": ParagraphStyle(
            "meta_right", base, fontSize=9, leading=12, textColor=MUTED, alignment=TA_RIGHT
        ),
        "kpi_label": ParagraphStyle("kpi_label", base, fontSize=7, leading=9, textColor=MUTED),
        "kpi": ParagraphStyle("kpi", base, fontName=bold, fontSize=12, leading=15),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9),
        "cell_bold": ParagraphStyle("cell_bold", base, fontName=bold, fontSize=7.5, leading=9),
        "note": ParagraphStyle("note", base, fontSize=7, leading=9, textColor=MUTED),
    }


# --- the head ---------------------------------------------------------------------------------


def _period_name(document: ReviewDocument) -> str:
    t = review_text(document.language)
    period = document.period
    if period.kind == "month":
        from babel import dates as babel_dates

        name = str(
            babel_dates.format_date(
                period.start, "LLLL y", locale=FORMATTING_LOCALES[document.language]
            )
        )
        return name[:1].upper() + name[1:]
    return t.pgettext("forecast review", "Q{number} {year}").format(
        number=period.number, year=period.year
    )


def _head(document: ReviewDocument, fmt: _Formats, st: dict[str, ParagraphStyle]) -> Table:
    t = review_text(document.language)
    left = [
        Paragraph(escape(t.pgettext("forecast review", "Weekly forecast review")), st["title"]),
        Paragraph(
            escape(
                t.pgettext("forecast review", "Team of {name}").format(name=document.title_name)
            ),
            st["meta"],
        ),
    ]
    ended = (
        t.pgettext("forecast review", "period ended")
        if document.ended
        else t.pgettext("forecast review", "period open")
    )
    right = [
        Paragraph(f"<b>{escape(_period_name(document))}</b> · {escape(ended)}", st["meta_right"]),
        Paragraph(escape(fmt.date(document.today)), st["meta_right"]),
    ]
    return Table(
        [[left, right]],
        colWidths=(CONTENT_WIDTH * 0.6, CONTENT_WIDTH * 0.4),
        style=table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 1.2, ACCENT),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        ),
    )


def _kpis(document: ReviewDocument, fmt: _Formats, st: dict[str, ParagraphStyle]) -> Flowable:
    t = review_text(document.language)
    currency = document.currency
    top = document.people[0].team if document.people else ()
    line = next((item for item in top if item.currency == currency), None)
    if line is None or currency is None:
        return Spacer(1, 1)
    figures = line.figures
    items = [
        (t.pgettext("forecast review", "Closed"), fmt.money(figures.closed, currency)),
        (t.pgettext("forecast review", "Commit"), fmt.money(figures.commit, currency)),
        (t.pgettext("forecast review", "Best case"), fmt.money(figures.best_case, currency)),
        (t.pgettext("forecast review", "Quota"), fmt.money(line.quota, currency) or "—"),
        (t.pgettext("forecast review", "Attainment"), fmt.percent(line.attainment_pct) or "—"),
        (t.pgettext("forecast review", "Call"), fmt.money(line.call, currency) or "—"),
    ]
    if document.ended:
        items.append(
            (t.pgettext("forecast review", "Accuracy"), fmt.percent(line.accuracy_pct) or "—")
        )
    cells = [
        [Paragraph(escape(label), st["kpi_label"]), Paragraph(escape(value), st["kpi"])]
        for label, value in items
    ]
    width = CONTENT_WIDTH / len(items)
    return Table(
        [cells],
        colWidths=[width] * len(items),
        style=table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
            ]
        ),
    )


# --- the table --------------------------------------------------------------------------------


def _columns(document: ReviewDocument) -> list[tuple[str, int]]:
    """(header, width in mm) of the printed table; the name column takes the rest."""
    t = review_text(document.language)
    money = 22 if document.ended else 24  # room for the accuracy column
    columns = [
        (t.pgettext("forecast review", "Closed"), money),
        (t.pgettext("forecast review", "Commit"), money),
        (t.pgettext("forecast review", "Best case"), money),
        (t.pgettext("forecast review", "Pipeline"), money),
        (t.pgettext("forecast review", "Quota"), money),
        (t.pgettext("forecast review", "Attainment"), 24),
        (t.pgettext("forecast review", "Gap to quota"), 25),
        (t.pgettext("forecast review", "Call"), money),
    ]
    if document.ended:
        columns.append((t.pgettext("forecast review", "Accuracy"), 21))
    columns.append((t.pgettext("forecast review", "Submitted"), 21))
    return columns


def _name(row: ReviewRow, document: ReviewDocument) -> str:
    t = review_text(document.language)
    name = row.person.name
    if row.is_team:
        return t.pgettext("forecast review", "{name} (team)").format(name=name)
    if row.person.is_manager:
        return t.pgettext("forecast review", "{name} (own deals)").format(name=name)
    return name


def _submitted(row: ReviewRow, document: ReviewDocument) -> str:
    if row.is_team:
        return f"{row.person.submitted}/{row.person.members}"
    if row.latest is None:
        return "—"
    local = row.latest.submitted_at.astimezone(document.zone).date()
    from babel import dates as babel_dates

    return str(
        babel_dates.format_date(local, "d MMM", locale=FORMATTING_LOCALES[document.language])
    )


def _cells(row: ReviewRow, document: ReviewDocument, fmt: _Formats) -> list[str]:
    line = row.line
    blanks = len(_columns(document)) - 1
    if line is None:
        return [""] * blanks + [_submitted(row, document)]
    c, f = line.currency, line.figures
    cells = [
        fmt.money(f.closed, c),
        fmt.money(f.commit, c),
        fmt.money(f.best_case, c),
        fmt.money(f.pipeline, c),
        fmt.money(line.quota, c),
        fmt.percent(line.attainment_pct),
        fmt.money(line.gap, c),
        fmt.money(line.call, c),
    ]
    if document.ended:
        cells.append(fmt.percent(line.accuracy_pct))
    return [*cells, _submitted(row, document)]


def _fitting(rows: list[ReviewRow]) -> list[ReviewRow]:
    """At most :data:`MAX_TABLE_ROWS` rows: the whole tree when it fits, else its top levels
    (a manager of managers sees their managers' roll-ups), cut at the end if even the first
    level does not fit."""
    deepest = max((row.level for row in rows), default=0)
    for level in range(deepest, 0, -1):
        kept = [row for row in rows if row.level <= level]
        if len(kept) <= MAX_TABLE_ROWS:
            return kept
    return [row for row in rows if row.level <= 1][:MAX_TABLE_ROWS]


def _table(
    document: ReviewDocument, fmt: _Formats, st: dict[str, ParagraphStyle]
) -> list[Flowable]:
    t = review_text(document.language)
    columns = _columns(document)
    rows = review_rows(document)
    shown = _fitting(rows)
    left_out = len(rows) - len(shown)
    widths = [w * mm for _h, w in columns]
    name_width = CONTENT_WIDTH - sum(widths)
    header = [t.pgettext("forecast review", "Person"), *(h for h, _w in columns)]
    data: list[list[Any]] = [[Paragraph(escape(h), st["cell_bold"]) for h in header]]
    commands: list[tuple[Any, ...]] = [
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
    ]
    for index, row in enumerate(shown, start=1):
        style = st["cell_bold"] if row.is_team else st["cell"]
        indent = ParagraphStyle(f"indent{row.level}", style, leftIndent=row.level * 9)
        data.append([Paragraph(escape(_name(row, document)), indent), *_cells(row, document, fmt)])
        if row.is_team:
            commands += [
                ("BACKGROUND", (0, index), (-1, index), SHADE),
                ("FONTNAME", (1, index), (-1, index), register_pdf_fonts()[1]),
            ]
    header_style = ParagraphStyle(
        "head", st["cell_bold"], fontSize=7, leading=8.5, textColor=colors.white, alignment=TA_RIGHT
    )
    data[0] = [data[0][0], *(Paragraph(escape(h), header_style) for h, _w in columns)]
    data[0][0] = Paragraph(escape(header[0]), ParagraphStyle("head0", header_style, alignment=0))
    table = Table(data, colWidths=[name_width, *widths], repeatRows=1, style=table_style(commands))
    story: list[Flowable] = [table]
    if left_out:
        note = t.pgettext("forecast review", "{count} more rows are in the XLSX export.").format(
            count=left_out
        )
        story += [Spacer(1, 1 * mm), Paragraph(escape(note), st["note"])]
    return [KeepInFrame(CONTENT_WIDTH, TABLE_HEIGHT, story, mode="shrink", hAlign="LEFT")]


# --- the charts -------------------------------------------------------------------------------


def _chart_image(png: bytes, width: float, height: float) -> Image:
    return Image(io.BytesIO(png), width=width, height=height)


def _charts(document: ReviewDocument, height: float) -> Table:
    currency = document.currency or "EUR"
    width = (CONTENT_WIDTH - 6 * mm) / 2
    size = (width / 72, height / 72)  # points → inches
    top = document.people[0].team if document.people else ()
    line = next((item for item in top if item.currency == currency), None)
    trend = [
        (point.day, point.call[currency]) for point in document.trend if currency in point.call
    ]
    common: dict[str, Any] = {
        "period": document.period,
        "currency": currency,
        "language": document.language,
        "size": size,
    }
    trend_figure = team_trend_figure(
        trend,
        quota=line.quota if line else None,
        closed=line.figures.closed if line else None,
        today=document.today,
        **common,
    )
    bars_figure = team_attainment_figure(
        attainment_rows(document.people, currency, depth=1), **common
    )
    images = [
        _chart_image(figure_bytes(figure, "png", dpi=CHART_DPI), width, height)
        for figure in (trend_figure, bars_figure)
    ]
    return Table(
        [images],
        colWidths=(width + 3 * mm, width + 3 * mm),
        style=table_style(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        ),
    )


# --- the document ----------------------------------------------------------------------------------


def _footer(
    document: ReviewDocument, regular: str, bold: str
) -> Callable[[Canvas, int, int], None]:
    t = review_text(document.language)

    def decorate(canvas: Canvas, page: int, pages: int) -> None:
        y = MARGIN - 4 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y + 3.5 * mm, PAGE_WIDTH - MARGIN, y + 3.5 * mm)
        canvas.setFont(regular, 7)
        canvas.setFillColor(colors.HexColor(MUTED_HEX))
        note = t.pgettext(
            "forecast review", "Figures as of {date}; amounts per currency, never converted."
        )
        canvas.drawString(
            MARGIN, y, note.format(date=_Formats(document.language).date(document.today))
        )
        canvas.setFont(bold, 7.5)
        canvas.setFillColor(INK)
        text = t.pgettext("forecast review", "Page {page} of {pages}").format(
            page=page, pages=pages
        )
        canvas.drawRightString(PAGE_WIDTH - MARGIN, y, text)

    return decorate


def _story(document: ReviewDocument) -> list[Flowable]:
    """The page top down; the charts get the height the rest leaves (a small team's review
    has bigger charts), never less than :data:`CHART_MIN_HEIGHT`: the page stays one."""
    regular, bold = register_pdf_fonts()
    fmt = _Formats(document.language)
    st = _styles(regular, bold)
    above = [
        _head(document, fmt, st),
        _kpis(document, fmt, st),
        Spacer(1, 3 * mm),
        *_table(document, fmt, st),
        Spacer(1, 4 * mm),
    ]
    measure = Canvas(io.BytesIO())  # only to measure with; never saved
    used = sum(
        flowable.wrapOn(measure, CONTENT_WIDTH, FRAME_HEIGHT)[1]
        + flowable.getSpaceBefore()
        + flowable.getSpaceAfter()
        for flowable in above
    )
    room = FRAME_HEIGHT - used - 2 * mm
    return [*above, _charts(document, max(CHART_MIN_HEIGHT, min(CHART_MAX_HEIGHT, room)))]


def render_review_pdf(document: ReviewDocument) -> bytes:
    """The review as one landscape A4 page of PDF bytes, identical for an identical document."""
    regular, bold = register_pdf_fonts()
    t = review_text(document.language)
    stamp = pdf_date(document.today)

    def make_canvas(*args: Any, **kwargs: Any) -> PagedCanvas:
        canvas = PagedCanvas(*args, decorate=_footer(document, regular, bold), **kwargs)
        canvas.setDateFormatter(lambda *_: stamp)
        return canvas

    buffer = io.BytesIO()
    frame = Frame(
        MARGIN,
        MARGIN + 2 * mm,
        CONTENT_WIDTH,
        FRAME_HEIGHT,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="content",
    )
    template = BaseDocTemplate(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageTemplates=[PageTemplate(id="review", frames=[frame])],
        title=t.pgettext("forecast review", "Weekly forecast review") + f" {document.period}",
        author=document.title_name,
        subject=t.pgettext("forecast review", "Team of {name}").format(name=document.title_name),
        creator="SFA Desktop",
        producer="SFA Desktop (ReportLab)",
        lang=document.language,
        invariant=1,
        initialFontName=regular,
        initialFontSize=8,
    )
    template.build(_story(document), canvasmaker=make_canvas)
    return buffer.getvalue()
