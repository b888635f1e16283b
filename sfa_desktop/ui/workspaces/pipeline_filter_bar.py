"""The Pipeline's filter bar (board and list alike): whose deals (everyone's in scope, mine,
my team's, one person's), close period, forecast category, stalled for more than N days.

:attr:`PipelineFilterBar.filters_changed` carries the filters as keyword arguments of
:func:`sfa_desktop.services.pipeline.list_deals` (``None`` means "any"). The people come from
the database (:meth:`PipelineFilterBar.load_choices`, one task).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from sfa_desktop.i18n import _, enum_choices, enum_label, ngettext
from sfa_desktop.services.pipeline import CLOSE_PERIODS, STALLED_DAYS
from sfa_desktop.services.quote_filters import OWNER_SCOPES
from sfa_desktop.services.record_lists import owner_choices
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.filter_bar import FilterBar


class PipelineFilterBar(FilterBar):
    """Four combo boxes; every change emits :attr:`filters_changed`
    (``{"owner": …, "close_period": …, "forecast_category": …, "stalled_days": int | None}``)."""

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__("pipelineFilters", parent)
        self._runner = runner
        self.owner = self._combo("filterOwner", OWNER_SCOPES)
        self.period = self._combo("filterClosePeriod", CLOSE_PERIODS)
        self.category = self._combo("filterCategory", enum_choices("forecast_category"))
        self.stalled = self._combo("filterStalled", tuple(str(d) for d in STALLED_DAYS))
        for combo in (self.owner, self.period, self.category, self.stalled):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._lay_out()

    def load_choices(self) -> None:
        """(Re)load the people offered after "mine" and "my team"."""
        self._runner.run_db(
            lambda session: [(o.id, o.name) for o in owner_choices(session)],
            on_done=self._show_people,
            key=("pipeline-filters", id(self)),
            owner=self,
        )

    def _show_people(self, people: list[tuple[str, str]]) -> None:
        combo, current = self.owner, self.owner.currentData()
        blocked = combo.blockSignals(True)
        while combo.count() > 1 + len(OWNER_SCOPES):
            combo.removeItem(combo.count() - 1)
        if people:
            combo.insertSeparator(combo.count())
        for user_id, name in people:
            combo.addItem(name, user_id)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(blocked)
        if index < 0:
            self._emit()

    def filters(self) -> dict[str, Any]:
        stalled = self.stalled.currentData()
        return {
            "owner": self.owner.currentData(),
            "close_period": self.period.currentData(),
            "forecast_category": self.category.currentData(),
            "stalled_days": int(stalled) if stalled else None,
        }

    def retranslate(self) -> None:
        super().retranslate()
        self.owner.setItemText(0, _("Everyone's deals"))
        owners = {"mine": _("My deals"), "team": _("My team's deals")}
        for index in range(1, 1 + len(OWNER_SCOPES)):
            self.owner.setItemText(index, owners[self.owner.itemData(index)])
        periods = {
            "this_month": _("Closing this month"),
            "this_quarter": _("Closing this quarter"),
            "next_quarter": _("Closing next quarter"),
            "overdue": _("Close date passed"),
        }
        self.period.setItemText(0, _("Any close date"))
        for index in range(1, self.period.count()):
            self.period.setItemText(index, periods[self.period.itemData(index)])
        self.category.setItemText(0, _("All categories"))
        for index in range(1, self.category.count()):
            self.category.setItemText(
                index, enum_label("forecast_category", self.category.itemData(index))
            )
        self.stalled.setItemText(0, _("Any age in stage"))
        for index in range(1, self.stalled.count()):
            days = int(self.stalled.itemData(index))
            self.stalled.setItemText(
                index,
                ngettext("Stalled over {days} day", "Stalled over {days} days", days).format(
                    days=days
                ),
            )
        self.owner.setToolTip(_("Your deals, your team's (you and your reports), or one person's"))
        self.period.setToolTip(_("Deals by their expected close date"))
        self.category.setToolTip(_("Only the deals in one forecast category"))
        self.stalled.setToolTip(_("Deals that have been in their stage longer than that"))
        self.clear_button.setText(_("Clear filters"))
