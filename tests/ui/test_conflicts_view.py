"""The Conflicts view over a real conflict: two laptops change the same field through the real
server; the value not kept is listed, restored in one click (and synced) or dismissed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from server.helpers import ManualClock
from sync.harness import Profile

from sfa_desktop.services.conflicts import list_conflicts
from sfa_desktop.services.editing import create_record, load_edit_context, update_record
from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.records import get_record
from sfa_desktop.ui.sync.conflicts_model import ConflictsModel
from sfa_desktop.ui.sync.controller import SyncController
from sfa_desktop.ui.sync.status_bar_state import SyncStateKind

from .conftest import SYNC_WAIT_MS, WAIT_MS
from .desktop_sync import Desktop, SyncServer, signed_in

MINE, THEIRS = "976 11 11 11", "976 22 22 22"


@dataclass
class Scene:
    """Mario (a manager) on the desktop under test, Ana (his rep) on another laptop."""

    qtbot: QtBot
    desktop: Desktop
    controller: SyncController
    database: Database
    ana: Profile
    clock: ManualClock
    account: str

    def sync_desktop(self) -> None:
        syncs = self.controller.state
        self.controller.sync_now()
        self.wait_for_sync(syncs)

    def wait_for_sync(self, before: object = None) -> None:
        self.qtbot.waitUntil(
            lambda: (
                self.controller.state is not before
                and self.controller.state.kind is SyncStateKind.UP_TO_DATE
                and not self.controller.is_syncing
            ),
            timeout=SYNC_WAIT_MS,
        )

    def edit_here(self, **changes: object) -> None:
        with self.database.session() as session:
            update_record(session, load_edit_context(session), "account", self.account, changes)

    def local_account(self) -> dict[str, object]:
        with self.database.session() as session:
            row = get_record(session, "account", self.account)
        assert row is not None
        return row

    def make_conflict(self) -> None:
        """Mario changes the phone first, Ana a minute later: Ana's value is kept."""
        self.edit_here(phone=MINE)
        self.sync_desktop()
        self.clock.now = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
        self.ana.edit("account", self.account, phone=THEIRS)
        assert self.ana.sync().conflicts == 1
        model = self.desktop.conflicts.model
        self.sync_desktop()
        self.qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=WAIT_MS)


@pytest.fixture
def scene(
    qtbot: QtBot,
    sync_server: SyncServer,
    ana: Profile,
    desktop_database: Database,
    open_desktop: Callable[..., tuple[SyncController, Desktop]],
) -> Scene:
    account = ana.create("account", name="Ferretería Martínez", city="Zaragoza", phone="976000000")
    ana.sync()
    session = signed_in(sync_server, desktop_database, sync_server.team.manager)
    controller, desktop = open_desktop(session)
    scene = Scene(qtbot, desktop, controller, desktop_database, ana, sync_server.clock, account)
    with qtbot.waitSignal(controller.account_changed, timeout=WAIT_MS):
        controller.start()
    scene.wait_for_sync()
    assert scene.local_account()["phone"] == "+34976000000"
    return scene


def test_a_real_conflict_is_listed_and_the_other_value_restored_in_one_click(
    qtbot: QtBot, qtmodeltester: object, scene: Scene
) -> None:
    view = scene.desktop.conflicts
    window = scene.desktop.window
    assert view.is_empty()
    assert view.empty_state.message() == (
        "When two people change the same field, the value not kept appears here so nothing is lost."
    )
    scene.make_conflict()
    model = view.model
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    row = [model.index(0, column).data() for column in range(model.columnCount())]
    assert row[:6] == [
        "Account · Ferretería Martínez",
        "Phone",
        THEIRS,
        "Ana Rep",
        MINE,
        "You",
    ]
    assert model.index(0, ConflictsModel.RECORD).data(Qt.ItemDataRole.ToolTipRole) == (
        "Two people changed this field at the same time."
    )
    assert not view.is_empty() and view.restore_button.isEnabled()
    assert scene.local_account()["phone"] == "+34976222222"

    # the status bar counts it; a click there opens the view
    qtbot.waitUntil(lambda: window.status.conflicts_text() == "1 conflict", timeout=WAIT_MS)
    assert window.current_view() == "today"
    qtbot.mouseClick(window.status.conflicts_label, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    assert window.current_view() == "conflicts"

    before = scene.controller.state
    qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)
    scene.wait_for_sync(before)  # restoring asks for a sync, which sends the value
    qtbot.waitUntil(view.is_empty, timeout=WAIT_MS)
    assert scene.local_account()["phone"] == "+34976111111"
    qtbot.waitUntil(lambda: window.status.conflicts_text() == "0 conflicts", timeout=WAIT_MS)
    assert window.status.pending_text() == "0 pending changes"

    scene.ana.sync()  # the server has the restored value
    restored = scene.ana.get("account", scene.account)
    assert restored is not None and restored["phone"] == "+34976111111"
    with scene.ana.database.session() as session:
        assert list_conflicts(session) == []  # resolved for everybody


def test_dismissing_keeps_the_current_value(qtbot: QtBot, scene: Scene) -> None:
    scene.make_conflict()
    scene.desktop.window.show_view("conflicts")
    view = scene.desktop.conflicts
    view.table.setFocus()
    before = scene.controller.state
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    scene.wait_for_sync(before)
    qtbot.waitUntil(view.is_empty, timeout=WAIT_MS)
    assert scene.local_account()["phone"] == "+34976222222"
    scene.ana.sync()
    kept = scene.ana.get("account", scene.account)
    assert kept is not None and kept["phone"] == "+34976222222"
    with scene.ana.database.session() as session:
        assert list_conflicts(session) == []


def test_the_view_in_spanish(qtbot: QtBot, qtmodeltester: object, scene: Scene) -> None:
    scene.make_conflict()
    scene.desktop.window.switch_language("es")
    view = scene.desktop.conflicts
    model = view.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == [
        "Registro",
        "Campo",
        "Valor conservado",
        "Cambiado por",
        "Valor no conservado",
        "Cambiado por",
        "Cuándo",
    ]
    assert model.index(0, 0).data() == "Cuenta · Ferretería Martínez"
    assert model.index(0, 5).data() == "Tú"
    assert view.restore_button.text() == "&Recuperar el otro valor"
    assert view.open_button.text() == "&Abrir la cuenta"
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_changes_the_server_refused_are_listed_with_their_reason(
    qtbot: QtBot, qtmodeltester: object, sync_server: SyncServer, scene: Scene
) -> None:
    other_team = sync_server.team.rep_c.id  # not one of Mario's reps
    with scene.database.session() as session:
        create_record(
            session,
            load_edit_context(session),
            "account",
            {"name": "Ópticas del Ebro", "owner_id": other_team},
        )
    scene.sync_desktop()
    scene.desktop.window.show_view("conflicts")
    view = scene.desktop.conflicts
    section = view.findChild(object, "rejectedSection")
    qtbot.waitUntil(lambda: view.rejected_model.rowCount() == 1, timeout=WAIT_MS)
    assert section.isVisible()
    qtmodeltester.check(view.rejected_model)  # type: ignore[attr-defined]
    model = view.rejected_model
    assert model.index(0, 0).data() == "Account · Ópticas del Ebro"
    assert model.index(0, 1).data() == "New record"
    assert model.index(0, 3).data() == "You are not allowed to make this change."
    assert view.is_empty()  # no conflicts, only a refusal

    view.rejected_table.setFocus()
    qtbot.keyClick(view.rejected_table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: view.rejected_model.rowCount() == 0, timeout=WAIT_MS)
    assert not section.isVisible()


def test_an_edit_that_lost_to_a_delete_is_restored_in_one_click(qtbot: QtBot, scene: Scene) -> None:
    """Ana deletes the account while Mario changes it: restoring brings it back with his edit."""
    scene.ana.delete("account", scene.account)
    scene.ana.sync()
    scene.edit_here(phone=MINE)
    model = scene.desktop.conflicts.model
    scene.sync_desktop()
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=WAIT_MS)
    assert scene.local_account()["deleted_at"] is not None
    assert model.index(0, ConflictsModel.RECORD).data(Qt.ItemDataRole.ToolTipRole) == (
        "The change reached a record that had been deleted."
    )
    view = scene.desktop.conflicts
    scene.desktop.window.show_view("conflicts")
    view.table.selectRow(0)
    assert view.restore_button.isEnabled()

    before = scene.controller.state
    qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)
    scene.wait_for_sync(before)
    qtbot.waitUntil(view.is_empty, timeout=WAIT_MS)
    account = scene.local_account()
    assert account["deleted_at"] is None and account["phone"] == "+34976111111"

    scene.ana.sync()  # the record is back for Ana too, with Mario's value
    back = scene.ana.get("account", scene.account)
    assert back is not None and back["deleted_at"] is None
    assert back["phone"] == "+34976111111"
    with scene.ana.database.session() as session:
        assert list_conflicts(session) == []


def test_enter_or_the_button_opens_the_account_of_the_record(qtbot: QtBot, scene: Scene) -> None:
    scene.make_conflict()
    scene.desktop.window.show_view("conflicts")
    view = scene.desktop.conflicts
    qtbot.waitUntil(lambda: view.open_button.isEnabled(), timeout=WAIT_MS)
    with qtbot.waitSignal(view.account_requested, timeout=WAIT_MS) as opened:
        qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    assert opened.args == [scene.account]
    view.table.setFocus()
    with qtbot.waitSignal(view.account_requested, timeout=WAIT_MS) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [scene.account]
