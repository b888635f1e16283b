"""The Pipeline workspace: the deals as a board by stage, or as a sortable list.

**Board** (the default): a column per open stage, then *Closed won* and *Closed lost* (the
deals closed in the last 30 days, or in the chosen close period: a deal is closed by dropping it
there). Drag a card to another column, or press Ctrl+Left/Right on it, to change its stage: the
card moves at once and the change is written in the background through
:func:`sfa_desktop.services.opportunities.change_stage` (with the stage history); closing a deal
lost first asks for the reason; a refused change puts the card back and says why, above the
board. Arrows move between cards, Enter or a double-click opens the opportunity editor.

**List**: the open deals, every column sortable (account, name, stage, amount, weighted, close
date, age in stage, owner); Enter opens the editor.

Both show the same filters (whose deals, close period, forecast category, stalled) and search
(the deal's or the account's name). Ctrl+N makes a new opportunity; Ctrl+Shift+L switches
between board and list. Everything is read on the database thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QPalette, QShowEvent
from PySide6.QtWidgets import QButtonGroup, QInputDialog, QLabel, QToolButton, QWidget

from sfa_desktop.i18n import N_, _, format_count, ngettext
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.opportunities import change_stage
from sfa_desktop.services.pipeline import DealRow, PipelineBoard, PipelineFilters, pipeline_board
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.forms.opportunity_form import OpportunityDialog, opportunity_dialog
from sfa_desktop.ui.pipeline.board import PipelineBoardView
from sfa_desktop.ui.pipeline.deals_model import NAME_COLUMN, WHOLE_COLUMNS, DealsModel
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.list_workspace import ListWords, ListWorkspace
from sfa_desktop.ui.workspaces.pipeline_filter_bar import PipelineFilterBar

#: Asks for the reason a deal is lost (parent, deal name) → the reason, None if cancelled.
LostReasonAsker = Callable[[QWidget, str], str | None]
_ERROR_COLOR = "#c62828"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def ask_lost_reason(parent: QWidget, deal_name: str) -> str | None:
    """A small dialog asking why ``deal_name`` was lost (None if cancelled or left blank)."""
    text, accepted = QInputDialog.getText(
        parent,
        _("Close as lost"),
        _("Why was “{deal}” lost?").format(deal=deal_name),
    )
    return text.strip() if accepted and text.strip() else None


class PipelineWorkspace(ListWorkspace[DealsModel]):
    """Your deals by stage (board) or as a list."""

    view_id = "pipeline"
    #: A deal was changed here (moved, edited, made): other views may reload.
    opportunities_changed = Signal()
    #: The board shows the data of its last read.
    board_loaded = Signal()
    #: A card's move was written (argument: deal id) or refused (see :attr:`message_text`).
    move_finished = Signal(str, bool)
    words = ListWords(
        count=lambda n: ngettext("{count} open deal", "{count} open deals", n),
        load_failed=N_("The pipeline could not be loaded"),
        no_match=(
            N_("No deals match “{search}”"),
            N_("Check the spelling, or search by deal or account name."),
        ),
        no_filter_match=(
            N_("No deals match these filters"),
            N_("Change or clear the filters to see more deals."),
        ),
        no_records=(
            N_("No open opportunities"),
            N_("Create an opportunity with New opportunity (Ctrl+N) or from an account's page."),
        ),
    )

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        now: Callable[[], dt.datetime] = _utc_now,
        lost_reason: LostReasonAsker = ask_lost_reason,
    ) -> None:
        super().__init__(runner, DealsModel(runner, now=now), name="pipeline", parent=parent)
        self._now = now
        self._ask_lost_reason = lost_reason
        self._board_shown = False
        self._board_error: str | None = None
        self._board_data: PipelineBoard | None = None
        #: moves shown on the board whose write has not come back yet
        self._moves_in_flight = 0
        self._query = PipelineFilters()
        self._editor: OpportunityDialog | None = None
        self._new_button = self._button("newOpportunity", self._new_clicked, self.icon())
        self._keys = {"Ctrl+N": self._new_clicked}
        self._filters = PipelineFilterBar(runner, self._list_page)
        self._filters.filters_changed.connect(self._filters_changed)
        self._search.search_requested.connect(self._search_changed)
        self._board_button = self._view_button("pipelineBoardView", checked=True)
        self._list_button = self._view_button("pipelineListView", checked=False)
        group = QButtonGroup(self)
        group.addButton(self._board_button)
        group.addButton(self._list_button)
        self._board_button.toggled.connect(self._view_toggled)
        self._finish_list(
            stretch_column=NAME_COLUMN,
            tools=[(self._filters, 1)],
            title_tools=[self._board_button, self._list_button],
            buttons=[self._new_button],
            activated=self._on_activated,
            stretch_share=0.22,
            whole_columns=WHOLE_COLUMNS,
        )
        self._board = PipelineBoardView(lambda: self._now().astimezone().date(), self._list_page)
        self._board.move_requested.connect(self.move_deal)
        self._board.open_requested.connect(self.open_opportunity)
        self._pages.addWidget(self._board)
        self._message = QLabel(self._list_page)
        self._message.setObjectName("pipelineMessage")
        self._message.setWordWrap(True)
        palette = self._message.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(_ERROR_COLOR))
        self._message.setPalette(palette)
        self._message.hide()
        layout = self._list_page.layout()
        if layout is not None:
            layout.insertWidget(layout.indexOf(self._pages), self._message)  # type: ignore[attr-defined]
        self._bind_key("Ctrl+Shift+L", self.toggle_view)
        self._filters.load_choices()
        self._start()
        self.reload_board()

    def _view_button(self, name: str, *, checked: bool) -> QToolButton:
        button = QToolButton(self._list_page)
        button.setObjectName(name)
        button.setCheckable(True)
        button.setChecked(checked)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        return button

    # --- public API ------------------------------------------------------------------------

    @property
    def board(self) -> PipelineBoardView:
        return self._board

    @property
    def filter_bar(self) -> PipelineFilterBar:
        return self._filters

    @property
    def open_editor(self) -> OpportunityDialog | None:
        return self._editor

    @property
    def message_text(self) -> str:
        """The message above the board (a refused move), "" when none."""
        return "" if self._message.isHidden() else self._message.text()

    def showing_board(self) -> bool:
        return self._board_button.isChecked()

    def show_board(self, board: bool = True) -> None:
        (self._board_button if board else self._list_button).setChecked(True)

    def toggle_view(self) -> None:
        """Ctrl+Shift+L: board ↔ list."""
        self.show_board(not self.showing_board())

    def refresh(self) -> None:
        """Re-read the board and the list (after a sync or a change)."""
        self.reload_board()
        self._model.refresh()

    def reload_board(self) -> None:
        filters, now = self._query, self._now()
        today = now.astimezone().date()
        self._runner.run_db(
            lambda session: pipeline_board(session, filters, today=today, now=now),
            on_done=self._show_board,
            on_error=self._board_failed,
            key=(id(self), "board"),
            owner=self,
        )

    def new_opportunity(self, account_id: str | None = None) -> OpportunityDialog | None:
        """Ctrl+N: the editor on a new opportunity (of ``account_id`` when given)."""
        initial = {"account_id": account_id} if account_id else None
        return self._open_editor(None, initial)

    def open_opportunity(self, deal_id: str) -> OpportunityDialog | None:
        """Enter or a double-click on a card or a row: the editor on that deal."""
        return self._open_editor(deal_id, None)

    def move_deal(self, deal_id: str, to_stage: str) -> None:
        """Move a card to ``to_stage`` now and write the change in the background (closing
        it lost asks for the reason first; cancelling leaves it where it was)."""
        found = self._board.find_deal(deal_id)
        if found is None or found[0].stage == to_stage:
            return
        column, row = found
        original = column.model.deal_at(row)
        reason: str | None = None
        if to_stage == "closed_lost":
            reason = self._ask_lost_reason(self, original.name)
            if reason is None:
                return
        from_stage = self._board.move_card(deal_id, to_stage)
        if from_stage is None:
            return
        self._show_message("")
        self._moves_in_flight += 1
        today = self._now().astimezone().date()

        def write(session: Any) -> None:
            change_stage(
                session,
                load_edit_context(session),
                deal_id,
                to_stage,
                today=today,
                lost_reason=reason,
            )

        self._runner.run_db(
            write,
            on_done=lambda _result: self._moved(deal_id),
            on_error=lambda error: self._move_refused(deal_id, from_stage, original, error),
            owner=self,
        )

    def title(self) -> str:
        return _("Pipeline")

    def description(self) -> str:
        return _("Your opportunities by stage.")

    # --- reacting --------------------------------------------------------------------------

    def _open_editor(
        self, deal_id: str | None, initial: dict[str, Any] | None
    ) -> OpportunityDialog | None:
        if self._editor is not None:
            self._editor.raise_()
            return self._editor
        dialog = opportunity_dialog(
            self._runner, record_id=deal_id, initial=initial, now=self._now, parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _id: self._changed())
        dialog.finished.connect(self._editor_closed)
        self._editor = dialog
        dialog.open()
        return dialog

    def showEvent(self, event: QShowEvent) -> None:
        """Shown again (deals may have changed on an account's page): read again."""
        super().showEvent(event)
        if self._board_shown:
            self.refresh()

    def _new_clicked(self) -> None:
        self.new_opportunity()

    def _editor_closed(self) -> None:
        self._editor = None

    def _changed(self) -> None:
        self.refresh()
        self.opportunities_changed.emit()

    def _moved(self, deal_id: str) -> None:
        self._moves_in_flight -= 1
        self.move_finished.emit(deal_id, True)
        self._changed()

    def _move_refused(
        self, deal_id: str, from_stage: str, original: DealRow, error: BaseException
    ) -> None:
        self._moves_in_flight -= 1
        self._board.put_back(deal_id, from_stage, original)
        self._show_message(
            _("“{deal}” was not moved: {reason}").format(
                deal=original.name, reason=describe_error(error)
            )
        )
        self.move_finished.emit(deal_id, False)
        self.reload_board()

    def _show_message(self, text: str) -> None:
        self._message.setText(text)
        self._message.setVisible(bool(text))

    def _filters_changed(self, values: dict[str, Any]) -> None:
        self._model.set_filters(**values)
        self._query = PipelineFilters(**values, search=self._query.search)
        self.reload_board()

    def _search_changed(self, text: str) -> None:
        self._query = PipelineFilters(
            self._query.owner,
            self._query.close_period,
            self._query.forecast_category,
            self._query.stalled_days,
            text.strip() or None,
        )
        self.reload_board()

    def _view_toggled(self) -> None:
        self._update_texts()
        self._enter_results()

    def _enter_results(self) -> None:
        """Down in the search box (or a switch of view): into the cards or the rows."""
        if not self.showing_board():
            super()._enter_results()
        elif not self._board.select_current():
            self._board.focus_first_card()

    def _on_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_opportunity(self._model.deal_at(index.row()).id)

    def _show_board(self, board: PipelineBoard) -> None:
        if self._moves_in_flight and self._board_shown:
            return  # read before a move was written: the read after it follows
        self._board_error = None
        self._board_data = board
        self._board.set_board(board)
        self._board_shown = True
        self._update_texts()
        self.board_loaded.emit()
        if self.showing_board():
            self._mark_ready()

    def _board_failed(self, error: BaseException) -> None:
        self._board_error = describe_error(error)
        self._board_shown = True
        self._update_texts()
        self._mark_ready()

    def _on_loaded(self) -> None:
        self._error = None
        self._update_texts()
        self._table.column_fitter.fit()
        if not self.showing_board():
            self._mark_ready()

    def _update_texts(self) -> None:
        if not hasattr(self, "_board") or not self.showing_board():
            super()._update_texts()
            return
        if not self._board_shown:
            self._count_label.setText(_("Loading…"))
            return
        if self._board_error is not None:
            self._count_label.setText("")
            self._empty_state.set_text(_(self.words.load_failed), self._board_error)
            self._pages.setCurrentWidget(self._empty_state)
            return
        count = self._board.open_count()
        self._count_label.setText(self.words.count(count).format(count=format_count(count)))
        self._pages.setCurrentWidget(self._board)

    # --- texts -----------------------------------------------------------------------------

    def _retranslate_parts(self) -> None:
        self._search.setPlaceholderText(_("Search by deal or account"))
        self._search.setToolTip(_("Type to filter the deals (Ctrl+F)"))
        self._new_button.setText(_("New opportunity"))
        self._new_button.setToolTip(
            _("Make a new opportunity (Ctrl+N); Enter or a double-click opens the selected one")
        )
        self._board_button.setText(_("Board"))
        self._board_button.setToolTip(
            _(
                "Deals by stage: drag a card, or press Ctrl+Left/Right on it, to change its "
                "stage (Ctrl+Shift+L switches)"
            )
        )
        self._list_button.setText(_("List"))
        self._list_button.setToolTip(_("Open deals in a sortable list (Ctrl+Shift+L switches)"))
        self._filters.retranslate()
        if hasattr(self, "_board"):
            self._board.retranslate()
        if self._editor is not None:
            self._editor.retranslate()
