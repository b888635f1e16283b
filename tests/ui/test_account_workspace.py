"""Accounts workspace actions: new (Ctrl+N), edit (F2), delete (Del), open the page and back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from sfa_desktop.store.database import Database
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.accounts import AccountsWorkspace

from .conftest import ACCOUNT_COUNT, NOW, WAIT_MS
from .record_dialogs import open_record_dialog, save_and_reload, stored
from .shown_workspace import shown_when_ready


@pytest.fixture
def workspace(qtbot: QtBot, db_runner: TaskRunner) -> Iterator[AccountsWorkspace]:
    workspace = shown_when_ready(qtbot, AccountsWorkspace(db_runner, now=lambda: NOW))
    yield workspace


def _select(workspace: AccountsWorkspace, row: int) -> None:
    workspace.table.selectRow(row)
    workspace.table.setFocus()


def test_new_account_shows_errors_inline_then_saves(
    qtbot: QtBot, workspace: AccountsWorkspace, database: Database
) -> None:
    workspace.new_account()  # what Ctrl+N and the button do
    dialog = open_record_dialog(workspace)
    assert dialog.windowTitle() == "New account"
    form = dialog.form
    form.editor("name").set_value("Aaron Ferretería Nueva S.L.")
    form.editor("tax_id").set_value("A1234567")  # too short for a CIF
    form.editor("email").set_value("ventas@@nueva.es")
    with qtbot.waitSignal(dialog.save_finished, timeout=WAIT_MS) as finished:
        dialog.save()
    assert finished.args == [False] and dialog.isVisible()
    assert "not a valid tax ID" in form.error_text("tax_id")
    assert "not a valid email address" in form.error_text("email")
    form.editor("tax_id").set_value("B12345674")
    form.editor("email").set_value("ventas@nueva.es")
    save_and_reload(qtbot, dialog, workspace)
    assert workspace.open_dialog is None
    assert workspace.model.total_count == ACCOUNT_COUNT + 1
    first = workspace.model.account_at(0)
    assert (first.name, first.tax_id, first.email) == (
        "Aaron Ferretería Nueva S.L.",
        "B12345674",
        "ventas@nueva.es",
    )


def test_the_new_account_shortcut_and_the_buttons(
    qtbot: QtBot, workspace: AccountsWorkspace
) -> None:
    buttons = {button.objectName(): button for button in workspace.findChildren(QPushButton)}
    assert "Ctrl+N" in buttons["newAccount"].toolTip()
    assert "F2" in buttons["editAccount"].toolTip() and "Del" in buttons["deleteAccount"].toolTip()
    assert not buttons["editAccount"].isEnabled()  # nothing selected yet
    _select(workspace, 0)
    assert buttons["editAccount"].isEnabled() and buttons["deleteAccount"].isEnabled()
    with qtbot.waitActive(workspace):
        workspace.activateWindow()
    qtbot.keyClick(workspace.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = open_record_dialog(workspace)
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT_MS):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert workspace.open_dialog is None


def test_f2_edits_the_selected_account(
    qtbot: QtBot, workspace: AccountsWorkspace, database: Database
) -> None:
    _select(workspace, 2)
    account = workspace.model.account_at(2)
    qtbot.keyClick(workspace.table, Qt.Key.Key_F2)
    dialog = open_record_dialog(workspace)
    assert dialog.windowTitle() == "Edit account"
    qtbot.waitUntil(lambda: dialog.form.editor("name").value() == account.name, timeout=WAIT_MS)
    dialog.form.editor("industry").set_value("Ferretería industrial")
    save_and_reload(qtbot, dialog, workspace)
    record = stored(database, "account", account.id)
    assert record is not None and record["industry"] == "Ferretería industrial"


def test_delete_asks_first_naming_the_account(
    qtbot: QtBot,
    workspace: AccountsWorkspace,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    questions: list[str] = []
    answer = QMessageBox.StandardButton.Cancel

    def ask(parent, title, text, buttons, default):  # type: ignore[no-untyped-def]
        questions.append(text)
        assert default == QMessageBox.StandardButton.Cancel
        return answer

    monkeypatch.setattr(QMessageBox, "question", ask)
    _select(workspace, 0)
    account = workspace.model.account_at(0)
    qtbot.keyClick(workspace.table, Qt.Key.Key_Delete)
    assert len(questions) == 1 and f"“{account.name}”" in questions[0]
    assert workspace.model.total_count == ACCOUNT_COUNT  # cancelled: nothing happened
    answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        qtbot.keyClick(workspace.table, Qt.Key.Key_Delete)
    assert workspace.model.total_count == ACCOUNT_COUNT - 1
    assert workspace.model.account_at(0).id != account.id
    record = stored(database, "account", account.id)
    assert record is not None and record["deleted_at"] is not None  # a tombstone


def test_enter_opens_the_account_page_and_alt_left_comes_back(
    qtbot: QtBot, workspace: AccountsWorkspace
) -> None:
    _select(workspace, 4)
    account = workspace.model.account_at(4)
    page = workspace.account_page
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        qtbot.keyClick(workspace.table, Qt.Key.Key_Return)
    assert workspace.showing_account_page()
    assert page.page is not None and page.page.name == account.name
    qtbot.keyClick(page, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert not workspace.showing_account_page()
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        workspace.open_account(account.id)
    page.back_requested.emit()  # the Back button
    assert not workspace.showing_account_page()


def test_plan_visit_is_passed_on(qtbot: QtBot, workspace: AccountsWorkspace) -> None:
    account = workspace.model.account_at(0)
    with qtbot.waitSignal(workspace.account_page.loaded, timeout=WAIT_MS):
        workspace.open_account(account.id)
    with qtbot.waitSignal(workspace.plan_visit_requested, timeout=WAIT_MS) as requested:
        workspace.findChild(QPushButton, "planVisit").click()
    assert requested.args == [account.id]
