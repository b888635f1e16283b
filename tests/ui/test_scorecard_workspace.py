"""The Scorecard workspace on a real SQLite team: the tiles show the service's figures, the
breakdown table adds up, a period change or another comparison reloads, Export PDF writes a
PDF, the charts are drawn, and Spanish."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot
from services.scorecard_fixtures import NOW, scorecard_database

from sfa_desktop.i18n import set_language
from sfa_desktop.services.scorecard import load_scorecard
from sfa_desktop.services.scorecard_text import value_text
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.store.database import Database
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.scorecard import ScorecardWorkspace

from .conftest import WAIT_MS

CLOCK = AgendaClock.fixed(NOW, dt.UTC)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def open_as(qapp: object, tmp_path: Path) -> Iterator[Callable[[str], tuple[Database, TaskRunner]]]:
    opened: list[tuple[Database, TaskRunner]] = []

    def open_it(me: str) -> tuple[Database, TaskRunner]:
        folder = tmp_path / f"p{len(opened)}"
        folder.mkdir()
        database = scorecard_database(folder, me)
        runner = TaskRunner()
        runner.attach_database(database)
        opened.append((database, runner))
        return database, runner

    yield open_it
    for database, runner in opened:
        runner.shutdown()
        database.close()


def shown(qtbot: QtBot, runner: TaskRunner) -> ScorecardWorkspace:
    workspace = ScorecardWorkspace(runner, clock=CLOCK)
    qtbot.addWidget(workspace)
    workspace.resize(1300, 900)
    workspace.show()
    qtbot.waitUntil(workspace.is_ready, timeout=WAIT_MS)
    return workspace


def reload(qtbot: QtBot, workspace: ScorecardWorkspace, action: Callable[[], object]) -> None:
    before = workspace.loads
    action()
    qtbot.waitUntil(lambda: workspace.loads > before, timeout=WAIT_MS)


def test_the_tiles_show_the_services_figures(
    qtbot: QtBot, open_as: Callable[[str], tuple[Database, TaskRunner]]
) -> None:
    database, runner = open_as("m")
    workspace = shown(qtbot, runner)
    assert str(workspace.period) == "2026-Q4"
    with database.session() as session:
        card = load_scorecard(session, workspace.period, "previous", today=CLOCK.today())
    assert len(workspace.tiles) == len(card.kpis)
    for kpi in card.kpis:
        assert workspace.tiles[kpi.key].value.text() == value_text(kpi, card.currency)
    assert workspace.tiles["sales"].value.text() == "€2,800"
    assert workspace.tiles["sales"].change.text() == "▲ +€1,300"
    assert workspace.tiles["sales"].compared.text() == "Q3 2026: €1,500"
    assert workspace.tiles["sales_growth"].compared.text() == "vs Q3 2026"
    assert "Your team's accounts (3)" in workspace.scope_label.text()
    table = workspace.table
    assert table.item(table.rowCount() - 1, 0).text() == "Total"
    assert table.item(table.rowCount() - 1, 1).text() == "€2,800"
    assert workspace.family_chart.canvas is not None
    assert workspace.retention_chart.canvas is not None


def test_a_period_or_comparison_change_reloads(
    qtbot: QtBot, open_as: Callable[[str], tuple[Database, TaskRunner]]
) -> None:
    _database, runner = open_as("r1")
    workspace = shown(qtbot, runner)
    assert workspace.tiles["sales"].value.text() == "€2,000"
    reload(qtbot, workspace, lambda: workspace.step(-1))
    assert str(workspace.period) == "2026-Q3"
    assert workspace.tiles["sales"].value.text() == "€1,500"
    reload(qtbot, workspace, lambda: workspace.kind.setCurrentIndex(2))  # years
    assert str(workspace.period) == "2026"
    reload(qtbot, workspace, lambda: workspace.compare.setCurrentIndex(1))
    assert str(workspace.page.card.compared_period) == "2025"  # type: ignore[union-attr]
    assert workspace.tiles["sales"].value.text() == "€3,500"
    workspace.dimension.setCurrentIndex(2)  # zones
    assert workspace.table.item(0, 0).text() == "Madrid"


def test_export_writes_a_pdf(
    qtbot: QtBot, open_as: Callable[[str], tuple[Database, TaskRunner]], tmp_path: Path
) -> None:
    _database, runner = open_as("m")
    workspace = shown(qtbot, runner)
    target = tmp_path / "scorecard.pdf"
    workspace.choose_file = lambda: str(target)
    with qtbot.waitSignal(workspace.exported, timeout=WAIT_MS) as done:
        workspace.export()
    assert done.args == [str(target)]
    text = PdfReader(target).pages[0].extract_text()
    assert "CRM scorecard Q4 2026" in text and "€2,800" in text


def test_in_spanish(qtbot: QtBot, open_as: Callable[[str], tuple[Database, TaskRunner]]) -> None:
    set_language("es")
    _database, runner = open_as("m")
    workspace = shown(qtbot, runner)
    assert workspace.title() == "Cuadro de mando"
    assert workspace.panels["learning"].title() == "Aprendizaje y crecimiento"
    assert workspace.tiles["sales"].value.text() == "2.800\xa0€"
    assert workspace.tiles["retention"].value.text() == "50,0 %"
