"""End to end: a rep moves a deal through its stages offline; after sync the manager has the
deal's stage history, and the server keeps it read-only."""

from __future__ import annotations

import datetime as dt

import pytest

from sfa_desktop.domain.errors import ValidationErrors
from sfa_desktop.services.editing import update_record
from sfa_desktop.services.opportunities import (
    change_stage,
    new_opportunity,
    stage_facts_for,
    stage_history,
)

from .harness import Fleet
from .local_rows import rejected


def test_the_stage_history_reaches_the_manager(fleet: Fleet) -> None:
    ana, boss, account = fleet.shared_account()
    today = fleet.clock.now.date()
    with ana.database.session() as session:
        deal = new_opportunity(
            session,
            ana.ctx,
            account_id=account,
            name="Renovación flota",
            amount=2_500_000,
            close_date=today + dt.timedelta(days=30),
            today=today,
        )
    fleet.clock.advance(seconds=3600)
    with ana.database.session() as session:
        change_stage(
            session,
            ana.ctx,
            deal,
            "proposal",
            close_date=today + dt.timedelta(days=45),
            today=today,
        )
    fleet.clock.advance(seconds=3600)
    with ana.database.session() as session:
        change_stage(session, ana.ctx, deal, "closed_lost", lost_reason="Precio", today=today)
    report = ana.sync()
    assert (report.rejected, ana.pending()) == (0, 0)
    boss.sync()
    assert boss.get("opportunity", deal) is not None
    with boss.database.session() as session:
        history = stage_history(session, deal)
        facts = stage_facts_for(session, [deal], now=fleet.clock.now)[deal]
    assert [(c.from_stage, c.to_stage) for c in history] == [
        (None, "prospecting"),
        ("prospecting", "proposal"),
        ("proposal", "closed_lost"),
    ]
    assert {c.changed_by_id for c in history} == {fleet.team.rep_a.id}
    assert (facts.slip_count, facts.slipped_days, facts.cycle_days) == (1, 15, 0)
    # the manager's app refuses to rewrite it, with the server's code
    change_id = sorted(boss.ids("opportunity_stage_change"))[0]
    with pytest.raises(ValidationErrors) as refused, boss.database.session() as session:
        update_record(session, boss.ctx, "opportunity_stage_change", change_id, {"amount": 1})
    assert refused.value.errors[0].code == "history_read_only"
    assert boss.pending() == 0


def test_a_move_that_loses_to_a_later_one_leaves_no_history(fleet: Fleet) -> None:
    """The manager moved the deal after the rep did (offline): the rep's stage loses, and the
    history of a move that did not stick is refused and taken back on the rep's laptop."""
    ana, boss, account = fleet.shared_account()
    today = fleet.clock.now.date()
    with ana.database.session() as session:
        deal = new_opportunity(
            session, ana.ctx, account_id=account, name="Flota", amount=100_000, today=today
        )
    ana.sync()
    boss.sync()
    with ana.database.session() as session:
        change_stage(session, ana.ctx, deal, "proposal", today=today)
    fleet.clock.advance(seconds=60)
    with boss.database.session() as session:
        change_stage(session, boss.ctx, deal, "negotiation", today=today)
    boss.sync()
    report = ana.sync()
    # the stage and the probability that came with it lose; the history is refused
    assert (report.conflicts, report.rejected) == (2, 1)
    assert rejected(ana)[0][3] == "history_mismatch"
    ana.sync()
    boss.sync()
    for profile in (ana, boss):
        row = profile.get("opportunity", deal)
        assert row is not None and row["stage"] == "negotiation"
        with profile.database.session() as session:
            moves = [(c.from_stage, c.to_stage) for c in stage_history(session, deal)]
        assert moves == [(None, "prospecting"), ("prospecting", "negotiation")]
