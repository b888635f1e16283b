"""The Quotes workspace: the searchable, filterable list of quotes and what to do with one.

Each row shows a quote's number and revision, account, contact, status (a quote past its
valid-until date shows as expired), total with its currency, dates and owner. The selected
quote's actions (:class:`~sfa_desktop.ui.quotes.quote_actions.QuoteActions`: approve, return
for changes, withdraw the request, send, mark accepted or rejected, revise) are in the title
row (beside the search box) and the list's context menu, only those that apply to it and to the
user. Quotes are made and changed in the quote editor (:mod:`sfa_desktop.ui.quote_editor`):
New quote (Ctrl+N) opens it on a new quote, Enter or a double-click on the selected quote; the
list reloads after each save there. Keyboard: Ctrl+F searches (by number or account), Down
moves from the search box into the list, the Menu key opens the context menu.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QModelIndex, QPoint, Qt, QUrl, Signal
from PySide6.QtWidgets import QMenu, QToolBar, QToolButton, QWidget

from sfa_desktop.i18n import N_, _, ngettext
from sfa_desktop.services.quote_review import QuoteSubject, load_quote_subject
from sfa_desktop.ui.models.quotes_model import ACCOUNT_COLUMN, WHOLE_COLUMNS, QuotesModel
from sfa_desktop.ui.quote_editor import QuoteEditor, open_quote_editor
from sfa_desktop.ui.quotes.quote_actions import QuoteActions, open_with_system
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.list_workspace import ListWords, ListWorkspace
from sfa_desktop.ui.workspaces.quotes_filter_bar import QuotesFilterBar


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class QuotesWorkspace(ListWorkspace[QuotesModel]):
    """Lists quotes a page at a time, newest issue first."""

    view_id = "quotes"
    #: A quote was changed here (approved, sent, revised…): counts and other views reload.
    quotes_changed = Signal()
    #: A one-line message for the user (what an action did).
    notice_shown = Signal(str)
    words = ListWords(
        count=lambda n: ngettext("{count} quote", "{count} quotes", n),
        load_failed=N_("The quotes could not be loaded"),
        no_match=(
            N_("No quotes match “{search}”"),
            N_("Check the spelling, or search by quote number or account name."),
        ),
        no_filter_match=(
            N_("No quotes match these filters"),
            N_("Change or clear the filters to see more quotes."),
        ),
        no_records=(
            N_("No quotes yet"),
            N_(
                "Your quotes will be listed here with their status and validity once you sync "
                "with the server. To explore the app with sample data, start it with --demo."
            ),
        ),
    )

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        now: Callable[[], dt.datetime] = _utc_now,
        open_url: Callable[[QUrl], bool] = open_with_system,
    ) -> None:
        """``open_url`` opens a sent quote's e-mail draft (or its folder) with the system."""
        model = QuotesModel(runner, today=lambda: now().astimezone().date())
        super().__init__(runner, model, name="quotes", parent=parent)
        self._now = now
        #: the quote to select once the list shows it, and whether to search for it if not
        self._wanted: tuple[str, bool] | None = None
        self._menu_at: QPoint | None = None
        self._editors: list[QuoteEditor] = []
        self._new_button = self._button("newQuote", self.new_quote, self.icon())
        self._keys = {"Ctrl+N": self.new_quote}
        self._filters = QuotesFilterBar(self._list_page)
        self._filters.filters_changed.connect(lambda values: self._model.set_filters(**values))
        self._quote_actions = QuoteActions(runner, self, now=now, open_url=open_url)
        self._quote_actions.quote_changed.connect(self._quote_changed)
        self._quote_actions.revised.connect(lambda _old, new_id: self.show_quote(new_id))
        self._quote_actions.notice.connect(self.notice_shown)
        self._quote_actions.subject_loaded.connect(self._subject_loaded)
        self._toolbar = QToolBar(self._list_page)
        self._toolbar.setObjectName("quoteActionsBar")
        self._toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._toolbar.addActions(self._quote_actions.actions())
        for action in self._quote_actions.actions():
            button = self._toolbar.widgetForAction(action)
            if isinstance(button, QToolButton):
                button.setAutoRaise(False)  # drawn as buttons, not as words in the header
                button.setObjectName(f"{action.objectName()}Button")
                # as tall with no action shown as with some: the list does not jump
                margins = self._toolbar.contentsMargins()
                self._toolbar.setMinimumHeight(
                    button.sizeHint().height() + margins.top() + margins.bottom() + 6
                )
        self._finish_list(
            stretch_column=ACCOUNT_COLUMN,
            tools=[(self._filters, 1)],
            title_tools=[self._toolbar],
            buttons=[self._new_button],
            activated=self._on_activated,
            stretch_share=0.22,  # eight columns: the account name leaves room for the others
            whole_columns=WHOLE_COLUMNS,  # "Pendiente de aprobación" whole at 1280 px
        )
        self._table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._table.customContextMenuRequested.connect(self._context_menu)
        self._start()

    # --- public API ------------------------------------------------------------------------

    @property
    def filter_bar(self) -> QuotesFilterBar:
        return self._filters

    @property
    def quote_actions(self) -> QuoteActions:
        return self._quote_actions

    @property
    def actions_bar(self) -> QToolBar:
        return self._toolbar

    def selected_quote_id(self) -> str | None:
        index = self._table.currentIndex()
        if not index.isValid() or not self._table.selectionModel().isRowSelected(index.row()):
            return None
        return self._model.quote_at(index.row()).id

    def refresh(self) -> None:
        """Reload the list (after a sync), keeping the selected quote selected."""
        selected = self.selected_quote_id()
        if selected is not None:
            self._wanted = (selected, False)
        self._model.refresh()

    def show_awaiting_approval(self) -> None:
        """Only the quotes awaiting the user's approval (the status bar's count, clicked)."""
        self.show_list()
        self._search.clear()
        self._search.search_now()
        self._filters.clear()
        self._filters.awaiting.setChecked(True)

    def show_quote(self, quote_id: str) -> None:
        """Select the quote ``quote_id`` (searching for its number if the list hides it)."""
        self.show_list()
        self._wanted = (quote_id, True)
        if self._model.row_of(quote_id) >= 0:
            self._select_wanted()
        else:
            self._model.refresh()

    @property
    def open_editors(self) -> list[QuoteEditor]:
        """The quote editors opened from this list that are still open."""
        return [e for e in self._editors if shiboken6.isValid(e) and e.isVisible()]

    def new_quote(self) -> None:
        """Ctrl+N: the editor on a new quote."""
        self.open_quote(None)

    def open_quote(self, quote_id: str | None) -> QuoteEditor:
        """The editor on ``quote_id`` (a new quote for None); the list reloads on each save."""
        editor = open_quote_editor(
            self._runner, self, quote_id=quote_id, now=self._now, on_saved=self._quote_changed
        )
        self._editors = [*self.open_editors, editor]
        return editor

    def title(self) -> str:
        return _("Quotes")

    def description(self) -> str:
        return _("Build quotes and send them as PDF.")

    # --- reacting --------------------------------------------------------------------------

    def _on_activated(self, index: QModelIndex) -> None:
        """Enter or a double-click on a quote: open it in the editor."""
        if index.isValid():
            self.open_quote(self._model.quote_at(index.row()).id)

    def _update_actions(self) -> None:
        self._quote_actions.show_quote(self.selected_quote_id())

    def _on_loaded(self) -> None:
        super()._on_loaded()
        self._select_wanted()

    def _quote_changed(self, quote_id: str) -> None:
        self._wanted = (quote_id, False)
        self._model.refresh()
        self.quotes_changed.emit()

    def _select_wanted(self) -> None:
        """Select the wanted quote if the list shows it; else search for its number (once)."""
        if self._wanted is None:
            return
        quote_id, search = self._wanted
        row = self._model.row_of(quote_id)
        if row >= 0:
            self._wanted = None
            self._table.selectRow(row)
            self._table.scrollTo(self._model.index(row, 0))
            self._table.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._wanted = None
        if search:
            today = self._now().astimezone().date()
            self._runner.run_db(
                lambda session: load_quote_subject(session, quote_id, today),
                on_done=self._search_for,
                key=(id(self), "wanted"),
                owner=self,
            )

    def _search_for(self, subject: QuoteSubject | None) -> None:
        if subject is None:
            return
        self._wanted = (subject.id, False)
        self._filters.clear()
        self._search.setText(subject.number)
        self._search.search_now()

    def _context_menu(self, position: QPoint) -> None:
        """The selected quote's actions, once they are known for that quote.

        A right click has selected the row under the mouse; the Menu key acts on the selected
        row (its ``position`` is not in the list's coordinates), and the menu opens on it.
        """
        selected = self.selected_quote_id()
        if selected is None:
            return
        row = self._model.row_of(selected)
        if self._table.indexAt(position).row() != row:
            position = self._table.visualRect(self._model.index(row, 0)).center()
        subject = self._quote_actions.subject
        if subject is not None and subject.id == selected:
            self._popup_menu(position)
        else:
            self._menu_at = position

    def _subject_loaded(self, subject: QuoteSubject | None) -> None:
        position, self._menu_at = self._menu_at, None
        if position is not None and subject is not None:
            self._popup_menu(position)

    def _popup_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.setObjectName("quoteMenu")
        self._quote_actions.fill_menu(menu)
        if menu.isEmpty():
            menu.deleteLater()
            return
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self._table.viewport().mapToGlobal(position))

    # --- texts -----------------------------------------------------------------------------

    def _retranslate_parts(self) -> None:
        self._search.setPlaceholderText(_("Search by quote number or account"))
        self._search.setToolTip(_("Type to filter the quotes (Ctrl+F); Down moves into the list"))
        self._new_button.setText(_("New quote"))
        self._new_button.setToolTip(
            _("Make a new quote (Ctrl+N); Enter or a double-click opens the selected quote")
        )
        self._filters.retranslate()
        self._quote_actions.retranslate()
        for editor in self.open_editors:
            editor.retranslate()
