"""End to end (issue 11): a rep submits a forecast offline; after sync the manager sees it in
the team review against the team quota set on the server, adjusts it with a note, and after
the next sync the rep sees the adjusted call. Refusals give the server's code on the client."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from server.helpers import Team

from sfa_desktop.domain.errors import DomainError, ValidationErrors
from sfa_desktop.services.forecast_writing import adjust_forecast, submit_forecast
from sfa_desktop.services.forecasts import adjustment_history, my_forecast, team_review
from sfa_desktop.services.opportunities import new_opportunity
from sync_server.api.deps import ServerState
from sync_server.protocol.forecast_rules import Period
from sync_server.services.quotas import set_quota

from .harness import Fleet


def _period(day: dt.date) -> Period:
    return Period.of(day, "quarter")


def test_submit_offline_review_adjust_and_back(
    fleet: Fleet, state: ServerState, team: Team
) -> None:
    ana, boss, account = fleet.shared_account()
    today = fleet.clock.now.date()
    period = _period(today)
    set_quota(
        state.database,
        context=state.sync,
        email=team.rep_a.email,
        period=str(period),
        amount="40000",
    )
    set_quota(
        state.database,
        context=state.sync,
        email=team.manager.email,
        period=str(period),
        amount="90000",
        team=True,
    )
    with ana.database.session() as session:
        new_opportunity(
            session,
            ana.ctx,
            account_id=account,
            name="Flota",
            amount=3_000_000,
            stage="closed_won",
            close_date=today,
            today=today,
        )
        new_opportunity(
            session,
            ana.ctx,
            account_id=account,
            name="Taller",
            amount=1_000_000,
            stage="negotiation",
            forecast_category="commit",
            close_date=today,
            today=today,
        )
    # offline: the submission waits in the outbox
    with ana.database.session() as session:
        submit_forecast(
            session,
            ana.ctx,
            period=str(period),
            adjustment=Decimal(2000),
            note="Repsol firma",
            now=ana.now(),
        )
    assert ana.sync().rejected == 0 and ana.pending() == 0
    boss.sync()
    with boss.database.session() as session:
        rows = {r.user_id: r for r in team_review(session, period, today).rows}
    mario, rep = rows[team.manager.id], rows[team.rep_a.id]
    assert rep.own[0].call == 4_200_000 and rep.own[0].quota == 4_000_000
    assert mario.team[0].quota == 9_000_000  # the team quota set explicitly
    assert mario.team[0].figures.closed == 3_000_000
    fleet.clock.advance(seconds=3600)
    with boss.database.session() as session:
        adjust_forecast(
            session,
            boss.ctx,
            rep_id=team.rep_a.email,
            period=str(period),
            amount=Decimal(-5000),
            note="Taller se va a enero",
            now=boss.now(),
        )
    assert boss.sync().rejected == 0
    ana.sync()
    with ana.database.session() as session:
        mine = my_forecast(session, period, today)
        (seen,) = adjustment_history(session, period)
    assert mine is not None and mine.own[0].call == 3_700_000
    (latest,) = mine.latest
    assert (latest.manager_name, latest.manager_note, latest.adjustment_kind) == (
        "Mario Manager",
        "Taller se va a enero",
        "direct",
    )
    assert seen.amount == -500_000
    # the rep's app refuses an adjustment of her own forecast, with the server's code
    with pytest.raises(ValidationErrors) as refused, ana.database.session() as session:
        adjust_forecast(
            session,
            ana.ctx,
            rep_id=team.rep_a.email,
            period=str(period),
            amount=Decimal(1),
            note="yo",
            now=ana.now(),
        )
    assert refused.value.errors[0].code == "manager_only"
    assert ana.pending() == 0


def test_a_peer_manager_cannot_adjust(fleet: Fleet, team: Team) -> None:
    ana, _boss, _account = fleet.shared_account()
    carmen = fleet.profile("carmen", team.manager_c)
    period = _period(fleet.clock.now.date())
    with ana.database.session() as session:
        submit_forecast(
            session, ana.ctx, period=str(period), adjustment=None, note=None, now=ana.now()
        )
    ana.sync()
    carmen.sync()
    # Ana is not in Carmen's team: her profile does not even have Ana's forecast
    with pytest.raises((DomainError, ValidationErrors)), carmen.database.session() as session:
        adjust_forecast(
            session,
            carmen.ctx,
            rep_id=team.rep_a.id,
            period=str(period),
            amount=Decimal(1),
            note="no",
            now=carmen.now(),
        )
    assert carmen.pending() == 0
