"""``sfa-desktop`` wires sync: a signed-in profile syncs at start, the File menu has the sync
commands, the status bar follows, the Conflicts view is the last workspace (Ctrl+8)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from server.helpers import PASSWORD
from sqlalchemy import text
from sync.harness import Profile

from sfa_desktop import app
from sfa_desktop.store.database import open_database
from sfa_desktop.store.paths import database_path
from sfa_desktop.store.repositories.records import get_record
from sfa_desktop.sync.tokens import TokenStore
from sfa_desktop.ui.sync.status_bar_state import SyncState, SyncStateKind

from .desktop_sync import QUIET, SERVER_URL, SyncServer, desktop_session


def test_a_signed_in_profile_syncs_at_start_and_shows_it(
    qapp: object,
    sync_server: SyncServer,
    ana: Profile,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account = ana.create("account", name="Ferretería Martínez", city="Zaragoza")
    ana.sync()
    data_dir = tmp_path / "desktop"
    http = sync_server.client()
    with open_database(database_path(data_dir)) as database:
        session = desktop_session(sync_server, database, http=http)
        session.sign_in(
            server_url=SERVER_URL, email=sync_server.team.rep_a.email, password=PASSWORD
        )

    seen: dict[str, Any] = {}
    show_window = app.DesktopApp._show_window

    def show_then_watch(desktop: app.DesktopApp, opened: app.OpenedProfile) -> None:
        show_window(desktop, opened)
        window, controller = desktop.window, desktop.sync
        assert window is not None and controller is not None

        def on_state(state: SyncState) -> None:
            if state.kind is not SyncStateKind.UP_TO_DATE or "status" in seen:
                return
            seen["status"] = window.status.sync_text()
            seen["title"] = window.windowTitle()
            menu = window.menuBar().actions()[0].menu()
            seen["file"] = [a.objectName() for a in menu.actions() if not a.isSeparator()]
            sign_in = window.findChild(QAction, "signIn")
            sync_now = window.findChild(QAction, "syncNow")
            seen["enabled"] = (sign_in.isEnabled(), sync_now.isEnabled())
            seen["shortcuts"] = [s.toString() for s in sync_now.shortcuts()]
            conflicts = window.findChild(QAction, "view_conflicts")
            seen["conflicts"] = (window.view_ids[-1], conflicts.shortcut())
            warmer = desktop.value_warmer  # the value table, warmed after the sync
            assert warmer is not None

            def close_once_warm() -> None:  # (the sync says "data changed" after its state)
                if warmer.running:
                    QTimer.singleShot(10, close_once_warm)
                else:
                    window.close()

            QTimer.singleShot(0, close_once_warm)

        controller.state_changed.connect(on_state)

    monkeypatch.setattr(app.DesktopApp, "_show_window", show_then_watch)
    desktop = app.DesktopApp(
        app.Options(data_dir=str(data_dir), language="en"),
        sync=app.SyncSetup(tokens=TokenStore(sync_server.keyring), http=http, schedule=QUIET),
    )
    assert desktop.run() == app.EXIT_OK
    assert seen["status"].startswith("Up to date · last sync ")
    assert seen["title"] == "SFA Desktop — Ana Rep"
    assert seen["file"] == ["syncNow", "signIn", "signOut", "quit"]
    assert seen["enabled"] == (False, True)
    assert seen["shortcuts"] == ["F5", "Ctrl+Shift+S"]
    assert seen["conflicts"] == ("conflicts", QKeySequence("Ctrl+8"))
    with open_database(database_path(data_dir)) as database, database.session() as db:
        row = get_record(db, "account", account)
        tier = db.execute(
            text("SELECT strategic_tier FROM account_value_cache WHERE account_id = :a"),
            {"a": account},
        ).scalar_one_or_none()
    assert row is not None and row["name"] == "Ferretería Martínez"
    assert tier is not None  # the account page shows its figures
