"""The quotes list's filter bar: status (as shown: lapsed quotes are "expired"), whose quotes
(everyone's, mine, my team's), expiring within a week, awaiting my approval.

:attr:`QuotesFilterBar.filters_changed` carries the filters as keyword arguments for
:class:`~sfa_desktop.ui.models.quotes_model.QuotesModel` (``None`` means "any").
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from sfa_desktop.i18n import _, enum_choices, enum_label
from sfa_desktop.services.quotes import EXPIRING_DAYS, OWNER_SCOPES
from sfa_desktop.ui.workspaces.filter_bar import FilterBar


class QuotesFilterBar(FilterBar):
    """Two combo boxes and two check boxes; every change emits :attr:`filters_changed`
    (``{"status": …, "owner": …, "expiring": True | None, "awaiting_approval": True | None}``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("quotesFilters", parent)
        self.status = self._combo("filterStatus", enum_choices("quote_status"))
        self.owner = self._combo("filterOwner", OWNER_SCOPES)
        for combo in (self.status, self.owner):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.expiring = self._check("filterExpiring")
        self.awaiting = self._check("filterAwaiting")
        self._lay_out()

    def filters(self) -> dict[str, Any]:
        """The filters as keyword arguments of the quotes list."""
        return {
            "status": self.status.currentData(),
            "owner": self.owner.currentData(),
            "expiring": True if self.expiring.isChecked() else None,
            "awaiting_approval": True if self.awaiting.isChecked() else None,
        }

    def retranslate(self) -> None:
        super().retranslate()
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
