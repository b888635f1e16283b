"""The account page's "Next:" line and "Suggested products": shown after the page, in both
languages; *Add to a new quote* saves a draft with the product and opens it in the editor;
Today's overdue accounts name their next action in their tooltip."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sfa_desktop.i18n import set_language
from sfa_desktop.services.account_advice import NEXT_ACTIONS_LIMIT
from sfa_desktop.services.cross_sell import account_suggestions, co_purchase_model
from sfa_desktop.store.database import Database
from sfa_desktop.store.models.sales import Quote, QuoteLine
from sfa_desktop.ui.account_page import AccountPageView
from sfa_desktop.ui.quote_editor.editor import QuoteEditor
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.today.lists import ACCOUNT
from sfa_desktop.ui.workspaces.today import TodayWorkspace

from .conftest import WAIT_MS
from .fixed_clock import CLOCK, NOW
from .shown_workspace import shown_when_ready


def _account_with_rules(demo_db: Database) -> str:
    with demo_db.session() as session:
        model = co_purchase_model(session)
        return next(
            account
            for account in sorted(model.baskets)
            if any(s.is_rule for s in account_suggestions(session, account))
        )


@pytest.fixture
def page(qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database) -> Iterator[AccountPageView]:
    view = AccountPageView(demo_runner, now=lambda: NOW)
    qtbot.addWidget(view)
    view.resize(1280, 800)
    view.show()
    with qtbot.waitSignal(view.advice.loaded, timeout=WAIT_MS):
        view.show_account(_account_with_rules(demo_db))
    yield view


def test_the_suggestions_and_the_next_action_show_with_their_reasons(
    page: AccountPageView,
) -> None:
    advice = page.advice.advice
    assert advice is not None and advice.suggestions
    box = page.advice.box
    assert box.title() == "Suggested products"
    assert len(box.buttons) == len(advice.suggestions)
    assert all(b.text() == "Add to a new quote" for b in box.buttons)
    reasons = box.reasons()
    assert any("of customers who buy" in reason and "— lift" in reason for reason in reasons)
    label = page.advice.next_label
    assert advice.next_action is not None
    assert label.isVisible() and label.text().startswith("Next: ")


def test_the_section_speaks_spanish(page: AccountPageView) -> None:
    set_language("es")
    page.retranslate()
    box = page.advice.box
    assert box.title() == "Productos sugeridos"
    assert all(b.text() == "Añadir a un presupuesto nuevo" for b in box.buttons)
    assert page.advice.next_label.text().startswith("Siguiente: ")
    assert any("de los clientes que compran" in reason for reason in box.reasons())


def test_add_to_a_new_quote_saves_a_draft_and_opens_it(
    qtbot: QtBot, page: AccountPageView, demo_db: Database
) -> None:
    advice = page.advice.advice
    assert advice is not None
    product = advice.suggestions[0].product
    with qtbot.waitSignal(page.advice.quote_made, timeout=WAIT_MS) as made:
        page.advice.box.buttons[0].click()
    quote_id = made.args[0]
    with demo_db.session() as session:
        quote = session.get(Quote, quote_id)
        assert quote is not None
        assert (quote.account_id, quote.status) == (page.account_id, "draft")
        lines = session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote_id)).all()
        assert [(line.product_id, line.quantity) for line in lines] == [(product.id, Decimal(1))]

    def editor_open() -> None:
        editors = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QuoteEditor) and w.quote_id == quote_id
        ]
        assert editors and editors[0].isVisible()
        assert [line.product_id for line in editors[0].model.lines] == [product.id]

    qtbot.waitUntil(editor_open, timeout=WAIT_MS)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QuoteEditor):
            widget.close()


def test_today_shows_the_next_action_of_overdue_accounts(
    qtbot: QtBot, demo_runner: TaskRunner
) -> None:
    workspace = shown_when_ready(qtbot, TodayWorkspace(demo_runner, clock=CLOCK), height=800)
    model = workspace.sections.model("overdue")
    assert model.rowCount() > 0
    column = model.column_of(ACCOUNT)

    def tooltips_name_the_next_action() -> None:
        tips = [
            model.data(model.index(row, column), Qt.ItemDataRole.ToolTipRole)
            for row in range(min(model.rowCount(), NEXT_ACTIONS_LIMIT))
        ]
        assert all("\nNext: " in tip for tip in tips)
        assert all(tip.startswith(model.row_at(row).name) for row, tip in enumerate(tips))

    qtbot.waitUntil(tooltips_name_the_next_action, timeout=WAIT_MS)
