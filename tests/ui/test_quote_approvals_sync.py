"""The manager's laptop learns of a quote awaiting approval through sync: after the sync the
status bar counts it and Today lists it; approved from the Quotes workspace, the count drops and
the next sync takes the approval to the server (real server in-process, real widgets)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sync.harness import Profile as Laptop

from sfa_desktop.services.quote_writing import NewLine, new_quote, submit_quote
from sfa_desktop.services.sync_session import SyncSession
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.store.database import Database
from sfa_desktop.ui.language import LanguageSwitcher
from sfa_desktop.ui.main_window import MainWindow
from sfa_desktop.ui.profile import Profile
from sfa_desktop.ui.quotes.links import connect_quote_links
from sfa_desktop.ui.quotes.note_dialog import NoteDialog
from sfa_desktop.ui.sync.controller import SyncController
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.quotes import QuotesWorkspace
from sfa_desktop.ui.workspaces.today import TodayWorkspace
from sync_server.services.products_import import import_products

from .conftest import SYNC_WAIT_MS, WAIT_MS
from .desktop_sync import SyncServer, signed_in
from .fixed_clock import MADRID

CATALOG = """sku,name,family,tax_rate_pct,active,price_list,currency,unit_price
HOR-10GN,Horno mixto 10 bandejas,Cocción,21,yes,Tarifa 2026,EUR,"4890.00"
"""


@pytest.fixture
def pending_quote(sync_server: SyncServer, ana: Laptop, tmp_path: Path) -> str:
    """Ana quotes offline with a discount over her limit, submits, then syncs."""
    catalog = tmp_path / "catalog.csv"
    catalog.write_text(CATALOG, encoding="utf-8")
    state = sync_server.app.state.server
    import_products(state.database, context=state.sync, path=catalog)
    assert ana.sync().rejected == 0  # the catalog and a block of quote numbers
    account = ana.create("account", name="Restaurante La Ribera", city="Logroño", country="ES")
    ana.http.offline = True
    with ana.database.session() as session:
        quote = new_quote(
            session,
            ana.ctx,
            account_id=account,
            lines=[NewLine("HOR-10GN", Decimal(2), Decimal(25))],
            today=ana.now().date(),
        )
        assert submit_quote(session, ana.ctx, quote) == "pending_approval"
    ana.http.offline = False
    assert ana.sync().rejected == 0
    return quote


class ManagerLaptop:
    def __init__(
        self, qtbot: QtBot, runner: TaskRunner, controller: SyncController, clock: AgendaClock
    ) -> None:
        self.language = LanguageSwitcher()
        self.language.apply("en")
        self.quotes = QuotesWorkspace(runner, now=clock.now)
        self.today = TodayWorkspace(runner, clock=clock)
        self.window = MainWindow(
            workspaces=[self.today, self.quotes],
            profile=Profile(Path("."), user_name="Mario Manager"),
            language=self.language,
        )
        qtbot.addWidget(self.window)
        self.counter = connect_quote_links(self.window, runner, today=clock.today)
        # as the app wires sync (sfa_desktop.app.DesktopApp._start_sync)
        controller.data_changed.connect(self.window.refresh_workspaces)
        controller.data_changed.connect(self.counter.refresh)
        self.window.show()


@pytest.fixture
def manager(
    qtbot: QtBot,
    sync_server: SyncServer,
    desktop_database: Database,
    desktop_runner: TaskRunner,
    make_controller: Callable[[SyncSession], SyncController],
    ana: Laptop,
) -> Iterator[tuple[ManagerLaptop, SyncController]]:
    session = signed_in(sync_server, desktop_database, sync_server.team.manager)
    controller = make_controller(session)
    laptop = ManagerLaptop(qtbot, desktop_runner, controller, AgendaClock.fixed(ana.now(), MADRID))
    yield laptop, controller
    laptop.language.uninstall()


def _sync(qtbot: QtBot, controller: SyncController) -> None:
    with qtbot.waitSignal(controller.data_changed, timeout=SYNC_WAIT_MS):
        controller.sync_now()


def test_the_manager_sees_it_after_sync_and_approves(
    qtbot: QtBot,
    pending_quote: str,
    manager: tuple[ManagerLaptop, SyncController],
    sync_server: SyncServer,
    ana: Laptop,
) -> None:
    laptop, controller = manager
    controller.start()  # signed in: syncs at once
    qtbot.waitUntil(lambda: laptop.counter.count == 1, timeout=SYNC_WAIT_MS)
    status = laptop.window.status
    assert status.approvals_text() == "1 quote awaiting your approval"
    qtbot.waitUntil(laptop.today.sections.showing_approvals, timeout=WAIT_MS)
    (row,) = laptop.today.sections.model("approvals").rows()
    assert row.id == pending_quote and row.quote.owner_name == "Ana Rep"

    # Today → Quotes, the quote selected; approve it
    laptop.today.sections.activated.emit("approvals", row)
    actions = laptop.quotes.quote_actions
    qtbot.waitUntil(
        lambda: actions.subject is not None and actions.subject.id == pending_quote,
        timeout=WAIT_MS,
    )
    actions.action("approve").trigger()
    qtbot.waitUntil(lambda: isinstance(actions.open_dialog, NoteDialog), timeout=WAIT_MS)
    dialog = actions.open_dialog
    assert isinstance(dialog, NoteDialog)
    with qtbot.waitSignal(actions.quote_changed, timeout=WAIT_MS):
        dialog.ok_button.click()
    qtbot.waitUntil(lambda: laptop.counter.count == 0, timeout=WAIT_MS)
    assert not status.approvals_label.isVisible()
    qtbot.waitUntil(lambda: not laptop.today.sections.showing_approvals(), timeout=WAIT_MS)

    _sync(qtbot, controller)
    assert ana.sync().rejected == 0
    stored = ana.get("quote", pending_quote)
    assert stored is not None and stored["status"] == "approved"
