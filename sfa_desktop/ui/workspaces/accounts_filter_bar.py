"""The accounts list's filter bar: owner, region, lifecycle stage, overdue for a visit.

The owner and region choices come from the database (one task, :meth:`load_choices`);
:attr:`AccountsFilterBar.filters_changed` carries the filters as keyword arguments for
:data:`sfa_desktop.services.record_lists.ACCOUNT_LIST` (``None`` means "any").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from sfa_desktop.i18n import _, enum_choices, enum_label
from sfa_desktop.services.record_lists import owner_choices, region_choices
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.filter_bar import FilterBar


class AccountsFilterBar(FilterBar):
    """Combo boxes and a check box; every change emits :attr:`filters_changed`
    (``{"owner_id": …, "region": …, "lifecycle_stage": …, "overdue_on": date | None}``)."""

    def __init__(
        self,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__("accountsFilters", parent)
        self._runner = runner
        self._today = today
        self.owner = self._combo("filterOwner")
        self.region = self._combo("filterRegion")
        self.stage = self._combo("filterStage", enum_choices("lifecycle_stage"))
        for combo in (self.owner, self.region, self.stage):  # never truncated: as wide as
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # the text
        self.overdue = self._check("filterOverdue")
        self._lay_out()

    # --- choices ---------------------------------------------------------------------------

    def load_choices(self) -> None:
        """(Re)load the owners and regions (keeps the current choice when still offered)."""

        def load(session: Any) -> tuple[list[tuple[str, str]], list[str]]:
            owners = [(owner.id, owner.name) for owner in owner_choices(session)]
            return owners, region_choices(session)

        self._runner.run_db(
            load, on_done=self._show_choices, key=("accounts-filters", id(self)), owner=self
        )

    def _show_choices(self, choices: tuple[list[tuple[str, str]], list[str]]) -> None:
        owners, regions = choices
        self._refill(self.owner, owners)
        self._refill(self.region, [(region, region) for region in regions])

    def _refill(self, combo: QComboBox, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        blocked = combo.blockSignals(True)
        while combo.count() > 1:
            combo.removeItem(1)
        for value, text in items:
            combo.addItem(text, value)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(blocked)
        if index < 0:  # the chosen value is gone: the filter changed
            self._emit()

    # --- state -----------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The filters as keyword arguments of the accounts list."""
        return {
            "owner_id": self.owner.currentData(),
            "region": self.region.currentData(),
            "lifecycle_stage": self.stage.currentData(),
            "overdue_on": self._today() if self.overdue.isChecked() else None,
        }

    def retranslate(self) -> None:
        super().retranslate()
        self.owner.setItemText(0, _("All owners"))
        self.region.setItemText(0, _("All regions"))
        self.stage.setItemText(0, _("All stages"))
        for index in range(1, self.stage.count()):
            self.stage.setItemText(index, enum_label("lifecycle_stage", self.stage.itemData(index)))
        self.owner.setToolTip(_("Only the accounts of one owner"))
        self.region.setToolTip(_("Only the accounts in one region"))
        self.stage.setToolTip(_("Only the accounts at one lifecycle stage"))
        self.overdue.setText(_("Overdue for a visit"))
        self.overdue.setToolTip(
            _("Accounts whose visit cadence says they should have been visited by now")
        )
        self.clear_button.setText(_("Clear filters"))
