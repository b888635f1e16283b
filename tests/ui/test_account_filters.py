"""The accounts filter bar: owner, region, stage and overdue, each and with a search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from sfa_desktop.store.collation import sorted_names
from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.records import bulk_insert
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.accounts import AccountsWorkspace

from .conftest import ACCOUNT_COUNT, NOW, USERS, WAIT_MS, account_rows
from .shown_workspace import shown_when_ready

LATER = NOW + dt.timedelta(days=10)
"""Ten days after the accounts were created: every account with a cadence is due."""


@pytest.fixture
def visited(database: Database) -> list[str]:
    """Accounts 1..3 visited yesterday (not overdue); account 4 planned on its due day."""
    rows = account_rows(4)
    visits = [
        {
            "account_id": row["id"],
            "owner_id": row["owner_id"],
            "kind": "visit",
            "status": "done",
            "planned_start": LATER - dt.timedelta(days=1),
        }
        for row in rows[:3]
    ]
    visits.append(
        {
            "account_id": rows[3]["id"],
            "owner_id": rows[3]["owner_id"],
            "kind": "visit",
            "status": "planned",
            "planned_start": NOW + dt.timedelta(hours=2),
        }
    )
    with database.session() as session:
        bulk_insert(session, "visit", visits, now=NOW)
    return [str(row["id"]) for row in rows]


@pytest.fixture
def workspace(
    qtbot: QtBot, db_runner: TaskRunner, visited: list[str]
) -> Iterator[AccountsWorkspace]:
    workspace = shown_when_ready(qtbot, AccountsWorkspace(db_runner, now=lambda: LATER))
    bar = workspace.filter_bar
    qtbot.waitUntil(
        lambda: bar.owner.count() == 1 + len(USERS) and bar.region.count() > 1, timeout=WAIT_MS
    )
    yield workspace


def _rows(workspace: AccountsWorkspace) -> list:
    model = workspace.model
    return [model.account_at(row) for row in range(model.rowCount())]


def _apply(qtbot: QtBot, workspace: AccountsWorkspace, action) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        action()


def test_the_owner_filter(qtbot: QtBot, workspace: AccountsWorkspace) -> None:
    bar = workspace.filter_bar
    assert [bar.owner.itemText(i) for i in range(3)] == ["All owners", "Ana García", "Luis Pérez"]
    _apply(qtbot, workspace, lambda: bar.select(bar.owner, str(USERS[1]["id"])))
    assert workspace.model.total_count == ACCOUNT_COUNT // 2
    assert {row.owner_name for row in _rows(workspace)} == {"Luis Pérez"}
    assert bar.clear_button.isEnabled()


def test_the_region_filter(qtbot: QtBot, workspace: AccountsWorkspace) -> None:
    bar = workspace.filter_bar
    regions = [bar.region.itemText(i) for i in range(1, bar.region.count())]
    assert regions == sorted_names(regions) and "País Vasco" in regions
    _apply(qtbot, workspace, lambda: bar.select(bar.region, "País Vasco"))
    assert workspace.model.total_count == ACCOUNT_COUNT // 5
    assert {row.city for row in _rows(workspace)} == {"Bilbao"}


def test_the_stage_filter_with_translated_choices(
    qtbot: QtBot, workspace: AccountsWorkspace
) -> None:
    bar = workspace.filter_bar
    _apply(qtbot, workspace, lambda: bar.select(bar.stage, "lapsed"))
    assert bar.stage.currentText() == "Lapsed"
    assert workspace.model.total_count == ACCOUNT_COUNT // 4
    assert {row.lifecycle_stage for row in _rows(workspace)} == {"lapsed"}


def test_the_overdue_filter(qtbot: QtBot, workspace: AccountsWorkspace, visited: list[str]) -> None:
    _apply(qtbot, workspace, lambda: workspace.filter_bar.overdue.setChecked(True))
    # visited yesterday, or a visit planned on the day it fell due: not overdue
    assert workspace.model.total_count == ACCOUNT_COUNT - 4
    assert not set(visited) & {row.id for row in _rows(workspace)}


def test_filters_combine_with_each_other_and_the_search(
    qtbot: QtBot, workspace: AccountsWorkspace, qtmodeltester: ModelTester
) -> None:
    bar = workspace.filter_bar
    _apply(qtbot, workspace, lambda: bar.select(bar.owner, str(USERS[0]["id"])))
    _apply(qtbot, workspace, lambda: bar.select(bar.region, "Andalucía"))
    _apply(qtbot, workspace, lambda: bar.overdue.setChecked(True))
    combined = _rows(workspace)
    assert combined and {(r.owner_name, r.city) for r in combined} == {("Ana García", "Málaga")}
    _apply(qtbot, workspace, lambda: workspace.model.set_search("ferre"))
    searched = _rows(workspace)
    assert searched and all(r.name.startswith("Ferretería") for r in searched)
    assert {r.id for r in searched} < {r.id for r in combined}
    assert workspace.model.total_count == len(searched)
    qtmodeltester.check(workspace.model)
    _apply(qtbot, workspace, lambda: workspace.model.set_search("xyzzy"))
    assert workspace.showing_empty_state()
    assert workspace.empty_state.title() == "No accounts match “xyzzy”"
    _apply(qtbot, workspace, lambda: workspace.model.set_search(""))
    _apply(qtbot, workspace, bar.clear)
    assert workspace.model.total_count == ACCOUNT_COUNT
    assert not bar.clear_button.isEnabled()
    assert workspace.model.canFetchMore(QModelIndex())


def test_no_account_matches_the_filters(qtbot: QtBot, workspace: AccountsWorkspace) -> None:
    bar = workspace.filter_bar
    _apply(qtbot, workspace, lambda: bar.select(bar.region, "Aragón"))
    _apply(qtbot, workspace, lambda: bar.select(bar.owner, str(USERS[0]["id"])))
    # Zaragoza accounts have numbers ≡ 4 (mod 5); owner 0 has even numbers; stage index 1 is
    # numbers ≡ 1 (mod 4): odd, so none of them
    _apply(qtbot, workspace, lambda: bar.select(bar.stage, "qualified"))
    assert workspace.model.total_count == 0
    assert workspace.showing_empty_state()
    assert workspace.empty_state.title() == "No accounts match these filters"
