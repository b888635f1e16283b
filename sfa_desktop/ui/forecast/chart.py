"""A matplotlib figure in the window (``FigureCanvasQTAgg``), with a message when there is
nothing to draw. Figures are built off the UI thread (they are plain matplotlib objects) and
handed to :meth:`ChartCanvas.show_figure` on the UI thread, which draws them."""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QStackedLayout, QWidget

#: matplotlib's Qt canvas (its constructor and ``draw`` carry no annotations)
_CANVAS: Any = FigureCanvasQTAgg


class ChartCanvas(QWidget):
    """Shows one figure at a time, or :meth:`show_message` instead."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._canvas: Any = None
        self._message = QLabel(self)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self._message)
        self.setMinimumHeight(200)
        self.draws = 0
        self._pending = False

    @property
    def canvas(self) -> Any:
        """The canvas of the figure shown (None while a message is shown)."""
        return self._canvas if self._stack.currentWidget() is self._canvas else None

    def message(self) -> str:
        return self._message.text() if self._stack.currentWidget() is self._message else ""

    def show_figure(self, figure: Figure) -> None:
        canvas = _CANVAS(figure)
        canvas.setParent(self)
        if self._canvas is not None:
            self._stack.removeWidget(self._canvas)
            self._canvas.deleteLater()
        self._canvas = canvas
        self._stack.addWidget(canvas)
        self._stack.setCurrentWidget(canvas)
        # a hidden chart has no size yet (laid out at zero height its axes collapse): it
        # draws when it is shown
        self._pending = not self.isVisible()
        if not self._pending:
            canvas.draw()
        self.draws += 1

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending and self._canvas is not None:
            self._pending = False
            self._canvas.draw()

    def show_message(self, text: str) -> None:
        self._message.setText(text)
        self._stack.setCurrentWidget(self._message)
