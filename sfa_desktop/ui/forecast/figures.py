"""The forecast charts as matplotlib figures (no Qt: built off the UI thread, drawn by
:class:`~sfa_desktop.ui.forecast.chart.ChartCanvas`).

* :func:`history_figure` — a person's submissions in a period: commit (the call) and best case
  over the weeks;
* :func:`trend_figure` — the team's submitted calls through the period (one line per currency).

Stand-ins until the export services' builders (the same figures in the PDF) are merged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from sfa_desktop.i18n import _
from sfa_desktop.services.forecasts import SubmissionRow
from sfa_desktop.ui.forecast.display import show_money, show_short_date
from sync_server.protocol.forecast_rules import Period, TrendPoint

_SIZE = (6.4, 2.6)


def _figure() -> Figure:
    figure = Figure(figsize=_SIZE, dpi=100, layout="constrained")
    return figure


def _money_axis(currency: str) -> FuncFormatter:
    return FuncFormatter(lambda value, _pos: show_money(round(value), currency))


def _days(days: Sequence[dt.date]) -> list[float]:
    return [float(day.toordinal()) for day in days]


def _ticks(period: Period) -> list[dt.date]:
    """Mondays of a month, the first of each month of a quarter (and the period's end)."""
    if period.kind == "quarter":
        return [month.start for month in period.months()] + [period.end]
    day = period.start
    ticks = [day]
    day += dt.timedelta(days=7 - day.weekday())
    if (day - period.start).days < 3:  # too close to the first day's label
        day += dt.timedelta(days=7)
    while day <= period.end:
        ticks.append(day)
        day += dt.timedelta(days=7)
    return ticks


def _frame(ax: Axes, period: Period) -> None:
    ax.set_xlim(float(period.start.toordinal()), float(period.end.toordinal()))
    ticks = _ticks(period)
    ax.set_xticks(_days(ticks), labels=[show_short_date(day) for day in ticks])
    ax.grid(True, alpha=0.3)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def history_figure(rows: Sequence[SubmissionRow], period: Period) -> Figure:
    """Commit (the final call) and best case of each submission, per currency."""
    figure = _figure()
    ax = figure.add_subplot()
    _frame(ax, period)
    currencies = sorted({row.currency for row in rows})
    for currency in currencies:
        mine = [row for row in rows if row.currency == currency]
        days = _days([row.submitted_at.date() for row in mine])
        suffix = f" ({currency})" if len(currencies) > 1 else ""
        ax.plot(days, [r.call.final_call for r in mine], marker="o", label=_("Call") + suffix)
        ax.plot(
            days,
            [r.best_case for r in mine],
            marker="s",
            linestyle="--",
            label=_("Best case") + suffix,
        )
    if currencies:
        ax.yaxis.set_major_formatter(_money_axis(currencies[0]))
        ax.legend(loc="best", fontsize="small", framealpha=0.8)
    ax.set_title(_("Your submissions this period"), fontsize="medium", loc="left")
    return figure


def trend_figure(points: Sequence[TrendPoint], period: Period) -> Figure:
    """The team's submitted call and best case through the period, per currency."""
    figure = _figure()
    ax = figure.add_subplot()
    _frame(ax, period)
    currencies = sorted({c for point in points for c in point.call})
    for currency in currencies:
        mine = [p for p in points if currency in p.call]
        days = _days([p.day for p in mine])
        suffix = f" ({currency})" if len(currencies) > 1 else ""
        ax.step(
            days,
            [p.call[currency] for p in mine],
            where="post",
            marker="o",
            label=_("Call") + suffix,
        )
        ax.step(
            days,
            [p.best_case.get(currency, 0) for p in mine],
            where="post",
            linestyle="--",
            label=_("Best case") + suffix,
        )
    if currencies:
        ax.yaxis.set_major_formatter(_money_axis(currencies[0]))
        ax.legend(loc="best", fontsize="small", framealpha=0.8)
    ax.set_title(_("The team's submitted call"), fontsize="medium", loc="left")
    return figure
