"""The forecast charts: matplotlib figures without Qt, localized, readable, the same bytes for
the same data, and a clear figure when there is nothing to draw."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from PIL import Image

from sfa_desktop.services.exports.forecast_charts import (
    BarRow,
    HistoryPoint,
    figure_bytes,
    submission_history_figure,
    team_attainment_figure,
    team_trend_figure,
)
from sync_server.protocol.forecast_rules import parse_period

NOVEMBER = parse_period("2026-11")
Q4 = parse_period("2026-Q4")
HISTORY = [
    HistoryPoint(dt.datetime(2026, 11, 3, 9, tzinfo=dt.UTC), 650_000, 880_000),
    HistoryPoint(dt.datetime(2026, 11, 16, 9, tzinfo=dt.UTC), 720_000, 960_000),
]
BARS = [
    BarRow("Carlos Ruiz Navarro", 860_060, 790_000, 940_000, Decimal("91.5")),
    BarRow("Elena Vidal Campos", 2_490_700, 910_000, 1_130_000, Decimal("220.4")),
    BarRow("Marta Soler Puig", 0, 550_000, 1_870_000, Decimal("0.0")),
    BarRow("Sin cuota", 10_000, None, None, None),
]


def _texts(figure: Figure) -> list[str]:
    """Every text drawn in the figure (titles, tick labels, legend, annotations)."""
    figure_bytes(figure, "png", dpi=50)  # lays the figure out, so tick labels exist
    return [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


def _history(language: str = "es") -> Figure:
    return submission_history_figure(
        HISTORY,
        period=NOVEMBER,
        currency="EUR",
        language=language,
        quota=940_000,
        closed=560_000,
        today=dt.date(2026, 11, 25),
    )


def test_the_history_chart_speaks_spanish_with_spanish_money() -> None:
    texts = _texts(_history("es"))
    assert "Envíos del periodo · Noviembre 2026" in texts
    for label in ("Compromiso", "Mejor caso", "Cuota", "Cerrado hasta hoy"):
        assert label in texts
    assert "10\xa0mil\xa0€" in texts or "10 mil €" in texts
    assert "16 nov" in texts and "0\xa0€" in texts


def test_the_history_chart_in_english() -> None:
    texts = _texts(_history("en"))
    assert "Submissions this period · November 2026" in texts
    assert {"Commit", "Best case", "Quota", "Closed so far", "16 Nov", "€10k"} <= set(texts)


def test_the_quarter_trend_has_a_tick_on_the_first_and_fifteenth() -> None:
    figure = team_trend_figure(
        [(dt.date(2026, 10, 12), 15_840_000), (dt.date(2026, 11, 16), 16_000_000)],
        period=Q4,
        currency="EUR",
        language="es",
        quota=20_000_000,
    )
    texts = _texts(figure)
    assert "Estimación del equipo · T4 2026" in texts
    assert {"1 oct", "15 oct", "1 nov", "15 nov", "1 dic", "15 dic"} <= set(texts)
    assert "Cuota del equipo" in texts


def test_the_attainment_chart_names_every_person_and_their_attainment() -> None:
    texts = _texts(team_attainment_figure(BARS, period=NOVEMBER, currency="EUR", language="es"))
    for row in BARS:
        assert row.name in texts
    assert {"91,5\xa0%", "220,4\xa0%", "0\xa0%"} <= set(texts)
    assert {"Cerrado", "Estimación", "Cuota"} <= set(texts)


@pytest.mark.parametrize("language", ["es", "en"])
def test_no_data_draws_a_figure_that_says_so(language: str) -> None:
    empty = {
        "es": ("Todavía no hay envíos", "No hay nadie que mostrar"),
        "en": ("No submissions yet", "Nobody to show"),
    }[language]
    history = submission_history_figure([], period=NOVEMBER, currency="EUR", language=language)
    trend = team_trend_figure([], period=NOVEMBER, currency="EUR", language=language)
    bars = team_attainment_figure([], period=NOVEMBER, currency="EUR", language=language)
    assert empty[0] in _texts(history) and empty[0] in _texts(trend)
    assert empty[1] in _texts(bars)
    assert not history.axes[0].axison  # no empty frame with meaningless ticks
    png = Image.open(__import__("io").BytesIO(figure_bytes(history, "png", dpi=80)))
    assert png.size == (480, 256)


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_the_same_data_give_the_same_bytes(fmt: str) -> None:
    first = figure_bytes(_history(), fmt)  # type: ignore[arg-type]
    again = figure_bytes(_history(), fmt)  # type: ignore[arg-type]
    assert first == again
    if fmt == "svg":
        assert b"<dc:date>" not in first and b"Matplotlib v" not in first
    if fmt == "png":
        assert b"Software" not in first and b"matplotlib" not in first.lower()
    if fmt == "pdf":
        assert b"CreationDate" not in first and b"matplotlib" not in first.lower()


def test_the_same_bytes_in_another_process(tmp_path: Path) -> None:
    """Nothing process-dependent (ids, font caches, hash seeds) reaches the file."""
    script = (
        "import sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from test_forecast_charts import _history\n"
        "from sfa_desktop.services.exports.forecast_charts import figure_bytes\n"
        "sys.stdout.buffer.write(figure_bytes(_history(), 'svg'))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    folder = str(Path(__file__).parent)
    other = subprocess.run(
        [sys.executable, "-c", script, folder], capture_output=True, check=True, env=env
    ).stdout
    assert other == figure_bytes(_history(), "svg")


def test_the_charts_need_no_qt() -> None:
    script = (
        "import sys\n"
        "import sfa_desktop.services.exports.forecast_charts\n"
        "import sfa_desktop.services.forecast_export\n"
        "bad = sorted(m for m in sys.modules if m.startswith(('PySide6', 'matplotlib.pyplot')))\n"
        "print(bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, check=True)
    assert result.stdout.strip() == b"[]"


def test_the_charts_as_png_for_a_look(tmp_path: Path) -> None:
    """Saved at print resolution (the files are what was looked at while writing this)."""
    figures = {
        "history": _history(),
        "trend": team_trend_figure(
            [(dt.date(2026, 11, 3), 3_280_000), (dt.date(2026, 11, 16), 3_060_000)],
            period=NOVEMBER,
            currency="EUR",
            language="es",
            quota=5_640_000,
            closed=3_678_185,
        ),
        "bars": team_attainment_figure(BARS, period=NOVEMBER, currency="EUR", language="es"),
    }
    for name, figure in figures.items():
        png = figure_bytes(figure, "png", dpi=200)
        (tmp_path / f"{name}.png").write_bytes(png)
        image = Image.open(tmp_path / f"{name}.png").convert("RGB")
        assert image.size == (1200, 640)
        colours = {colour for _count, colour in image.getcolors(maxcolors=1 << 20) or []}
        assert (0, 114, 178) in colours or (0, 158, 115) in colours  # the palette is drawn


def test_after_the_period_closed_is_no_longer_so_far() -> None:
    figure = team_trend_figure(
        [(dt.date(2026, 11, 3), 3_280_000)],
        period=NOVEMBER,
        currency="EUR",
        language="en",
        closed=3_000_000,
        today=dt.date(2026, 12, 2),
    )
    texts = _texts(figure)
    assert "Closed" in texts and "Closed so far" not in texts


def test_the_history_of_a_demo_rep(tmp_path: Path) -> None:
    """From the forecast services' rows (what the Forecast workspace passes) to a PNG."""
    from demo.profiles import build_demo_file

    from sfa_desktop.services.exports.forecast_charts import history_points
    from sfa_desktop.services.forecasts import my_forecast, submission_history
    from sfa_desktop.store.database import open_database

    day = dt.date(2026, 11, 25)
    demo = build_demo_file(tmp_path, accounts=30, today=day)
    with open_database(demo) as database, database.session() as session:
        mine = my_forecast(session, NOVEMBER, day)
        assert mine is not None
        rows = submission_history(session, mine.user_id, NOVEMBER)
    points = history_points(rows, "EUR")
    assert [p.commit for p in points] == [r.commit for r in rows if r.currency == "EUR"]
    (line,) = mine.own
    figure = submission_history_figure(
        points,
        period=NOVEMBER,
        currency="EUR",
        language="es",
        quota=line.quota,
        closed=line.figures.closed,
        today=day,
    )
    (tmp_path / "history.png").write_bytes(figure_bytes(figure, "png", dpi=120))
    texts = _texts(figure)
    assert "Compromiso" in texts and "Cerrado hasta hoy" in texts
    drawn = [line for line in figure.axes[0].get_lines() if line.get_label() == "Compromiso"]
    assert len(drawn) == 1 and len(drawn[0].get_xdata()) == len(points) + 1  # carried to today
