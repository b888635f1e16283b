"""The Customers charts: the Pareto curve's lines and tier labels, the quadrant's placeable
accounts and medians, empty data said in words, both languages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from sfa_desktop.domain.segments import AccountFacts, pareto_curve
from sfa_desktop.services.exports.customer_charts import (
    pareto_figure,
    quadrant_figure,
    quadrant_points,
)


def _texts(figure: object) -> list[str]:
    axes = figure.axes[0]  # type: ignore[attr-defined]
    return [text.get_text() for text in axes.texts]


def test_the_pareto_chart_marks_80_percent_and_the_tiers() -> None:
    values = {f"a{i}": Decimal(v) for i, v in enumerate([80, 10, 5, 3, 2])}
    tiers = {"a0": "A", "a1": "B", "a2": "B", "a3": "C", "a4": "C"}
    figure = pareto_figure(
        pareto_curve(values, tiers), counts={"A": 1, "B": 2, "C": 2}, currency="EUR", language="es"
    )
    FigureCanvasAgg(figure).draw()
    axes = figure.axes[0]
    assert axes.get_title(loc="left") == "Parte del valor según la parte de las cuentas"
    assert "80 % del valor" in _texts(figure)
    assert {"A: 1", "B: 2", "C: 2"} <= set(_texts(figure))
    curve = axes.get_lines()[-1]
    assert list(curve.get_ydata())[-1] == pytest.approx(1.0)
    assert any(list(line.get_ydata()) == [0.8, 0.8] for line in axes.get_lines())


def test_no_value_draws_a_message() -> None:
    figure = pareto_figure(pareto_curve({}, {}), counts={}, currency="EUR", language="en")
    assert "No account has a value yet" in _texts(figure)
    empty = quadrant_figure(quadrant_points([]), currency="EUR", language="en")
    assert "No account has both a value and a potential" in _texts(empty)


def _facts(name: str, value: int, potential: int | None, abc: str) -> AccountFacts:
    return AccountFacts(
        account_id=name,
        name=name,
        value=Decimal(value),
        potential=None if potential is None else Decimal(potential),
        abc=abc,
    )


def test_the_quadrant_places_accounts_with_value_and_potential() -> None:
    accounts = [
        _facts("a", 100, 1000, "A"),
        _facts("b", 10, 50, "B"),
        _facts("c", 1, 5000, "C"),
        _facts("d", 0, 900, "C"),  # no value
        _facts("e", 50, None, "B"),  # no potential
    ]
    points = quadrant_points(accounts)
    assert points.values == (100.0, 10.0, 1.0) and points.tiers == ("A", "B", "C")
    assert (points.value_median, points.potential_median, points.left_out) == (10.0, 1000.0, 2)
    figure = quadrant_figure(points, currency="EUR", language="en")
    FigureCanvasAgg(figure).draw()
    assert {"Retain and grow", "Retain", "Develop", "Serve at low cost"} <= set(_texts(figure))
    assert "2 not shown" in figure.axes[0].get_xlabel()
