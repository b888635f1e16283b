"""The accounts list's filter bar: owner, region, lifecycle stage, saved segment, overdue for a
visit.

The owner, region and saved segment choices come from the database (one task,
:meth:`load_choices`). Choosing a saved segment works out its accounts in a task
(:func:`sfa_desktop.services.segments.segment_account_ids`, about a second for 100,000
accounts) and filters the list by their ids; without a segment the list costs nothing more.
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
from sfa_desktop.services.segments import saved_segments, segment_account_ids
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.filter_bar import FilterBar


class AccountsFilterBar(FilterBar):
    """Combo boxes and a check box; every change emits :attr:`filters_changed`
    (``{"owner_id": …, "region": …, "lifecycle_stage": …, "overdue_on": date | None,
    "account_ids": tuple | None}``)."""

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
        self.segment = self._combo("filterSegment")
        self.segment.currentIndexChanged.disconnect(self._emit)
        self.segment.currentIndexChanged.connect(self._segment_chosen)
        self.segment.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.segment.setMinimumContentsLength(16)
        self.segment.setVisible(False)  # until a saved segment exists
        self._segment_ids: tuple[str, ...] | None = None
        self.overdue = self._check("filterOverdue")
        # the segment box is not in the row: the workspace puts it in its title row, by the
        # search box (:attr:`segment`); Clear filters resets it with the others
        self._inputs.remove(self.segment)
        self._lay_out()
        self._inputs.append(self.segment)

    # --- choices ---------------------------------------------------------------------------

    def load_choices(self) -> None:
        """(Re)load the owners and regions (keeps the current choice when still offered)."""

        def load(session: Any) -> tuple[list[tuple[str, str]], list[str], list[tuple[str, str]]]:
            owners = [(owner.id, owner.name) for owner in owner_choices(session)]
            segments = [(row.id, row.name) for row in saved_segments(session)]
            return owners, region_choices(session), segments

        self._runner.run_db(
            load, on_done=self._show_choices, key=("accounts-filters", id(self)), owner=self
        )

    def _show_choices(
        self, choices: tuple[list[tuple[str, str]], list[str], list[tuple[str, str]]]
    ) -> None:
        owners, regions, segments = choices
        self._refill(self.owner, owners)
        self._refill(self.region, [(region, region) for region in regions])
        self._refill(self.segment, segments)
        self.segment.setVisible(self.segment.count() > 1)  # nobody saved one: no box

    def _segment_chosen(self, _index: int = 0) -> None:
        """Work the chosen segment's accounts out (a task), then filter by them."""
        segment_id = self.segment.currentData()
        if segment_id is None:
            self._segment_ids = None
            self._emit()
            return
        today = self._today()

        def members(session: Any) -> tuple[str, ...]:
            return tuple(segment_account_ids(session, segment_id, today))

        def chosen(ids: tuple[str, ...]) -> None:
            if self.segment.currentData() == segment_id:
                self._segment_ids = ids
                self._emit()

        self._runner.run_db(members, on_done=chosen, key=("accounts-segment", id(self)), owner=self)

    def segment_ids(self) -> tuple[str, ...] | None:
        """The accounts of the segment chosen (``None``: no segment, or not worked out yet)."""
        return self._segment_ids

    def clear(self) -> None:
        self._segment_ids = None
        super().clear()

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
            if combo is self.segment:
                self._segment_ids = None
            self._emit()

    # --- state -----------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        """The filters as keyword arguments of the accounts list."""
        return {
            "owner_id": self.owner.currentData(),
            "region": self.region.currentData(),
            "lifecycle_stage": self.stage.currentData(),
            "overdue_on": self._today() if self.overdue.isChecked() else None,
            "account_ids": self._segment_ids if self.segment.currentData() is not None else None,
        }

    def retranslate(self) -> None:
        super().retranslate()
        self.owner.setItemText(0, _("All owners"))
        self.region.setItemText(0, _("All regions"))
        self.stage.setItemText(0, _("All stages"))
        self.segment.setItemText(0, _("Segment: none"))
        self.segment.setToolTip(
            _("Only the accounts of one of your saved segments (see Customers)")
        )
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
