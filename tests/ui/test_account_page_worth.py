"""The account page says what the account is worth and why: its strategic tier with the
strategy, lifetime value, potential and cost to serve, each with how it was computed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from sfa_desktop.services.customer_values import account_value_table
from sfa_desktop.store.database import Database
from sfa_desktop.ui.account_page import AccountPageView
from sfa_desktop.ui.language import LanguageSwitcher
from sfa_desktop.ui.tasks import TaskRunner

from .conftest import WAIT_MS
from .fixed_clock import TODAY
from .screenshots import assert_real_screenshot

NOW = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_shows_the_tier_and_why(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database, tmp_path: Path, language: str
) -> None:
    with demo_db.session() as session:
        table = account_value_table(session, today=TODAY)
        account_id = max(table, key=lambda key: table[key].lifetime_value)
        session.execute(
            text("UPDATE account_value_cache SET as_of = '2000-01-01'")
        )  # tiers as last computed are still shown
    switcher = LanguageSwitcher()
    switcher.apply(language)
    try:
        view = AccountPageView(demo_runner, now=lambda: NOW)
        qtbot.addWidget(view)
        view.resize(1280, 800)
        view.show()
        with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
            view.show_account(account_id)
        facts = view.facts
        tier = facts.fact_text("tier")
        assert ("Most valuable" if language == "en" else "Mayor valor") in tier
        assert ("Retain" if language == "en" else "Retener") in facts.fact_text("strategy")
        why = facts.fact_tooltip("lifetime_value")
        assert "×" in why and "÷" in why
        assert facts.fact_text("cost_to_serve")
        shot = tmp_path / f"account-worth-{language}.png"
        assert view.grab().save(str(shot))
        assert_real_screenshot(shot)
        view.grab().save(f"/tmp/value-account-{language}.png")
    finally:
        switcher.uninstall()
