"""What every list's filter bar shares: a "Show:" label, combo boxes whose first item means
"any", check boxes, a *Clear filters* button, and :attr:`FilterBar.filters_changed` carrying the
filters as keyword arguments of the list's read function (``None`` means "any")."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from sfa_desktop.i18n import _


class FilterBar(QWidget):
    """Subclasses make their inputs with :meth:`_combo` / :meth:`_check`, lay them out with
    :meth:`_lay_out` and say what the filters are (:meth:`filters`)."""

    #: The filters changed: the new :meth:`filters`.
    filters_changed = Signal(dict)

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._label = QLabel(self)
        self._inputs: list[QComboBox | QCheckBox] = []

    def _combo(self, name: str, values: tuple[str, ...] = ()) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.addItem("", None)  # "any": its text is set by retranslate()
        for value in values:
            combo.addItem("", value)
        combo.currentIndexChanged.connect(self._emit)
        self._inputs.append(combo)
        return combo

    def _check(self, name: str) -> QCheckBox:
        check = QCheckBox(self)
        check.setObjectName(name)
        check.toggled.connect(self._emit)
        self._inputs.append(check)
        return check

    def _lay_out(self) -> None:
        """The label, the inputs in the order they were made, then the clear button (made
        last, so Tab reaches it last)."""
        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName("filterClear")
        self.clear_button.setAutoRaise(True)
        self.clear_button.clicked.connect(self.clear)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        for widget in (self._label, *self._inputs, self.clear_button):
            row.addWidget(widget)
        row.addStretch(1)
        self.retranslate()
        self._update_clear()

    # --- state -----------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The filters as keyword arguments of the list's read function."""
        raise NotImplementedError

    def is_filtering(self) -> bool:
        return any(value is not None for value in self.filters().values())

    def select(self, combo: QComboBox, value: str | None) -> bool:
        """Choose ``value`` in ``combo`` (``False`` if it is not offered)."""
        index = combo.findData(value) if value is not None else 0
        if index >= 0:
            combo.setCurrentIndex(index)
        return index >= 0

    def clear(self) -> None:
        """Show everything again (one query)."""
        blocked = [widget.blockSignals(True) for widget in self._inputs]
        for widget in self._inputs:
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(0)
            else:
                widget.setChecked(False)
        for widget, was_blocked in zip(self._inputs, blocked, strict=True):
            widget.blockSignals(was_blocked)
        self._emit()

    def _emit(self) -> None:
        self._update_clear()
        self.filters_changed.emit(self.filters())

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(self.is_filtering())

    def retranslate(self) -> None:
        """Subclasses add the texts of their inputs."""
        self._label.setText(_("Show:"))
