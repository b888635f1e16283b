"""The record dialog a workspace opens (new / edit): find it, save it, read what it stored."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.records import get_record
from sfa_desktop.ui.forms import RecordDialog
from sfa_desktop.ui.workspaces.accounts import AccountsWorkspace
from sfa_desktop.ui.workspaces.contacts import ContactsWorkspace

from .conftest import WAIT_MS

RecordWorkspace = AccountsWorkspace | ContactsWorkspace


def open_record_dialog(workspace: RecordWorkspace) -> RecordDialog:
    """The workspace's record dialog, which must be open and shown."""
    dialog = workspace.open_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def save_and_reload(qtbot: QtBot, dialog: RecordDialog, workspace: RecordWorkspace) -> None:
    """Saves the dialog and waits for the save and for the workspace's list to reload."""
    with qtbot.waitSignals([dialog.saved, workspace.model.loaded], timeout=WAIT_MS):
        dialog.save()


def stored(database: Database, entity: str, record_id: str) -> dict[str, Any] | None:
    with database.session() as session:
        return get_record(session, entity, record_id)
