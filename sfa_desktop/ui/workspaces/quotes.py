"""The Quotes workspace: the searchable, filterable list of quotes (read only for now).

Each row shows a quote's number and revision, account, contact, status (a quote past its
valid-until date shows as expired), total with its currency, dates and owner. Keyboard: Ctrl+F
searches (by number or account), Down moves from the search box into the list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QWidget

from sfa_desktop.i18n import N_, _, ngettext
from sfa_desktop.ui.models.quotes_model import ACCOUNT_COLUMN, QuotesModel
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.list_workspace import ListWords, ListWorkspace
from sfa_desktop.ui.workspaces.quotes_filter_bar import QuotesFilterBar


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class QuotesWorkspace(ListWorkspace[QuotesModel]):
    """Lists quotes a page at a time, newest issue first."""

    view_id = "quotes"
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
    ) -> None:
        model = QuotesModel(runner, today=lambda: now().astimezone().date())
        super().__init__(runner, model, name="quotes", parent=parent)
        self._filters = QuotesFilterBar(self._list_page)
        self._filters.filters_changed.connect(lambda values: self._model.set_filters(**values))
        self._finish_list(
            stretch_column=ACCOUNT_COLUMN,
            tools=[(self._filters, 1)],
            buttons=[],
            activated=self._on_activated,
            stretch_share=0.22,  # eight columns: the account name leaves room for the others
        )
        self._start()

    # --- public API ------------------------------------------------------------------------

    @property
    def filter_bar(self) -> QuotesFilterBar:
        return self._filters

    def title(self) -> str:
        return _("Quotes")

    def description(self) -> str:
        return _("Build quotes and send them as PDF.")

    # --- reacting --------------------------------------------------------------------------

    def _on_activated(self, _index: QModelIndex) -> None:
        """Enter or a double-click on a quote: nothing yet (the quote editor comes later)."""

    # --- texts -----------------------------------------------------------------------------

    def _retranslate_parts(self) -> None:
        self._search.setPlaceholderText(_("Search by quote number or account"))
        self._search.setToolTip(_("Type to filter the quotes (Ctrl+F); Down moves into the list"))
        self._filters.retranslate()
