"""The quote editor on the demo data (issue 10): SKU search, live totals, the approval banner,
sections and optional lines, reordering, saving to a real SQLite profile, frozen quotes."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QTableView, QToolButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.domain.money import Money
from sfa_desktop.i18n import SPANISH, set_language
from sfa_desktop.services.current_user import current_user_id
from sfa_desktop.services.quote_drafts import DraftLine, open_quote_draft
from sfa_desktop.store import quote_numbers
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.models.customers import Account
from sfa_desktop.store.models.reference import PriceList, PriceListItem, Product, User
from sfa_desktop.store.models.sales import Opportunity, Quote
from sfa_desktop.store.paths import database_path
from sfa_desktop.ui.account_page import AccountPageView
from sfa_desktop.ui.models.paged_model import ROW_ID_ROLE
from sfa_desktop.ui.quote_editor import QuoteEditor
from sfa_desktop.ui.quote_editor.lines_model import (
    DISCOUNT_COLUMN,
    NET_COLUMN,
    QUANTITY_COLUMN,
)
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.quotes import QuotesWorkspace
from sync_server.protocol.quote_totals import quote_totals

from .conftest import WAIT_MS
from .fixed_clock import CLOCK, TODAY
from .screenshots import assert_real_screenshot, run_app, screenshot_args
from .shown_workspace import shown_when_ready


@pytest.fixture
def numbered_db(demo_db: Database) -> Database:
    """The demo with quote numbers leased to this device (as after a first sync)."""
    with demo_db.session() as session:
        me = session.get(User, current_user_id(session))
        assert me is not None
        quote_numbers.add_blocks(session, rep_code=me.rep_code, blocks=[(TODAY.year, 901, 950)])
    return demo_db


@pytest.fixture
def account_id(numbered_db: Database) -> str:
    """An account of the demo rep's with an open opportunity."""
    with numbered_db.session() as session:
        me = current_user_id(session)
        found = session.scalars(
            select(Account.id)
            .join(Opportunity, Opportunity.account_id == Account.id)
            .where(Account.owner_id == me, Account.deleted_at.is_(None))
            .order_by(Account.name)
        ).first()
    assert found is not None
    return found


def quote_owner_code(session: Session) -> str:
    me = session.get(User, current_user_id(session))
    assert me is not None
    return me.rep_code


def _open(qtbot: QtBot, runner: TaskRunner, **target: str | None) -> QuoteEditor:
    editor = QuoteEditor(runner, now=CLOCK.now, **target)
    editor.confirm_discard = lambda: True  # type: ignore[method-assign]  # no modal question
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow, timeout=WAIT_MS)
    return editor


@pytest.fixture
def editor(qtbot: QtBot, demo_runner: TaskRunner, account_id: str) -> Iterator[QuoteEditor]:
    yield _open(qtbot, demo_runner, account_id=account_id)


def _priced(database: Database, price_list_id: str, offset: int = 0) -> tuple[Product, Decimal]:
    with database.session() as session:
        currency = session.get(PriceList, price_list_id).currency  # type: ignore[union-attr]
        product, minor = session.execute(
            select(Product, PriceListItem.unit_price)
            .join(PriceListItem, PriceListItem.product_id == Product.id)
            .where(
                PriceListItem.price_list_id == price_list_id,
                Product.active.is_(True),
                Product.deleted_at.is_(None),
            )
            .order_by(Product.sku)
            .offset(offset)
        ).first()  # type: ignore[misc]
    return product, Money.from_minor(minor, currency).amount


def _add_by_sku(qtbot: QtBot, editor: QuoteEditor, sku: str) -> None:
    picker = editor.picker
    picker.setFocus()
    rows = editor.model.rowCount()
    with qtbot.waitSignal(picker.choices_loaded, timeout=WAIT_MS):
        qtbot.keyClicks(picker, sku)
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: editor.model.rowCount() == rows + 1, timeout=WAIT_MS)


def test_a_sku_search_adds_a_line_at_the_price_list_price(
    qtbot: QtBot, editor: QuoteEditor, numbered_db: Database, qtmodeltester: ModelTester
) -> None:
    price_list_id = editor.header_form.price_list_id
    assert price_list_id is not None
    product, price = _priced(numbered_db, price_list_id)
    _add_by_sku(qtbot, editor, product.sku)
    line = editor.model.line(0)
    assert (line.product_id, line.sku, line.description) == (product.id, product.sku, product.name)
    assert line.unit_price == price and line.tax_rate_pct == product.tax_rate_pct
    assert editor.picker.text() == ""
    expected = quote_totals(editor.model.lines, editor.model.currency)
    assert editor.totals_panel.total_text == Money(expected.total, "EUR").format("en_GB")
    qtmodeltester.check(editor.model)


def test_typing_a_quantity_updates_the_totals_at_each_keystroke(
    qtbot: QtBot, editor: QuoteEditor, numbered_db: Database
) -> None:
    price_list_id = editor.header_form.price_list_id
    assert price_list_id is not None
    product, price = _priced(numbered_db, price_list_id)
    _add_by_sku(qtbot, editor, product.sku)
    # the quantity cell is open for editing right after the product was added
    editor_widget = QApplication.focusWidget()
    assert editor_widget is not None and editor_widget.parent() is editor.table.viewport()
    qtbot.keyClicks(editor_widget, "3")
    assert editor.model.line(0).quantity == 3  # no Enter needed: the totals follow the typing
    assert editor.totals_panel.subtotal_text == Money(price * 3, "EUR").format("en_GB")
    qtbot.keyClicks(editor_widget, "0")
    assert editor.model.line(0).quantity == 30


def test_a_discount_over_the_limit_shows_needs_approval(
    qtbot: QtBot, editor: QuoteEditor, numbered_db: Database
) -> None:
    price_list_id = editor.header_form.price_list_id
    assert price_list_id is not None
    product, _price = _priced(numbered_db, price_list_id)
    _add_by_sku(qtbot, editor, product.sku)
    limit = editor.model.discount_limit
    assert limit > 0
    assert not editor.needs_approval()
    index = editor.model.index(0, DISCOUNT_COLUMN)
    editor.table.setCurrentIndex(index)
    editor.table.edit(index)
    cell = QApplication.focusWidget()
    over = str(int(limit) + 5)  # "15" for a 10 % limit: "1" is within, "15" above
    qtbot.keyClicks(cell, over[:-1])
    assert not editor.needs_approval()
    qtbot.keyClicks(cell, over[-1])
    assert editor.model.line(0).discount_pct == int(over)  # as typed, no Enter needed
    assert editor.needs_approval()
    assert editor.approval_banner.text() == (
        f"Discount above your limit ({int(limit)}%): submitting will ask your manager for approval."
    )
    qtbot.keyClick(cell, Qt.Key.Key_Backspace)
    assert not editor.needs_approval()


def test_sections_have_subtotals_and_optional_lines_stay_out_of_the_total(
    editor: QuoteEditor, numbered_db: Database
) -> None:
    price_list_id = editor.header_form.price_list_id
    assert price_list_id is not None
    model = editor.model
    items = []
    for offset in range(3):
        product, price = _priced(numbered_db, price_list_id, offset)
        items.append(
            DraftLine(
                description=product.name,
                quantity=Decimal(2),
                unit_price=price,
                tax_rate_pct=product.tax_rate_pct,
                product_id=product.id,
                sku=product.sku,
            )
        )
    for line in (
        DraftLine(kind="section", description="Equipos"),
        items[0],
        dataclasses.replace(items[1], optional=True),
        DraftLine(kind="section", description="Servicios"),
        items[2],
        DraftLine(kind="text", description="Entrega en 2 semanas"),
    ):
        editor.add_line(line)
    totals = quote_totals(model.lines, "EUR")
    net = items[0].quantity * items[0].unit_price
    assert model.data(model.index(0, NET_COLUMN)) == Money(net, "EUR").format("en_GB")
    assert model.data(model.index(2, NET_COLUMN)).startswith("(")  # optional: in brackets
    assert model.data(model.index(2, NET_COLUMN, QModelIndex())) != ""
    assert totals.subtotal == net + items[2].quantity * items[2].unit_price
    assert editor.totals_panel.subtotal_text == Money(totals.subtotal, "EUR").format("en_GB")
    optional_net = items[1].quantity * items[1].unit_price
    assert editor.totals_panel.optional_text == Money(optional_net, "EUR").format("en_GB")
    assert editor.totals_panel.total_text == Money(totals.total, "EUR").format("en_GB")
    # ticking it makes it count
    editor.table.setCurrentIndex(model.index(2, QUANTITY_COLUMN))
    editor.toggle_optional()
    assert editor.totals_panel.optional_text == ""
    assert quote_totals(model.lines, "EUR").subtotal == totals.subtotal + optional_net


def test_alt_down_and_alt_up_move_the_line(qtbot: QtBot, editor: QuoteEditor) -> None:
    for text in ("uno", "dos", "tres"):
        editor.add_line(DraftLine(kind="text", description=text))
    table = editor.table
    table.setFocus()
    table.setCurrentIndex(editor.model.index(0, 1))
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [line.description for line in editor.model.lines] == ["dos", "uno", "tres"]
    assert table.currentIndex().row() == 1  # the moved line stays selected
    qtbot.keyClick(table, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(table, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [line.description for line in editor.model.lines] == ["dos", "uno", "tres"]
    # drag and drop goes through the model: the first line dropped at the end
    model = editor.model
    data = model.mimeData([model.index(0, 0)])
    assert not model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert [line.description for line in model.lines] == ["uno", "tres", "dos"]


def test_save_round_trips_through_the_profile(
    qtbot: QtBot, editor: QuoteEditor, numbered_db: Database
) -> None:
    price_list_id = editor.header_form.price_list_id
    assert price_list_id is not None
    product, _price = _priced(numbered_db, price_list_id)
    editor.add_line(DraftLine(kind="section", description="Equipos"))
    _add_by_sku(qtbot, editor, product.sku)
    qtbot.keyClicks(QApplication.focusWidget(), "4")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    editor.header_form.customer_note.setPlainText("Gracias por su confianza")
    assert editor.is_dirty and editor.windowTitle().endswith("*")
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS) as saved:
        qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    quote_id = saved.args[0]
    assert not editor.is_dirty and editor.quote_id == quote_id
    with numbered_db.session() as session:
        draft = open_quote_draft(session, quote_id).draft
        quote = session.get(Quote, quote_id)
        assert quote is not None and quote.number.startswith(f"Q-{quote_owner_code(session)}-")
    assert draft.header.customer_note == "Gracias por su confianza"
    assert [(line.kind, line.quantity) for line in draft.lines] == [
        ("section", 1),
        ("item", 4),
    ]
    assert draft.lines == editor.model.lines  # the editor shows what was saved, with ids
    assert editor.windowTitle() == f"Quote {quote.number} (revision 1)"
    # a second save changes one line only
    editor.table.setCurrentIndex(editor.model.index(1, QUANTITY_COLUMN))
    editor.model.setData(editor.model.index(1, QUANTITY_COLUMN), "5")
    with qtbot.waitSignal(editor.saved, timeout=WAIT_MS):
        editor.save_button.click()
    with numbered_db.session() as session:
        again = open_quote_draft(session, quote_id).draft
    assert [line.id for line in again.lines] == [line.id for line in draft.lines]
    assert again.lines[1].quantity == 5


def test_submit_shows_the_new_status(
    qtbot: QtBot, editor: QuoteEditor, numbered_db: Database
) -> None:
    price_list_id = editor.header_form.price_list_id
    assert price_list_id is not None
    product, _price = _priced(numbered_db, price_list_id)
    _add_by_sku(qtbot, editor, product.sku)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    editor.model.setData(editor.model.index(0, DISCOUNT_COLUMN), "99")
    assert editor.needs_approval()
    with qtbot.waitSignal(editor.submitted, timeout=WAIT_MS) as submitted:
        editor.submit_button.click()
    assert submitted.args == ["pending_approval"]
    assert editor.draft is not None and editor.draft.status == "pending_approval"
    assert not editor.submit_button.isEnabled()  # submitted already
    assert editor.findChild(QLabel, "quoteEditorStatus").text() == "Pending approval"
    assert not editor.read_only  # pending approval can still be changed


def test_a_refused_save_shows_why_and_keeps_the_lines(
    qtbot: QtBot, editor: QuoteEditor, numbered_db: Database
) -> None:
    editor.add_line(DraftLine(description="Sin producto", quantity=Decimal(1)))
    editor.model.replace_lines(
        [dataclasses.replace(editor.model.line(0), quantity=Decimal(0))]
    )  # what typing cannot do; the service still refuses it
    with qtbot.waitSignal(editor.failed, timeout=WAIT_MS) as failed:
        editor.save()
    assert failed.args[0] == "Line 1: The quantity must be more than zero."
    assert editor.model.rowCount() == 1 and editor.quote_id is None


def _frozen_quote(database: Database) -> str:
    with database.session() as session:
        found = session.scalars(
            select(Quote.id).where(Quote.status.in_(("approved", "sent", "accepted")))
        ).first()
    assert found is not None
    return found


def test_a_frozen_quote_opens_read_only(
    qtbot: QtBot, demo_runner: TaskRunner, numbered_db: Database
) -> None:
    editor = _open(qtbot, demo_runner, quote_id=_frozen_quote(numbered_db))
    assert editor.read_only and editor.frozen_banner.isVisibleTo(editor)
    assert "can no longer be changed" in editor.frozen_banner.text()
    assert "revise it" in editor.frozen_banner.text()
    assert not editor.save_button.isEnabled() and not editor.submit_button.isEnabled()
    assert not editor.picker.isVisibleTo(editor)
    model = editor.model
    assert model.rowCount() > 0
    assert not model.flags(model.index(0, QUANTITY_COLUMN)) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(model.index(0, QUANTITY_COLUMN), "7")
    editor.table.setCurrentIndex(model.index(0, 0))
    editor.move_line(1)
    editor.delete_line()
    assert not editor.is_dirty


def test_the_editor_speaks_spanish(
    qtbot: QtBot, demo_runner: TaskRunner, numbered_db: Database, account_id: str
) -> None:
    set_language(SPANISH)
    editor = _open(qtbot, demo_runner, account_id=account_id)
    editor.add_line(
        DraftLine(
            description="Equipo",
            quantity=Decimal(2),
            unit_price=Decimal("617.25"),
            tax_rate_pct=Decimal(21),
        )
    )
    assert editor.totals_panel.subtotal_text == "1.234,50\xa0€"
    assert editor.windowTitle() == "Nuevo presupuesto *"


def test_new_quote_and_enter_open_the_editor_from_the_list(
    qtbot: QtBot, demo_runner: TaskRunner, numbered_db: Database
) -> None:
    workspace = shown_when_ready(qtbot, QuotesWorkspace(demo_runner, now=CLOCK.now), width=1280)
    workspace.findChild(QPushButton, "newQuote").click()
    [new] = workspace.open_editors
    qtbot.waitUntil(lambda: new.draft is not None, timeout=WAIT_MS)
    assert new.quote_id is None and new.windowTitle() == "New quote"
    new.close()
    table = workspace.table
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    opened = [e for e in workspace.open_editors if e is not new]
    assert len(opened) == 1
    qtbot.waitUntil(lambda: opened[0].draft is not None, timeout=WAIT_MS)
    assert opened[0].quote_id == workspace.model.quote_at(0).id
    opened[0].close()


def test_new_quote_from_the_account_page_and_from_an_opportunity(
    qtbot: QtBot, demo_runner: TaskRunner, numbered_db: Database, account_id: str
) -> None:
    page = AccountPageView(demo_runner, now=CLOCK.now)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.show_account(account_id)
    page.show()
    button = page.findChild(QPushButton, "newAccountQuote")
    assert button is not None and button.isEnabled() and button.text() == "New quote"
    editor = page.new_quote()
    assert editor is not None
    editor.confirm_discard = lambda: True  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: editor.draft is not None, timeout=WAIT_MS)
    assert editor.header_form.header().account_id == account_id
    assert editor.header_form.header().opportunity_id is None
    editor.close()
    # an opportunity's context menu: a quote for it, account and opportunity filled in
    assert page.opportunities.rowCount() > 0
    opportunity_id = page.opportunities.data(page.opportunities.index(0, 0), ROW_ID_ROLE)
    table = page.findChild(QTableView, "accountOpportunities")
    table.setFocus()
    table.setCurrentIndex(page.opportunities.index(0, 0))
    before = set(page.findChildren(QuoteEditor))
    menu = page.opportunity_menu()
    assert menu is not None
    [action] = [a for a in menu.actions() if a.objectName() == "quoteOpportunity"]
    action.trigger()
    [for_opportunity] = [e for e in page.findChildren(QuoteEditor) if e not in before]
    for_opportunity.confirm_discard = lambda: True  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: for_opportunity.draft is not None, timeout=WAIT_MS)
    header = for_opportunity.header_form.header()
    assert (header.account_id, header.opportunity_id) == (account_id, opportunity_id)
    # saving it reloads the page, which then lists the new quote
    for_opportunity.add_line(DraftLine(kind="text", description="Propuesta"))
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        for_opportunity.save()
    assert any(row.id == for_opportunity.quote_id for row in page.quotes.rows())
    for_opportunity.close()


def test_a_screenshot_of_a_quote_is_the_editor(
    qapp: object, demo_file: Path, tmp_path: Path
) -> None:
    """``sfa-desktop --quote NUMBER --screenshot FILE``: the editor on that quote, as a PNG."""
    data_dir = tmp_path / "profile"
    data_dir.mkdir()
    shutil.copy2(demo_file, database_path(data_dir))
    with open_database(database_path(data_dir)) as database, database.session() as session:
        number = session.scalars(select(Quote.number).order_by(Quote.number)).first()
    assert number is not None
    shot = tmp_path / "quote-es.png"
    args = screenshot_args(data_dir, shot, "--quote", number, "--lang", "es")
    assert run_app(args) == 0
    image = assert_real_screenshot(shot)
    content = {image.pixel(x, y) for x in range(0, 1280, 8) for y in range(250, 700, 8)}
    assert len(content) > 5  # the lines table has text
    missing = tmp_path / "missing.png"
    assert run_app(screenshot_args(data_dir, missing, "--quote", "Q-NOPE")) != 0
    assert not missing.exists()


def test_a_frozen_quote_is_revised_from_the_editor(
    qtbot: QtBot, demo_runner: TaskRunner, numbered_db: Database
) -> None:
    """The lifecycle actions sit in the editor's action row: Revise on a frozen quote shows the
    new revision, a draft with the same lines, ready to edit."""
    with numbered_db.session() as session:
        me = current_user_id(session)
        frozen = session.scalars(
            select(Quote).where(Quote.status.in_(("approved", "sent")), Quote.owner_id == me)
        ).first()
        assert frozen is not None
        number, frozen_id = frozen.number, frozen.id
    editor = _open(qtbot, demo_runner, quote_id=frozen_id)
    revise = editor.quote_actions.action("revise")
    qtbot.waitUntil(lambda: editor.quote_actions.subject is not None, timeout=WAIT_MS)
    assert revise.isVisible() and revise.isEnabled()
    button = editor.findChild(QToolButton, "quote_reviseButton")
    assert button is not None
    # the toolbar lays its buttons out for the newly visible actions on its next event
    qtbot.waitUntil(lambda: button.isVisibleTo(editor), timeout=WAIT_MS)
    lines = editor.model.rowCount()
    with qtbot.waitSignal(editor.loaded, timeout=WAIT_MS):
        button.click()
    assert editor.quote_id != frozen_id and not editor.read_only
    assert editor.draft is not None and editor.draft.number == number
    assert editor.draft.revision >= 2 and editor.model.rowCount() == lines
    # the action row follows the new revision (read in a task of its own)
    qtbot.waitUntil(
        lambda: (
            (subject := editor.quote_actions.subject) is not None and subject.id == editor.quote_id
        ),
        timeout=WAIT_MS,
    )
    assert not editor.quote_actions.action("send").isVisible()  # a draft is not sent


def test_another_price_list_reprices_the_lines(
    qtbot: QtBot, editor: QuoteEditor, numbered_db: Database
) -> None:
    header = editor.header_form
    first = header.price_list_id
    assert first is not None
    product, _price = _priced(numbered_db, first)
    _add_by_sku(qtbot, editor, product.sku)
    with numbered_db.session() as session:
        other = session.execute(
            select(PriceList, PriceListItem.unit_price)
            .join(PriceListItem, PriceListItem.price_list_id == PriceList.id)
            .where(PriceList.id != first, PriceListItem.product_id == product.id)
            .where(PriceList.active.is_(True))
        ).first()
    assert other is not None, "the demo prices its products in more than one list"
    price_list, minor = other
    combo = header.price_list
    index = combo.findData(price_list.id)
    combo.setCurrentIndex(index)
    with qtbot.waitSignal(editor.model.totals_changed, timeout=WAIT_MS):
        combo.activated.emit(index)
    assert header.price_list_id == price_list.id
    assert editor.model.currency == price_list.currency
    line = editor.model.line(0)
    assert line.unit_price == Money.from_minor(minor, price_list.currency).amount
    assert header.header().currency == price_list.currency


def test_closing_with_unsaved_changes_asks_first(qtbot: QtBot, editor: QuoteEditor) -> None:
    editor.add_line(DraftLine(kind="text", description="Borrador"))
    answers: list[bool] = []

    def answer(keep_open: bool) -> bool:
        answers.append(keep_open)
        return not keep_open

    editor.confirm_discard = lambda: answer(True)  # type: ignore[method-assign]
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert editor.isVisible() and answers == [True]
    editor.confirm_discard = lambda: answer(False)  # type: ignore[method-assign]
    editor.close()
    assert not editor.isVisible() and answers == [True, False]


@pytest.mark.parametrize(
    "module",
    [
        "sfa_desktop.ui.quote_editor",
        "sfa_desktop.ui.quotes.quote_actions",
        "sfa_desktop.ui.account_page",
    ],
)
def test_the_editor_imports_first_or_last(module: str) -> None:
    """The editor, the quote actions and the account page import one another: each can be
    the first one a process imports."""
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", f"import {module}"], check=True, cwd=root)
