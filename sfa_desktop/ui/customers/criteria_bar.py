"""The Customers workspace's ad-hoc criteria: region, product family, ABC tier, affinity (RFM),
customer age, lifecycle stage and strategic tier, one combo box each (first item: any).

:meth:`CriteriaBar.definition` is the :class:`~sfa_desktop.domain.segments.SegmentDefinition`
they make; :meth:`CriteriaBar.set_definition` shows a saved segment's. A saved criterion with
several values (``"rfm": ["at_risk", "lapsed"]``) shows as one "N chosen" item; criteria the
bar has no box for (cities, owners) are kept as they came until cleared. The strategic tier
box shows once the value model gives tiers.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from sfa_desktop.domain.customer_value import TIERS as ABC_TIERS
from sfa_desktop.domain.segments import (
    LIFECYCLE_STAGES,
    RFM_CLASSES,
    AgeRange,
    SegmentDefinition,
)
from sfa_desktop.i18n import _, enum_label, ngettext
from sfa_desktop.services.exports.segment_csv import rfm_label
from sfa_desktop.ui.workspaces.filter_bar import FilterBar

#: the age choices: (min, max) years since the first purchase
AGE_RANGES: tuple[tuple[int | None, int | None], ...] = ((0, 0), (1, 2), (3, 5), (6, None))
_HIDDEN_KEYS = ("cities", "owner_ids")


class CriteriaBar(FilterBar):
    """Combo boxes whose every change emits :attr:`filters_changed` with
    ``{"definition": SegmentDefinition}``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("customerCriteria", parent)
        self.region = self._combo("criteriaRegion")
        self.family = self._combo("criteriaFamily")
        self.abc = self._combo("criteriaAbc", ABC_TIERS)
        self.rfm = self._combo("criteriaRfm", RFM_CLASSES)
        self.age = self._combo("criteriaAge")
        for low, high in AGE_RANGES:
            self.age.addItem("", AgeRange(low, high))
        self.stage = self._combo("criteriaStage", LIFECYCLE_STAGES)
        self.tier = self._combo("criteriaTier")  # shown once the value model gives tiers
        self.tier.setVisible(False)
        for combo in self._combos():
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for combo in (self.region, self.family):  # long names: the list opens wider
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        self._hidden: dict[str, Any] = {}
        self._lay_out()

    def _combos(self) -> tuple[QComboBox, ...]:
        return (self.region, self.family, self.abc, self.rfm, self.age, self.stage, self.tier)

    # --- choices ---------------------------------------------------------------------------

    def set_choices(
        self, regions: list[str], families: list[str], tiers: list[str] | None = None
    ) -> None:
        """The regions, families and strategic tiers offered (keeps the current choice)."""
        tiers = tiers or []
        self.tier.setVisible(bool(tiers) or self.tier.currentData() is not None)
        for combo, values in ((self.region, regions), (self.family, families), (self.tier, tiers)):
            current = combo.currentData()
            blocked = combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(value, value)
            self._choose(combo, current)
            combo.blockSignals(blocked)

    # --- state -----------------------------------------------------------------------------

    def filters(self) -> dict[str, Any]:
        return {"definition": self.definition()}

    def is_filtering(self) -> bool:
        return not self.definition().is_empty()

    def definition(self) -> SegmentDefinition:
        """The criteria chosen (plus the ones kept from a saved segment)."""

        def values(combo: QComboBox) -> tuple[str, ...] | None:
            data = combo.currentData()
            if data is None:
                return None
            return tuple(data) if isinstance(data, tuple) else (str(data),)

        age = self.age.currentData()
        return SegmentDefinition(
            regions=values(self.region),
            families=values(self.family),
            abc=values(self.abc),
            rfm=values(self.rfm),
            age_years=age if isinstance(age, AgeRange) else None,
            lifecycle=values(self.stage),
            tier=values(self.tier),
            **self._hidden,
        )

    def set_definition(self, definition: SegmentDefinition) -> None:
        """Show ``definition``'s criteria (one change signal at the end)."""
        blocked = [combo.blockSignals(True) for combo in self._combos()]
        pairs = (
            (self.region, definition.regions),
            (self.family, definition.families),
            (self.abc, definition.abc),
            (self.rfm, definition.rfm),
            (self.stage, definition.lifecycle),
            (self.tier, definition.tier),
        )
        for combo, wanted in pairs:
            self._choose(combo, wanted[0] if wanted and len(wanted) == 1 else wanted)
        self._choose(self.age, definition.age_years)
        self._hidden = {
            key: getattr(definition, key)
            for key in _HIDDEN_KEYS
            if getattr(definition, key) is not None
        }
        for combo, was in zip(self._combos(), blocked, strict=True):
            combo.blockSignals(was)
        self.retranslate()
        self._emit()

    def clear(self) -> None:
        self._hidden = {}
        super().clear()

    def _choose(self, combo: QComboBox, value: Any) -> None:
        """Select ``value`` in ``combo``, adding it as an item when it is not offered."""
        self._drop_extra(combo)
        if value is None:
            combo.setCurrentIndex(0)
            return
        index = combo.findData(value)
        if index < 0:
            combo.addItem(self._item_text(combo, value), value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)

    def _drop_extra(self, combo: QComboBox) -> None:
        """Remove a "N chosen" (or otherwise not offered) item that is no longer selected."""
        for index in range(combo.count() - 1, 0, -1):
            if isinstance(combo.itemData(index), tuple) and index != combo.currentIndex():
                combo.removeItem(index)

    # --- texts -----------------------------------------------------------------------------

    def _item_text(self, combo: QComboBox, value: Any) -> str:
        if isinstance(value, tuple):
            return ngettext("{count} chosen", "{count} chosen", len(value)).format(count=len(value))
        if isinstance(value, AgeRange):
            return age_text(value)
        if combo is self.rfm:
            return rfm_label(str(value))
        if combo is self.stage:
            return enum_label("lifecycle_stage", str(value))
        if combo is self.abc:
            return _("Tier {tier}").format(tier=value)
        return str(value)

    def retranslate(self) -> None:
        super().retranslate()
        self._label.setText(_("Criteria:"))
        firsts = (
            (self.region, _("Region: all")),
            (self.family, _("Family: all")),
            (self.abc, _("ABC: all")),
            (self.rfm, _("Affinity: all")),
            (self.age, _("Age: all")),
            (self.stage, _("Stage: all")),
            (self.tier, _("Tier: all")),
        )
        for combo, text in firsts:
            combo.setItemText(0, text)
        for combo in (self.abc, self.rfm, self.age, self.stage):
            for index in range(1, combo.count()):
                combo.setItemText(index, self._item_text(combo, combo.itemData(index)))
        self.region.setToolTip(_("Only the accounts in one region"))
        self.family.setToolTip(_("Only the accounts that bought from one product family"))
        self.abc.setToolTip(
            _("Pareto tier: A makes 80 % of the value, B the next 15 %, C the rest")
        )
        self.rfm.setToolTip(
            _(
                "Affinity from recency, frequency and spend: loyal, new (first purchase in "
                "the last 6 months), at risk (no purchase for 6 months, or spending half of "
                "the year before), lapsed (no purchase for a year), prospect (never bought)"
            )
        )
        self.age.setToolTip(_("Years since the first purchase"))
        self.stage.setToolTip(_("Only the accounts at one lifecycle stage"))
        self.tier.setToolTip(_("Only the accounts of one strategic tier"))
        self.clear_button.setText(_("Clear criteria"))


def age_text(value: AgeRange) -> str:
    """ "Under 1 year", "1–2 years", "6+ years"."""
    low, high = value.minimum, value.maximum
    if low in (None, 0) and high == 0:
        return _("Customer for under a year")
    if high is None:
        return _("Customer for {min}+ years").format(min=low or 0)
    if low is None:
        return _("Customer for up to {max} years").format(max=high)
    return _("Customer for {min}–{max} years").format(min=low, max=high)
