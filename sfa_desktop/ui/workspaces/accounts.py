"""The Accounts workspace: search-as-you-type over every account, in a sortable table."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.i18n import _, format_count, ngettext
from sfa_desktop.ui.icons import icon
from sfa_desktop.ui.models.accounts_model import ACCOUNT_ID_ROLE, COLUMNS, AccountsModel
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.widgets.column_fitter import ColumnFitter
from sfa_desktop.ui.widgets.empty_state import EmptyState
from sfa_desktop.ui.workspaces.base import Workspace, header_label

SEARCH_DELAY_MS = 150
"""Pause after the last keystroke before the search runs."""

NAME_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.attribute == "name")


class AccountsWorkspace(Workspace):
    """Lists accounts a page at a time; typing in the search box filters them."""

    view_id = "accounts"
    #: The user opened an account (double-click or Enter); the argument is its id.
    account_activated = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = AccountsModel(runner, parent=self)
        self._error: str | None = None

        self._title_label = header_label(self)
        self._count_label = QLabel(self)
        self._count_label.setObjectName("accountsCount")
        muted = self._count_label.palette()
        muted.setColor(
            QPalette.ColorRole.WindowText, muted.color(QPalette.ColorRole.PlaceholderText)
        )
        self._count_label.setPalette(muted)

        self._search = QLineEdit(self)
        self._search.setObjectName("accountsSearch")
        self._search.setClearButtonEnabled(True)
        self._search.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self._search.setMinimumWidth(340)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self._search.textChanged.connect(self._search_timer.start)
        self._search.returnPressed.connect(self._run_search)

        self._table = self._build_table()
        self._empty_state = EmptyState(self)
        self._empty_state.set_icon(self.icon())
        self._pages = QStackedWidget(self)
        self._pages.addWidget(self._table)
        self._pages.addWidget(self._empty_state)

        header_row = QHBoxLayout()
        header_row.addWidget(self._title_label)
        header_row.addSpacing(12)
        header_row.addWidget(self._count_label, 0, Qt.AlignmentFlag.AlignBottom)
        header_row.addStretch(1)
        header_row.addWidget(self._search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addLayout(header_row)
        layout.addWidget(self._pages, 1)

        self._model.loaded.connect(self._on_loaded)
        self._model.load_failed.connect(self._on_failed)
        self.retranslate()
        self._model.refresh()

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("accountsTable")
        table.setModel(self._model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSortIndicator(self._model.sort_column(), Qt.SortOrder.AscendingOrder)
        table.setSortingEnabled(True)
        header.sortIndicatorChanged.connect(self._keep_sort_indicator_truthful)
        table.activated.connect(self._on_activated)
        self._column_fitter = ColumnFitter(table, stretch_column=NAME_COLUMN)
        return table

    # --- public API ------------------------------------------------------------------------

    @property
    def model(self) -> AccountsModel:
        return self._model

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def search_box(self) -> QLineEdit:
        return self._search

    @property
    def count_label(self) -> QLabel:
        return self._count_label

    @property
    def empty_state(self) -> EmptyState:
        return self._empty_state

    def showing_empty_state(self) -> bool:
        return self._pages.currentWidget() is self._empty_state

    def title(self) -> str:
        return _("Accounts")

    def description(self) -> str:
        return _("Your customers and prospects.")

    def focus_search(self) -> bool:
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()
        return True

    def retranslate(self) -> None:
        self._title_label.setText(self.title())
        self._search.setPlaceholderText(_("Search by name, tax ID, city or region"))
        self._search.setToolTip(_("Type to filter the accounts (Ctrl+F)"))
        self._model.retranslate()
        self._update_texts()
        self._column_fitter.fit()

    # --- reacting to the model ---------------------------------------------------------------

    def _run_search(self) -> None:
        self._search_timer.stop()
        self._model.set_search(self._search.text())

    def _on_loaded(self) -> None:
        self._error = None
        self._update_texts()
        self._column_fitter.fit()
        self._mark_ready()

    def _on_failed(self, message: str) -> None:
        self._error = message
        self._update_texts()
        self._mark_ready()

    def _update_texts(self) -> None:
        total = self._model.total_count
        shown = self._model.shown_query
        if total is None or shown is None:
            self._count_label.setText(_("Loading…") if self._error is None else "")
        else:
            self._count_label.setText(
                ngettext("{count} account", "{count} accounts", total).format(
                    count=format_count(total)
                )
            )
        if self._error is not None:
            self._empty_state.set_text(_("The accounts could not be loaded"), self._error)
            self._pages.setCurrentWidget(self._empty_state)
        elif total == 0 and shown is not None and shown.search:
            self._empty_state.set_text(
                _("No accounts match “{search}”").format(search=shown.search),
                _("Check the spelling, or search by name, tax ID, city or region."),
            )
            self._pages.setCurrentWidget(self._empty_state)
        elif total == 0:
            self._empty_state.set_text(
                _("No accounts yet"),
                _(
                    "The accounts you own will appear here once you sync with the server. "
                    "To explore the app with sample data, start it with --demo."
                ),
            )
            self._pages.setCurrentWidget(self._empty_state)
        else:
            self._pages.setCurrentWidget(self._table)

    def _keep_sort_indicator_truthful(self, column: int, _order: Qt.SortOrder) -> None:
        """Columns the store cannot sort by must not show a sort arrow."""
        if self._model.is_sortable(column):
            return
        header = self._table.horizontalHeader()
        order = (
            Qt.SortOrder.DescendingOrder
            if self._model.query.descending
            else Qt.SortOrder.AscendingOrder
        )
        blocked = header.blockSignals(True)
        header.setSortIndicator(self._model.sort_column(), order)
        header.blockSignals(blocked)

    def _on_activated(self, index: QModelIndex) -> None:
        account_id = self._model.data(index, ACCOUNT_ID_ROLE)
        if isinstance(account_id, str):
            self.account_activated.emit(account_id)
