"""Opportunity stages: the defaults a stage brings, the stage-history record a change leaves,
and what the history tells (age in stage, slipped close dates, cycle time).

Defaults when the stage changes (the rep's own choices survive):

* **probability** — a closed stage sets it (won 100, lost 0). Otherwise, when the deal's
  probability is still the old stage's default (or empty), it follows the new stage's default
  (:data:`~sync_server.protocol.catalog.STAGE_DEFAULT_PROBABILITY`); a value the rep typed
  (anything else) is kept. A probability given with the change wins on open stages.
* **forecast category** — a closed stage sets it (won ``closed``, lost ``omitted``).
  Otherwise the same rule: a category still at the old stage's default follows the new one
  (:data:`~sync_server.protocol.catalog.STAGE_DEFAULT_FORECAST_CATEGORY`; ``commit`` is never a
  default: committing a deal is the rep's call), a category chosen by the rep is kept.

Everything here is pure: values in, values out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sync_server.protocol.catalog import (
    STAGE_DEFAULT_FORECAST_CATEGORY,
    STAGE_DEFAULT_PROBABILITY,
)

__all__ = [
    "CLOSED_STAGES",
    "HISTORY_FIELDS",
    "StageChange",
    "StageFacts",
    "stage_change_values",
    "stage_defaults",
    "stage_facts",
]

CLOSED_STAGES = frozenset({"closed_won", "closed_lost"})
#: the opportunity fields whose change leaves a stage-history record
HISTORY_FIELDS = ("stage", "expected_close_date")


def _follows(current: Any, old_default: Any) -> bool:
    return current is None or current == old_default


def stage_defaults(
    current: Mapping[str, Any] | None, new_stage: str, given: Mapping[str, Any]
) -> dict[str, Any]:
    """The probability and forecast category the deal gets in ``new_stage``.

    ``current`` is the deal before the change (None for a new deal), ``given`` the values the
    caller sets with it; returns only the fields to write (a value in ``given`` is not repeated).
    """
    old_stage = None if current is None else current.get("stage")
    values: dict[str, Any] = {}
    for name, defaults in (
        ("probability", STAGE_DEFAULT_PROBABILITY),
        ("forecast_category", STAGE_DEFAULT_FORECAST_CATEGORY),
    ):
        default = defaults[new_stage]
        if new_stage in CLOSED_STAGES:
            values[name] = default
        elif name in given and given[name] is not None:
            continue
        elif current is None or (
            old_stage != new_stage and _follows(current.get(name), defaults.get(old_stage or ""))
        ):
            values[name] = default
    return {name: value for name, value in values.items() if given.get(name) != value}


def stage_change_values(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any],
    *,
    changed_by_id: str,
    changed_at: dt.datetime,
) -> dict[str, Any] | None:
    """The ``opportunity_stage_change`` record an opportunity's write leaves: at its create,
    or when its stage or expected close date changed; None when neither changed."""
    if before is not None and all(before.get(f) == after.get(f) for f in HISTORY_FIELDS):
        return None
    return {
        "opportunity_id": after["id"],
        "from_stage": None if before is None else before.get("stage"),
        "to_stage": after["stage"],
        "from_close_date": None if before is None else before.get("expected_close_date"),
        "to_close_date": after.get("expected_close_date"),
        "amount": after["amount"],
        "currency": after["currency"],
        "changed_by_id": changed_by_id,
        "changed_at": changed_at,
    }


@dataclass(frozen=True, slots=True)
class StageChange:
    """One record of an opportunity's stage history."""

    from_stage: str | None
    to_stage: str
    from_close_date: dt.date | None
    to_close_date: dt.date | None
    amount: int
    currency: str
    changed_by_id: str
    changed_at: dt.datetime

    @property
    def moved_stage(self) -> bool:
        """The stage changed (or the deal was created), not only its close date."""
        return self.from_stage != self.to_stage

    @property
    def slip_days(self) -> int:
        """Days the expected close date was pushed out (0 when not pushed later)."""
        if self.from_close_date is None or self.to_close_date is None:
            return 0
        return max(0, (self.to_close_date - self.from_close_date).days)


@dataclass(frozen=True, slots=True)
class StageFacts:
    """What an opportunity's stage history tells."""

    #: whole days since the deal entered its current stage
    age_in_stage_days: int
    #: how many times the expected close date was pushed later
    slip_count: int
    #: the days those pushes add up to
    slipped_days: int
    #: days from creation to closing; None while the deal is open
    cycle_days: int | None

    @property
    def slipped(self) -> bool:
        return self.slip_count > 0


def stage_facts(
    changes: Sequence[StageChange],
    *,
    stage: str,
    created_at: dt.datetime,
    now: dt.datetime,
) -> StageFacts:
    """The facts of a deal now in ``stage``, created at ``created_at``, from its ``changes``
    (any order). A deal without history (made before history was kept) counts from its
    creation."""
    ordered = sorted(changes, key=lambda c: c.changed_at)
    entered = created_at
    closed_at: dt.datetime | None = None
    for change in ordered:
        if change.moved_stage:
            entered = change.changed_at
            if change.to_stage in CLOSED_STAGES and change.from_stage not in CLOSED_STAGES:
                closed_at = change.changed_at
    slips = [c.slip_days for c in ordered if c.slip_days > 0]
    cycle: int | None = None
    if stage in CLOSED_STAGES:
        cycle = max(0, ((closed_at or entered) - created_at).days)
    return StageFacts(
        age_in_stage_days=max(0, (now - entered).days),
        slip_count=len(slips),
        slipped_days=sum(slips),
        cycle_days=cycle,
    )
