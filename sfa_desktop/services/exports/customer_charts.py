"""The Customers workspace's charts as matplotlib figures, Qt-free (the style, fonts and
palette of :mod:`.forecast_charts`):

* :func:`pareto_figure` — the Pareto (Lorenz) curve: accounts ranked by value, the cumulative
  share of the value (y) against the share of accounts (x), the 80 % line, the equal-share
  diagonal and the A / B / C tiers marked as bands with their account counts;
* :func:`quadrant_figure` — value (x) against annual potential (y), both on log scales, one dot
  per account coloured by its ABC tier; the medians split the plane into four labelled
  quadrants: *retain and grow* (high value, high potential), *retain* (high value, low
  potential), *develop* (low value, high potential) and *serve at low cost* (low, low).
  Accounts with no value or no potential estimate cannot be placed: the subtitle counts them.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from babel import numbers as babel_numbers
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from sfa_desktop.domain.money import currency_precision
from sfa_desktop.domain.segments import AccountFacts, ParetoCurve

from .forecast_charts import _empty, _new_figure, _styled, _Words

#: tier colours (Okabe–Ito): A blue, B orange, C grey
TIER_COLOURS = {"A": "#0072B2", "B": "#E69F00", "C": "#8d99a6"}
_LINE = "#0072B2"
_MUTED = "#5f6b78"
DEFAULT_SIZE = (5.2, 3.4)
_LABEL_BOX = {"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1.5}


def _compact(w: _Words, amount: float) -> str:
    """A compact amount in major units ("1,2 M €")."""
    scaled = Decimal(str(amount)).scaleb(currency_precision(w.currency))
    return w.compact(float(scaled))


def _count(w: _Words, number: int) -> str:
    return str(babel_numbers.format_decimal(number, locale=w.locale))


def pareto_figure(
    curve: ParetoCurve,
    *,
    counts: dict[str, int],
    currency: str,
    language: str,
    size: tuple[float, float] = DEFAULT_SIZE,
) -> Figure:
    """The Pareto chart of ``curve`` (see the module docstring); ``counts``: accounts per tier."""
    w = _Words(language, currency)
    t = w.tr
    title = t.pgettext("customer chart", "Share of value by share of accounts")
    with _styled():
        figure = _new_figure(size)
        axes = figure.add_subplot()
        if curve.accounts == 0 or curve.total <= 0:
            _empty(axes, title, t.pgettext("customer chart", "No account has a value yet"))
            return figure
        axes.set_title(title, loc="left")
        bands = (("A", 0.0, curve.a_end), ("B", curve.a_end, curve.b_end), ("C", curve.b_end, 1.0))
        for tier, start, end in bands:
            if end > start:
                axes.axvspan(start, end, color=TIER_COLOURS[tier], alpha=0.12, linewidth=0)
                label = t.pgettext("customer chart", "{tier}: {count}").format(
                    tier=tier, count=_count(w, counts.get(tier, 0))
                )
                axes.text(
                    (start + end) / 2,
                    0.04,
                    label,
                    ha="center",
                    va="bottom",
                    fontsize=7,
                    color=_MUTED,
                    clip_on=True,
                    bbox=_LABEL_BOX,
                )
        axes.plot([0, 1], [0, 1], color=_MUTED, linestyle=":", linewidth=0.9)
        axes.axhline(0.8, color="#D55E00", linestyle="--", linewidth=1.0)
        axes.text(
            0.99,
            0.81,
            t.pgettext("customer chart", "80 % of the value"),
            ha="right",
            va="bottom",
            fontsize=7,
            color="#D55E00",
            bbox=_LABEL_BOX,
        )
        axes.plot(
            list(curve.x),
            list(curve.y),
            color=_LINE,
            linewidth=1.8,
            label=t.pgettext("customer chart", "Cumulative value"),
        )
        axes.set_xlim(0, 1)
        axes.set_ylim(0, 1.02)
        axes.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        axes.set_xlabel(
            t.pgettext("customer chart", "Accounts, most valuable first ({count})").format(
                count=_count(w, curve.accounts)
            )
        )
        axes.set_ylabel(t.pgettext("customer chart", "Share of the value"))
    return figure


@dataclass(frozen=True)
class QuadrantPoints:
    """The placeable accounts (value and potential in major units) and the median splits."""

    values: tuple[float, ...]
    potentials: tuple[float, ...]
    tiers: tuple[str, ...]
    value_median: float
    potential_median: float
    left_out: int


def quadrant_points(accounts: Sequence[AccountFacts]) -> QuadrantPoints:
    """The accounts with both a value and a potential estimate above zero."""
    values: list[float] = []
    potentials: list[float] = []
    tiers: list[str] = []
    for item in accounts:
        if item.value > 0 and item.potential is not None and item.potential > 0:
            values.append(float(item.value))
            potentials.append(float(item.potential))
            tiers.append(item.abc)
    return QuadrantPoints(
        tuple(values),
        tuple(potentials),
        tuple(tiers),
        statistics.median(values) if values else 0.0,
        statistics.median(potentials) if potentials else 0.0,
        len(accounts) - len(values),
    )


def quadrant_figure(
    points: QuadrantPoints,
    *,
    currency: str,
    language: str,
    size: tuple[float, float] = DEFAULT_SIZE,
) -> Figure:
    """The value-vs-potential chart (see the module docstring)."""
    w = _Words(language, currency)
    t = w.tr
    title = t.pgettext("customer chart", "Value and potential")
    with _styled():
        figure = _new_figure(size)
        axes = figure.add_subplot()
        if not points.values:
            _empty(
                axes,
                title,
                t.pgettext("customer chart", "No account has both a value and a potential"),
            )
            return figure
        axes.set_title(title, loc="left")
        axes.set_xscale("log")
        axes.set_yscale("log")
        for tier in ("C", "B", "A"):
            chosen = [i for i, item in enumerate(points.tiers) if item == tier]
            if chosen:
                axes.scatter(
                    [points.values[i] for i in chosen],
                    [points.potentials[i] for i in chosen],
                    s=7,
                    color=TIER_COLOURS[tier],
                    alpha=0.7,
                    linewidths=0,
                    label=tier,
                    rasterized=len(chosen) > 2000,
                )
        axes.axvline(points.value_median, color=_MUTED, linewidth=0.9, linestyle="--")
        axes.axhline(points.potential_median, color=_MUTED, linewidth=0.9, linestyle="--")
        corners = (
            (0.98, 0.98, "right", "top", t.pgettext("customer chart", "Retain and grow")),
            (0.98, 0.02, "right", "bottom", t.pgettext("customer chart", "Retain")),
            (0.02, 0.98, "left", "top", t.pgettext("customer chart", "Develop")),
            (0.02, 0.02, "left", "bottom", t.pgettext("customer chart", "Serve at low cost")),
        )
        for x, y, ha, va, text in corners:
            axes.text(
                x,
                y,
                text,
                transform=axes.transAxes,
                ha=ha,
                va=va,
                fontsize=7,
                fontweight="bold",
                color=_MUTED,
                bbox=_LABEL_BOX,
            )
        money = FuncFormatter(lambda value, _pos: _compact(w, value))
        axes.xaxis.set_major_formatter(money)
        axes.yaxis.set_major_formatter(money)
        axes.xaxis.set_minor_formatter(FuncFormatter(lambda _v, _p: ""))
        axes.yaxis.set_minor_formatter(FuncFormatter(lambda _v, _p: ""))
        label = t.pgettext("customer chart", "Value")
        if points.left_out:
            label += " · " + t.pgettext(
                "customer chart", "{count} not shown (no value or no potential)"
            ).format(count=_count(w, points.left_out))
        axes.set_xlabel(label)
        axes.set_ylabel(t.pgettext("customer chart", "Annual potential"))
        handles, labels = axes.get_legend_handles_labels()
        order = sorted(range(len(labels)), key=lambda i: labels[i])
        axes.legend(
            [handles[i] for i in order],
            [labels[i] for i in order],
            loc="lower right",
            bbox_to_anchor=(1.0, 1.0),
            ncols=3,
            handletextpad=0.2,
            columnspacing=0.8,
            markerscale=1.5,
            borderaxespad=0.2,
        )
    return figure
