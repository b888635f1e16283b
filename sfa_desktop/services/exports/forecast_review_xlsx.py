"""The team review as an Excel workbook (openpyxl).

Sheet one, the team: a header row (bold, frozen, with a filter), then
:func:`~.forecast_review_document.review_rows` — team roll-up rows bold on a shade, each
person's name indented by their depth, and the rows grouped with Excel's outline (the team
row above its members, so collapsing a manager leaves their roll-up showing). Amounts are
numbers in major units with the currency's format (``#,##0.00 "€"``), percentages real
percentages (``0.343`` shown ``34.3%``), times real dates; Excel shows the separators of the
reader's own locale. Sheet two, the deals closing in the period, person by person.

Identical documents give identical bytes: the workbook's created/modified dates are the
document's day and every zip entry carries a fixed timestamp.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from babel import numbers as babel_numbers
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import Outline
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from sfa_desktop.domain.money import currency_precision
from sfa_desktop.i18n import enum_label, speaking
from sfa_desktop.services.exports.forecast_review_columns import (
    Column,
    cell,
    review_columns,
    review_text,
)
from sfa_desktop.services.exports.forecast_review_document import (
    ReviewDocument,
    ReviewRow,
    major,
    review_rows,
)

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
TEAM_FILL = PatternFill("solid", fgColor="EAF0F6")
HEADER_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
TEAM_FONT = Font(name="Calibri", bold=True)
PERCENT_FORMAT = "0.0%"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
DATE_FORMAT = "yyyy-mm-dd"
_WIDTHS = {"text": 14, "money": 15, "percent": 12, "datetime": 17, "count": 10}
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def money_format(currency: str) -> str:
    """The cell format of an amount in ``currency``: ``#,##0.00 "€"`` (its decimals, its
    symbol after the number, negative amounts with a minus)."""
    digits = currency_precision(currency)
    number = "#,##0" + ("." + "0" * digits if digits else "")
    symbol = babel_numbers.get_currency_symbol(currency, locale="es_ES").replace('"', "")
    return f'{number} "{symbol}"'


def _write_value(target: Any, value: Any, column: Column, currency: str | None) -> None:
    if value is None:
        return
    if column.kind == "money" and currency is not None and not isinstance(value, str):
        target.value = major(value, currency_precision(currency))
        target.number_format = money_format(currency)
    elif column.kind == "percent" and isinstance(value, Decimal):
        target.value = value / 100
        target.number_format = PERCENT_FORMAT
    elif column.kind == "datetime":
        target.value = value
        target.number_format = DATETIME_FORMAT
    else:
        target.value = value


def _header(sheet: Worksheet, headers: list[str]) -> None:
    sheet.append(headers)
    for item in sheet[1]:
        item.font = HEADER_FONT
        item.fill = HEADER_FILL
        item.alignment = Alignment(vertical="center", wrap_text=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}1"
    sheet.row_dimensions[1].height = 30


def _team_row(sheet: Worksheet, number: int, row: ReviewRow, columns: list[Column]) -> None:
    for index in range(1, len(columns) + 1):
        target = sheet.cell(number, index)
        if row.is_team:
            target.font = TEAM_FONT
            target.fill = TEAM_FILL
    name_column = next(i for i, c in enumerate(columns, start=1) if c.key == "person")
    sheet.cell(number, name_column).alignment = Alignment(indent=row.level * 2)
    if row.level:
        sheet.row_dimensions[number].outlineLevel = min(row.level, 7)


def _team_sheet(sheet: Worksheet, document: ReviewDocument) -> None:
    t = review_text(document.language)
    sheet.title = t.pgettext("forecast review", "Team")[:31]
    columns = review_columns(document)
    _header(sheet, [c.header for c in columns])
    for number, row in enumerate(review_rows(document), start=2):
        currency = row.line.currency if row.line is not None else None
        for index, column in enumerate(columns, start=1):
            _write_value(sheet.cell(number, index), cell(row, column, document), column, currency)
        _team_row(sheet, number, row, columns)
    sheet.sheet_properties.outlinePr = Outline(summaryBelow=False, summaryRight=True)
    for index, column in enumerate(columns, start=1):
        width = 28 if column.key in {"person", "email", "manager_note"} else _WIDTHS[column.kind]
        sheet.column_dimensions[get_column_letter(index)].width = width


def _deals_sheet(sheet: Worksheet, document: ReviewDocument) -> None:
    t = review_text(document.language)
    sheet.title = t.pgettext("forecast review", "Deals")[:31]
    headers = [
        t.pgettext("forecast review", "Person"),
        t.pgettext("forecast review", "Account"),
        t.pgettext("forecast review", "Deal"),
        t.pgettext("forecast review", "Stage"),
        t.pgettext("forecast review", "Forecast category"),
        t.pgettext("forecast review", "Expected close"),
        t.pgettext("forecast review", "Currency"),
        t.pgettext("forecast review", "Amount"),
        t.pgettext("forecast review", "Probability"),
        t.pgettext("forecast review", "Weighted"),
        t.pgettext("forecast review", "Next step"),
    ]
    _header(sheet, headers)
    with speaking(document.language):  # the stages' names in the document's language
        labels = [
            (
                enum_label("opportunity_stage", deal.stage),
                enum_label("forecast_category", deal.forecast_category),
            )
            for _owner, deal in document.deals
        ]
    for (owner, deal), (stage, category) in zip(document.deals, labels, strict=True):
        digits = currency_precision(deal.currency)
        sheet.append(
            [
                owner,
                deal.account_name,
                deal.name,
                stage,
                category,
                deal.expected_close_date,
                deal.currency,
                major(deal.amount, digits),
                Decimal(deal.probability) / 100,
                major(deal.weighted, digits),
                deal.next_step or "",
            ]
        )
        number = sheet.max_row
        sheet.cell(number, 6).number_format = DATE_FORMAT
        for money_column in (8, 10):
            sheet.cell(number, money_column).number_format = money_format(deal.currency)
        sheet.cell(number, 9).number_format = "0%"
    widths = (24, 28, 34, 16, 16, 13, 9, 15, 11, 15, 34)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose entries all carry one fixed timestamp (reproducible bytes)."""

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=_FIXED_ZIP_TIME)
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        self.writestr(str(arcname or filename), Path(filename).read_bytes())


def render_review_xlsx(document: ReviewDocument) -> bytes:
    """The review as XLSX bytes: the team sheet and the deals sheet."""
    workbook = Workbook()
    _team_sheet(workbook.worksheets[0], document)
    _deals_sheet(workbook.create_sheet(), document)
    t = review_text(document.language)
    stamp = dt.datetime.combine(document.today, dt.time())
    properties = workbook.properties
    properties.created = properties.modified = stamp
    properties.creator = properties.lastModifiedBy = "SFA Desktop"
    properties.title = t.pgettext("forecast review", "Forecast review") + f" {document.period}"
    properties.language = document.language
    buffer = io.BytesIO()
    with _FixedTimeZip(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return buffer.getvalue()
