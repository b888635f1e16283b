"""The team review as CSV, for a spreadsheet to open with a double click.

Choices, made for Excel (what managers open a CSV with) and kept for every other reader:

* **UTF-8 with a BOM**: without it Excel reads UTF-8 as the system code page and "García"
  comes out garbled; LibreOffice, pandas (``encoding="utf-8-sig"``) and Python's ``csv`` cope;
* **separator and decimal mark by language**: Spanish ``;`` and ``1234,50`` (Excel in a
  Spanish locale splits on ``;`` because ``,`` is its decimal mark), English ``,`` and
  ``1234.50``. No thousands separator, no currency symbol (the currency has its own column),
  so every amount reads back as a number;
* amounts in major units with the currency's decimals (the weighted figure rounded half-up
  to them); percentages in points with one decimal (``34,3`` is 34.3 %); submission times
  ``YYYY-MM-DD HH:MM`` in the document's zone; CRLF line ends (RFC 4180).

One header row, then :func:`~.forecast_review_document.review_rows`: the ``Level`` column
holds the depth in the tree and ``Row`` tells a team's roll-up from a person's own figures.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

from sfa_desktop.domain.money import currency_precision
from sfa_desktop.services.exports.forecast_review_columns import (
    Cell,
    Column,
    cell,
    review_columns,
)
from sfa_desktop.services.exports.forecast_review_document import (
    ReviewDocument,
    ReviewRow,
    major,
    review_rows,
)

#: (field separator, decimal mark) per language
CSV_DIALECTS = {"es": (";", ","), "en": (",", ".")}


def _number(value: Decimal, decimal_mark: str) -> str:
    return format(value, "f").replace(".", decimal_mark)


def _text(value: Cell, column: Column, row: ReviewRow, decimal_mark: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if column.kind == "money" and row.line is not None and not isinstance(value, str):
        digits = currency_precision(row.line.currency)
        exponent = Decimal(1).scaleb(-digits)
        amount = major(value, digits).quantize(exponent, rounding=ROUND_HALF_UP)
        return _number(amount, decimal_mark)
    if column.kind == "percent" and isinstance(value, Decimal):
        return _number(value, decimal_mark)
    return str(value)


def render_review_csv(document: ReviewDocument) -> bytes:
    """The review as CSV bytes (see the module's docstring for the dialect)."""
    separator, decimal_mark = CSV_DIALECTS[document.language]
    columns = review_columns(document)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow([column.header for column in columns])
    for row in review_rows(document):
        writer.writerow(
            [_text(cell(row, column, document), column, row, decimal_mark) for column in columns]
        )
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
