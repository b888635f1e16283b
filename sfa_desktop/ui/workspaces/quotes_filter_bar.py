"""The quotes list's filter bar: status (as shown: lapsed quotes are "expired"), whose quotes
(everyone's, mine, my team's), expiring within a week, awaiting my approval.

:attr:`QuotesFilterBar.filters_changed` carries the filters as keyword arguments for
:class:`~sfa_desktop.ui.models.quotes_model.QuotesModel` (``None`` means "any").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QToolButton, QWidget

from sfa_desktop.i18n import _, enum_choices, enum_label
from sfa_desktop.services.quotes import EXPIRING_DAYS, OWNER_SCOPES


class QuotesFilterBar(QWidget):
    """Two combo boxes and two check boxes; every change emits :attr:`filters_changed`."""

    #: The filters changed: ``{"status": …, "owner": …, "expiring": True | None,
    #: "awaiting_approval": True | None}``.
    filters_changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quotesFilters")
        self._label = QLabel(self)
        self.status = self._combo("filterStatus", enum_choices("quote_status"))
        self.owner = self._combo("filterOwner", OWNER_SCOPES)
        self.expiring = self._check("filterExpiring")
        self.awaiting = self._check("filterAwaiting")
        self.clear_button = QToolButton(self)
        self.clear_button.setObjectName("filterClear")
        self.clear_button.setAutoRaise(True)
        self.clear_button.clicked.connect(self.clear)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        row.addWidget(self._label)
        for widget in (self.status, self.owner, self.expiring, self.awaiting, self.clear_button):
            row.addWidget(widget)
        row.addStretch(1)
        self.retranslate()
        self._update_clear()

    def _combo(self, name: str, values: tuple[str, ...]) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        combo.addItem("", None)  # "any": its text is set by retranslate()
        for value in values:
            combo.addItem("", value)
        combo.currentIndexChanged.connect(self._emit)
        return combo

    def _check(self, name: str) -> QCheckBox:
        check = QCheckBox(self)
        check.setObjectName(name)
        check.toggled.connect(self._emit)
        return check

    # --- state -----------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The filters as keyword arguments of the quotes list."""
        return {
            "status": self.status.currentData(),
            "owner": self.owner.currentData(),
            "expiring": True if self.expiring.isChecked() else None,
            "awaiting_approval": True if self.awaiting.isChecked() else None,
        }

    def is_filtering(self) -> bool:
        return any(value is not None for value in self.filters().values())

    def select(self, combo: QComboBox, value: str | None) -> bool:
        """Choose ``value`` in ``combo`` (``False`` if it is not offered)."""
        index = combo.findData(value) if value is not None else 0
        if index >= 0:
            combo.setCurrentIndex(index)
        return index >= 0

    def clear(self) -> None:
        """Show every quote again (one query)."""
        widgets = (self.status, self.owner, self.expiring, self.awaiting)
        blocked = [widget.blockSignals(True) for widget in widgets]
        self.status.setCurrentIndex(0)
        self.owner.setCurrentIndex(0)
        self.expiring.setChecked(False)
        self.awaiting.setChecked(False)
        for widget, was_blocked in zip(widgets, blocked, strict=True):
            widget.blockSignals(was_blocked)
        self._emit()

    def _emit(self) -> None:
        self._update_clear()
        self.filters_changed.emit(self.filters())

    def _update_clear(self) -> None:
        self.clear_button.setEnabled(self.is_filtering())

    def retranslate(self) -> None:
        self._label.setText(_("Show:"))
        self.status.setItemText(0, _("All statuses"))
        for index in range(1, self.status.count()):
            self.status.setItemText(index, enum_label("quote_status", self.status.itemData(index)))
        owners = {"mine": _("My quotes"), "team": _("My team's quotes")}
        self.owner.setItemText(0, _("Everyone's quotes"))
        for index in range(1, self.owner.count()):
            self.owner.setItemText(index, owners[self.owner.itemData(index)])
        self.status.setToolTip(
            _("Only the quotes with one status; a quote past its valid-until date is expired")
        )
        self.owner.setToolTip(_("Only your quotes, or those of your team (you and your reports)"))
        self.expiring.setText(_("Expiring within {days} days").format(days=EXPIRING_DAYS))
        self.expiring.setToolTip(
            _("Open quotes whose validity ends within the next {days} days").format(
                days=EXPIRING_DAYS
            )
        )
        self.awaiting.setText(_("Awaiting my approval"))
        self.awaiting.setToolTip(
            _("Quotes of your team pending approval (any, for an administrator)")
        )
        self.clear_button.setText(_("Clear filters"))
