"""Making deals and moving their stages on a real profile (issue 11): stage defaults, the lost
reason, the stage history written with each change, and what the history tells."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import ValidationErrors
from sfa_desktop.services.editing import (
    EditContext,
    delete_record,
    load_edit_context,
    update_record,
)
from sfa_desktop.services.opportunities import (
    change_stage,
    new_opportunity,
    stage_facts_for,
    stage_history,
    update_opportunity,
)
from sfa_desktop.store.database import Database
from sfa_desktop.store.models.customers import Account
from sfa_desktop.store.models.sales import Opportunity, OpportunityStageChange
from sfa_desktop.store.models.sync_state import OutboxEntry
from sfa_desktop.store.repositories.records import get_record

DEMO_DAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-opps"), accounts=30, today=DEMO_DAY)


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ctx(demo: Database, clock: Clock) -> EditContext:
    with demo.session() as session:
        return load_edit_context(session, now=clock)


def _account(session: Session, ctx: EditContext) -> str:
    found = session.scalars(
        select(Account.id).where(Account.owner_id == ctx.user_id).order_by(Account.id)
    ).first()
    assert found is not None
    return found


def _counts(demo: Database) -> tuple[int, ...]:
    with demo.session() as session:
        return tuple(
            int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Opportunity, OpportunityStageChange, OutboxEntry)
        )


def _new(demo: Database, ctx: EditContext, **options: object) -> str:
    with demo.session() as session:
        values: dict[str, object] = {"name": "Renovación", "amount": 1_000_000} | options
        return new_opportunity(
            session, ctx, account_id=_account(session, ctx), today=DEMO_DAY, **values
        )  # type: ignore[arg-type]


def _deal(demo: Database, deal: str) -> dict[str, object]:
    with demo.session() as session:
        record = get_record(session, "opportunity", deal)
    assert record is not None
    return record


@pytest.mark.parametrize(
    ("stage", "probability", "category"),
    [
        ("prospecting", 10, "pipeline"),
        ("proposal", 50, "pipeline"),
        ("negotiation", 75, "best_case"),
        ("closed_won", 100, "closed"),
    ],
)
def test_a_new_deal_gets_its_stages_defaults_and_a_first_history_record(
    demo: Database, ctx: EditContext, stage: str, probability: int, category: str
) -> None:
    before = _counts(demo)
    deal = _new(demo, ctx, stage=stage)
    record = _deal(demo, deal)
    assert (record["probability"], record["forecast_category"]) == (probability, category)
    assert _counts(demo) == (before[0] + 1, before[1] + 1, before[2] + 2)
    with demo.session() as session:
        (first,) = stage_history(session, deal)
    assert (first.from_stage, first.to_stage, first.changed_by_id) == (None, stage, ctx.user_id)
    assert first.changed_at == NOW and first.amount == 1_000_000
    if stage == "closed_won":
        assert record["expected_close_date"] == DEMO_DAY


def test_a_chosen_probability_and_category_survive_a_stage_change(
    demo: Database, ctx: EditContext
) -> None:
    deal = _new(demo, ctx, probability=35)
    with demo.session() as session:
        update_opportunity(session, ctx, deal, {"forecast_category": "commit"}, today=DEMO_DAY)
        change_stage(session, ctx, deal, "negotiation", today=DEMO_DAY)
    record = _deal(demo, deal)
    assert (record["probability"], record["forecast_category"]) == (35, "commit")
    with demo.session() as session:
        change_stage(session, ctx, deal, "closed_won", today=DEMO_DAY)
        assert len(stage_history(session, deal)) == 3
    record = _deal(demo, deal)
    assert (record["probability"], record["forecast_category"]) == (100, "closed")
    with demo.session() as session:  # reopened: back to the stage's defaults
        change_stage(session, ctx, deal, "proposal", today=DEMO_DAY)
    record = _deal(demo, deal)
    assert (record["probability"], record["forecast_category"]) == (50, "pipeline")


def test_closing_lost_needs_a_reason_and_nothing_is_written_without(
    demo: Database, ctx: EditContext
) -> None:
    deal = _new(demo, ctx)
    before = _counts(demo)
    for reason in (None, "", "   "):
        with pytest.raises(ValidationErrors) as refused, demo.session() as session:
            change_stage(session, ctx, deal, "closed_lost", lost_reason=reason, today=DEMO_DAY)
        assert [(e.code, e.field) for e in refused.value.errors] == [
            ("reason_required", "lost_reason")
        ]
        assert _counts(demo) == before
    with demo.session() as session:
        change_stage(session, ctx, deal, "closed_lost", lost_reason="Precio", today=DEMO_DAY)
    record = _deal(demo, deal)
    assert (record["probability"], record["forecast_category"]) == (0, "omitted")
    # the generic edit refuses it too (the shared rule), before anything is queued
    other = _new(demo, ctx)
    before = _counts(demo)
    with pytest.raises(ValidationErrors) as refused, demo.session() as session:
        update_record(session, ctx, "opportunity", other, {"stage": "closed_lost"})
    assert refused.value.errors[0].code == "reason_required"
    assert _counts(demo) == before


def test_only_stage_and_close_date_changes_leave_history(demo: Database, ctx: EditContext) -> None:
    deal = _new(demo, ctx, close_date=DEMO_DAY + dt.timedelta(days=20))
    before = _counts(demo)[1]
    with demo.session() as session:
        update_record(session, ctx, "opportunity", deal, {"amount": 2_000_000, "next_step": "x"})
    assert _counts(demo)[1] == before
    with demo.session() as session:
        update_record(
            session,
            ctx,
            "opportunity",
            deal,
            {"expected_close_date": DEMO_DAY + dt.timedelta(days=50)},
        )
        last = stage_history(session, deal)[-1]
    assert (last.from_stage, last.to_stage, last.slip_days, last.amount) == (
        "prospecting",
        "prospecting",
        30,
        2_000_000,
    )


def test_the_history_cannot_be_edited_or_deleted_here_either(
    demo: Database, ctx: EditContext
) -> None:
    deal = _new(demo, ctx)
    with demo.session() as session:
        change = session.scalars(
            select(OpportunityStageChange.id).where(OpportunityStageChange.opportunity_id == deal)
        ).one()
    before = _counts(demo)
    for call, args in (
        (update_record, ("opportunity_stage_change", change, {"to_stage": "closed_won"})),
        (delete_record, ("opportunity_stage_change", change)),
    ):
        with pytest.raises(ValidationErrors) as refused, demo.session() as session:
            call(session, ctx, *args)  # type: ignore[operator]
        assert refused.value.errors[0].code == "history_read_only"
    assert _counts(demo) == before


def test_age_in_stage_slips_and_cycle_time(demo: Database, ctx: EditContext, clock: Clock) -> None:
    deal = _new(demo, ctx, close_date=DEMO_DAY + dt.timedelta(days=10))
    clock.now = NOW + dt.timedelta(days=5)
    with demo.session() as session:
        change_stage(session, ctx, deal, "proposal", today=DEMO_DAY)
    clock.now = NOW + dt.timedelta(days=9)
    with demo.session() as session:  # pushed out twice, once pulled in
        for days in (30, 20, 45):
            update_opportunity(
                session,
                ctx,
                deal,
                {"expected_close_date": DEMO_DAY + dt.timedelta(days=days)},
                today=DEMO_DAY,
            )
    with demo.session() as session:
        facts = stage_facts_for(session, [deal], now=NOW + dt.timedelta(days=12))[deal]
    assert (facts.age_in_stage_days, facts.slip_count, facts.slipped_days) == (7, 2, 45)
    assert facts.cycle_days is None and facts.slipped
    clock.now = NOW + dt.timedelta(days=40)
    with demo.session() as session:
        change_stage(session, ctx, deal, "closed_won", today=DEMO_DAY + dt.timedelta(days=40))
        facts = stage_facts_for(session, [deal], now=NOW + dt.timedelta(days=41))[deal]
    assert (facts.cycle_days, facts.age_in_stage_days) == (40, 1)


def test_demo_deals_have_facts(demo: Database) -> None:
    with demo.session() as session:
        ids = list(session.scalars(select(Opportunity.id)))
        facts = stage_facts_for(session, ids, now=NOW)
    assert set(facts) == set(ids)
    assert any(f.slipped for f in facts.values())


def test_a_lost_deal_keeps_its_reason_but_an_old_one_without_stays_editable(
    demo: Database, ctx: EditContext
) -> None:
    deal = _new(demo, ctx, stage="closed_lost", lost_reason="Precio")
    with pytest.raises(ValidationErrors) as refused, demo.session() as session:
        update_opportunity(session, ctx, deal, {"lost_reason": " "}, today=DEMO_DAY)
    assert refused.value.errors[0].code == "reason_required"
    with demo.session() as session:  # as an older app could have left it
        session.execute(update(Opportunity).where(Opportunity.id == deal).values(lost_reason=None))
    with demo.session() as session:
        changed = update_opportunity(session, ctx, deal, {"amount": 7}, today=DEMO_DAY)
    assert list(changed) == ["amount"]
