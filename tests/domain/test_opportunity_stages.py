"""The stage rules of opportunities, property by property (issue 11)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sfa_desktop.domain.opportunity_stages import (
    CLOSED_STAGES,
    StageChange,
    stage_change_values,
    stage_defaults,
    stage_facts,
)
from sync_server.protocol.catalog import (
    FORECAST_CATEGORIES,
    OPPORTUNITY_STAGES,
    STAGE_DEFAULT_FORECAST_CATEGORY,
    STAGE_DEFAULT_PROBABILITY,
)

T0 = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
stages = st.sampled_from(OPPORTUNITY_STAGES)
probabilities = st.none() | st.integers(0, 100)
categories = st.sampled_from(FORECAST_CATEGORIES)


@given(stages, stages, probabilities, categories)
def test_defaults_follow_the_stage_unless_the_rep_chose(
    old: str, new: str, probability: int | None, category: str
) -> None:
    current = {"stage": old, "probability": probability, "forecast_category": category}
    after = current | {"stage": new} | stage_defaults(current, new, {"stage": new})
    if new in CLOSED_STAGES:
        assert after["probability"] == STAGE_DEFAULT_PROBABILITY[new]
        assert after["forecast_category"] == STAGE_DEFAULT_FORECAST_CATEGORY[new]
    elif old == new:
        assert after == current
    else:
        chose_probability = probability not in (None, STAGE_DEFAULT_PROBABILITY[old])
        expected = probability if chose_probability else STAGE_DEFAULT_PROBABILITY[new]
        assert after["probability"] == expected
        chose_category = category != STAGE_DEFAULT_FORECAST_CATEGORY[old]
        assert after["forecast_category"] == (
            category if chose_category else STAGE_DEFAULT_FORECAST_CATEGORY[new]
        )


@given(stages, st.integers(0, 100))
def test_a_value_given_with_the_change_wins_on_open_stages(stage: str, probability: int) -> None:
    current = {"stage": "prospecting", "probability": 10, "forecast_category": "pipeline"}
    given_values = {"stage": stage, "probability": probability}
    chosen = stage_defaults(current, stage, given_values)
    if stage in CLOSED_STAGES:
        assert (given_values | chosen)["probability"] == STAGE_DEFAULT_PROBABILITY[stage]
    else:
        assert "probability" not in chosen


def test_only_stage_or_close_date_changes_leave_a_record() -> None:
    deal = {"id": "d", "stage": "proposal", "amount": 5, "currency": "EUR"}
    deal |= {"expected_close_date": dt.date(2026, 2, 1)}
    signed = {"changed_by_id": "u", "changed_at": T0}
    assert stage_change_values(deal, deal | {"amount": 9}, **signed) is None
    created = stage_change_values(None, deal, **signed)
    assert created is not None and created["from_stage"] is None
    moved = stage_change_values(deal, deal | {"stage": "negotiation"}, **signed)
    assert moved is not None and (moved["from_stage"], moved["to_stage"]) == (
        "proposal",
        "negotiation",
    )


moves = st.lists(
    st.tuples(st.integers(1, 20), st.none() | stages, st.integers(-30, 60)),
    max_size=12,
)


@given(moves, st.integers(0, 30))
def test_facts_add_up(steps: list[tuple[int, str | None, int]], extra_days: int) -> None:
    """A random walk of stage moves and close-date changes: slips count only pushes later,
    age counts from the last stage move, cycle time only for a closed deal."""
    when, stage, close = T0, "prospecting", dt.date(2026, 3, 1)
    changes = [StageChange(None, stage, None, close, 1, "EUR", "u", when)]
    entered = when
    pushes: list[int] = []
    for days, target, shift in steps:
        when += dt.timedelta(days=days)
        new_stage = target or stage
        new_close = close + dt.timedelta(days=shift)
        if (new_stage, new_close) == (stage, close):
            continue
        changes.append(StageChange(stage, new_stage, close, new_close, 1, "EUR", "u", when))
        if new_stage != stage:
            entered = when
        if shift > 0:
            pushes.append(shift)
        stage, close = new_stage, new_close
    now = when + dt.timedelta(days=extra_days)
    facts = stage_facts(list(reversed(changes)), stage=stage, created_at=T0, now=now)
    assert facts.age_in_stage_days == (now - entered).days
    assert (facts.slip_count, facts.slipped_days) == (len(pushes), sum(pushes))
    assert (facts.cycle_days is None) is (stage not in CLOSED_STAGES)
    if facts.cycle_days is not None:
        assert 0 <= facts.cycle_days <= (when - T0).days
