"""What the Accounts and Contacts workspaces share: a searchable, paged list of records.

On top the title, the count ("450 accounts") and the search box; below, a tool row (the
workspace's filters, then New / Edit / Delete and any other buttons, none for a read-only
list); then the table, or an empty state saying why there is nothing to show. Keyboard: Ctrl+N
new, F2 edits and Del deletes (on the table), Ctrl+F searches, Down in the search box moves
into the results.

A subclass builds in two steps, so widgets are created (and reached with Tab) in the order it
chooses: after ``super().__init__`` it makes its buttons (:meth:`ListWorkspace._record_buttons`)
and its filters, then calls :meth:`ListWorkspace._finish_list` (table, layout, keys) and, once
everything exists, :meth:`ListWorkspace._start` (first texts, first query).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.i18n import _, format_count
from sfa_desktop.services.editing import delete_record, load_edit_context
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.forms import RecordDialog
from sfa_desktop.ui.models.list_query import ListQuery
from sfa_desktop.ui.models.paged_model import PagedTableModel
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.widgets.empty_state import EmptyState
from sfa_desktop.ui.widgets.paged_table_view import PagedTableView, SearchBox, muted_label
from sfa_desktop.ui.workspaces.base import Workspace, header_label

ModelT = TypeVar("ModelT", bound=PagedTableModel[Any])


@dataclass(frozen=True)
class ListWords:
    """What a list says: how many rows match and, when it shows none, a title and a hint for
    each case (marked with ``N_``, translated when shown)."""

    #: ``ngettext("{count} account", "{count} accounts", n)``: how many rows match
    count: Callable[[int], str]
    #: the title when the query failed (the hint is the error)
    load_failed: str
    #: nothing matches the search (the title has a ``{search}`` placeholder)
    no_match: tuple[str, str]
    #: nothing matches the filters
    no_filter_match: tuple[str, str]
    #: nothing to list at all
    no_records: tuple[str, str]


def title_row(
    title: QLabel,
    count: QLabel,
    search: QLineEdit | None = None,
    tools: Sequence[QWidget] = (),
) -> QHBoxLayout:
    """A workspace's top row: its title, the grey count beside it, then on the right ``tools``
    (what to do with the selected record) and the search box."""
    row = QHBoxLayout()
    row.addWidget(title)
    row.addSpacing(12)
    row.addWidget(count, 0, Qt.AlignmentFlag.AlignBottom)
    row.addStretch(1)
    for tool in tools:
        row.addWidget(tool)
    if tools:
        row.addSpacing(12)
    if search is not None:
        row.addWidget(search)
    return row


class ListWorkspace(Workspace, Generic[ModelT]):
    """A workspace showing one paged list (its :attr:`model`) on its list page."""

    #: what the list says (its count, its empty states)
    words: ClassVar[ListWords]

    def __init__(
        self,
        runner: TaskRunner,
        model: ModelT,
        *,
        name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._name = name
        model.setParent(self)
        self._model = model
        self._error: str | None = None
        self._dialog: RecordDialog | None = None
        #: Ctrl+N, F2 and Del, once :meth:`_record_buttons` made the buttons (a read-only
        #: list has none)
        self._keys: dict[str, Callable[[], None]] = {}

        self._list_page = QWidget(self)
        self._title_label = header_label(self._list_page)
        self._count_label = muted_label(self._list_page, f"{name}Count")
        self._search = SearchBox(name=f"{name}Search", parent=self._list_page)
        self._search.search_requested.connect(self._model.set_search)
        self._search.down_pressed.connect(self._enter_results)

    def _button(
        self, name: str, slot: Callable[[], None], button_icon: QIcon | None = None
    ) -> QPushButton:
        parent = self._list_page
        button = (
            QPushButton(parent) if button_icon is None else QPushButton(button_icon, "", parent)
        )
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _record_buttons(
        self,
        record: str,
        *,
        new: Callable[[], None],
        edit: Callable[[], None],
        delete: Callable[[], None],
    ) -> tuple[QPushButton, QPushButton, QPushButton]:
        """New (with the workspace's icon), Edit and Delete (``newAccount``, ``editAccount``…);
        Ctrl+N, F2 and Del do the same."""
        self._keys = {"Ctrl+N": new, "F2": edit, "Del": delete}
        return (
            self._button(f"new{record}", new, self.icon()),
            self._button(f"edit{record}", edit),
            self._button(f"delete{record}", delete),
        )

    def _finish_list(
        self,
        *,
        stretch_column: int,
        tools: Sequence[tuple[QWidget, int]],
        buttons: Sequence[QPushButton],
        activated: Callable[[QModelIndex], None],
        multi_select: bool = False,
        stretch_share: float = 0.3,
        whole_columns: Sequence[int] = (),
        title_tools: Sequence[QWidget] = (),
    ) -> None:
        """The table (``activated``: Enter or a double-click on a row) and the empty state,
        the list page's layout and its keys (``stretch_share``, ``whole_columns``: see
        :class:`PagedTableView`; ``title_tools`` go in the title row, before the search)."""
        self._table = PagedTableView(
            self._model,
            name=f"{self._name}Table",
            stretch_column=stretch_column,
            multi_select=multi_select,
            stretch_share=stretch_share,
            whole_columns=whole_columns,
            parent=self._list_page,
        )
        self._table.activated.connect(activated)
        self._empty_state = EmptyState(self._list_page)
        self._empty_state.set_icon(self.icon())
        self._pages = QStackedWidget(self._list_page)
        self._pages.addWidget(self._table)
        self._pages.addWidget(self._empty_state)

        tool_row = QHBoxLayout()
        for widget, stretch in tools:
            tool_row.addWidget(widget, stretch)
        for button in buttons:
            tool_row.addWidget(button)
        layout = QVBoxLayout(self._list_page)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addLayout(title_row(self._title_label, self._count_label, self._search, title_tools))
        layout.addLayout(tool_row)
        layout.addWidget(self._pages, 1)

        if "Ctrl+N" in self._keys:
            self._bind_key("Ctrl+N", self._keys["Ctrl+N"])
        for sequence in ("F2", "Del"):
            if sequence not in self._keys:
                continue
            shortcut = QShortcut(QKeySequence(sequence), self._table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self._keys[sequence])

        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._list_page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

    def _bind_key(self, sequence: str, slot: Callable[[], None]) -> None:
        """A shortcut working anywhere on the list page."""
        QShortcut(QKeySequence(sequence), self._list_page).activated.connect(slot)

    def _start(self) -> None:
        """Show the texts and run the first query."""
        self._model.loaded.connect(self._on_loaded)
        self._model.load_failed.connect(self._on_failed)
        self._table.selectionModel().selectionChanged.connect(self._update_actions)
        self._model.modelReset.connect(self._update_actions)
        self.retranslate()
        self._model.refresh()

    # --- what each list says and does --------------------------------------------------------

    def _update_actions(self) -> None:
        """Enable the buttons that fit the selection (a read-only list has none)."""

    def _retranslate_parts(self) -> None:
        """The texts of the search box, the filters and the buttons."""
        raise NotImplementedError

    def _failure_text(self, error: BaseException) -> str:
        """What an action's error message says."""
        return describe_error(error)

    # --- public API --------------------------------------------------------------------------

    @property
    def model(self) -> ModelT:
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

    @property
    def open_dialog(self) -> RecordDialog | None:
        """The record dialog opened from the list, while it is open."""
        return self._dialog

    def showing_empty_state(self) -> bool:
        return self._pages.currentWidget() is self._empty_state

    def focus_search(self) -> bool:
        self.show_list()
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()
        return True

    def _enter_results(self) -> None:
        """Down in the search box: focus the table with a row selected (the current one, else
        the first)."""
        self._table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self._model.rowCount() > 0 and not self._table.selectionModel().hasSelection():
            current = self._table.currentIndex()
            self._table.selectRow(current.row() if current.isValid() else 0)

    def show_list(self) -> None:
        """Back to the list (from another page of the workspace)."""
        if self._stack.currentWidget() is not self._list_page:
            self._stack.setCurrentWidget(self._list_page)
            self._table.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self._title_label.setText(self.title())
        self._retranslate_parts()
        self._model.retranslate()
        self._update_texts()
        self._update_actions()
        self._table.column_fitter.fit()

    # --- helpers for the subclasses ----------------------------------------------------------

    def _open_dialog(self, dialog: RecordDialog) -> None:
        self._dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _record_id: self._reload())
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self) -> None:
        self._dialog = None

    def _confirm(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _delete(self, entity: str, ids: Sequence[str]) -> None:
        """Soft-delete the records (database thread), then reload."""
        ids = list(ids)

        def delete(session: Any) -> None:
            context = load_edit_context(session)
            for record_id in ids:
                delete_record(session, context, entity, record_id)

        self._runner.run_db(
            delete, on_done=lambda _result: self._reload(), on_error=self._action_failed, owner=self
        )

    def _reload(self) -> None:
        """Re-run the query (after a change)."""
        self._model.refresh()

    def _action_failed(self, error: BaseException) -> None:
        QMessageBox.warning(self, self.title(), self._failure_text(error))

    # --- reacting ----------------------------------------------------------------------------

    def _on_loaded(self) -> None:
        self._error = None
        self._update_texts()
        self._table.column_fitter.fit()
        self._mark_ready()

    def _on_failed(self, message: str) -> None:
        self._error = message
        self._update_texts()
        self._mark_ready()

    def _update_texts(self) -> None:
        total, shown = self._model.total_count, self._model.shown_query
        if total is None or shown is None:
            self._count_label.setText(_("Loading…") if self._error is None else "")
        else:
            self._count_label.setText(self.words.count(total).format(count=format_count(total)))
        empty = self._empty_texts(total, shown)
        if empty is not None:
            self._empty_state.set_text(*empty)
            self._pages.setCurrentWidget(self._empty_state)
        else:
            self._pages.setCurrentWidget(self._table)

    def _empty_texts(self, total: int | None, shown: ListQuery | None) -> tuple[str, str] | None:
        words = self.words
        if self._error is not None:
            return _(words.load_failed), self._error
        if total != 0 or shown is None:
            return None
        if shown.search:
            title, hint = words.no_match
            return _(title).format(search=shown.search), _(hint)
        title, hint = words.no_filter_match if shown.filters else words.no_records
        return _(title), _(hint)
