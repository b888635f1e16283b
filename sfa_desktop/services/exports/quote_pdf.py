"""A quote as a PDF to send to the customer (A4, reportlab, DejaVu Sans embedded).

:func:`render_quote_pdf` turns a :class:`~sfa_desktop.services.exports.quote_document.QuoteDocument`
into bytes:

* letterhead (logo, company, tax id, address) and the quote's number, revision and dates;
  the customer block; the note to the customer;
* the lines table, its header row repeated on every page: section headings with their
  subtotals, free-text lines, optional lines marked and left out of the total;
* the tax summary per rate (base imponible, cuota) and the totals, from the one totals rule
  (:func:`sync_server.protocol.quote_totals.quote_totals`);
* terms, validity and an acceptance box (name, signature, date, stamp);
* on every page the company footer, bank line and "Página X de Y"; a "BORRADOR"/"DRAFT"
  watermark until the quote is approved.

Money and dates follow the document's language (``1.234,50 €`` and "25 de noviembre de 2026"
in Spanish). The same document always gives the same bytes: reportlab's invariant mode, the
PDF's dates taken from the issue date, no random ids.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from sfa_desktop.services.exports.paged_canvas import PagedCanvas
from sfa_desktop.services.exports.pdf_fonts import register_pdf_fonts
from sfa_desktop.services.exports.quote_document import DocumentLine, QuoteDocument
from sfa_desktop.services.exports.quote_labels import QuoteLabels, quote_labels
from sfa_desktop.services.exports.quote_pdf_pages import page_furniture, pdf_date
from sfa_desktop.services.exports.quote_pdf_style import (
    ACCENT,
    CONTENT_WIDTH,
    INK,
    LINE_COLUMNS,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    MUTED_HEX,
    OPTIONAL_HEX,
    PAGE_HEIGHT,
    RULE,
    SHADE,
    TABLE_FONT_SIZE,
    LocaleFormats,
    QuoteStyles,
    markup,
    paragraphs,
    quote_styles,
    table_style,
)
from sync_server.protocol.quote_totals import QuoteTotals, quote_totals

# --- first-page blocks ---------------------------------------------------------------------------


def _logo(png: bytes) -> Image:
    reader = ImageReader(io.BytesIO(png))
    width, height = reader.getSize()
    scale = min(48 * mm / width, 18 * mm / height)
    image = Image(io.BytesIO(png), width=width * scale, height=height * scale)
    image.hAlign = "LEFT"
    return image


def _letterhead(
    doc: QuoteDocument, words: QuoteLabels, fmt: LocaleFormats, st: QuoteStyles
) -> Table:
    head = doc.letterhead
    left: list[Flowable] = []
    if head.logo_png:
        left += [_logo(head.logo_png), Spacer(1, 2 * mm)]
    left.append(Paragraph(escape(head.company_name), st.company))
    details = [f"{escape(words.tax_id)}: {escape(head.tax_id)}"] if head.tax_id else []
    details += [escape(line) for line in head.address_lines if line.strip()]
    contact = " · ".join(escape(v) for v in (head.phone, head.email, head.website) if v)
    if contact:
        details.append(contact)
    if details:
        left.append(Paragraph("<br/>".join(details), st.small))

    meta_rows = [
        (words.number, doc.number),
        (words.revision, str(doc.revision)),
        (words.issue_date, fmt.date(doc.issue_date)),
    ]
    if doc.valid_until is not None:
        meta_rows.append((words.valid_until, fmt.date(doc.valid_until)))
    meta = Table(
        [
            [Paragraph(escape(label), st.small_right), Paragraph(escape(value), st.cell_right)]
            for label, value in meta_rows
        ],
        colWidths=(26 * mm, 46 * mm),
        style=table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 1),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
            ]
        ),
    )
    meta.hAlign = "RIGHT"
    right: list[Flowable] = [Paragraph(escape(words.title), st.title), Spacer(1, 2 * mm), meta]
    return Table(
        [[left, right]],
        colWidths=(CONTENT_WIDTH - 74 * mm, 74 * mm),
        style=table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, -1), 1.2, ACCENT),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
            ]
        ),
    )


def _customer_block(doc: QuoteDocument, words: QuoteLabels, st: QuoteStyles) -> Table:
    customer = doc.customer
    left: list[Flowable] = [
        Paragraph(escape(words.customer.upper()), st.label),
        Paragraph(f"<b>{escape(customer.name)}</b>", st.body),
    ]
    lines = [f"{escape(words.tax_id)}: {escape(customer.tax_id)}"] if customer.tax_id else []
    lines += [escape(line) for line in customer.address_lines if line.strip()]
    if lines:
        left.append(Paragraph("<br/>".join(lines), st.body))
    right: list[Flowable] = []
    contact = [escape(v) for v in (customer.contact_email, customer.contact_phone) if v]
    if customer.contact_name or contact:
        right.append(Paragraph(escape(words.attention.upper()), st.label))
        person = [f"<b>{escape(customer.contact_name)}</b>"] if customer.contact_name else []
        right.append(Paragraph("<br/>".join(person + contact), st.body))
    if doc.prepared_by:
        right += [
            Spacer(1, 2 * mm),
            Paragraph(escape(words.prepared_by.upper()), st.label),
            Paragraph(markup(doc.prepared_by), st.body),
        ]
    return Table(
        [[left, right]],
        colWidths=(CONTENT_WIDTH * 0.55, CONTENT_WIDTH * 0.45),
        style=table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, 0), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        ),
    )


# --- the lines table -----------------------------------------------------------------------------


def _lines_table(
    doc: QuoteDocument,
    totals: QuoteTotals,
    words: QuoteLabels,
    fmt: LocaleFormats,
    st: QuoteStyles,
    bold: str,
) -> LongTable:
    header = [
        words.description,
        words.quantity,
        words.unit_price,
        words.discount,
        words.tax_rate,
        words.amount,
    ]
    rows: list[list[Any]] = [header]
    style: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), st.cell.fontName),
        ("FONTSIZE", (0, 0), (-1, -1), TABLE_FONT_SIZE),
        ("LEADING", (0, 0), (-1, -1), st.cell.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, 0), ACCENT),
        ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        ("FONTNAME", (0, 0), (-1, 0), bold),
    ]
    section_title = ""
    section_index = 0
    for index, line in enumerate(doc.lines):
        if line.kind == "section":
            if section_index:
                _subtotal_row(
                    rows, style, totals, section_index - 1, section_title, words, fmt, st, bold
                )
            section_index += 1
            section_title = line.description
            row = len(rows)
            rows.append(
                [Paragraph(f"<b>{markup(line.description)}</b>", st.cell), "", "", "", "", ""]
            )
            style += [
                ("SPAN", (0, row), (-1, row)),
                ("BACKGROUND", (0, row), (-1, row), SHADE),
                ("TOPPADDING", (0, row), (-1, row), 5),
                ("NOSPLIT", (0, row), (-1, row + 1)),  # never a heading alone at a page foot
            ]
        elif line.kind == "text":
            row = len(rows)
            rows.append([Paragraph(markup(line.description), st.cell_muted), "", "", "", "", ""])
            style.append(("SPAN", (0, row), (-1, row)))
        else:
            net = totals.line_nets[index]
            assert net is not None
            rows.append(_item_row(line, net, words, fmt, st))
            style.append(("LINEBELOW", (0, len(rows) - 1), (-1, len(rows) - 1), 0.25, RULE))
            if line.optional:
                style.append(("TEXTCOLOR", (1, len(rows) - 1), (-1, len(rows) - 1), MUTED))
    if section_index:
        _subtotal_row(rows, style, totals, section_index - 1, section_title, words, fmt, st, bold)
    return LongTable(
        rows, colWidths=LINE_COLUMNS, repeatRows=1, splitInRow=1, style=table_style(style)
    )


def _item_row(
    line: DocumentLine, net: Decimal, words: QuoteLabels, fmt: LocaleFormats, st: QuoteStyles
) -> list[Any]:
    text = markup(line.description)
    if line.sku:
        text += f' <font size="7" color="{MUTED_HEX}">{escape(line.sku)}</font>'
    if line.optional:
        text = f'<font color="{OPTIONAL_HEX}"><b>{escape(words.optional)}</b></font> · {text}'
    return [
        Paragraph(text, st.cell_muted if line.optional else st.cell),
        fmt.number(line.quantity),
        fmt.unit_price(line.unit_price),
        fmt.percent(line.discount_pct) if line.discount_pct else "",
        fmt.percent(line.tax_rate_pct),
        fmt.money(net),
    ]


def _subtotal_row(
    rows: list[list[Any]],
    style: list[tuple[Any, ...]],
    totals: QuoteTotals,
    section: int,
    title: str,
    words: QuoteLabels,
    fmt: LocaleFormats,
    st: QuoteStyles,
    bold: str,
) -> None:
    row = len(rows)
    label = words.section_subtotal.format(section=title.strip())
    rows.append(
        [
            Paragraph(escape(label), st.cell_right),
            "",
            "",
            "",
            "",
            fmt.money(totals.sections[section].subtotal),
        ]
    )
    style += [
        ("SPAN", (0, row), (4, row)),
        ("FONTNAME", (0, row), (-1, row), bold),
        ("LINEABOVE", (0, row), (-1, row), 0.6, INK),
        ("BOTTOMPADDING", (0, row), (-1, row), 6),
        ("NOSPLIT", (0, row - 1), (-1, row)),  # nor a subtotal alone at a page head
    ]


# --- taxes, totals, terms, acceptance ------------------------------------------------------------


def _totals_block(
    totals: QuoteTotals, words: QuoteLabels, fmt: LocaleFormats, st: QuoteStyles, bold: str
) -> Table:
    padding = [
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    tax_rows: list[list[str]] = [[words.rate, words.base, words.tax]]
    tax_rows += [
        [fmt.percent(r.rate_pct), fmt.money(r.base), fmt.money(r.tax)] for r in totals.rates
    ]
    tax_table = Table(
        tax_rows,
        colWidths=(26 * mm, 32 * mm, 30 * mm),
        style=table_style(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.cell.fontName),
                ("FONTSIZE", (0, 0), (-1, -1), TABLE_FONT_SIZE),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("FONTNAME", (0, 0), (-1, 0), bold),
                ("TEXTCOLOR", (0, 0), (-1, 0), ACCENT),
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                *padding,
            ]
        ),
    )
    sums = Table(
        [
            [words.subtotal, fmt.money(totals.subtotal)],
            [words.tax_total, fmt.money(totals.tax_total)],
            [words.total, fmt.money(totals.total)],
        ],
        colWidths=(36 * mm, 38 * mm),
        style=table_style(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.cell.fontName),
                ("FONTSIZE", (0, 0), (-1, -1), 9),
                ("TEXTCOLOR", (0, 0), (-1, -1), INK),
                ("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                ("LINEBELOW", (0, 0), (-1, 1), 0.25, RULE),
                ("FONTNAME", (0, 2), (-1, 2), bold),
                ("FONTSIZE", (0, 2), (-1, 2), 11),
                ("BACKGROUND", (0, 2), (-1, 2), ACCENT),
                ("TEXTCOLOR", (0, 2), (-1, 2), colors.white),
                *padding,
                ("TOPPADDING", (0, 2), (-1, 2), 5),
                ("BOTTOMPADDING", (0, 2), (-1, 2), 5),
            ]
        ),
    )
    left: Any = tax_table if totals.rates else ""
    return Table(
        [[left, sums]],
        colWidths=(CONTENT_WIDTH - 76 * mm, 76 * mm),
        style=table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )


def _acceptance_box(doc: QuoteDocument, words: QuoteLabels, st: QuoteStyles) -> KeepTogether:
    half = CONTENT_WIDTH / 2

    def field(label: str) -> Paragraph:
        return Paragraph(escape(label), st.small)

    box = Table(
        [
            [field(words.name_and_role), field(words.signature)],
            [field(words.date), field(words.stamp)],
        ],
        colWidths=(half, half),
        rowHeights=(17 * mm, 24 * mm),
        style=table_style(
            [
                ("BOX", (0, 0), (-1, -1), 0.8, INK),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm),
            ]
        ),
    )
    text = words.acceptance_text.format(number=doc.number, revision=doc.revision)
    return KeepTogether(
        [
            Spacer(1, 5 * mm),
            Paragraph(escape(words.acceptance), st.heading),
            Paragraph(escape(text), st.body),
            Spacer(1, 2 * mm),
            box,
        ]
    )


def _terms(
    doc: QuoteDocument, words: QuoteLabels, fmt: LocaleFormats, st: QuoteStyles
) -> list[Flowable]:
    body = paragraphs(doc.terms, st.body)
    if doc.valid_until is not None:
        validity = words.validity.format(date=fmt.date(doc.valid_until))
        body.append(Paragraph(f"<b>{escape(validity)}</b>", st.body))
    if not body:
        return []
    return [
        Spacer(1, 6 * mm),
        KeepTogether([Paragraph(escape(words.terms), st.heading), body[0]]),
        *body[1:],
    ]


# --- the document --------------------------------------------------------------------------------


def _story(doc: QuoteDocument, totals: QuoteTotals) -> list[Flowable]:
    """The flowables of the document, in reading order."""
    regular, bold = register_pdf_fonts()
    words = quote_labels(doc.language)
    fmt = LocaleFormats(doc.language, totals.currency)
    st = quote_styles(regular, bold)
    story: list[Flowable] = [
        _letterhead(doc, words, fmt, st),
        Spacer(1, 5 * mm),
        _customer_block(doc, words, st),
        Spacer(1, 5 * mm),
    ]
    if doc.note.strip():
        story += [*paragraphs(doc.note, st.body), Spacer(1, 4 * mm)]
    story.append(_lines_table(doc, totals, words, fmt, st, bold))
    if any(line.optional for line in doc.lines):
        note = words.optional_note.format(amount=fmt.money(totals.optional_subtotal))
        story += [Spacer(1, 1.5 * mm), Paragraph(escape(note), st.small)]
    story += [Spacer(1, 5 * mm), KeepTogether([_totals_block(totals, words, fmt, st, bold)])]
    story += _terms(doc, words, fmt, st)
    story.append(_acceptance_box(doc, words, st))
    return story


def render_quote_pdf(doc: QuoteDocument) -> bytes:
    """The quote as PDF bytes: A4, fonts embedded, identical bytes for an identical document.

    Raises :class:`~sync_server.protocol.rejections.ValueRejected` (from the totals rule) for an
    unknown currency or a figure out of range.
    """
    regular, bold = register_pdf_fonts()
    totals = quote_totals(doc.lines, doc.currency)
    words = quote_labels(doc.language)
    decorate = page_furniture(doc, words, regular, bold)
    stamp = pdf_date(doc.issue_date)

    def make_canvas(*args: Any, **kwargs: Any) -> PagedCanvas:
        canvas = PagedCanvas(*args, decorate=decorate, **kwargs)
        canvas.setDateFormatter(lambda *_: stamp)
        return canvas

    buffer = io.BytesIO()
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        CONTENT_WIDTH,
        PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="content",
    )
    template = BaseDocTemplate(
        buffer,
        pagesize=A4,
        pageTemplates=[PageTemplate(id="quote", frames=[frame])],
        title=f"{words.title.capitalize()} {doc.number}",
        author=doc.letterhead.company_name,
        subject=doc.customer.name,
        creator="SFA Desktop",
        producer="SFA Desktop (ReportLab)",
        lang=doc.language,
        invariant=1,
        initialFontName=regular,
        initialFontSize=9,
    )
    template.build(_story(doc, totals), canvasmaker=make_canvas)
    return buffer.getvalue()
