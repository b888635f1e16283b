"""The figure cards: closed, commit, best case, pipeline, quota, attainment and gap to quota of
a person's forecast, one line per currency (nothing is converted between currencies)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from sfa_desktop.i18n import _
from sfa_desktop.services.forecasts import ForecastLine
from sfa_desktop.ui.forecast.display import per_currency, show_money, show_pct

CARDS: tuple[str, ...] = (
    "closed",
    "commit",
    "best_case",
    "pipeline",
    "quota",
    "attainment",
    "gap",
)


def _caption(card: str) -> str:
    return {
        "closed": _("Closed won"),
        "commit": _("Commit"),
        "best_case": _("Best case"),
        "pipeline": _("Pipeline"),
        "quota": _("Quota"),
        "attainment": _("Attainment"),
        "gap": _("Gap to quota"),
    }[card]


def _hint(card: str) -> str:
    return {
        "closed": _("Deals won with a close date in the period"),
        "commit": _("Closed won plus the open deals forecast as commit"),
        "best_case": _("Commit plus the open deals forecast as best case"),
        "pipeline": _("Every open deal of the period that is not omitted"),
        "quota": _("Your quota for exactly this period"),
        "attainment": _("Closed won against the quota"),
        "gap": _("What is left to close to reach the quota (negative: beyond it)"),
    }[card]


def _value(card: str) -> Callable[[ForecastLine], str]:
    figures: dict[str, Callable[[ForecastLine], str]] = {
        "closed": lambda line: show_money(line.figures.closed, line.currency),
        "commit": lambda line: show_money(line.figures.commit, line.currency),
        "best_case": lambda line: show_money(line.figures.best_case, line.currency),
        "pipeline": lambda line: show_money(line.figures.pipeline, line.currency),
        "quota": lambda line: show_money(line.quota, line.currency),
        "attainment": lambda line: show_pct(line.attainment_pct),
        "gap": lambda line: show_money(line.gap, line.currency),
    }
    return figures[card]


class _Card(QFrame):
    def __init__(self, card: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(f"forecastCard_{card}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel(self)
        muted = self.caption.palette()
        muted.setColor(
            QPalette.ColorRole.WindowText, muted.color(QPalette.ColorRole.PlaceholderText)
        )
        self.caption.setPalette(muted)
        self.value = QLabel(self)
        self.value.setObjectName(f"forecastValue_{card}")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font: QFont = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.value.setFont(font)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addStretch(1)


class FigureCards(QWidget):
    """Seven cards in two rows; :meth:`show_lines` fills them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards = {card: _Card(card, self) for card in CARDS}
        self._lines: tuple[ForecastLine, ...] = ()
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(10)
        for index, card in enumerate(CARDS):
            row, column = divmod(index, 4)
            grid.addWidget(self._cards[card], row, column)
        self.retranslate()

    def show_lines(self, lines: Sequence[ForecastLine]) -> None:
        self._lines = tuple(lines)
        for card, widget in self._cards.items():
            widget.value.setText(per_currency(self._lines, _value(card)) or "\u2014")

    def text(self, card: str) -> str:
        """The value shown on ``card`` (tests)."""
        return self._cards[card].value.text()

    def retranslate(self) -> None:
        for card, widget in self._cards.items():
            widget.caption.setText(_caption(card))
            widget.setToolTip(_hint(card))
        self.show_lines(self._lines)
