"""The Scorecard workspace (cuadro de mando): the CRM scorecard of the user's scope.

A period (month, quarter or year; Alt+Left / Alt+Right move it) against the previous one or
the same one last year; four perspective panels of indicator tiles (value, change, an arrow
green when better and red when worse; the tooltip says how it is computed), the sales broken
down by product family, tier, zone or channel, and two charts (sales by family, retention
trend). **Export PDF…** writes the scorecard as a one-page PDF in the UI's language. One
database task loads a period (charts are built there too); F5 reloads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.scorecard import (
    COMPARES,
    DIMENSIONS,
    PERIOD_KINDS,
    PERSPECTIVES,
    Compare,
    Kpi,
    PeriodKind,
    Scorecard,
    ScorePeriod,
)
from sfa_desktop.i18n import _, current_language
from sfa_desktop.i18n.translator import speaking
from sfa_desktop.services.exports.scorecard_charts import (
    family_sales_figure,
    retention_trend_figure,
)
from sfa_desktop.services.exports.scorecard_pdf import write_scorecard_pdf
from sfa_desktop.services.scorecard import ScopeInfo, load_scorecard, scope_info
from sfa_desktop.services.scorecard_text import (
    COMPARE_LABELS,
    DIMENSION_LABELS,
    KIND_LABELS,
    KPI_HELP,
    KPI_LABELS,
    PERSPECTIVE_LABELS,
    arrow,
    breakdown_key_text,
    change_text,
    label,
    money_text,
    percent_text,
    period_text,
    value_text,
)
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.forecast.chart import ChartCanvas
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.widgets.paged_table_view import muted_label
from sfa_desktop.ui.workspaces.base import Workspace, header_label

_BETTER, _WORSE, _SAME = "#1a7f37", "#c62828", "#5f6b78"


@dataclass(frozen=True)
class ScorecardPage:
    card: Scorecard
    scope: ScopeInfo
    family_figure: Figure
    retention_figure: Figure


def load_page(
    session: Any, period: ScorePeriod, compare: Compare, today: dt.date, lang: str
) -> ScorecardPage:
    card = load_scorecard(session, period, compare, today=today)
    with speaking(lang):
        return ScorecardPage(
            card, scope_info(session), family_sales_figure(card), retention_trend_figure(card)
        )


class KpiTile(QFrame):
    """One indicator: its name, its value, and the change against the compared period."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"kpi_{key}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.name = QLabel(self)
        self.name.setWordWrap(True)
        self.value = QLabel(self)
        self.value.setObjectName("kpiValue")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.value.setFont(font)
        self.change = QLabel(self)
        self.compared = QLabel(self)
        self.compared.setStyleSheet(f"color: {_SAME};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        layout.addWidget(self.name)
        layout.addWidget(self.value)
        layout.addWidget(self.change)
        layout.addWidget(self.compared)
        layout.addStretch(1)
        self.setMinimumWidth(150)

    def show_kpi(self, kpi: Kpi, card: Scorecard) -> None:
        """The value; below it the change (green when better, red when worse) and the compared
        period's value (or, for a growth, which period it is against)."""
        self.name.setText(label(KPI_LABELS, kpi.key))
        self.value.setText(value_text(kpi, card.currency))
        then = period_text(card.compared_period)
        if kpi.change is None:
            self.change.setText("")
        else:
            self.change.setText(f"{arrow(kpi)} {change_text(kpi, card.currency)}")
        self.change.setVisible(kpi.change is not None)
        if kpi.compared is not None:
            self.compared.setText(
                _("{period}: {value}").format(
                    period=then, value=value_text(kpi, card.currency, kpi.compared)
                )
            )
        else:
            self.compared.setText(_("vs {period}").format(period=then))
        target = self.value if kpi.is_change else self.change
        colour = {1: _BETTER, -1: _WORSE}.get(kpi.trend, _SAME)
        self.change.setStyleSheet(f"color: {colour};")
        self.value.setStyleSheet(f"color: {colour};" if target is self.value else "")
        self.setToolTip(_(KPI_HELP[kpi.key]))


class ScorecardWorkspace(Workspace):
    """The CRM scorecard (cuadro de mando) of your accounts, or your team's."""

    view_id = "scorecard"
    shortcut = "Ctrl+0"
    #: the scorecard was exported to this file
    exported = Signal(str)

    def __init__(
        self, runner: TaskRunner, parent: QWidget | None = None, *, clock: AgendaClock | None = None
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._clock = clock or AgendaClock()
        self._page: ScorecardPage | None = None
        self._error: BaseException | None = None
        self._task_key = ("scorecard", id(self))
        self._period = ScorePeriod.of(self._clock.today(), "quarter")
        self.loads = 0
        #: the file chooser (tests replace it): returns the chosen path or ""
        self.choose_file = self._choose_file

        self._title_label = header_label(self)
        self.kind = QComboBox(self)
        self.kind.setObjectName("scorecardKind")
        for kind in PERIOD_KINDS:
            self.kind.addItem("", kind)
        self.kind.setCurrentIndex(PERIOD_KINDS.index("quarter"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._previous = QPushButton("◀", self)
        self._previous.setFixedWidth(36)
        self._previous.clicked.connect(lambda _c=False: self.step(-1))
        self.period_label = QLabel(self)
        self.period_label.setObjectName("scorecardPeriod")
        self.period_label.setMinimumWidth(70)
        self.period_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._next = QPushButton("▶", self)
        self._next.setFixedWidth(36)
        self._next.clicked.connect(lambda _c=False: self.step(1))
        self.compare = QComboBox(self)
        self.compare.setObjectName("scorecardCompare")
        for compare in COMPARES:
            self.compare.addItem("", compare)
        self.compare.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("scorecardExport")
        self.export_button.clicked.connect(lambda _c=False: self.export())
        self._refresh = QPushButton(self)
        self._refresh.clicked.connect(lambda _c=False: self.refresh())
        QShortcut(QKeySequence("F5"), self).activated.connect(self.refresh)
        QShortcut(QKeySequence("Alt+Left"), self).activated.connect(lambda: self.step(-1))
        QShortcut(QKeySequence("Alt+Right"), self).activated.connect(lambda: self.step(1))
        self.scope_label = muted_label(self, "scorecardScope")

        self.panels: dict[str, QGroupBox] = {}
        self.tiles: dict[str, KpiTile] = {}
        grid = QGridLayout()
        grid.setSpacing(10)
        for index, perspective in enumerate(PERSPECTIVES):
            box = QGroupBox(self)
            box.setObjectName(f"perspective_{perspective}")
            self.panels[perspective] = box
            grid.addWidget(box, index // 2, index % 2)
            QGridLayout(box)

        self.dimension = QComboBox(self)
        self.dimension.setObjectName("scorecardDimension")
        for dimension in DIMENSIONS:
            self.dimension.addItem("", dimension)
        self.dimension.currentIndexChanged.connect(lambda _i: self._show_breakdown())
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("scorecardBreakdown")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setMinimumHeight(220)
        self.family_chart = ChartCanvas("scorecardFamilyChart", self)
        self.retention_chart = ChartCanvas("scorecardRetentionChart", self)
        self._breakdown_title = QLabel(self)

        breakdown = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(self._breakdown_title)
        top.addWidget(self.dimension)
        top.addStretch(1)
        breakdown.addLayout(top)
        breakdown.addWidget(self.table)
        lower = QHBoxLayout()
        lower.addLayout(breakdown, 1)
        charts = QVBoxLayout()
        charts.addWidget(self.family_chart)
        charts.addWidget(self.retention_chart)
        lower.addLayout(charts, 1)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.addLayout(grid)
        body_layout.addLayout(lower)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)

        header = QHBoxLayout()
        header.addWidget(self._title_label)
        header.addSpacing(24)
        for widget in (self.kind, self._previous, self.period_label, self._next, self.compare):
            header.addWidget(widget, 0, Qt.AlignmentFlag.AlignBottom)
        header.addStretch(1)
        header.addWidget(self.export_button)
        header.addWidget(self._refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.scope_label)
        layout.addWidget(scroll, 1)
        self.retranslate()
        self.refresh()

    # --- public API -----------------------------------------------------------------------------

    def title(self) -> str:
        return _("Scorecard")

    def description(self) -> str:
        return _("The CRM scorecard: how your customers and sales compare, period by period.")

    @property
    def page(self) -> ScorecardPage | None:
        return self._page

    @property
    def period(self) -> ScorePeriod:
        return self._period

    def set_period(self, period: ScorePeriod) -> None:
        self._period = period
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(PERIOD_KINDS.index(period.kind))
        self.kind.blockSignals(False)
        self.refresh()

    def step(self, steps: int) -> None:
        self.set_period(self._period.shifted(steps))

    def compare_mode(self) -> Compare:
        value: Compare = self.compare.currentData()
        return value

    def refresh(self) -> None:
        """Reload the period shown (one database task; a big team's takes a few seconds)."""
        self.period_label.setText(period_text(self._period))
        self.scope_label.setText(_("Loading…"))
        period, compare = self._period, self.compare_mode()
        today, lang = self._clock.today(), self._language()
        self._runner.run_db(
            lambda session: load_page(session, period, compare, today, lang),
            on_done=self._loaded,
            on_error=self._failed,
            key=self._task_key,
            owner=self,
        )

    def export(self, path: str | None = None) -> None:
        """Write the scorecard shown as a PDF (asks where unless ``path`` is given)."""
        if self._page is None:
            return
        chosen = path or self.choose_file()
        if not chosen:
            return
        card, lang = self._page.card, self._language()
        target = Path(chosen)

        def write() -> str:
            write_scorecard_pdf(card, target, lang, today=self._clock.today())
            return str(target)

        self._runner.run_db_call(
            write, on_done=self.exported.emit, on_error=self._export_failed, owner=self
        )

    def retranslate(self) -> None:
        self._title_label.setText(self.title())
        for index, kind in enumerate(PERIOD_KINDS):
            self.kind.setItemText(index, label(KIND_LABELS, kind))
        for index, compare in enumerate(COMPARES):
            self.compare.setItemText(
                index, _("vs {what}").format(what=label(COMPARE_LABELS, compare).lower())
            )
        for index, dimension in enumerate(DIMENSIONS):
            self.dimension.setItemText(index, label(DIMENSION_LABELS, dimension))
        for perspective, box in self.panels.items():
            box.setTitle(label(PERSPECTIVE_LABELS, perspective))
        self.export_button.setText(_("Export PDF…"))
        self._refresh.setText(_("Refresh"))
        self._previous.setToolTip(_("Previous period (Alt+Left)"))
        self._next.setToolTip(_("Next period (Alt+Right)"))
        self._breakdown_title.setText(_("Sales by"))
        self.period_label.setText(period_text(self._period))
        if self._page is not None:
            self._show(self._page)
        elif self._error is None:
            self.scope_label.setText(_("Loading…"))

    # --- loading --------------------------------------------------------------------------------

    @staticmethod
    def _language() -> str:
        return "es" if current_language() == "es" else "en"

    def _kind_changed(self, _index: int) -> None:
        kind: PeriodKind = self.kind.currentData()
        self._period = ScorePeriod.of(self._period.end, kind)
        self.refresh()

    def _loaded(self, page: ScorecardPage) -> None:
        if page.card.period != self._period or page.card.compare != self.compare_mode():
            return
        self._page = page
        self._error = None
        self.loads += 1
        self._show(page)
        self.family_chart.show_figure(page.family_figure)
        self.retention_chart.show_figure(page.retention_figure)
        self._mark_ready()

    def _show(self, page: ScorecardPage) -> None:
        card = page.card
        whose = {
            "mine": _("Your accounts ({count})"),
            "team": _("Your team's accounts ({count})"),
            "all": _("All accounts ({count})"),
        }[page.scope.scope].format(count=page.scope.accounts)
        self.scope_label.setText(
            _(
                "{whose} · {period} ({start} – {end}) against {compared}; amounts in {currency}"
            ).format(
                whose=whose,
                period=period_text(card.period),
                start=card.period.start.isoformat(),
                end=card.period.end.isoformat(),
                compared=period_text(card.compared_period),
                currency=card.currency,
            )
        )
        for perspective, box in self.panels.items():
            layout = box.layout()
            assert isinstance(layout, QGridLayout)
            for index, kpi in enumerate(card.perspective(perspective)):
                tile = self.tiles.get(kpi.key)
                if tile is None:
                    tile = KpiTile(kpi.key, box)
                    self.tiles[kpi.key] = tile
                    layout.addWidget(tile, index // 3, index % 3)
                tile.show_kpi(kpi, card)
        self._show_breakdown()

    def _show_breakdown(self) -> None:
        if self._page is None:
            return
        card = self._page.card
        dimension: str = self.dimension.currentData()
        rows = card.breakdowns[dimension]
        self.table.setHorizontalHeaderLabels(
            [
                label(DIMENSION_LABELS, dimension),
                period_text(card.period),
                period_text(card.compared_period),
                _("Growth"),
                _("Share"),
            ]
        )
        total = sum((r.sales for r in rows), start=0)
        self.table.setRowCount(len(rows) + 1)
        cells = [
            [
                breakdown_key_text(dimension, r.key),
                money_text(r.sales, card.currency),
                money_text(r.compared_sales, card.currency),
                percent_text(r.growth),
                percent_text(r.sales / total if total else None),
            ]
            for r in rows
        ]
        cells.append(
            [
                _("Total"),
                money_text(total, card.currency),
                money_text(sum((r.compared_sales for r in rows), start=0), card.currency),
                "",
                "",
            ]
        )
        for row, values in enumerate(cells):
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if row == len(rows):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                if column == 3 and row < len(rows):
                    growth = rows[row].growth
                    if growth:
                        item.setForeground(QColor(_BETTER if growth > 0 else _WORSE))
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()

    def _failed(self, error: BaseException) -> None:
        self._error = error
        self.scope_label.setText(
            _("The scorecard could not be loaded: {error}").format(error=describe_error(error))
        )
        self._mark_ready()

    def _export_failed(self, error: BaseException) -> None:
        self.scope_label.setText(
            _("The scorecard could not be exported: {error}").format(error=describe_error(error))
        )

    def _choose_file(self) -> str:
        name = _("scorecard")
        suggested = f"{name}-{self._period}.pdf"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the scorecard"), suggested, _("PDF files (*.pdf)")
        )
        return path
