"""Background sync in the window: on demand (F5 / Ctrl+Shift+S), one at a time, the app usable
meanwhile, back after an outage, a progress dialog for a big first sync, views refreshed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot
from server.helpers import VERSION_HEADERS, Person
from sqlalchemy import func, select
from sync.harness import Profile

from sfa_desktop.services.editing import create_record, load_edit_context
from sfa_desktop.store.database import Database
from sfa_desktop.store.models import MODEL_BY_ENTITY
from sfa_desktop.store.repositories.records import get_record
from sfa_desktop.sync.tokens import TokenStore
from sfa_desktop.ui.sync import commands
from sfa_desktop.ui.sync.controller import SyncController, SyncSchedule
from sfa_desktop.ui.sync.status_bar_state import SyncStateKind
from sfa_desktop.ui.tasks import TaskRunner
from sync_server.api import middleware
from sync_server.protocol.versions import PROTOCOL_VERSION

from .conftest import SYNC_WAIT_MS, WAIT_MS
from .desktop_sync import SERVER_URL, Desktop, GatedClient, SyncServer, desktop_session, signed_in

PULL = "/sync/pull"


def count(database: Database, entity: str) -> int:
    with database.session() as session:
        model = MODEL_BY_ENTITY[entity]
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def wait_until_idle(qtbot: QtBot, controller: SyncController, kind: SyncStateKind) -> None:
    qtbot.waitUntil(
        lambda: controller.state.kind is kind and not controller.is_syncing, timeout=SYNC_WAIT_MS
    )


@pytest.fixture
def start_desktop(
    qtbot: QtBot,
    sync_server: SyncServer,
    desktop_database: Database,
    open_desktop: Callable[..., tuple[SyncController, Desktop]],
) -> Callable[[Person], tuple[GatedClient, SyncController, Desktop]]:
    """Signs ``person`` in, opens the window and waits until the first sync is done."""

    def start(person: Person) -> tuple[GatedClient, SyncController, Desktop]:
        http = sync_server.client()
        session = signed_in(sync_server, desktop_database, person, http=http)
        controller, desktop = open_desktop(session)
        with qtbot.waitSignal(controller.account_changed, timeout=WAIT_MS):
            controller.start()  # signed in: the first sync starts at once
        wait_until_idle(qtbot, controller, SyncStateKind.UP_TO_DATE)
        return http, controller, desktop

    return start


def test_sync_now_pulls_new_data_and_refreshes_the_views(
    qtbot: QtBot,
    sync_server: SyncServer,
    ana: Profile,
    desktop_database: Database,
    start_desktop: Callable[[Person], tuple[GatedClient, SyncController, Desktop]],
) -> None:
    http, controller, desktop = start_desktop(sync_server.team.manager)
    assert controller.periodic_timer.isActive()
    assert count(desktop_database, "account") == 0

    account = ana.create("account", name="Ferretería Martínez", city="Zaragoza")
    ana.sync()
    refreshes = desktop.recording.refreshes
    assert desktop.commands.sync_now_action.isEnabled()
    with qtbot.waitSignal(controller.data_changed, timeout=SYNC_WAIT_MS):
        qtbot.keyClick(desktop.window, Qt.Key.Key_F5)
    wait_until_idle(qtbot, controller, SyncStateKind.UP_TO_DATE)
    assert desktop.recording.refreshes == refreshes + 1
    with desktop_database.session() as session:
        row = get_record(session, "account", account)
    assert row is not None and row["name"] == "Ferretería Martínez"
    assert desktop.window.status.sync_text().startswith("Up to date · last sync ")

    pulls = http.requests.count("GET /api/v1/sync/pull")
    qtbot.keyClick(
        desktop.window,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(
        lambda: http.requests.count("GET /api/v1/sync/pull") == pulls + 1, timeout=WAIT_MS
    )
    wait_until_idle(qtbot, controller, SyncStateKind.UP_TO_DATE)
    assert desktop.recording.refreshes == refreshes + 1  # nothing new: no reload


def test_one_sync_at_a_time_and_the_app_stays_usable_meanwhile(
    qtbot: QtBot,
    sync_server: SyncServer,
    desktop_database: Database,
    desktop_runner: TaskRunner,
    start_desktop: Callable[[Person], tuple[GatedClient, SyncController, Desktop]],
) -> None:
    http, controller, desktop = start_desktop(sync_server.team.rep_a)

    http.hold(PULL)
    controller.sync_now()
    qtbot.waitUntil(http.waiting.is_set, timeout=WAIT_MS)
    assert controller.is_syncing and not desktop.commands.sync_now_action.isEnabled()
    assert desktop.window.status.sync_text() == "Syncing…"
    controller.sync_now()  # asked again during the sync: runs once more, right after it
    pulls_while_held = http.requests.count("GET /api/v1/sync/pull")

    # the database thread is free: an edit and a query go through while the sync waits
    created: list[str] = []

    def edit(session: object) -> str:
        ctx = load_edit_context(session)  # type: ignore[arg-type]
        return create_record(session, ctx, "account", {"name": "Talleres Ruiz"})  # type: ignore[arg-type]

    desktop_runner.run_db(edit, on_done=created.append)
    qtbot.waitUntil(lambda: bool(created), timeout=WAIT_MS)
    controller.recount()
    qtbot.waitUntil(
        lambda: desktop.window.status.pending_text() == "1 pending change", timeout=WAIT_MS
    )
    assert controller.is_syncing
    assert http.requests.count("GET /api/v1/sync/pull") == pulls_while_held  # still one

    http.release()
    # the second sync sends the edit made during the first
    qtbot.waitUntil(
        lambda: desktop.window.status.pending_text() == "0 pending changes", timeout=SYNC_WAIT_MS
    )
    wait_until_idle(qtbot, controller, SyncStateKind.UP_TO_DATE)
    assert http.requests.count("POST /api/v1/sync/push") == 1


def test_sync_resumes_when_the_server_answers_again(
    qtbot: QtBot,
    sync_server: SyncServer,
    desktop_database: Database,
    make_controller: Callable[..., SyncController],
) -> None:
    http = sync_server.client()
    schedule = SyncSchedule(
        every_ms=3_600_000, probe_first_ms=60_000, probe_max_ms=240_000, recount_ms=3_600_000
    )
    controller = make_controller(
        signed_in(sync_server, desktop_database, sync_server.team.rep_a, http=http), schedule
    )
    http.offline = True
    with qtbot.waitSignal(controller.account_changed, timeout=WAIT_MS):
        controller.start()
    wait_until_idle(qtbot, controller, SyncStateKind.UNREACHABLE)
    probe = controller.probe_timer
    assert probe.isActive() and probe.interval() == 60_000
    assert not controller.periodic_timer.isActive()

    health = "GET /api/v1/health"
    controller.probe_server()  # the timer fired: still down, wait twice as long
    qtbot.waitUntil(lambda: probe.isActive() and probe.interval() == 120_000, timeout=WAIT_MS)
    assert http.requests.count(health) == 1
    controller.probe_server()
    qtbot.waitUntil(lambda: probe.interval() == 240_000, timeout=WAIT_MS)
    controller.probe_server()
    qtbot.waitUntil(lambda: http.requests.count(health) == 3, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: probe.isActive() and probe.interval() == 240_000, timeout=WAIT_MS)

    http.offline = False
    controller.probe_server()
    wait_until_idle(qtbot, controller, SyncStateKind.UP_TO_DATE)
    assert not probe.isActive() and controller.periodic_timer.isActive()
    assert count(desktop_database, "user") >= 6


def test_a_lost_sign_in_asks_for_the_password_again(
    qtbot: QtBot,
    sync_server: SyncServer,
    desktop_database: Database,
    open_desktop: Callable[..., tuple[SyncController, Desktop]],
) -> None:
    signed_in(
        sync_server, desktop_database, sync_server.team.rep_a, tokens=TokenStore(fail.Keyring())
    )
    # next run: no keyring, so the token is gone
    session = desktop_session(sync_server, desktop_database, tokens=TokenStore(fail.Keyring()))
    controller, desktop = open_desktop(session)
    with qtbot.waitSignal(controller.sign_in_needed, timeout=WAIT_MS):
        controller.start()
    dialog = desktop.commands.sign_in_dialog
    assert dialog is not None and dialog.isVisible()
    assert (dialog.server_field.text(), dialog.email_field.text()) == (
        SERVER_URL,
        sync_server.team.rep_a.email,
    )
    assert desktop.commands.sign_in_action.text() == "Sign &in again…"
    assert not desktop.commands.sync_now_action.isEnabled()
    assert desktop.window.status.sync_text() == "Offline — not signed in"
    dialog.reject()


def test_a_big_first_sync_shows_progress_that_can_be_hidden(
    qtbot: QtBot,
    sync_server: SyncServer,
    ana: Profile,
    desktop_database: Database,
    open_desktop: Callable[..., tuple[SyncController, Desktop]],
) -> None:
    for number in range(12):
        ana.create("account", name=f"Cliente {number:02d}")
    ana.sync()
    http = sync_server.client()
    session = signed_in(
        sync_server, desktop_database, sync_server.team.manager, http=http, pull_page=5
    )
    controller, desktop = open_desktop(session, large_sync=10)
    http.hold(PULL, after=1)
    with qtbot.waitSignal(controller.account_changed, timeout=WAIT_MS):
        controller.start()
    qtbot.waitUntil(lambda: desktop.commands.progress_dialog is not None, timeout=WAIT_MS)
    dialog = desktop.commands.progress_dialog
    assert dialog is not None and dialog.isVisible()
    total = controller.state.progress.total if controller.state.progress else None
    assert total is not None and total >= 18  # 6 users + 12 accounts
    assert dialog.counts_text() == f"5 of {total} records received"
    assert dialog.estimate_text() == f"About {total - 5} records left"

    qtbot.mouseClick(dialog.hide_button, Qt.MouseButton.LeftButton)
    assert desktop.commands.progress_dialog is None  # hidden; the sync goes on
    assert controller.is_syncing
    assert desktop.window.status.sync_text() == f"Syncing… Receiving 5 of {total}"

    http.release()
    wait_until_idle(qtbot, controller, SyncStateKind.UP_TO_DATE)
    assert desktop.commands.progress_dialog is None  # not shown again for this sync
    assert count(desktop_database, "account") == 12


def test_signing_out_asks_first_when_changes_wait_to_be_sent(
    qtbot: QtBot,
    sync_server: SyncServer,
    desktop_database: Database,
    start_desktop: Callable[[Person], tuple[GatedClient, SyncController, Desktop]],
) -> None:
    _http, controller, desktop = start_desktop(sync_server.team.rep_a)
    assert not desktop.commands.sign_in_action.isEnabled()
    with desktop_database.session() as session:
        create_record(session, load_edit_context(session), "account", {"name": "Talleres Ruiz"})
    controller.recount()
    qtbot.waitUntil(lambda: controller.counts.pending == 1, timeout=WAIT_MS)

    desktop.commands.sign_out_action.trigger()
    box = desktop.commands.sign_out_box
    assert box is not None and box.text() == "1 change has not been sent yet."
    assert box.informativeText() == (
        "They stay on this computer and are sent when you sign in again."
    )
    (sign_out,) = [b for b in box.buttons() if b.text() == "Sign &out"]
    qtbot.mouseClick(sign_out, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: controller.state.kind is SyncStateKind.NOT_SIGNED_IN, timeout=WAIT_MS)
    assert sync_server.keyring.entries == {}
    assert desktop.window.status.sync_text() == "Offline — not signed in"
    assert desktop.commands.sign_in_action.isEnabled()
    assert desktop.commands.sign_in_action.text() == "Sign &in again…"
    assert not desktop.commands.sync_now_action.isEnabled()
    assert controller.counts.pending == 1  # the change stays here


def test_a_revoked_sign_in_is_reported_and_sign_in_is_offered(
    qtbot: QtBot,
    sync_server: SyncServer,
    desktop_database: Database,
    start_desktop: Callable[[Person], tuple[GatedClient, SyncController, Desktop]],
) -> None:
    http, controller, desktop = start_desktop(sync_server.team.rep_a)
    (token,) = sync_server.keyring.entries.values()
    revoked = http.post(
        "/api/v1/auth/logout", headers={**VERSION_HEADERS, "Authorization": f"Bearer {token}"}
    )
    assert revoked.status_code < 300  # e.g. an admin revoked this laptop

    controller.sync_now()
    wait_until_idle(qtbot, controller, SyncStateKind.ERROR)
    assert desktop.window.status.sync_text() == (
        "Error: The server no longer accepts this sign-in. Please sign in again"
    )
    assert desktop.commands.sign_in_action.isEnabled()
    assert not desktop.commands.sync_now_action.isEnabled()
    assert not controller.periodic_timer.isActive()


def test_an_app_too_old_for_the_server_says_where_to_get_the_new_one(
    qtbot: QtBot,
    make_sync_server: Callable[..., SyncServer],
    desktop_database: Database,
    open_desktop: Callable[..., tuple[SyncController, Desktop]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    downloads = "https://downloads.example.com/sfa-desktop/"
    server = make_sync_server(client_download_url=downloads)
    session = signed_in(server, desktop_database, server.team.rep_a, http=server.client())
    controller, desktop = open_desktop(session)
    with qtbot.waitSignal(controller.account_changed, timeout=WAIT_MS):
        controller.start()
    wait_until_idle(qtbot, controller, SyncStateKind.UP_TO_DATE)
    opened: list[str] = []

    class Browser:
        @staticmethod
        def openUrl(url: QUrl) -> bool:  # QDesktopServices' name
            opened.append(url.toString())
            return True

    monkeypatch.setattr(commands, "QDesktopServices", Browser)
    # the server is upgraded and no longer serves this app's protocol
    monkeypatch.setattr(middleware, "MIN_PROTOCOL_VERSION", PROTOCOL_VERSION + 1)
    states: list[SyncStateKind] = []
    controller.state_changed.connect(lambda state: states.append(state.kind))
    controller.sync_now()
    qtbot.waitUntil(lambda: desktop.commands.update_box is not None, timeout=SYNC_WAIT_MS)
    box = desktop.commands.update_box
    assert box is not None and box.isVisible()
    told = (
        f"The server needs a newer SFA Desktop (protocol {PROTOCOL_VERSION + 1}). "
        f"Install the latest version from {downloads}"
    )
    assert box.text() == told
    assert desktop.window.status.sync_text() == f"Error: {told}"
    download = next(b for b in box.buttons() if b.text() == "Open the &download page")
    qtbot.mouseClick(download, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desktop.commands.update_box is None, timeout=WAIT_MS)
    assert opened == [downloads]

    states.clear()
    controller.sync_now()  # still too old: the status bar says so, no second box
    qtbot.waitUntil(lambda: states[-1:] == [SyncStateKind.ERROR], timeout=SYNC_WAIT_MS)
    assert desktop.commands.update_box is None and opened == [downloads]
