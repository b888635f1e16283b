"""The Customers workspace ("Clientes"): which customers matter and why.

* **Segment** — a saved segment (synced to the user's devices) or ad-hoc **criteria**: region,
  product family bought, ABC tier, affinity (RFM), customer age, lifecycle stage
  (:mod:`sfa_desktop.domain.segments`). *Save as…* keeps the criteria under a name;
  *Rename…*, *Delete* act on the saved segment chosen; *Export CSV…* writes the list.
* **Summary** — accounts and value per ABC tier, accounts per RFM class.
* **Charts** — the Pareto curve (share of value by share of accounts, the 80 % line, tiers
  marked) and value against annual potential in four quadrants; drawn when shown.
* **List** — the segment's accounts with their value columns, every column sortable, a search
  box on name, city and region; Enter or a double-click opens the account.

The analysis runs in one database task each time the workspace is shown, on F5 and after a
language switch; changing the criteria matches the accounts read then again (no new read).
Nothing is read on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.segments import RFM_CLASSES, SegmentDefinition
from sfa_desktop.i18n import _, current_language, format_count, ngettext
from sfa_desktop.services.exports.segment_csv import rfm_label
from sfa_desktop.services.segments import SavedSegmentRow
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.ui.account_page.display import show_amount
from sfa_desktop.ui.customers.accounts_table import CustomersTableModel
from sfa_desktop.ui.customers.criteria_bar import CriteriaBar
from sfa_desktop.ui.customers.loading import (
    CustomersPage,
    load_page,
    load_segments,
    store_deletion,
    store_new_segment,
    store_update,
    write_csv,
)
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.forecast.chart import ChartCanvas
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.widgets.column_fitter import ColumnFitter
from sfa_desktop.ui.widgets.paged_table_view import SearchBox, muted_label
from sfa_desktop.ui.widgets.row_table import show_rows_read_only
from sfa_desktop.ui.workspaces.base import Workspace, header_label


class CustomersWorkspace(Workspace):
    """Segments, the Pareto and value-potential charts and the accounts with their value."""

    view_id = "customers"
    #: after Forecast in the sidebar, but Ctrl+8 stays with Conflicts
    shortcut = "Ctrl+9"
    #: open this account's page
    account_requested = Signal(str)
    #: a one-line message for the user
    notice_shown = Signal(str)
    #: a page (analysis and charts) was shown
    page_shown = Signal()
    #: the saved segments were (re)loaded
    segments_loaded = Signal()
    #: a saved segment was stored, renamed or deleted (its id)
    segment_stored = Signal(str)
    #: the list was exported to this file
    exported = Signal(str)

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        clock: AgendaClock | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._clock = clock or AgendaClock()
        self._page: CustomersPage | None = None
        self._segments: list[SavedSegmentRow] = []
        self._started = False
        self._task_key = ("customers", id(self))
        self.dialog: QWidget | None = None

        self._title_label = header_label(self)
        self._count = muted_label(self, "customersCount")
        self._refresh = QPushButton(self)
        self._refresh.setObjectName("customersRefresh")
        self._refresh.clicked.connect(lambda _checked=False: self.refresh())
        QShortcut(QKeySequence("F5"), self).activated.connect(self.refresh)

        self._segment_label = QLabel(self)
        self.segment = QComboBox(self)
        self.segment.setObjectName("customersSegment")
        self.segment.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.segment.addItem("", None)
        self.segment.currentIndexChanged.connect(self._segment_chosen)
        self._save = self._button("customersSave", self.save_segment)
        self._rename = self._button("customersRename", self.rename_segment)
        self._delete = self._button("customersDelete", self.delete_segment)
        self._export = self._button("customersExport", self.export)
        self.criteria = CriteriaBar(self)
        self.criteria.filters_changed.connect(self._criteria_changed)

        self._tiers = QLabel(self)
        self._tiers.setObjectName("customersTiers")
        self._tiers.setTextFormat(Qt.TextFormat.RichText)
        self._rfm = QLabel(self)
        self._rfm.setObjectName("customersRfm")
        self._rfm.setTextFormat(Qt.TextFormat.RichText)
        self._notice = muted_label(self, "customersNotice")

        self.pareto = ChartCanvas("customersPareto", self)
        self.quadrant = ChartCanvas("customersQuadrant", self)
        self.model = CustomersTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("customersTable")
        self.table.setModel(self.model)
        show_rows_read_only(self.table, row_padding=12)
        column, order = self.model.sort_state()
        self.table.horizontalHeader().setSortIndicator(column, order)
        self.table.setSortingEnabled(True)
        self.column_fitter = ColumnFitter(
            self.table,
            stretch_column=0,
            stretch_share=0.3,
            whole_columns=tuple(
                i
                for i, c in enumerate(self.model.columns)
                if c.attribute in ("value", "spend_12m", "potential", "abc", "rfm", "age")
            ),
        )
        self.table.activated.connect(self._open_row)
        self.search = SearchBox(name="customersSearch", parent=self)
        self.search.search_requested.connect(self.model.set_search)
        self.search.down_pressed.connect(self.table.setFocus)
        self._lay_out()
        self.retranslate()
        self._update_buttons()

    def _button(self, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def _lay_out(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self._title_label)
        header.addSpacing(12)
        header.addWidget(self._count, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(self._refresh)
        segment_row = QHBoxLayout()
        segment_row.setSpacing(8)
        segment_row.addWidget(self._segment_label)
        segment_row.addWidget(self.segment)
        for button in (self._save, self._rename, self._delete):
            segment_row.addWidget(button)
        segment_row.addStretch(1)
        segment_row.addWidget(self._export)
        summary = QHBoxLayout()
        summary.addWidget(self._tiers)
        summary.addSpacing(24)
        summary.addWidget(self._rfm)
        summary.addStretch(1)
        summary.addWidget(self._notice)
        charts = QSplitter(Qt.Orientation.Horizontal, self)
        charts.addWidget(self.pareto)
        charts.addWidget(self.quadrant)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.search, 0, Qt.AlignmentFlag.AlignLeft)
        lower_layout.addWidget(self.table, 1)
        body = QSplitter(Qt.Orientation.Vertical, self)
        body.setObjectName("customersSplitter")
        body.addWidget(charts)
        body.addWidget(lower)
        body.setStretchFactor(0, 3)
        body.setStretchFactor(1, 2)
        body.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addLayout(segment_row)
        layout.addWidget(self.criteria)
        layout.addLayout(summary)
        layout.addWidget(body, 1)

    # --- public API ------------------------------------------------------------------------

    def title(self) -> str:
        return _("Customers")

    def description(self) -> str:
        return _("Which customers matter and why: value, tiers and segments.")

    @property
    def page(self) -> CustomersPage | None:
        return self._page

    @property
    def segments(self) -> list[SavedSegmentRow]:
        return list(self._segments)

    def notice_text(self) -> str:
        return self._notice.text()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # 100,000 accounts take a moment: read when shown (again: the data may have changed)
        if not self._started:
            self.reload_segments()
        self._started = True
        self.refresh()

    def refresh(self, *, reread: bool = True) -> None:
        """Analyse the segment chosen (one database task): the accounts read again, or with
        ``reread=False`` (only the criteria changed) those read last time, for the same day."""
        self._started = True
        today = self._clock.today()
        definition = self.criteria.definition()
        language = "es" if current_language() == "es" else "en"
        page = self._page
        facts = None
        if not reread and page is not None and page.analysis.today == today:
            facts = page.analysis.facts
        self._count.setText(_("Loading…"))
        self._runner.run_db(
            lambda session: load_page(session, today, definition, language, facts),
            on_done=self._loaded,
            on_error=self._failed,
            key=self._task_key,
            owner=self,
        )

    def reload_segments(self, select_id: str | None = None) -> None:
        """Re-read the saved segments (then choose ``select_id`` when given)."""

        def loaded(rows: list[SavedSegmentRow]) -> None:
            self._show_segments(rows, select_id)

        self._runner.run_db(
            load_segments,
            on_done=loaded,
            on_error=lambda error: self._notify(describe_error(error)),
            key=("customers-segments", id(self)),
            owner=self,
        )

    def choose_segment(self, segment_id: str | None) -> bool:
        index = self.segment.findData(segment_id) if segment_id else 0
        if index >= 0:
            self.segment.setCurrentIndex(index)
        return index >= 0

    def selected_segment(self) -> SavedSegmentRow | None:
        segment_id = self.segment.currentData()
        return next((row for row in self._segments if row.id == segment_id), None)

    # --- loading ---------------------------------------------------------------------------

    def _loaded(self, page: CustomersPage) -> None:
        if page.definition != self.criteria.definition():
            return  # the criteria changed since: a newer task is on its way
        self._page = page
        analysis = page.analysis
        self.model.set_accounts(analysis.accounts, currency=analysis.currency, today=analysis.today)
        self.column_fitter.fit()
        column, order = self.model.sort_state()
        self.table.horizontalHeader().setSortIndicator(column, order)
        self.criteria.set_choices(analysis.regions, analysis.families, analysis.tiers)
        self._show_summary(page)
        self.pareto.show_figure(page.pareto)
        self.quadrant.show_figure(page.quadrant)
        self._update_buttons()
        self.page_shown.emit()
        self._mark_ready()

    def _failed(self, error: BaseException) -> None:
        self._count.setText("")
        self._notify(
            _("The customers could not be analysed: {reason}").format(reason=describe_error(error))
        )
        self._mark_ready()

    def _show_summary(self, page: CustomersPage) -> None:
        analysis = page.analysis
        counts = analysis.counts
        if page.definition.is_empty():
            self._count.setText(
                ngettext("{count} account", "{count} accounts", analysis.scope_count).format(
                    count=format_count(analysis.scope_count)
                )
            )
        else:
            self._count.setText(
                ngettext(
                    "{count} of {total} account",
                    "{count} of {total} accounts",
                    analysis.scope_count,
                ).format(
                    count=format_count(len(analysis.accounts)),
                    total=format_count(analysis.scope_count),
                )
            )
        tiers = " &nbsp; ".join(
            _("<b>{tier}</b> {count} · {value}").format(
                tier=tier,
                count=format_count(counts.abc[tier]),
                value=show_amount(counts.abc_value[tier].quantize(1), analysis.currency),
            )
            for tier in ("A", "B", "C")
        )
        self._tiers.setText(tiers)
        self._tiers.setToolTip(
            _(
                "Pareto tiers: A, the most valuable accounts that make 80 % of the value; "
                "B, the next 15 %; C, the rest. Value: won in the last 12 months + half the "
                "weighted open pipeline."
            )
        )
        self._rfm.setText(
            " &nbsp; ".join(
                _("{label} <b>{count}</b>").format(
                    label=rfm_label(code), count=format_count(counts.rfm[code])
                )
                for code in RFM_CLASSES
            )
        )
        self._rfm.setToolTip(self.criteria.rfm.toolTip())

    # --- segments --------------------------------------------------------------------------

    def _show_segments(self, rows: list[SavedSegmentRow], select_id: str | None) -> None:
        self._segments = rows
        current = select_id or self.segment.currentData()
        blocked = self.segment.blockSignals(True)
        while self.segment.count() > 1:
            self.segment.removeItem(1)
        for row in rows:
            self.segment.addItem(row.name, row.id)
            if row.description:
                self.segment.setItemData(
                    self.segment.count() - 1, row.description, Qt.ItemDataRole.ToolTipRole
                )
        index = self.segment.findData(current) if current else 0
        self.segment.setCurrentIndex(max(index, 0))
        self.segment.blockSignals(blocked)
        self._update_buttons()
        self.segments_loaded.emit()
        if select_id is not None and index >= 0:
            self._segment_chosen(index)

    def _segment_chosen(self, _index: int) -> None:
        chosen = self.selected_segment()
        if chosen is None:
            if self.segment.currentData() is None and not self.criteria.definition().is_empty():
                self.criteria.clear()
        elif chosen.definition != self.criteria.definition():
            self.criteria.set_definition(chosen.definition)
        self._update_buttons()

    def _criteria_changed(self, values: dict[str, Any]) -> None:
        chosen = self.selected_segment()
        if chosen is not None and chosen.definition != values["definition"]:
            blocked = self.segment.blockSignals(True)  # edited: no longer the saved one
            self.segment.setCurrentIndex(0)
            self.segment.blockSignals(blocked)
        self._update_buttons()
        self.refresh(reread=False)

    def _update_buttons(self) -> None:
        chosen = self.selected_segment() is not None
        self._rename.setEnabled(chosen)
        self._delete.setEnabled(chosen)
        self._save.setEnabled(not self.criteria.definition().is_empty() and not chosen)
        self._export.setEnabled(self._page is not None)

    def save_segment(self) -> QInputDialog | None:
        """Ask for a name, then keep the criteria as a saved segment."""
        definition = self.criteria.definition()
        if definition.is_empty():
            return None
        dialog = self._ask_name(_("Save the segment"), _("Name of the segment:"), "")
        dialog.textValueSelected.connect(lambda name: self._store_new(name, definition))
        return dialog

    def _store_new(self, name: str, definition: SegmentDefinition) -> None:
        now = self._clock.now
        self._runner.run_db(
            lambda session: store_new_segment(session, name, definition, now),
            on_done=lambda segment_id: self._stored(
                segment_id, _("Segment “{name}” saved.").format(name=name.strip())
            ),
            on_error=lambda error: self._notify(describe_error(error)),
            owner=self,
        )

    def rename_segment(self) -> QInputDialog | None:
        chosen = self.selected_segment()
        if chosen is None:
            return None
        dialog = self._ask_name(_("Rename the segment"), _("New name:"), chosen.name)
        now = self._clock.now

        def rename(name: str) -> None:
            self._runner.run_db(
                lambda session: store_update(session, chosen.id, now, name=name),
                on_done=lambda segment_id: self._stored(
                    segment_id, _("Segment renamed to “{name}”.").format(name=name.strip())
                ),
                on_error=lambda error: self._notify(describe_error(error)),
                owner=self,
            )

        dialog.textValueSelected.connect(rename)
        return dialog

    def delete_segment(self) -> QMessageBox | None:
        chosen = self.selected_segment()
        if chosen is None:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Delete the segment"),
            _("Delete the segment “{name}”? The accounts stay as they are.").format(
                name=chosen.name
            ),
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("customersDeleteConfirmation")
        box.button(QMessageBox.StandardButton.Ok).setText(_("Delete"))
        box.button(QMessageBox.StandardButton.Cancel).setText(_("Cancel"))
        now = self._clock.now

        def delete() -> None:
            self._runner.run_db(
                lambda session: store_deletion(session, chosen.id, now),
                on_done=lambda _none: self._deleted(chosen),
                on_error=lambda error: self._notify(describe_error(error)),
                owner=self,
            )

        box.accepted.connect(delete)
        self._open(box)
        return box

    def _deleted(self, row: SavedSegmentRow) -> None:
        blocked = self.segment.blockSignals(True)
        self.segment.setCurrentIndex(0)
        self.segment.blockSignals(blocked)
        self._notify(_("Segment “{name}” deleted.").format(name=row.name))
        self.segment_stored.emit(row.id)
        self.reload_segments()

    def _stored(self, segment_id: str, message: str) -> None:
        self._notify(message + " " + _("It will be sent to the server at the next sync."))
        self.segment_stored.emit(segment_id)
        self.reload_segments(select_id=segment_id)

    def _ask_name(self, title: str, label: str, text: str) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setObjectName("customersNameDialog")
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(text)
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setOkButtonText(_("Save"))
        dialog.setCancelButtonText(_("Cancel"))
        self._open(dialog)
        return dialog

    # --- export ----------------------------------------------------------------------------

    def export(self) -> QFileDialog | None:
        """Ask where to save the list as CSV."""
        if self._page is None:
            return None
        dialog = QFileDialog(self, _("Export the accounts"))
        dialog.setObjectName("customersExportDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([_("CSV file (*.csv)")])
        chosen = self.selected_segment()
        stem = chosen.name if chosen is not None else _("customers")
        dialog.selectFile(f"{stem}.csv")

        def picked(path: str) -> None:
            target = Path(path)
            self.export_to(target if target.suffix else target.with_suffix(".csv"))

        dialog.fileSelected.connect(picked)
        self._open(dialog)
        return dialog

    def export_to(self, path: Path) -> None:
        """Write the list as shown (searched and sorted) to ``path``, off the UI thread."""
        page = self._page
        if page is None:
            return
        accounts = self.model.shown_accounts()
        language = "es" if current_language() == "es" else "en"

        def failed(error: BaseException) -> None:
            reason = error.strerror if isinstance(error, OSError) else None
            self._notify(
                _("The list could not be saved to {path}: {reason}").format(
                    path=path, reason=reason or describe_error(error)
                )
            )

        self._runner.run_db_call(
            lambda: write_csv(page, accounts, path, language),
            on_done=lambda _size: self._exported(path, len(accounts)),
            on_error=failed,
            owner=self,
        )

    def _exported(self, path: Path, count: int) -> None:
        self._notify(
            ngettext(
                "{count} account saved to {path}.", "{count} accounts saved to {path}.", count
            ).format(count=format_count(count), path=path)
        )
        self.exported.emit(str(path))

    # --- helpers ---------------------------------------------------------------------------

    def _open_row(self, index: QModelIndex) -> None:
        if index.isValid():
            self.account_requested.emit(self.model.row_at(index.row()).account_id)

    def _notify(self, message: str) -> None:
        self._notice.setText(message)
        self.notice_shown.emit(message)

    def _open(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        finished = getattr(dialog, "finished", None)
        if finished is not None:
            finished.connect(lambda _result: self._dialog_closed(dialog))
        opener: Callable[[], None] = dialog.open  # type: ignore[attr-defined]
        opener()

    def _dialog_closed(self, dialog: QWidget) -> None:
        if self.dialog is dialog:
            self.dialog = None

    # --- texts -----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self._title_label.setText(self.title())
        self._refresh.setText(_("Refresh"))
        self._refresh.setToolTip(_("Analyse the accounts again (F5)"))
        self._segment_label.setText(_("Segment:"))
        self.segment.setItemText(0, _("All accounts (no saved segment)"))
        self._save.setText(_("Save as…"))
        self._save.setToolTip(_("Keep these criteria as a segment, synced to your devices"))
        self._rename.setText(_("Rename…"))
        self._delete.setText(_("Delete"))
        self._export.setText(_("Export CSV…"))
        self._export.setToolTip(_("Save the accounts listed below as a CSV file"))
        self.search.setPlaceholderText(_("Search by name, city or region"))
        self.criteria.retranslate()
        self.model.retranslate()
        if self._page is not None:  # the charts' texts: drawn again, the accounts as they were
            self.refresh(reread=False)
