"""The account page in both languages, opened from Today (Back names Today), with an e-mail
logged: a real 1280×800 picture."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from sfa_desktop.store.database import Database
from sfa_desktop.store.models import Visit
from sfa_desktop.ui.account_page.log_dialog import LogInteractionDialog
from sfa_desktop.ui.language import LanguageSwitcher
from sfa_desktop.ui.main_window import MainWindow
from sfa_desktop.ui.profile import Profile
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.visits.links import connect_visit_links
from sfa_desktop.ui.workspaces import AccountsWorkspace, create_workspaces

from .conftest import WAIT_MS
from .fixed_clock import CLOCK
from .screenshots import assert_real_screenshot


def _busiest_account(demo_db: Database) -> str:
    with demo_db.session() as session:
        return session.execute(
            select(Visit.account_id)
            .group_by(Visit.account_id)
            .order_by(func.count().desc(), Visit.account_id)
            .limit(1)
        ).scalar_one()


@pytest.mark.parametrize("language", ["en", "es"])
def test_account_page_screenshot(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database, tmp_path: Path, language: str
) -> None:
    switcher = LanguageSwitcher()
    switcher.apply(language)
    try:
        window = MainWindow(
            workspaces=create_workspaces(demo_runner, clock=CLOCK),
            profile=Profile(tmp_path, is_demo=True, user_name="Ana"),
            language=switcher,
        )
        qtbot.addWidget(window)
        connect_visit_links(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitExposed(window)
        accounts = window.workspace("accounts")
        assert isinstance(accounts, AccountsWorkspace)
        page = accounts.account_page
        window.show_view("today")
        with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
            window.workspace("today").account_requested.emit(_busiest_account(demo_db))  # type: ignore[attr-defined]
        dialog = page.log_interaction()
        assert isinstance(dialog, LogInteractionDialog)
        dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("email"))
        dialog.form.editor("subject").set_value("Tarifa 2027")
        dialog.form.editor("outcome").set_value("Pide respuesta antes del viernes")
        with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
            dialog.save()
        shot = tmp_path / f"account-page-{language}.png"
        assert window.grab().save(str(shot))
        assert_real_screenshot(shot)
    finally:
        switcher.uninstall()
