"""The scorecard's charts as matplotlib figures, Qt-free (the workspace and the PDF):

* :func:`family_sales_figure` — sales per product family, this period against the compared
  one (horizontal bars, largest first);
* :func:`retention_trend_figure` — retention of each of the last periods against the one
  before it (a line with markers; the gaps are periods with no buyers before).

Built in the current language (call inside ``speaking(language)`` for another one), with the
forecast charts' style, palette and deterministic output (:func:`~.forecast_charts.figure_bytes`).
"""

from __future__ import annotations

from typing import Any

from babel import numbers as babel_numbers
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

from sfa_desktop.domain.money import currency_precision
from sfa_desktop.domain.scorecard import Scorecard
from sfa_desktop.i18n import _
from sfa_desktop.i18n.translator import locale_for_formatting
from sfa_desktop.services.exports import forecast_charts
from sfa_desktop.services.scorecard_text import breakdown_key_text, period_text

__all__ = ["MAX_FAMILIES", "family_sales_figure", "retention_trend_figure"]

MAX_FAMILIES = 8
"""The families drawn (the largest); the rest are added up in "Other"."""

_NOW, _BEFORE = "#0072B2", "#B0BCC8"


def _compact(value: float, currency: str) -> str:
    major = value / 10 ** currency_precision(currency)
    return babel_numbers.format_compact_currency(
        major, currency, locale=locale_for_formatting(), fraction_digits=1
    )


def family_sales_figure(card: Scorecard, size: tuple[float, float] = (6.0, 3.2)) -> Figure:
    rows = [r for r in card.breakdowns["family"] if r.sales or r.compared_sales]
    if len(rows) > MAX_FAMILIES:
        head, tail = rows[: MAX_FAMILIES - 1], rows[MAX_FAMILIES - 1 :]
        names = [breakdown_key_text("family", r.key) for r in head] + [_("Other")]
        now = [float(r.sales) for r in head] + [float(sum(r.sales for r in tail))]
        before = [float(r.compared_sales) for r in head] + [
            float(sum(r.compared_sales for r in tail))
        ]
    else:
        names = [breakdown_key_text("family", r.key) for r in rows]
        now = [float(r.sales) for r in rows]
        before = [float(r.compared_sales) for r in rows]
    with forecast_charts._styled():
        figure = forecast_charts._new_figure(size)
        axes = figure.add_subplot()
        title = _("Sales by product family")
        if not rows:
            forecast_charts._empty(axes, title, _("No sales in either period"))
            return figure
        positions = list(range(len(names)))[::-1]
        height = 0.38
        axes.barh(
            [p + height / 2 for p in positions],
            now,
            height,
            color=_NOW,
            label=period_text(card.period),
        )
        axes.barh(
            [p - height / 2 for p in positions],
            before,
            height,
            color=_BEFORE,
            label=period_text(card.compared_period),
        )
        axes.set_yticks(positions, names)
        axes.xaxis.set_major_formatter(
            FuncFormatter(lambda value, _pos: _compact(value, card.currency))
        )
        axes.xaxis.set_major_locator(MaxNLocator(nbins=4))
        axes.grid(axis="y", visible=False)
        axes.set_title(title, loc="left")
        axes.legend(loc="lower right", frameon=False)
    return figure


def retention_trend_figure(card: Scorecard, size: tuple[float, float] = (6.0, 3.2)) -> Figure:
    with forecast_charts._styled():
        figure = forecast_charts._new_figure(size)
        axes = figure.add_subplot()
        title = _("Retention, period by period")
        points = [(period_text(p), v) for p, v in card.retention_trend]
        if not any(v is not None for _p, v in points):
            forecast_charts._empty(axes, title, _("No buyers to retain yet"))
            return figure
        xs = list(range(len(points)))
        ys: list[Any] = [float(v) if v is not None else float("nan") for _p, v in points]
        axes.plot(xs, ys, marker="o", color=_NOW)
        axes.set_xticks(xs, [p for p, _v in points])
        axes.set_ylim(0, 1.05)
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes.set_title(title, loc="left")
    return figure
