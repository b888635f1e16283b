"""The accounts table model over a real SQLite profile: paging, sorting, search, staleness."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from sfa_desktop.i18n import set_language
from sfa_desktop.store.collation import sorted_names
from sfa_desktop.ui.models.accounts_model import (
    ACCOUNT_ID_ROLE,
    COLUMNS,
    STAGE_COLUMN,
    AccountsModel,
)
from sfa_desktop.ui.models.list_query import NameSortedQuery
from sfa_desktop.ui.tasks import TaskRunner

from .conftest import ACCOUNT_COUNT, CITIES, WAIT_MS

NAME, CITY = 0, 2


def loaded_model(qtbot: QtBot, runner: TaskRunner, *, page_size: int = 200) -> AccountsModel:
    model = AccountsModel(runner, page_size=page_size)
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.refresh()
    return model


def names(model: AccountsModel) -> list[str]:
    return [model.account_at(row).name for row in range(model.rowCount())]


def fetch_all(qtbot: QtBot, model: AccountsModel) -> None:
    while model.canFetchMore(QModelIndex()):
        with qtbot.waitSignal(model.rowsInserted, timeout=WAIT_MS):
            model.fetchMore(QModelIndex())


def test_passes_the_model_tester_with_real_data(
    qtbot: QtBot, qtmodeltester: ModelTester, db_runner: TaskRunner
) -> None:
    model = loaded_model(qtbot, db_runner)
    qtmodeltester.check(model)
    fetch_all(qtbot, model)  # the tester keeps watching the inserts
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.set_search("Bilbao")
    qtmodeltester.check(model)


def test_loads_the_first_page_and_the_total(qtbot: QtBot, db_runner: TaskRunner) -> None:
    model = loaded_model(qtbot, db_runner)
    assert (model.rowCount(), model.total_count, model.columnCount()) == (200, ACCOUNT_COUNT, 8)
    assert model.canFetchMore(QModelIndex())
    assert names(model) == sorted_names(names(model))


def test_fetch_more_pages_through_everything_once(qtbot: QtBot, db_runner: TaskRunner) -> None:
    model = loaded_model(qtbot, db_runner)
    sizes = []
    while model.canFetchMore(QModelIndex()):
        with qtbot.waitSignal(model.rowsInserted, timeout=WAIT_MS):
            model.fetchMore(QModelIndex())
        sizes.append(model.rowCount())
    assert sizes == [400, ACCOUNT_COUNT]
    ids = [model.data(model.index(row, 0), ACCOUNT_ID_ROLE) for row in range(model.rowCount())]
    assert len(set(ids)) == ACCOUNT_COUNT


def test_fetch_more_does_not_run_twice_while_a_page_is_loading(
    qtbot: QtBot, db_runner: TaskRunner
) -> None:
    model = loaded_model(qtbot, db_runner)
    model.fetchMore(QModelIndex())
    assert not model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())  # ignored: one page at a time
    qtbot.waitUntil(lambda: model.canFetchMore(QModelIndex()), timeout=WAIT_MS)
    assert model.rowCount() == 400


def test_sorting_requeries_with_the_store_sort_keys(qtbot: QtBot, db_runner: TaskRunner) -> None:
    model = loaded_model(qtbot, db_runner)
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.sort(NAME, Qt.SortOrder.DescendingOrder)
    assert model.query == NameSortedQuery(sort="name", descending=True)
    assert names(model) == sorted_names(names(model))[::-1]
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.sort(CITY, Qt.SortOrder.AscendingOrder)
    fetch_all(qtbot, model)
    cities = [model.account_at(row).city for row in range(model.rowCount())]
    assert cities == sorted(cities)  # type: ignore[type-var]
    assert model.rowCount() == ACCOUNT_COUNT


def test_columns_the_store_cannot_sort_are_ignored(qtbot: QtBot, db_runner: TaskRunner) -> None:
    model = loaded_model(qtbot, db_runner)
    phone = next(i for i, c in enumerate(COLUMNS) if c.attribute == "phone")
    model.sort(phone, Qt.SortOrder.AscendingOrder)
    assert not model.is_loading and model.query == NameSortedQuery()
    assert not model.is_sortable(phone) and model.is_sortable(NAME)


def test_search_filters_and_counts(qtbot: QtBot, db_runner: TaskRunner) -> None:
    model = loaded_model(qtbot, db_runner)
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.set_search("malaga")  # accents are folded by the store's search
    assert model.total_count == ACCOUNT_COUNT // len(CITIES)
    assert {model.account_at(row).city for row in range(model.rowCount())} == {"Málaga"}
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.set_search("")
    assert model.total_count == ACCOUNT_COUNT


def test_a_newer_search_discards_older_results(qtbot: QtBot, db_runner: TaskRunner) -> None:
    model = loaded_model(qtbot, db_runner)
    shown: list[str] = []
    model.loaded.connect(lambda: shown.append(model.shown_query.search))  # type: ignore[union-attr]
    model.set_search("Bilbao")
    model.set_search("Zaragoza")
    qtbot.waitUntil(lambda: not model.is_loading, timeout=WAIT_MS)
    assert db_runner.pending_count == 0
    assert shown == ["Zaragoza"]
    assert {model.account_at(row).city for row in range(model.rowCount())} == {"Zaragoza"}


def test_a_search_supersedes_a_page_still_loading(qtbot: QtBot, db_runner: TaskRunner) -> None:
    model = loaded_model(qtbot, db_runner)
    model.fetchMore(QModelIndex())
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.set_search("Valencia")
    qtbot.waitUntil(lambda: db_runner.pending_count == 0, timeout=WAIT_MS)
    assert {model.account_at(row).city for row in range(model.rowCount())} == {"Valencia"}
    assert model.rowCount() == model.total_count == ACCOUNT_COUNT // len(CITIES)


def test_no_accounts(qtbot: QtBot, empty_db_runner: TaskRunner) -> None:
    model = loaded_model(qtbot, empty_db_runner)
    assert (model.rowCount(), model.total_count) == (0, 0)
    assert not model.canFetchMore(QModelIndex())


def test_cells_headers_and_language(qtbot: QtBot, db_runner: TaskRunner) -> None:
    model = loaded_model(qtbot, db_runner)
    account = model.account_at(0)
    stage = model.index(0, STAGE_COLUMN)
    english_stage = model.data(stage)
    assert english_stage in {"Prospect", "Qualified", "Customer", "Lapsed"}
    assert model.data(model.index(0, NAME)) == account.name
    assert model.data(stage, ACCOUNT_ID_ROLE) == account.id
    phone = next(i for i, c in enumerate(COLUMNS) if c.attribute == "phone")
    assert model.data(model.index(0, phone)).startswith("91")  # national format at home
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Name"
    set_language("es")
    with qtbot.waitSignals([model.headerDataChanged, model.dataChanged], timeout=WAIT_MS):
        model.retranslate()
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Nombre"
    assert model.data(stage) in {"Cliente potencial", "Cualificado", "Cliente", "Inactivo"}


def test_a_failing_query_reports_a_message(qtbot: QtBot, runner: TaskRunner) -> None:
    model = AccountsModel(runner)  # no database attached
    with qtbot.waitSignal(model.load_failed, timeout=WAIT_MS) as failure:
        model.refresh()
    assert "no database is open" in failure.args[0]
    assert not model.is_loading
