"""The period picker: month or quarter, previous / next, back to the current period.

Keyboard: Alt+Left / Alt+Right the previous / next period, Alt+Home the current one,
Alt+M / Alt+Q months / quarters.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from sfa_desktop.i18n import _
from sfa_desktop.ui.forecast.display import show_period
from sync_server.protocol.forecast_rules import PERIOD_KINDS, Period, PeriodKind


class PeriodPicker(QWidget):
    """Chooses the forecast period; :attr:`changed` carries the new one."""

    changed = Signal(object)

    def __init__(self, current: Callable[[PeriodKind], Period], parent: QWidget | None = None):
        super().__init__(parent)
        self._current = current
        self._period = current("month")
        self._kind = QComboBox(self)
        self._kind.setObjectName("forecastPeriodKind")
        self._kind.addItems(["", ""])
        self._kind.setCurrentIndex(PERIOD_KINDS.index("month"))
        self._kind.currentIndexChanged.connect(self._kind_chosen)
        self._previous = QToolButton(self)
        self._previous.setObjectName("forecastPrevious")
        self._previous.setText("\u2039")
        self._previous.clicked.connect(lambda _checked=False: self.step(-1))
        self._next = QToolButton(self)
        self._next.setObjectName("forecastNext")
        self._next.setText("\u203a")
        self._next.clicked.connect(lambda _checked=False: self.step(1))
        self._label = QLabel(self)
        self._label.setObjectName("forecastPeriod")
        self._label.setMinimumWidth(120)
        font: QFont = self._label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._label.setFont(font)
        self._today = QPushButton(self)
        self._today.setObjectName("forecastCurrentPeriod")
        self._today.clicked.connect(lambda _checked=False: self.go_current())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._kind)
        layout.addSpacing(8)
        layout.addWidget(self._previous)
        layout.addWidget(self._label)
        layout.addWidget(self._next)
        layout.addWidget(self._today)
        for sequence, slot in (
            ("Alt+Left", lambda: self.step(-1)),
            ("Alt+Right", lambda: self.step(1)),
            ("Alt+Home", self.go_current),
            ("Alt+M", lambda: self.set_kind("month")),
            ("Alt+Q", lambda: self.set_kind("quarter")),
        ):
            QShortcut(QKeySequence(sequence), self).activated.connect(slot)
        self.retranslate()

    @property
    def period(self) -> Period:
        return self._period

    def label_text(self) -> str:
        return self._label.text()

    def set_period(self, period: Period) -> None:
        """Show ``period`` (its kind too) and announce it when it changed."""
        if period == self._period:
            return
        self._period = period
        self._kind.blockSignals(True)
        self._kind.setCurrentIndex(PERIOD_KINDS.index(period.kind))
        self._kind.blockSignals(False)
        self._label.setText(show_period(period))
        self.changed.emit(period)

    def step(self, steps: int) -> None:
        period = self._period
        for _index in range(abs(steps)):
            period = period.next() if steps > 0 else period.previous()
        self.set_period(period)

    def go_current(self) -> None:
        self.set_period(self._current(self._period.kind))

    def set_kind(self, kind: PeriodKind) -> None:
        """Months or quarters: the one holding the current period's first day."""
        if kind != self._period.kind:
            self.set_period(Period.of(self._period.start, kind))

    def _kind_chosen(self, index: int) -> None:
        self.set_kind(PERIOD_KINDS[index])

    def retranslate(self) -> None:
        self._kind.setItemText(0, _("Month"))
        self._kind.setItemText(1, _("Quarter"))
        self._kind.setToolTip(_("Months or quarters (Alt+M, Alt+Q)"))
        self._previous.setToolTip(_("Previous period (Alt+Left)"))
        self._next.setToolTip(_("Next period (Alt+Right)"))
        self._today.setText(_("Current"))
        self._today.setToolTip(_("Back to the current period (Alt+Home)"))
        self._label.setText(show_period(self._period))
