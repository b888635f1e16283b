"""Alt+Left on an account's page returns to where the user came from (Today, Conflicts…),
and to the accounts list when the page was opened from it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sfa_desktop.i18n import set_language
from sfa_desktop.store.database import Database
from sfa_desktop.store.models import Account
from sfa_desktop.ui.language import LanguageSwitcher
from sfa_desktop.ui.main_window import MainWindow
from sfa_desktop.ui.profile import Profile
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.visits.links import connect_visit_links
from sfa_desktop.ui.workspaces import AccountsWorkspace, create_workspaces

from .conftest import WAIT_MS
from .fixed_clock import CLOCK


@pytest.fixture
def window(qtbot: QtBot, demo_runner: TaskRunner, tmp_path: Path) -> Iterator[MainWindow]:
    language = LanguageSwitcher()
    language.apply("en")
    main = MainWindow(
        workspaces=create_workspaces(demo_runner, clock=CLOCK),
        profile=Profile(tmp_path, is_demo=True, user_name="Ana"),
        language=language,
    )
    qtbot.addWidget(main)
    connect_visit_links(main)
    main.show()
    qtbot.waitExposed(main)
    main.activateWindow()
    yield main
    language.uninstall()


def _account_id(demo_db: Database) -> str:
    with demo_db.session() as session:
        return session.scalars(select(Account.id).order_by(Account.id).limit(1)).one()


def _alt_left(qtbot: QtBot, accounts: AccountsWorkspace) -> None:
    page = accounts.account_page
    qtbot.waitUntil(lambda: page.page is not None, timeout=WAIT_MS)
    page.setFocus()
    QTest.keyClick(page, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)


@pytest.mark.parametrize("origin", ["conflicts", "today", "visits", "forecast"])
def test_alt_left_returns_to_the_workspace_that_opened_the_page(
    qtbot: QtBot, window: MainWindow, demo_db: Database, origin: str
) -> None:
    account_id = _account_id(demo_db)
    accounts = window.workspace("accounts")
    assert isinstance(accounts, AccountsWorkspace)
    window.show_view(origin)
    window.workspace(origin).account_requested.emit(account_id)  # type: ignore[attr-defined]
    assert window.current_view() == "accounts" and accounts.showing_account_page()
    title = window.workspace(origin).title()
    assert accounts.account_page.back_text() == title
    _alt_left(qtbot, accounts)
    assert window.current_view() == origin
    # the next visit to Accounts finds the list, and a page opened from it goes back to it
    window.show_view("accounts")
    assert not accounts.showing_account_page()
    accounts.open_account(account_id)
    assert accounts.account_page.back_text() == "Accounts"
    _alt_left(qtbot, accounts)
    assert window.current_view() == "accounts" and not accounts.showing_account_page()


def test_the_back_button_names_the_origin_in_spanish(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    accounts = window.workspace("accounts")
    assert isinstance(accounts, AccountsWorkspace)
    window.show_view("today")
    window.workspace("today").account_requested.emit(_account_id(demo_db))  # type: ignore[attr-defined]
    set_language("es")
    try:
        accounts.account_page.retranslate()
        assert accounts.account_page.back_text() == window.workspace("today").title()
        assert accounts.account_page.back_text() != "Today"
    finally:
        set_language("en")
