"""The scorecard's words and figures as text, in the current language (``speaking`` picks
another one for a document): labels of the indicators, perspectives and breakdowns, and each
kind of figure formatted (money in whole units, ratios as percentages, changes in points).

Shared by the workspace, the PDF and ``sfa scorecard``.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from sfa_desktop.domain.money import currency_precision
from sfa_desktop.domain.scorecard import Kpi, ScorePeriod
from sfa_desktop.i18n import N_, _, enum_label
from sfa_desktop.i18n.translator import locale_for_formatting

PERSPECTIVE_LABELS = {
    "financial": N_("Financial"),
    "customer": N_("Customer"),
    "internal": N_("Internal process"),
    "learning": N_("Learning and growth"),
}
KPI_LABELS = {
    "sales": N_("Sales (won)"),
    "sales_growth": N_("Sales growth"),
    "key_growth": N_("Growth in key customers (tier A)"),
    "deals_won": N_("Deals won"),
    "customers": N_("Buying customers"),
    "retention": N_("Retention"),
    "lost": N_("Lost customers"),
    "new_customers": N_("New customers"),
    "sales_per_customer": N_("Sales per customer"),
    "new_product_share": N_("Sales from new products"),
    "quote_conversion": N_("Quote conversion"),
    "days_to_close": N_("Average days to close"),
    "visits_done": N_("Visits done"),
    "within_cadence": N_("Customers visited within cadence"),
    "visits_with_outcome": N_("Visits with an outcome written"),
    "new_customer_sales_share": N_("Sales from new customers"),
    "potential_known": N_("Accounts with a known potential"),
}
KPI_HELP = {
    "sales": N_("Won opportunities closing in the period, in the company's currency."),
    "sales_growth": N_("(sales − compared sales) / compared sales."),
    "key_growth": N_("Sales growth of the tier A accounts (the key segment)."),
    "deals_won": N_("Won opportunities closing in the period."),
    "customers": N_("Accounts with at least one won deal in the period."),
    "retention": N_("Buyers of the compared period who bought again / buyers then."),
    "lost": N_("Buyers of the compared period who bought nothing in this one."),
    "new_customers": N_("Buyers whose first won deal ever is in the period."),
    "sales_per_customer": N_("Sales / buying customers."),
    "new_product_share": N_(
        "Part of the sales (split by the accepted quote's lines) from products added to the "
        "catalogue in the last 12 months."
    ),
    "quote_conversion": N_("Accepted / (accepted + rejected + expired), quotes issued then."),
    "days_to_close": N_("Days from creating a won deal to winning it, on average."),
    "visits_done": N_("Visits and meetings done in the period."),
    "within_cadence": N_(
        "Customers whose last visit, on the period's last day, is within their cadence."
    ),
    "visits_with_outcome": N_("Done visits and meetings with their outcome written."),
    "new_customer_sales_share": N_("Part of the sales from new customers."),
    "potential_known": N_("Accounts with an annual potential set (today)."),
}
DIMENSION_LABELS = {
    "family": N_("Product family"),
    "tier": N_("Tier"),
    "zone": N_("Zone"),
    "channel": N_("Channel"),
}
COMPARE_LABELS = {
    "previous": N_("Previous period"),
    "last_year": N_("Same period last year"),
}
KIND_LABELS = {"month": N_("Month"), "quarter": N_("Quarter"), "year": N_("Year")}


def label(table: dict[str, str], key: str) -> str:
    return _(table[key])


def breakdown_key_text(dimension: str, key: str) -> str:
    """A breakdown row's name: the channel's label, "Tier A", or the family/zone itself."""
    if not key:
        return _("(no product detail)") if dimension == "family" else _("(none)")
    if dimension == "channel":
        return enum_label("channel", key)
    if dimension == "tier":
        return _("Tier {tier}").format(tier=key)
    return key


def period_text(period: ScorePeriod) -> str:
    """A period as people write it: "Nov 2026" / "nov 2026", "Q4 2026" / "T4 2026", "2026"."""
    if period.kind == "year":
        return str(period.year)
    if period.kind == "quarter":
        return _("Q{number} {year}").format(number=period.number, year=period.year)
    return babel_dates.format_date(period.start, "LLL y", locale=_locale())


def _locale() -> str:
    return locale_for_formatting()


def money_text(minor: Decimal | int | None, currency: str) -> str:
    """Whole units of ``currency`` ("12.345 €" / "€12,345"); "—" for none."""
    if minor is None:
        return "—"
    major = (Decimal(minor).scaleb(-currency_precision(currency))).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    pattern = Locale.parse(_locale()).currency_formats["standard"].pattern
    whole = pattern.split(";")[0].replace(".00", "")
    return babel_numbers.format_currency(
        major, currency, format=whole, locale=_locale(), currency_digits=False
    )


def percent_text(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return babel_numbers.format_percent(value, format="#,##0.0 %", locale=_locale())


def number_text(value: Decimal | None, digits: int = 0) -> str:
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=_locale())


def value_text(kpi: Kpi, currency: str, value: Decimal | None = None) -> str:
    shown = kpi.value if value is None else value
    if kpi.unit == "money":
        return money_text(shown, currency)
    if kpi.unit == "ratio":
        return percent_text(shown)
    if kpi.unit == "days":
        return number_text(shown, 1)
    return number_text(shown)


def change_text(kpi: Kpi, currency: str) -> str:
    """The change against the compared period: "+1.234 €", "+3,5 pp", "−2"; "" when unknown."""
    change = kpi.change
    if change is None:
        return ""
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    size = abs(change)
    if kpi.unit == "money":
        return sign + money_text(size, currency)
    if kpi.unit == "ratio":
        return _("{sign}{points} pp").format(sign=sign, points=number_text(size * 100, 1))
    if kpi.unit == "days":
        return sign + number_text(size, 1)
    return sign + number_text(size)


def arrow(kpi: Kpi) -> str:
    change = kpi.change
    if not change:
        return "→" if change is not None else ""
    return "▲" if change > 0 else "▼"
