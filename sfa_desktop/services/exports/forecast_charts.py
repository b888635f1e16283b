"""The forecast charts as matplotlib figures, Qt-free: the same figures go into the Forecast
workspace (through matplotlib's Qt canvas) and into the weekly review PDF.

* :func:`submission_history_figure` — a person's submissions through a period: the commit
  and the best case of each one (steps with markers), the quota and what is closed so far as
  horizontal lines;
* :func:`team_trend_figure` — the team's submitted call through the period (each day the sum
  of everyone's latest call) against the team quota;
* :func:`team_attainment_figure` — per person of the review, closed and call as bars with
  the quota as a tick and the attainment written at the end of each row.

Figures are built with the object API (:class:`matplotlib.figure.Figure`, never pyplot, so
nothing global is touched and no GUI backend is needed); :func:`figure_bytes` renders one as
PNG, SVG or PDF with the Agg-family backends. Every text is in the figure's language (the
document's, not necessarily the UI's); money axes are compact amounts of the locale
("1,2 M €" / "€1.2m"), dates "3 nov" / "3 Nov". The font is DejaVu Sans (matplotlib's own
copy, the same face the PDFs embed from ``resources/fonts``), the colours the Okabe–Ito
palette (told apart with colour blindness, and by line style and marker in grey print).
The same data always give the same bytes: no dates or versions in the files' metadata, fixed
SVG ids. No data draws a figure that says so instead of an empty plot.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, cast

import matplotlib
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from sfa_desktop.domain.money import currency_precision
from sfa_desktop.i18n.catalogs import load_translations
from sfa_desktop.i18n.languages import FORMATTING_LOCALES
from sfa_desktop.services.forecasts import PersonForecast, SubmissionRow
from sync_server.protocol.forecast_rules import Period, TrendPoint

__all__ = [
    "PALETTE",
    "BarRow",
    "HistoryPoint",
    "attainment_rows",
    "figure_bytes",
    "history_points",
    "submission_history_figure",
    "team_attainment_figure",
    "team_trend_figure",
    "trend_days",
]

#: Okabe–Ito: safe for the common colour-vision deficiencies
PALETTE = {
    "commit": "#0072B2",  # blue
    "best_case": "#E69F00",  # orange
    "closed": "#009E73",  # bluish green
    "quota": "#000000",
    "call": "#0072B2",
    "muted": "#5f6b78",
}
#: one style for every figure (applied while the figure is built: artists keep it)
_STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.labelsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#5f6b78",
    "axes.grid": True,
    "axes.axisbelow": True,
    "grid.color": "#d9dee4",
    "grid.linewidth": 0.6,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.frameon": False,
    "svg.hashsalt": "sfa-forecast",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
}
DEFAULT_SIZE = (6.0, 3.2)  # inches

Format = Literal["png", "svg", "pdf"]


@dataclass(frozen=True, slots=True)
class HistoryPoint:
    """One submission of the history chart (minor units)."""

    submitted_at: dt.datetime
    commit: int
    best_case: int


@dataclass(frozen=True, slots=True)
class BarRow:
    """One person of the attainment chart (minor units; ``None``: nothing to show)."""

    name: str
    closed: int
    call: int | None
    quota: int | None
    attainment_pct: Decimal | None


# --- from the forecast services' rows ---------------------------------------------------------


def history_points(rows: Sequence[SubmissionRow], currency: str) -> list[HistoryPoint]:
    """The history chart's points from
    :func:`~sfa_desktop.services.forecasts.submission_history` (one currency; the figures as
    submitted, before any adjustment)."""
    return [
        HistoryPoint(row.submitted_at, row.commit, row.best_case)
        for row in rows
        if row.currency == currency
    ]


def trend_days(points: Sequence[TrendPoint], currency: str) -> list[tuple[dt.date, int]]:
    """The trend chart's ``(day, call)`` from :func:`~sfa_desktop.services.forecasts.team_trend`
    (days when someone had a call in ``currency``)."""
    return [(point.day, point.call[currency]) for point in points if currency in point.call]


def attainment_rows(
    people: Sequence[PersonForecast], currency: str, *, depth: int | None = None
) -> list[BarRow]:
    """The attainment chart's rows from a team review's people (their team figures, so a
    manager's bar is their whole team's), only those at ``depth`` when given (1: the
    reviewer's direct reports)."""
    rows = []
    for person in people:
        if depth is not None and person.depth != depth:
            continue
        line = next((item for item in person.team if item.currency == currency), None)
        rows.append(
            BarRow(
                name=person.name,
                closed=line.figures.closed if line else 0,
                call=line.call if line else None,
                quota=line.quota if line else None,
                attainment_pct=line.attainment_pct if line else None,
            )
        )
    return rows


# --- locale ---------------------------------------------------------------------------------------


class _Words:
    """The figure's texts and number formats in one language."""

    def __init__(self, language: str, currency: str) -> None:
        self.locale = FORMATTING_LOCALES[language]
        self.currency = currency
        #: the language's catalog (texts as ``w.tr.pgettext("forecast chart", …)``)
        self.tr = load_translations(language)
        self._digits = currency_precision(currency)

    def major(self, minor: float) -> Decimal:
        return Decimal(str(minor)).scaleb(-self._digits)

    def compact(self, minor: float) -> str:
        """A compact amount for an axis: "1,2 M €", "€1.2m", "0 €"."""
        return str(
            babel_numbers.format_compact_currency(
                self.major(minor), self.currency, locale=self.locale, fraction_digits=1
            )
        )

    def percent(self, value: Decimal) -> str:
        """Percentage points as the locale writes them: "91,5 %" / "91.5%"."""
        return str(
            babel_numbers.format_percent(
                value / 100, locale=self.locale, decimal_quantization=False
            )
        )

    def period(self, period: Period) -> str:
        """ "noviembre de 2026" / "November 2026"; "T4 2026" / "Q4 2026"."""
        if period.kind == "month":
            name = str(babel_dates.format_date(period.start, "LLLL y", locale=self.locale))
            return name[:1].upper() + name[1:]
        return self.tr.pgettext("forecast chart", "Q{number} {year}").format(
            number=period.number, year=period.year
        )

    def day(self, day: dt.date) -> str:
        return str(babel_dates.format_date(day, "d MMM", locale=self.locale))


def _history_texts(w: _Words) -> dict[str, str]:
    t = w.tr
    return {
        "title": t.pgettext("forecast chart", "Submissions this period"),
        "commit": t.pgettext("forecast chart", "Commit"),
        "best_case": t.pgettext("forecast chart", "Best case"),
        "quota": t.pgettext("forecast chart", "Quota"),
        "empty": t.pgettext("forecast chart", "No submissions yet"),
    }


def _closed_label(w: _Words, period: Period, today: dt.date | None) -> str:
    """ "Closed" once the period is over (as of ``today``), "Closed so far" before."""
    if today is not None and today > period.end:
        return w.tr.pgettext("forecast chart", "Closed")
    return w.tr.pgettext("forecast chart", "Closed so far")


@contextmanager
def _styled() -> Iterator[None]:
    with matplotlib.rc_context(cast(Any, _STYLE)):
        yield


def _new_figure(size: tuple[float, float]) -> Figure:
    figure = Figure(figsize=size, dpi=100, layout="constrained")
    figure.patch.set_facecolor("white")
    return figure


def _empty(axes: Axes, title: str, message: str) -> None:
    """An axes that says there is nothing to draw (no ticks, no frame)."""
    axes.set_title(title, loc="left")
    axes.set_axis_off()
    axes.text(
        0.5,
        0.5,
        message,
        transform=axes.transAxes,
        ha="center",
        va="center",
        fontsize=10,
        color=PALETTE["muted"],
    )


def _money_axis(axis: Any, w: _Words) -> None:
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: w.compact(value)))
    axis.set_major_locator(MaxNLocator(nbins=5, min_n_ticks=3))


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _day_number(when: dt.date | dt.datetime) -> float:
    """A date or an aware time as days since 1970-01-01 (the x axis: plain numbers, so no
    date converter or global epoch is involved)."""
    if isinstance(when, dt.datetime):
        return (when - _EPOCH.astimezone(when.tzinfo)).total_seconds() / 86400 + _offset_days(when)
    return float((when - _EPOCH.date()).days)


def _offset_days(when: dt.datetime) -> float:
    """Local days: a time at 23:00 in Madrid is on its own day, not the next UTC one."""
    offset = when.utcoffset()
    return offset.total_seconds() / 86400 if offset else 0.0


def _day_of(number: float) -> dt.date:
    return _EPOCH.date() + dt.timedelta(days=int(number // 1))


def _ticks(period: Period) -> list[float]:
    """Mondays for a month, the 1st and the 15th of each month for a quarter."""
    days = [
        period.start + dt.timedelta(days=n) for n in range((period.end - period.start).days + 1)
    ]
    if period.kind == "month":
        chosen = [day for day in days if day.weekday() == 0]
    else:
        chosen = [day for day in days if day.day in (1, 15)]
    return [_day_number(day) for day in chosen]


def _date_axis(axes: Axes, period: Period, w: _Words) -> None:
    axes.set_xlim(_day_number(period.start), _day_number(period.end) + 1)
    axes.xaxis.set_major_locator(FixedLocator(_ticks(period)))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: w.day(_day_of(value))))


def _hline(axes: Axes, value: int | None, label: str, color: str, style: str) -> None:
    if value is not None:
        axes.axhline(value, color=color, linestyle=style, linewidth=1.2, label=label)


def _steps(
    axes: Axes,
    days: list[float],
    values: list[int],
    period: Period,
    today: dt.date | None,
    **style: Any,
) -> None:
    """Values as steps (each stands until the next), a marker on each submitted value."""
    xs, ys = _end_step(days, values, period, today)
    axes.step(
        xs,
        ys,
        where="post",
        linewidth=1.6,
        markersize=5,
        markevery=list(range(len(days))),
        **style,
    )


def _end_step(
    days: list[float], values: list[int], period: Period, today: dt.date | None
) -> tuple[list[float], list[int]]:
    """The steps carried on to ``today`` or the end of the period, whichever comes first (a
    call stands until the next one)."""
    end = period.end + dt.timedelta(days=1)
    if today is not None:
        end = min(end, today + dt.timedelta(days=1))
    return [*days, max(_day_number(end), days[-1])], [*values, values[-1]]


# --- (a) a person's submission history ---------------------------------------------------------


def submission_history_figure(
    points: Sequence[HistoryPoint],
    *,
    period: Period,
    currency: str,
    language: str,
    quota: int | None = None,
    closed: int | None = None,
    zone: dt.tzinfo | None = None,
    today: dt.date | None = None,
    size: tuple[float, float] = DEFAULT_SIZE,
) -> Figure:
    """Commit and best case of each submission through ``period`` (amounts in minor units of
    ``currency``), the quota and the closed amount as lines; days in ``zone`` (default UTC)."""
    w = _Words(language, currency)
    texts = _history_texts(w)
    with _styled():
        figure = _new_figure(size)
        axes = figure.add_subplot()
        title = f"{texts['title']} · {w.period(period)}"
        if not points:
            _empty(axes, title, texts["empty"])
            return figure
        ordered = sorted(points, key=lambda p: p.submitted_at)
        days = [_day_number(p.submitted_at.astimezone(zone or dt.UTC)) for p in ordered]
        for key, marker, style in (("commit", "o", "-"), ("best_case", "s", "--")):
            values = [getattr(p, key) for p in ordered]
            _steps(
                axes,
                days,
                values,
                period,
                today,
                color=PALETTE[key],
                marker=marker,
                linestyle=style,
                label=texts[key],
            )
        _hline(axes, quota, texts["quota"], PALETTE["quota"], "-.")
        _hline(axes, closed, _closed_label(w, period, today), PALETTE["closed"], ":")
        _finish(axes, title, period, w)
    return figure


def _finish(axes: Axes, title: str, period: Period, w: _Words) -> None:
    axes.set_title(title, loc="left")
    _date_axis(axes, period, w)
    _money_axis(axes.yaxis, w)
    _, top = axes.get_ylim()
    axes.set_ylim(0, top * 1.08)
    _legend(axes)


def _legend(axes: Axes) -> None:
    """The legend under the plot, in one row: it never covers data."""
    handles, labels = axes.get_legend_handles_labels()
    axes.figure.legend(handles, labels, loc="outside lower center", ncols=len(labels))


# --- (b) the team's trend ----------------------------------------------------------------------


def team_trend_figure(
    days: Sequence[tuple[dt.date, int]],
    *,
    period: Period,
    currency: str,
    language: str,
    quota: int | None = None,
    closed: int | None = None,
    today: dt.date | None = None,
    size: tuple[float, float] = DEFAULT_SIZE,
) -> Figure:
    """The team's submitted call day by day through ``period`` (``(day, call)`` in minor units,
    from :func:`~sfa_desktop.services.forecasts.team_trend`), the team quota and closed."""
    w = _Words(language, currency)
    t = w.tr
    with _styled():
        figure = _new_figure(size)
        axes = figure.add_subplot()
        title = t.pgettext("forecast chart", "Team call") + " · " + w.period(period)
        if not days:
            _empty(axes, title, t.pgettext("forecast chart", "No submissions yet"))
            return figure
        ordered = sorted(days)
        xs = [_day_number(day) for day, _call in ordered]
        ys = [call for _day, call in ordered]
        _steps(
            axes,
            xs,
            ys,
            period,
            today,
            color=PALETTE["call"],
            marker="o",
            linestyle="-",
            label=t.pgettext("forecast chart", "Submitted call"),
        )
        _hline(axes, quota, t.pgettext("forecast chart", "Team quota"), PALETTE["quota"], "-.")
        _hline(axes, closed, _closed_label(w, period, today), PALETTE["closed"], ":")
        _finish(axes, title, period, w)
    return figure


# --- (c) attainment per person -------------------------------------------------------------------


def team_attainment_figure(
    rows: Sequence[BarRow],
    *,
    period: Period,
    currency: str,
    language: str,
    size: tuple[float, float] = DEFAULT_SIZE,
) -> Figure:
    """Per person (top to bottom in ``rows`` order): closed and call as bars, the quota as a
    black tick, and the attainment (closed / quota) written after the bars."""
    w = _Words(language, currency)
    t = w.tr
    with _styled():
        figure = _new_figure(size)
        axes = figure.add_subplot()
        title = t.pgettext("forecast chart", "Attainment by person") + " · " + w.period(period)
        if not rows:
            _empty(axes, title, t.pgettext("forecast chart", "Nobody to show"))
            return figure
        _bars(axes, rows, w)
        axes.set_title(title, loc="left")
        _legend(axes)
    return figure


def _bars(axes: Axes, rows: Sequence[BarRow], w: _Words) -> None:
    t = w.tr
    count = len(rows)
    positions = [count - 1 - index for index in range(count)]
    height = 0.38
    axes.barh(
        [p + height / 2 for p in positions],
        [r.closed for r in rows],
        height=height,
        color=PALETTE["closed"],
        label=t.pgettext("forecast chart", "Closed"),
    )
    axes.barh(
        [p - height / 2 for p in positions],
        [r.call or 0 for r in rows],
        height=height,
        color=PALETTE["call"],
        hatch="///",
        edgecolor="white",
        linewidth=0,
        label=t.pgettext("forecast chart", "Call"),
    )
    quotas = [(p, r.quota) for p, r in zip(positions, rows, strict=True) if r.quota]
    if quotas:
        axes.plot(
            [q for _p, q in quotas],
            [p for p, _q in quotas],
            "|",
            color=PALETTE["quota"],
            markersize=16,
            markeredgewidth=2.2,
            label=t.pgettext("forecast chart", "Quota"),
        )
    top = max([1, *(max(r.closed, r.call or 0, r.quota or 0) for r in rows)])
    for position, row in zip(positions, rows, strict=True):
        if row.attainment_pct is not None:
            reach = max(row.closed, row.call or 0, row.quota or 0)
            axes.text(
                reach + top * 0.02,
                position,
                w.percent(row.attainment_pct),
                va="center",
                fontsize=7,
                fontweight="bold",
                color="#1d232b",
            )
    axes.set_yticks(positions, [r.name for r in rows])
    axes.set_xlim(0, top * 1.18)
    axes.set_ylim(-0.7, count - 0.3)
    axes.grid(axis="y", visible=False)
    _money_axis(axes.xaxis, w)


# --- files ---------------------------------------------------------------------------------------

#: metadata that would change from run to run (dates, versions) left out of each format
_METADATA: Mapping[str, Mapping[str, str | None]] = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Producer": None, "Creator": None},
}


def figure_bytes(figure: Figure, fmt: Format = "png", *, dpi: float = 200) -> bytes:
    """``figure`` as PNG (at ``dpi``), SVG or PDF; the same figure gives the same bytes."""
    buffer = io.BytesIO()
    with _styled():
        figure.savefig(
            buffer, format=fmt, dpi=dpi, metadata=dict(_METADATA[fmt]), facecolor="white"
        )
    return buffer.getvalue()
