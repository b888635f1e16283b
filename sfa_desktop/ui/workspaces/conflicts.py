"""The Conflicts workspace: values not kept when two people changed the same field, and
changes the server refused. Nothing is lost: a value not kept comes back in one click."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.i18n import _, format_count, ngettext
from sfa_desktop.services.conflict_review import ConflictsSnapshot, load_conflicts
from sfa_desktop.services.messages import error_text
from sfa_desktop.ui.sync.conflict_actions import (
    forget_rejected,
    keep_value_kept,
    restore_value_not_kept,
)
from sfa_desktop.ui.sync.conflicts_model import ConflictsModel, RejectedModel
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.widgets.column_fitter import ColumnFitter
from sfa_desktop.ui.widgets.empty_state import EmptyState
from sfa_desktop.ui.widgets.paged_table_view import muted_label
from sfa_desktop.ui.widgets.row_table import show_rows_read_only
from sfa_desktop.ui.workspaces.base import Workspace, header_label
from sfa_desktop.ui.workspaces.list_workspace import title_row


class ConflictsWorkspace(Workspace):
    """Lists open conflicts (restore the value not kept, or dismiss) and refused changes."""

    view_id = "conflicts"
    #: Ctrl+8 since before Customers came in ahead of it in the sidebar
    shortcut = "Ctrl+8"
    #: a conflict was resolved or a refusal dismissed: sync to send it
    sync_requested = Signal()
    #: a record changed here (a value was restored): other views should reload
    records_changed = Signal()
    #: open this account's page (the conflict's record, or the account it belongs to)
    account_requested = Signal(str)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._busy = False
        self._error: str | None = None
        self._model = ConflictsModel(self)
        self._rejected_model = RejectedModel(self)
        self._fitters: list[ColumnFitter] = []

        self._title_label = header_label(self)
        self._count_label = muted_label(self, "conflictsCount")
        self._intro = muted_label(self, "conflictsIntro")
        self._intro.setWordWrap(True)
        self._notice = QLabel(self)
        self._notice.setObjectName("conflictsNotice")
        self._restore_button = self._button("restoreValue", self.restore_selected)
        self._dismiss_button = self._button("dismissConflict", self.dismiss_selected)
        self._open_button = self._button("openConflictRecord", self.open_selected)

        self._table = self._build_table(self._model, "conflictsTable", ConflictsModel.RECORD)
        self._empty_state = EmptyState(self)
        self._empty_state.set_icon(self.icon())
        self._pages = QStackedWidget(self)
        self._pages.addWidget(self._table)
        self._pages.addWidget(self._empty_state)

        self._rejected_section = QWidget(self)
        self._rejected_section.setObjectName("rejectedSection")
        self._rejected_title = QLabel(self._rejected_section)
        font: QFont = self._rejected_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._rejected_title.setFont(font)
        self._rejected_intro = muted_label(self._rejected_section, "rejectedIntro")
        self._rejected_intro.setWordWrap(True)
        self._rejected_table = self._build_table(
            self._rejected_model, "rejectedTable", RejectedModel.REASON
        )
        self._dismiss_rejected_button = self._button(
            "dismissRejected", self.dismiss_selected_rejected
        )
        self._build_layout()

        for sequence, slot, table in (
            ("Del", self.dismiss_selected, self._table),
            ("Del", self.dismiss_selected_rejected, self._rejected_table),
        ):
            shortcut = QShortcut(QKeySequence(sequence), table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        self._table.selectionModel().selectionChanged.connect(self._update_actions)
        self._table.activated.connect(lambda _index: self.open_selected())
        self._rejected_table.selectionModel().selectionChanged.connect(self._update_actions)
        self._rejected_section.hide()
        self.retranslate()
        self.refresh()

    def _button(self, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _build_table(self, model: Any, name: str, stretch_column: int) -> QTableView:
        table = QTableView(self)
        table.setObjectName(name)
        table.setModel(model)
        show_rows_read_only(table, row_padding=12)
        self._fitters.append(ColumnFitter(table, stretch_column=stretch_column, max_chars=36))
        return table

    def _build_layout(self) -> None:
        header_row = title_row(self._title_label, self._count_label)
        tool_row = QHBoxLayout()
        tool_row.addWidget(self._notice, 1)
        tool_row.addWidget(self._open_button)
        tool_row.addWidget(self._restore_button)
        tool_row.addWidget(self._dismiss_button)

        rejected_buttons = QHBoxLayout()
        rejected_buttons.addWidget(self._rejected_intro, 1)
        rejected_buttons.addWidget(self._dismiss_rejected_button, 0, Qt.AlignmentFlag.AlignTop)
        rejected_layout = QVBoxLayout(self._rejected_section)
        rejected_layout.setContentsMargins(0, 8, 0, 0)
        rejected_layout.setSpacing(6)
        rejected_layout.addWidget(self._rejected_title)
        rejected_layout.addLayout(rejected_buttons)
        rejected_layout.addWidget(self._rejected_table, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(10)
        layout.addLayout(header_row)
        layout.addWidget(self._intro)
        layout.addLayout(tool_row)
        layout.addWidget(self._pages, 3)
        layout.addWidget(self._rejected_section, 2)

    # --- texts -----------------------------------------------------------------------------------

    def title(self) -> str:
        return _("Conflicts")

    def description(self) -> str:
        return _("Values not kept when two people changed the same field")

    def retranslate(self) -> None:
        self._title_label.setText(self.title())
        self._intro.setText(
            _(
                "When two people change the same field, the later change is kept and the "
                "other value is listed here. Restore it in one click, or dismiss it to keep "
                "the current value."
            )
        )
        self._empty_state.set_text(
            _("No conflicts"),
            _(
                "When two people change the same field, the value not kept appears here "
                "so nothing is lost."
            ),
        )
        self._open_button.setText(_("&Open the account"))
        self._open_button.setToolTip(_("Show the account this record belongs to (Enter)"))
        self._restore_button.setText(_("&Restore the other value"))
        self._restore_button.setToolTip(
            _("Put the value not kept back on the record; it is sent at the next sync")
        )
        self._dismiss_button.setText(_("&Dismiss"))
        self._dismiss_button.setToolTip(_("Keep the current value and remove this conflict (Del)"))
        self._rejected_title.setText(_("Changes the server refused"))
        self._rejected_intro.setText(
            _(
                "These changes were not accepted by the server, so your colleagues do not "
                "see them. Make them again if they are still needed, then dismiss them."
            )
        )
        self._dismiss_rejected_button.setText(_("D&ismiss"))
        self._dismiss_rejected_button.setToolTip(
            _("Remove this refused change from the list (Del)")
        )
        self._model.retranslate()
        self._rejected_model.retranslate()
        self._show_count()
        self._fit_columns()

    def _fit_columns(self) -> None:
        for fitter in self._fitters:
            fitter.fit()

    def _show_count(self) -> None:
        count = self._model.rowCount()
        self._count_label.setText(
            ngettext("{count} open conflict", "{count} open conflicts", count).format(
                count=format_count(count)
            )
        )
        if self._error is not None:
            self._notice.setText(self._error)

    # --- public API ------------------------------------------------------------------------------

    @property
    def model(self) -> ConflictsModel:
        return self._model

    @property
    def rejected_model(self) -> RejectedModel:
        return self._rejected_model

    @property
    def table(self) -> QTableView:
        return self._table

    @property
    def rejected_table(self) -> QTableView:
        return self._rejected_table

    @property
    def open_button(self) -> QPushButton:
        return self._open_button

    @property
    def restore_button(self) -> QPushButton:
        return self._restore_button

    @property
    def dismiss_button(self) -> QPushButton:
        return self._dismiss_button

    @property
    def empty_state(self) -> EmptyState:
        return self._empty_state

    def is_empty(self) -> bool:
        return self._pages.currentWidget() is self._empty_state

    def notice(self) -> str:
        return self._notice.text()

    def refresh(self) -> None:
        """Re-read the conflicts and refused changes (database thread)."""
        self._runner.run_db(
            load_conflicts,
            on_done=self._loaded,
            on_error=self._failed,
            key=(id(self), "load"),
            owner=self,
        )

    def restore_selected(self) -> None:
        """Restore the value not kept of the selected conflict, then ask for a sync."""
        item = self._selected_conflict()
        if item is not None:
            self._run(lambda session: restore_value_not_kept(session, item.row), restored=True)

    def open_selected(self) -> None:
        """Enter (or the button): show the account of the selected conflict's record."""
        item = self._selected_conflict()
        if item is not None and item.row.account_id is not None:
            self.account_requested.emit(item.row.account_id)

    def dismiss_selected(self) -> None:
        """Resolve the selected conflict keeping the current value."""
        item = self._selected_conflict()
        if item is not None:
            self._run(lambda session: keep_value_kept(session, item.row), restored=False)

    def dismiss_selected_rejected(self) -> None:
        rows = self._rejected_table.selectionModel().selectedRows()
        if not rows or self._busy:
            return
        rejected_id = self._rejected_model.item(rows[0].row()).row.id
        self._run(lambda session: forget_rejected(session, rejected_id), restored=False)

    # --- internals -------------------------------------------------------------------------------

    def _selected_conflict(self) -> Any:
        rows = self._table.selectionModel().selectedRows()
        if not rows or self._busy:
            return None
        return self._model.item(rows[0].row())

    def _run(self, action: Callable[[Any], None], *, restored: bool) -> None:
        self._busy = True
        self._update_actions()

        def done(_result: None) -> None:
            self._busy = False
            self._notice.clear()
            if restored:
                self.records_changed.emit()
            self.sync_requested.emit()
            self.refresh()

        self._runner.run_db(action, on_done=done, on_error=self._action_failed, owner=self)

    def _action_failed(self, error: BaseException) -> None:
        self._busy = False
        self._notice.setText(error_text(error))
        self.refresh()

    def _loaded(self, snapshot: ConflictsSnapshot) -> None:
        self._error = None
        self._model.set_items(snapshot.conflicts, snapshot.user_id)
        self._rejected_model.set_items(snapshot.rejected)
        self._pages.setCurrentWidget(self._table if snapshot.conflicts else self._empty_state)
        self._rejected_section.setVisible(bool(snapshot.rejected))
        for widget in (self._open_button, self._restore_button, self._dismiss_button, self._intro):
            widget.setVisible(bool(snapshot.conflicts))
        if snapshot.conflicts:
            self._table.selectRow(0)
        if snapshot.rejected:
            self._rejected_table.selectRow(0)
        self._show_count()
        self._update_actions()
        self._fit_columns()
        self._mark_ready()

    def _failed(self, error: BaseException) -> None:
        self._error = error_text(error)
        self._notice.setText(self._error)
        self._mark_ready()

    def _update_actions(self) -> None:
        has_conflict = bool(self._table.selectionModel().selectedRows())
        has_rejected = bool(self._rejected_table.selectionModel().selectedRows())
        item = self._selected_conflict()
        self._open_button.setEnabled(item is not None and item.row.account_id is not None)
        self._restore_button.setEnabled(has_conflict and not self._busy)
        self._dismiss_button.setEnabled(has_conflict and not self._busy)
        self._dismiss_rejected_button.setEnabled(has_rejected and not self._busy)
