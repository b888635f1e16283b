"""The team review (managers): the team tree with roll-ups, the buttons to adjust, drill down
and export, and the trend chart of the team's submitted call through the period.

Keyboard in the tree: Enter opens the selected person's deals; Ctrl+J adjusts their call.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.i18n import _
from sfa_desktop.services.forecasts import AdjustmentRow, PersonForecast, TeamReview
from sfa_desktop.ui.forecast.chart import ChartCanvas
from sfa_desktop.ui.forecast.team_model import KIND_ROLE, USER_ROLE, TeamTreeModel
from sfa_desktop.ui.widgets.paged_table_view import muted_label


class _TeamTree(QTreeView):
    """Enter opens the selected row (``activated`` is platform-dependent; this is not)."""

    enter_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.enter_pressed.emit()
            return
        super().keyPressEvent(event)


class TeamPanel(QWidget):
    """The team review of one period."""

    #: open the deals of this person (user id)
    deals_requested = Signal(str)
    #: adjust this person's call; ``True``: their team's
    adjust_requested = Signal(str, bool)
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TeamTreeModel()
        self.model.setParent(self)
        self.tree = _TeamTree(self)
        self.tree.setObjectName("forecastTeamTree")
        self.tree.setModel(self.model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.enter_pressed.connect(self.open_selected)
        self.tree.doubleClicked.connect(lambda _index: self.open_selected())
        self._summary = muted_label(self, "forecastTeamSummary")
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        bar.addWidget(self._summary, 1)
        for name, slot in (
            ("deals", self.open_selected),
            ("adjust", self.adjust_selected),
            ("export", self.export_requested.emit),
        ):
            button = QPushButton(self)
            button.setObjectName(f"forecastTeam_{name}")
            button.clicked.connect(lambda _checked=False, s=slot: s())
            self.buttons[name] = button
            bar.addWidget(button)
        QShortcut(QKeySequence("Ctrl+J"), self).activated.connect(self.adjust_selected)
        self.chart = ChartCanvas("forecastTrendChart", self)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.chart)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 1000])  # half and half to begin with
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self.tree.selectionModel().currentChanged.connect(lambda *_args: self._enable())
        self.retranslate()

    def show_review(
        self, review: TeamReview, history: Sequence[AdjustmentRow], figure: Figure
    ) -> None:
        selected = self.selected()
        self.model.show_review(review, history)
        self.tree.setColumnHidden(self.model.column_of("accuracy"), not review.ended)
        self.tree.expandAll()
        if selected is not None:
            self.select(*selected)
        if self.tree.currentIndex().isValid() is False and self.model.rowCount():
            self.tree.setCurrentIndex(self.model.index(0, 0))
        self._summary.setText(self._summary_text(review))
        self.chart.show_figure(figure)
        self._enable()

    def _summary_text(self, review: TeamReview) -> str:
        top = review.rows[0] if review.rows else None
        if top is None:
            return ""
        text = _("{submitted} of {members} people have submitted.").format(
            submitted=top.submitted, members=top.members
        )
        if review.ended:
            text += " " + _("The period has ended: accuracy is the last call against closed won.")
        return text

    # --- selection ------------------------------------------------------------------------------

    def selected(self) -> tuple[str, str] | None:
        """(user id, "person" or "team") of the current row."""
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        return str(index.data(USER_ROLE)), str(index.data(KIND_ROLE))

    def selected_person(self) -> PersonForecast | None:
        chosen = self.selected()
        return self.model.person(chosen[0]) if chosen is not None else None

    def select(self, user_id: str, kind: str = "person") -> bool:
        """Make the row of ``user_id`` (its ``kind``) current; False when it is not shown."""
        match = self._find(QModelIndex(), user_id, kind)
        if match is None:
            return False
        self.tree.setCurrentIndex(match)
        return True

    def _find(self, parent: QModelIndex, user_id: str, kind: str) -> QModelIndex | None:
        for row in range(self.model.rowCount(parent)):
            index = self.model.index(row, 0, parent)
            if index.data(USER_ROLE) == user_id and index.data(KIND_ROLE) == kind:
                return index
            found = self._find(index, user_id, kind)
            if found is not None:
                return found
        return None

    def _enable(self) -> None:
        chosen = self.selected()
        self.buttons["deals"].setEnabled(chosen is not None)
        self.buttons["adjust"].setEnabled(chosen is not None)

    def open_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.deals_requested.emit(chosen[0])

    def adjust_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.adjust_requested.emit(chosen[0], chosen[1] == "team")

    def retranslate(self) -> None:
        texts = {
            "deals": (_("Deals…"), _("The selected person's deals in the period (Enter)")),
            "adjust": (
                _("Adjust…"),
                _("Adjust the selected person's or team's call, with a note (Ctrl+J)"),
            ),
            "export": (_("Export…"), _("Save the review as CSV, Excel or PDF")),
        }
        for name, (text, tip) in texts.items():
            self.buttons[name].setText(text)
            self.buttons[name].setToolTip(tip)
        self.model.retranslate()
        self.tree.expandAll()
        if self.model.review is not None:
            self._summary.setText(self._summary_text(self.model.review))


__all__ = ["TeamPanel"]
