"""A segment's accounts as CSV, in the dialect of the other CSV exports (UTF-8 with a BOM,
``;`` and decimal comma in Spanish, ``,`` and point in English, CRLF line ends): one row per
account, most valuable first, amounts in major units of the company currency."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from sfa_desktop.domain.segments import AccountFacts, customer_age_years, rfm_class
from sfa_desktop.i18n import _, enum_label, pgettext

from .forecast_review_csv import CSV_DIALECTS


def segment_headers() -> list[str]:
    return [
        _("Account"),
        _("City"),
        _("Region"),
        _("Lifecycle stage"),
        _("Value"),
        _("Won, last 12 months"),
        _("Annual potential"),
        _("ABC tier"),
        _("Affinity (RFM)"),
        _("Customer for (years)"),
        _("First purchase"),
        _("Last purchase"),
        _("Purchases, last 12 months"),
        _("Families bought"),
        _("Last visit"),
        _("Currency"),
        _("Account ID"),
    ]


def rfm_label(code: str) -> str:
    """The RFM class in words."""
    return {
        "loyal": pgettext("affinity", "Loyal"),
        "new": pgettext("affinity", "New"),
        "at_risk": pgettext("affinity", "At risk"),
        "lapsed": pgettext("affinity", "Lapsed"),
        "prospect": pgettext("affinity", "Prospect"),
    }.get(code, code)


def _amount(value: Decimal | None, decimal_mark: str) -> str:
    if value is None:
        return ""
    return format(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f").replace(
        ".", decimal_mark
    )


def _day(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def render_segment_csv(
    accounts: Sequence[AccountFacts], *, today: dt.date, currency: str, language: str
) -> bytes:
    """The accounts as CSV bytes (headers in the current language)."""
    separator, decimal_mark = CSV_DIALECTS.get(language, CSV_DIALECTS["en"])
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    writer.writerow(segment_headers())
    for item in accounts:
        age = customer_age_years(item, today)
        writer.writerow(
            [
                item.name,
                item.city or "",
                item.region or "",
                enum_label("lifecycle_stage", item.lifecycle_stage),
                _amount(item.value, decimal_mark),
                _amount(item.spend_12m, decimal_mark),
                _amount(item.potential, decimal_mark),
                item.abc,
                rfm_label(rfm_class(item, today)),
                "" if age is None else str(age),
                _day(item.first_purchase),
                _day(item.last_purchase),
                str(item.purchases_12m),
                ", ".join(sorted(item.families)),
                _day(item.last_visit),
                currency,
                item.account_id,
            ]
        )
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")
