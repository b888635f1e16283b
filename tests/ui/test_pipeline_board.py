"""The Pipeline workspace on the demo data: the board by stage (headers, drag, keyboard, closing
lost, a refused move), the list and its filters, the opportunity editor (stage defaults, lost
reason, history) and a new opportunity from the account page."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sfa_desktop.domain.money import currency_precision
from sfa_desktop.services.current_user import current_user_id
from sfa_desktop.services.opportunities import stage_history
from sfa_desktop.services.pipeline import OPEN_STAGES, count_deals
from sfa_desktop.store.database import Database
from sfa_desktop.store.models.sales import Opportunity
from sfa_desktop.store.paths import database_path
from sfa_desktop.ui.account_page.display import show_amount
from sfa_desktop.ui.account_page.page import AccountPageView
from sfa_desktop.ui.forms.opportunity_form import OpportunityDialog
from sfa_desktop.ui.pipeline.board import StageColumn
from sfa_desktop.ui.pipeline.card_delegate import OVERDUE_COLOR
from sfa_desktop.ui.pipeline.deals_model import column_titles
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.pipeline import PipelineWorkspace

from .conftest import WAIT_MS
from .fixed_clock import CLOCK, NOW, TODAY
from .screenshots import assert_real_screenshot, run_app, screenshot_args
from .shown_workspace import shown_when_ready


class Asker:
    """Stands in for the lost-reason dialog: records the deals asked about, gives ``answer``."""

    def __init__(self, answer: str | None) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, _parent: object, deal_name: str) -> str | None:
        self.asked.append(deal_name)
        return self.answer


@pytest.fixture
def asker() -> Asker:
    return Asker("Precio demasiado alto")


@pytest.fixture
def workspace(qtbot: QtBot, demo_runner: TaskRunner, asker: Asker) -> Iterator[PipelineWorkspace]:
    yield shown_when_ready(
        qtbot,
        PipelineWorkspace(demo_runner, now=CLOCK.now, lost_reason=asker),
        width=1280,
        height=760,
    )


def _open_deals(database: Database) -> list[Opportunity]:
    with database.session() as session:
        rows = session.scalars(
            select(Opportunity).where(
                Opportunity.deleted_at.is_(None),
                Opportunity.stage.in_(OPEN_STAGES),
            )
        ).all()
        session.expunge_all()
        return list(rows)


def _deal(database: Database, deal_id: str) -> Opportunity:
    with database.session() as session:
        deal = session.get(Opportunity, deal_id)
        assert deal is not None
        session.expunge(deal)
        return deal


def _money(minor: Decimal | int, currency: str) -> str:
    return show_amount(Decimal(minor).scaleb(-currency_precision(currency)), currency)


def _first_card(column: StageColumn) -> str:
    assert column.model.rowCount() > 0, column.stage
    return column.model.deal_at(0).id


def test_the_board_shows_the_deals_by_stage_with_their_sums(
    workspace: PipelineWorkspace, demo_db: Database, qtmodeltester: ModelTester
) -> None:
    board = workspace.board
    assert workspace.showing_board()
    assert [c.stage for c in board.columns] == [*OPEN_STAGES, "closed_won", "closed_lost"]
    deals = _open_deals(demo_db)
    assert len(deals) > 20
    assert workspace.count_label.text() == f"{len(deals)} open deals"
    for stage in OPEN_STAGES:
        column = board.column(stage)
        qtmodeltester.check(column.model)
        mine = [d for d in deals if d.stage == stage]
        assert {column.model.deal_at(r).id for r in range(column.model.rowCount())} == {
            d.id for d in mine
        }
        assert column.title.text() == f"{column.title.text().split(' · ')[0]} · {len(mine)}"
        for currency in {d.currency for d in mine}:
            amount = sum(d.amount for d in mine if d.currency == currency)
            weighted = sum(
                d.amount * (d.probability if d.probability is not None else 0)
                for d in mine
                if d.currency == currency
            )
            lines = column.sums.text().splitlines()
            assert _money(amount, currency) in lines
            assert f"weighted {_money(Decimal(weighted).scaleb(-2), currency)}" in lines
    # the cards are soonest to close first, and say it in the locale's money
    proposal = board.column("proposal").model.deals()
    dates = [d.expected_close_date for d in proposal if d.expected_close_date]
    assert dates == sorted(dates)


def test_dropping_a_card_on_another_column_moves_the_deal_and_writes_history(
    qtbot: QtBot, workspace: PipelineWorkspace, demo_db: Database
) -> None:
    board = workspace.board
    source, target = board.column("qualification"), board.column("proposal")
    deal_id = _first_card(source)
    before = target.count
    mime = source.model.mimeData([source.model.index(0, 0)])
    assert not source.model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    with qtbot.waitSignal(workspace.move_finished, timeout=WAIT_MS) as moved:
        # what QListView does with a drop on the proposal column
        assert not target.model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
        qtbot.waitUntil(lambda: target.model.row_of(deal_id) >= 0, timeout=WAIT_MS)
        assert source.model.row_of(deal_id) < 0 and target.count == before + 1
    assert moved.args == [deal_id, True]
    deal = _deal(demo_db, deal_id)
    assert (deal.stage, deal.probability) == ("proposal", 50)
    with demo_db.session() as session:
        last = stage_history(session, deal_id)[-1]
    assert (last.from_stage, last.to_stage) == ("qualification", "proposal")


def test_ctrl_right_moves_the_focused_card_a_stage(
    qtbot: QtBot, workspace: PipelineWorkspace, demo_db: Database
) -> None:
    board = workspace.board
    # Down in the search box: into the cards, the first one of the first stage
    workspace.search_box.setFocus()
    qtbot.keyClick(workspace.search_box, Qt.Key.Key_Down)
    first = board.current_deal()
    assert first is not None and first.id == _first_card(board.column("prospecting"))
    column = board.column("negotiation")
    deal_id = _first_card(column)
    assert board.select_deal(deal_id)
    # plain arrows move between cards (Right: the next column with cards)
    qtbot.keyClick(column.view, Qt.Key.Key_Right)
    current = board.current_deal()
    assert current is not None and current.stage == "closed_won"
    qtbot.keyClick(board.column("closed_won").view, Qt.Key.Key_Left)
    assert board.current_deal() is not None and board.current_deal().id == deal_id  # type: ignore[union-attr]
    with qtbot.waitSignal(workspace.move_finished, timeout=WAIT_MS):
        qtbot.keyClick(column.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    won = board.column("closed_won")
    assert won.model.row_of(deal_id) >= 0 and board.current_deal().id == deal_id  # type: ignore[union-attr]
    deal = _deal(demo_db, deal_id)
    assert (deal.stage, deal.probability, deal.forecast_category) == ("closed_won", 100, "closed")
    with demo_db.session() as session:
        last = stage_history(session, deal_id)[-1]
    assert (last.from_stage, last.to_stage) == ("negotiation", "closed_won")


def test_quick_moves_in_a_row_all_land(
    qtbot: QtBot, workspace: PipelineWorkspace, demo_db: Database
) -> None:
    board = workspace.board
    column = board.column("prospecting")
    deal_id = _first_card(column)
    assert board.select_deal(deal_id)
    with qtbot.waitSignals([workspace.move_finished] * 3, timeout=WAIT_MS):
        for _ in range(3):
            view = board.column(board.current_deal().stage).view  # type: ignore[union-attr]
            qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    with qtbot.waitSignal(workspace.board_loaded, timeout=WAIT_MS):
        pass  # the read after the last write
    assert board.column("negotiation").model.row_of(deal_id) >= 0
    assert _deal(demo_db, deal_id).stage == "negotiation"
    with demo_db.session() as session:
        moves = [(c.from_stage, c.to_stage) for c in stage_history(session, deal_id)][-3:]
    assert moves == [
        ("prospecting", "qualification"),
        ("qualification", "proposal"),
        ("proposal", "negotiation"),
    ]


def test_closing_a_deal_lost_asks_for_the_reason(
    qtbot: QtBot, workspace: PipelineWorkspace, demo_db: Database, asker: Asker
) -> None:
    board = workspace.board
    source = board.column("proposal")
    deal_id = _first_card(source)
    name = source.model.deal_at(0).name
    asker.answer = None  # cancelled: nothing moves, nothing is written
    workspace.move_deal(deal_id, "closed_lost")
    assert asker.asked == [name]
    assert source.model.row_of(deal_id) == 0
    assert _deal(demo_db, deal_id).stage == "proposal"
    asker.answer = "Precio demasiado alto"
    with qtbot.waitSignal(workspace.move_finished, timeout=WAIT_MS):
        workspace.move_deal(deal_id, "closed_lost")
    deal = _deal(demo_db, deal_id)
    assert (deal.stage, deal.lost_reason, deal.probability) == (
        "closed_lost",
        "Precio demasiado alto",
        0,
    )


def test_a_refused_move_puts_the_card_back_with_the_message(
    qtbot: QtBot, workspace: PipelineWorkspace, demo_db: Database
) -> None:
    board = workspace.board
    source = board.column("prospecting")
    deal_id = _first_card(source)
    with demo_db.session() as session:  # deleted behind the board's back (a sync, say)
        deal = session.get(Opportunity, deal_id)
        assert deal is not None
        deal.deleted_at = NOW
    with qtbot.waitSignal(workspace.move_finished, timeout=WAIT_MS) as moved:
        workspace.move_deal(deal_id, "qualification")
    assert moved.args == [deal_id, False]
    assert source.model.row_of(deal_id) >= 0
    assert board.column("qualification").model.row_of(deal_id) < 0
    assert "was not moved" in workspace.message_text


def test_the_list_sorts_and_filters(
    qtbot: QtBot, workspace: PipelineWorkspace, demo_db: Database
) -> None:
    model = workspace.model
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        workspace.refresh()
    workspace.show_board(False)
    assert not workspace.showing_board() and workspace.table.isVisible()
    assert column_titles() == (
        "Account",
        "Opportunity",
        "Stage",
        "Amount",
        "Weighted",
        "Expected close",
        "In stage",
        "Owner",
    )
    total = len(_open_deals(demo_db))
    assert model.total_count == total
    bar = workspace.filter_bar

    def count(**filters: object) -> int:
        with demo_db.session() as session:
            return count_deals(session, today=TODAY, now=NOW, **filters)  # type: ignore[arg-type]

    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        assert bar.select(bar.period, "overdue")
    rows = model.loaded_rows()
    assert len(rows) == model.total_count == count(close_period="overdue") > 0
    assert all(r.expected_close_date is not None and r.expected_close_date < TODAY for r in rows)
    assert model.data(model.index(0, 5), Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOR
    bar.clear()
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        assert bar.select(bar.stalled, "30")
    rows = model.loaded_rows()
    assert 0 < len(rows) < total and all(r.age_in_stage_days > 30 for r in rows)
    bar.clear()
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        assert bar.select(bar.owner, "mine")
    with demo_db.session() as session:
        me = current_user_id(session)
    rows = model.loaded_rows()
    assert rows and all(r.owner_id == me for r in rows)
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        assert bar.select(bar.category, "best_case")
    assert all(r.forecast_category == "best_case" for r in model.loaded_rows())
    # the board shows the same filters
    qtbot.waitUntil(
        lambda: workspace.board.open_count() == count(owner="mine", forecast_category="best_case"),
        timeout=WAIT_MS,
    )
    bar.clear()
    # sorting by age in stage, longest first
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.sort(6, Qt.SortOrder.DescendingOrder)
    ages = [r.age_in_stage_days for r in model.loaded_rows()]
    assert ages == sorted(ages, reverse=True)


def _editor(qtbot: QtBot, workspace: PipelineWorkspace, deal_id: str | None) -> OpportunityDialog:
    dialog = workspace.new_opportunity() if deal_id is None else workspace.open_opportunity(deal_id)
    assert dialog is not None
    qtbot.addWidget(dialog)
    return dialog


def test_the_editor_follows_the_stage_defaults_and_asks_a_lost_reason(
    qtbot: QtBot, workspace: PipelineWorkspace, demo_db: Database
) -> None:
    deal_id = _first_card(workspace.board.column("qualification"))
    account_id = _deal(demo_db, deal_id).account_id
    dialog = _editor(qtbot, workspace, None)
    form = dialog.form
    assert dialog.windowTitle() == "New opportunity"
    assert (form.editor("stage").value(), form.editor("forecast_category").value()) == (
        "prospecting",
        "pipeline",
    )
    assert "10 %" in dialog.defaults_text
    stage = form.editor("stage").widget
    stage.setCurrentIndex(stage.findData("proposal"))
    stage.activated.emit(stage.currentIndex())
    assert form.editor("probability").value() == 50 and "50 %" in dialog.defaults_text
    form.editor("probability").set_value(60)  # the rep's own: kept on the next stage
    stage.setCurrentIndex(stage.findData("negotiation"))
    stage.activated.emit(stage.currentIndex())
    assert form.editor("probability").value() == 60
    assert form.editor("forecast_category").value() == "best_case"
    assert not form.field_visible("lost_reason")
    stage.setCurrentIndex(stage.findData("closed_lost"))
    stage.activated.emit(stage.currentIndex())
    assert form.field_visible("lost_reason")
    assert form.editor("probability").value() == 0
    form.editor("account_id").set_value(account_id)
    form.editor("name").set_value("Renovación de la climatización")
    form.editor("amount").set_value(1_250_000)
    with qtbot.waitSignal(dialog.save_finished, timeout=WAIT_MS) as finished:
        dialog.save()
    assert finished.args == [False]
    assert form.error_text("lost_reason") == "Give the reason for this status change."
    form.editor("lost_reason").set_value("Se quedan con el proveedor actual")
    with qtbot.waitSignal(dialog.save_finished, timeout=WAIT_MS) as finished:
        dialog.save()
    assert finished.args == [True]
    assert dialog.record_id is not None
    deal = _deal(demo_db, dialog.record_id)
    assert (deal.stage, deal.lost_reason, deal.expected_close_date) == (
        "closed_lost",
        "Se quedan con el proveedor actual",
        CLOCK.now().astimezone().date(),
    )


def test_the_editor_shows_the_stage_history_and_age(
    qtbot: QtBot, workspace: PipelineWorkspace, demo_db: Database
) -> None:
    column = workspace.board.column("proposal")
    deal_id = _first_card(column)
    assert workspace.board.select_deal(deal_id)
    qtbot.keyClick(column.view, Qt.Key.Key_Return)  # Enter on a card: its editor
    dialog = workspace.open_editor
    assert isinstance(dialog, OpportunityDialog) and dialog.record_id == deal_id
    qtbot.addWidget(dialog)
    if dialog.history is None:
        with qtbot.waitSignal(dialog.history_shown, timeout=WAIT_MS):
            pass
    qtbot.waitUntil(lambda: dialog.form.editor("name").value() is not None, timeout=WAIT_MS)
    with demo_db.session() as session:
        history = stage_history(session, deal_id)
    assert dialog.history_list.topLevelItemCount() == len(history) >= 1
    assert dialog.age_text.startswith("In Proposal for ")
    assert workspace.open_editor is dialog  # one at a time
    dialog.form.editor("next_step").set_value("Llamar el lunes")
    with qtbot.waitSignal(dialog.save_finished, timeout=WAIT_MS):
        dialog.save()
    assert _deal(demo_db, deal_id).next_step == "Llamar el lunes"


def test_a_new_opportunity_from_the_account_page(
    qtbot: QtBot, demo_runner: TaskRunner, demo_db: Database
) -> None:
    with demo_db.session() as session:
        account_id = session.scalars(
            select(Opportunity.account_id).where(Opportunity.deleted_at.is_(None))
        ).first()
    assert account_id is not None
    page = AccountPageView(demo_runner, now=CLOCK.now)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.show_account(account_id)
    page.show()
    button = page.findChild(QPushButton, "newAccountOpportunity")
    assert button is not None and button.isEnabled() and button.text() == "New opportunity"
    before = page.opportunities.rowCount()
    dialog = page.new_opportunity()
    assert isinstance(dialog, OpportunityDialog)
    assert dialog.form.editor("account_id").value() == account_id
    dialog.form.editor("name").set_value("Segunda línea de envasado")
    dialog.form.editor("amount").set_value(4_200_000)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        dialog.save()
    assert page.opportunities.rowCount() == before + 1
    # Enter on an opportunity row opens it in the editor
    assert page.edit_opportunity(dialog.record_id or "") is not None


def test_closed_columns_hold_only_recent_deals(workspace: PipelineWorkspace) -> None:
    won = workspace.board.column("closed_won").model.deals()
    limit = TODAY - dt.timedelta(days=30)
    assert all(d.expected_close_date is not None and d.expected_close_date >= limit for d in won)


def test_a_screenshot_of_the_pipeline_is_the_board(
    qapp: object, demo_file: Path, tmp_path: Path
) -> None:
    """``sfa-desktop --view pipeline --screenshot FILE --lang es``: the board, painted."""
    data_dir = tmp_path / "profile"
    data_dir.mkdir()
    shutil.copy2(demo_file, database_path(data_dir))
    shot = tmp_path / "pipeline-es.png"
    assert run_app(screenshot_args(data_dir, shot, "--view", "pipeline", "--lang", "es")) == 0
    image = assert_real_screenshot(shot)
    # the cards: many colours in the columns' area (text, borders, the red of overdue dates)
    content = {image.pixel(x, y) for x in range(200, 1280, 6) for y in range(160, 740, 6)}
    assert len(content) > 10
