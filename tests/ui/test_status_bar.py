"""The status bar always says where sync stands, what is pending and how many conflicts are
open; with the real server it follows a sync through offline, syncing, up to date and error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from server.helpers import PASSWORD

from sfa_desktop.i18n import set_language
from sfa_desktop.services.editing import create_record, load_edit_context
from sfa_desktop.services.sync_session import SyncSession
from sfa_desktop.store.database import Database
from sfa_desktop.sync.errors import ClientOutdated, ServerUnreachable
from sfa_desktop.sync.report import SyncPhase, SyncProgress
from sfa_desktop.ui.profile import Profile
from sfa_desktop.ui.status_bar import AppStatusBar
from sfa_desktop.ui.sync.controller import SyncController
from sfa_desktop.ui.sync.status_bar_state import SyncState, SyncStateKind

from .conftest import WAIT_MS
from .desktop_sync import SERVER_URL, SyncServer, desktop_session

#: 10:42 local time today; the clocks below are built from it
LAST_SYNC = dt.datetime.now().astimezone().replace(hour=10, minute=42, second=0, microsecond=0)


@pytest.fixture
def status_bar(qtbot: QtBot, tmp_path: Path) -> AppStatusBar:
    bar = AppStatusBar(
        Profile(tmp_path, user_name="Ana Rep"), now=lambda: LAST_SYNC + dt.timedelta(hours=2)
    )
    qtbot.addWidget(bar)
    bar.resize(1000, 30)
    bar.show()
    return bar


def test_each_state_in_english(status_bar: AppStatusBar) -> None:
    assert status_bar.sync_text() == "Offline — not signed in"
    assert "Sign in (File → Sign in…)" in status_bar.findChild(object, "syncState").toolTip()
    outdated = ClientOutdated("426")  # a server that says which protocol and where to update
    outdated.required_protocol, outdated.download_url = 4, "https://downloads.example.com/sfa"
    states = [
        (
            SyncState(SyncStateKind.UNREACHABLE, LAST_SYNC),
            "Offline — server unreachable · last sync 10:42",
        ),
        (SyncState(SyncStateKind.UNREACHABLE), "Offline — server unreachable"),
        (SyncState(SyncStateKind.SYNCING, LAST_SYNC), "Syncing…"),
        (
            SyncState(SyncStateKind.SYNCING, progress=SyncProgress(SyncPhase.PULL, 1200, 48000)),
            "Syncing… Receiving 1,200 of 48,000",
        ),
        (
            SyncState(SyncStateKind.SYNCING, progress=SyncProgress(SyncPhase.PUSH, 3, 7)),
            "Syncing… Sending 3 of 7",
        ),
        (SyncState(SyncStateKind.UP_TO_DATE, LAST_SYNC), "Up to date · last sync 10:42"),
        (
            SyncState(SyncStateKind.ERROR, LAST_SYNC, error=ClientOutdated("426")),
            "Error: This version of SFA Desktop is too old for the server. Please update it",
        ),
        (
            SyncState(SyncStateKind.ERROR, LAST_SYNC, error=outdated),
            "Error: The server needs a newer SFA Desktop (protocol 4). "
            "Install the latest version from https://downloads.example.com/sfa",
        ),
    ]
    for state, text in states:
        status_bar.set_sync_state(state)
        assert status_bar.sync_text() == text
    status_bar.set_sync_state(SyncState(SyncStateKind.UNREACHABLE, LAST_SYNC))
    tooltip = status_bar.findChild(object, "syncState").toolTip()
    assert "your changes are kept" in tooltip and "Last successful sync: 10:42" in tooltip


def test_each_state_in_spanish(status_bar: AppStatusBar) -> None:
    set_language("es")
    expected = [
        (SyncState(), "Sin conexión — sin iniciar sesión"),
        (SyncState(SyncStateKind.UNREACHABLE), "Sin conexión — no se llega al servidor"),
        (
            SyncState(SyncStateKind.UNREACHABLE, LAST_SYNC),
            "Sin conexión — no se llega al servidor · última sincronización 10:42",
        ),
        (
            SyncState(SyncStateKind.SYNCING, progress=SyncProgress(SyncPhase.PULL, 1200, 48000)),
            "Sincronizando… Recibiendo 1.200 de 48.000",
        ),
        (SyncState(SyncStateKind.UP_TO_DATE, LAST_SYNC), "Al día · última sincronización 10:42"),
        (
            SyncState(SyncStateKind.ERROR, error=ServerUnreachable("x")),
            "Error: No se puede contactar con el servidor. Comprueba la conexión y vuelve a "
            "intentarlo; tus cambios se conservan",
        ),
    ]
    for state, text in expected:
        status_bar.set_sync_state(state)
        assert status_bar.sync_text() == text
    status_bar.set_counts(pending=1234, conflicts=1)
    assert (status_bar.pending_text(), status_bar.conflicts_text()) == (
        "1.234 cambios pendientes",
        "1 conflicto",
    )


def test_a_sync_on_another_day_shows_its_date(status_bar: AppStatusBar) -> None:
    status_bar.set_clock(lambda: LAST_SYNC + dt.timedelta(days=1))
    status_bar.set_sync_state(SyncState(SyncStateKind.UP_TO_DATE, LAST_SYNC))
    day = LAST_SYNC.strftime("%d/%m/%Y")
    assert status_bar.sync_text() == f"Up to date · last sync {day}, 10:42"


def test_counts_and_a_click_on_the_conflicts(qtbot: QtBot, status_bar: AppStatusBar) -> None:
    status_bar.set_counts(pending=1, conflicts=3)
    assert (status_bar.pending_text(), status_bar.conflicts_text()) == (
        "1 pending change",
        "3 conflicts",
    )
    label = status_bar.conflicts_label
    assert label.cursor().shape() == Qt.CursorShape.PointingHandCursor
    with qtbot.waitSignal(status_bar.conflicts_clicked, timeout=WAIT_MS):
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))


def test_a_long_error_does_not_push_the_counts_away(status_bar: AppStatusBar) -> None:
    status_bar.set_sync_state(SyncState(SyncStateKind.ERROR, error=ServerUnreachable("x")))
    label = status_bar.findChild(object, "syncState")
    assert label.width() <= 460
    assert status_bar.findChild(object, "profile").isVisible()


# --- with the real server ---------------------------------------------------------------------------


def test_the_states_of_a_real_sync(
    qtbot: QtBot,
    sync_server: SyncServer,
    desktop_database: Database,
    make_controller: Callable[[SyncSession], SyncController],
    status_bar: AppStatusBar,
) -> None:
    http = sync_server.client()
    session = desktop_session(sync_server, desktop_database, http=http)
    controller = make_controller(session)
    controller.state_changed.connect(status_bar.set_sync_state)
    controller.counts_changed.connect(
        lambda counts: status_bar.set_counts(pending=counts.pending, conflicts=counts.conflicts)
    )
    seen: list[str] = []
    controller.state_changed.connect(lambda _state: seen.append(status_bar.sync_text()))
    with qtbot.waitSignal(controller.account_changed, timeout=WAIT_MS):
        controller.start()
    assert status_bar.sync_text() == "Offline — not signed in"

    session.sign_in(server_url=SERVER_URL, email="ana.rep@example.com", password=PASSWORD)
    http.offline = True
    with qtbot.waitSignal(controller.account_changed, timeout=WAIT_MS):
        controller.start()
    qtbot.waitUntil(lambda: controller.state.kind is SyncStateKind.UNREACHABLE, timeout=WAIT_MS)
    assert seen[-2:] == ["Syncing…", "Offline — server unreachable"]

    http.offline = False
    controller.probe_server()  # the server answers again: sync at once
    qtbot.waitUntil(lambda: controller.state.kind is SyncStateKind.UP_TO_DATE, timeout=WAIT_MS)
    after_outage = seen[seen.index("Offline — server unreachable") + 1 :]
    assert after_outage[0] == "Syncing…" and after_outage[1].startswith("Syncing… Receiving ")
    assert after_outage[-1].startswith("Up to date · last sync ")

    with desktop_database.session() as db:  # an edit: one pending change
        ctx = load_edit_context(db)
        create_record(db, ctx, "account", {"name": "Ferretería Martínez"})
    controller.recount()
    qtbot.waitUntil(lambda: status_bar.pending_text() == "1 pending change", timeout=WAIT_MS)

    http.answer_next_with = [426]
    controller.sync_now()
    qtbot.waitUntil(lambda: controller.state.kind is SyncStateKind.ERROR, timeout=WAIT_MS)
    assert status_bar.sync_text().startswith("Error: This version of SFA Desktop is too old")
    assert status_bar.pending_text() == "1 pending change"

    controller.sync_now()
    qtbot.waitUntil(lambda: controller.state.kind is SyncStateKind.UP_TO_DATE, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: status_bar.pending_text() == "0 pending changes", timeout=WAIT_MS)
    assert status_bar.conflicts_text() == "0 conflicts"


def test_the_demo_profile_shows_no_pending_changes(qtbot: QtBot, tmp_path: Path) -> None:
    bar = AppStatusBar(Profile(tmp_path, is_demo=True, user_name="Ana Rep"))
    qtbot.addWidget(bar)
    bar.show()
    bar.set_counts(pending=3, conflicts=0)
    pending = bar.findChild(QLabel, "pendingChanges")
    assert pending is not None and pending.isHidden()  # it never syncs: the count only grows
    bar.set_profile(Profile(tmp_path, user_name="Ana Rep"))
    assert pending.isVisible() and bar.pending_text() == "3 pending changes"
