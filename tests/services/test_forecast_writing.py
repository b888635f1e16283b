"""Writing forecasts on a real SQLite profile (issue 11): a rep's submission is a dated snapshot
of the live figures, a manager's adjustments are kept as history and layered, and every
refusal leaves nothing behind."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from sfa_desktop.domain.errors import DomainError, ValidationErrors
from sfa_desktop.services.editing import (
    EditContext,
    delete_record,
    load_edit_context,
    update_record,
)
from sfa_desktop.services.forecast_writing import adjust_forecast, submit_forecast
from sfa_desktop.services.forecasts import (
    adjustment_history,
    my_forecast,
    submission_history,
    team_review,
)
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.meta import MetaKey, set_meta
from sfa_desktop.store.models.sales import ForecastAdjustment, ForecastSubmission, Opportunity
from sfa_desktop.store.models.sync_state import OutboxEntry
from sfa_desktop.store.repositories.records import bulk_insert
from sync_server.protocol.forecast_rules import parse_period

DAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)
Q4 = parse_period("2026-Q4")

TEAM = {  # user: (name, role, manager)
    "vp": ("Vera Pons", "manager", None),
    "m1": ("Marta Uno", "manager", "vp"),
    "m2": ("Mario Dos", "manager", "vp"),
    "r1": ("Rosa Uno", "rep", "m1"),
    "r2": ("Raúl Dos", "rep", "m1"),
    "r3": ("Rita Tres", "rep", "m2"),
    "boss": ("Otra Jefa", "admin", None),
}


def _id(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def _user(key: str) -> dict[str, Any]:
    name, role, manager = TEAM[key]
    return {
        "id": _id(key),
        "name": name,
        "email": f"{key}@example.es",
        "role": role,
        "manager_id": _id(manager) if manager else None,
        "rep_code": key.upper(),
        "active": True,
    }


def _deal(owner: str, stage: str, category: str, amount: int, **more: Any) -> dict[str, Any]:
    return {
        "account_id": _id("account"),
        "owner_id": _id(owner),
        "name": f"{owner} {stage} {amount}",
        "stage": stage,
        "amount": amount,
        "currency": "EUR",
        "forecast_category": category,
        "expected_close_date": dt.date(2026, 11, 10),
        **more,
    }


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def team(tmp_path: Path) -> Iterator[Database]:
    with open_database(tmp_path / "sfa.sqlite3") as database:
        with database.session() as session:
            bulk_insert(session, "user", [_user(k) for k in TEAM], now=NOW)
            account = {"id": _id("account"), "name": "Cliente", "owner_id": _id("r1")}
            bulk_insert(session, "account", [account], now=NOW)
            deals = [
                _deal("r1", "closed_won", "closed", 1_000_000),
                _deal("r1", "negotiation", "commit", 500_000),
                _deal("r1", "proposal", "best_case", 300_000),
                _deal("r1", "qualification", "pipeline", 200_000),
                _deal("r1", "prospecting", "omitted", 999_999),
                _deal("r1", "closed_lost", "omitted", 888_888, lost_reason="precio"),
                _deal("r2", "closed_won", "closed", 100_000, currency="USD"),
                _deal("r2", "negotiation", "commit", 400_000),
                _deal("r3", "closed_won", "closed", 700_000),
            ]
            bulk_insert(session, "opportunity", deals, now=NOW)
            quotas = [
                {"user_id": _id("r1"), "period": "2026-Q4", "amount": 2_000_000, "currency": "EUR"},
                {"user_id": _id("r2"), "period": "2026-Q4", "amount": 1_000_000, "currency": "EUR"},
                {
                    "user_id": _id("m1"),
                    "period": "2026-Q4",
                    "amount": 5_000_000,
                    "currency": "EUR",
                    "scope": "team",
                },
            ]
            bulk_insert(session, "quota", quotas, now=NOW)
            set_meta(session, MetaKey.USER_ID, _id("r1"))
        yield database


@pytest.fixture
def clock() -> Clock:
    return Clock()


def _as(team: Database, clock: Clock, key: str) -> EditContext:
    with team.session() as session:
        ctx = load_edit_context(session, now=clock)
    return dataclasses.replace(ctx, user_id=_id(key))


def _counts(team: Database) -> tuple[int, int, int]:
    with team.session() as session:
        return tuple(  # type: ignore[return-value]
            int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (ForecastSubmission, ForecastAdjustment, OutboxEntry)
        )


def _submit(team: Database, ctx: EditContext, **options: Any) -> str:
    values: dict[str, Any] = {"period": "2026-Q4", "adjustment": None, "note": None} | options
    with team.session() as session:
        return submit_forecast(session, ctx, now=ctx.now(), **values)


def _adjust(team: Database, ctx: EditContext, **options: Any) -> str:
    values: dict[str, Any] = {"period": "2026-Q4", "note": "según la reunión"} | options
    with team.session() as session:
        return adjust_forecast(session, ctx, now=ctx.now(), **values)


# --- submitting ----------------------------------------------------------------------------------


def test_a_submission_is_a_snapshot_of_the_live_figures(team: Database, clock: Clock) -> None:
    rosa = _as(team, clock, "r1")
    submitted = _submit(team, rosa, adjustment=Decimal("2500.50"), note="  el pedido de Repsol ")
    with team.session() as session:
        (row,) = submission_history(session, _id("r1"), Q4)
        mine = my_forecast(session, Q4, DAY)
        queued = session.scalars(select(OutboxEntry.entity)).all()
    assert row.id == submitted and row.submitted_at == NOW
    # closed 10,000; commit = closed + open commit; best case = commit + open best case;
    # pipeline = the open deals not omitted
    assert (row.closed, row.commit, row.best_case, row.pipeline) == (
        1_000_000,
        1_500_000,
        1_800_000,
        1_000_000,
    )
    assert (row.rep_adjustment, row.rep_note) == (250_050, "el pedido de Repsol")
    assert row.manager_adjustment is None and row.call.final_call == 1_750_050
    assert mine is not None and mine.own[0].call == 1_750_050
    assert queued == ["forecast_submission"]
    # the deals move on: the snapshot does not
    clock.now = NOW + dt.timedelta(days=7)
    with team.session() as session:
        session.execute(
            update(Opportunity)
            .where(Opportunity.amount == 500_000)
            .values(stage="closed_won", forecast_category="closed")
        )
    _submit(team, rosa)
    with team.session() as session:
        history = submission_history(session, _id("r1"), Q4)
    assert [h.rep_adjustment for h in history] == [250_050, None]
    assert [(h.closed, h.commit) for h in history] == [
        (1_000_000, 1_500_000),
        (1_500_000, 1_500_000),
    ]


def test_one_snapshot_per_currency_the_adjustment_on_the_quota_currency(
    team: Database, clock: Clock
) -> None:
    raul = _as(team, clock, "r2")
    main = _submit(team, raul, adjustment=Decimal("-1000"), note="prudente")
    with team.session() as session:
        rows = submission_history(session, _id("r2"), Q4)
    assert [(r.currency, r.closed, r.commit) for r in rows] == [
        ("EUR", 0, 400_000),
        ("USD", 100_000, 100_000),
    ]
    (eur,) = [r for r in rows if r.id == main]
    assert eur.currency == "EUR" and eur.rep_adjustment == -100_000
    assert all(r.rep_adjustment is None for r in rows if r.id != main)


def test_someone_without_deals_submits_zero_in_euros(team: Database, clock: Clock) -> None:
    _submit(team, _as(team, clock, "m2"), period="2026-12")
    with team.session() as session:
        (row,) = submission_history(session, _id("m2"), parse_period("2026-12"))
    assert (row.currency, row.commit, row.best_case) == ("EUR", 0, 0)


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"adjustment": Decimal(100), "note": "  "}, "required"),
        ({"adjustment": Decimal("1.005"), "note": "x"}, "too_many_decimals"),
        ({"adjustment": Decimal("NaN"), "note": "x"}, "invalid_money"),
        ({"note": "x" * 2001}, "too_long"),
    ],
)
def test_a_bad_submission_writes_nothing(
    team: Database, clock: Clock, options: dict[str, Any], code: str
) -> None:
    with pytest.raises(ValidationErrors) as raised:
        _submit(team, _as(team, clock, "r1"), **options)
    assert [e.code for e in raised.value.errors] == [code]
    assert _counts(team) == (0, 0, 0)


def test_a_bad_period_or_nobody_signed_in(team: Database, clock: Clock) -> None:
    with pytest.raises(DomainError) as raised:
        _submit(team, _as(team, clock, "r1"), period="2026-13")
    assert raised.value.code == "invalid_period"
    nobody = dataclasses.replace(_as(team, clock, "r1"), user_id=None)
    with pytest.raises(DomainError) as raised:
        _submit(team, nobody)
    assert raised.value.code == "no_current_user"
    assert _counts(team) == (0, 0, 0)


def test_a_submission_is_never_changed_or_deleted(team: Database, clock: Clock) -> None:
    rosa = _as(team, clock, "r1")
    submitted = _submit(team, rosa)
    before = _counts(team)
    with team.session() as session, pytest.raises(ValidationErrors) as raised:
        update_record(session, rosa, "forecast_submission", submitted, {"commit_amount": 1})
    assert raised.value.errors[0].code == "snapshot_frozen"
    with team.session() as session, pytest.raises(ValidationErrors) as raised:
        delete_record(session, rosa, "forecast_submission", submitted)
    assert raised.value.errors[0].code == "snapshot_frozen"
    assert _counts(team) == before


# --- adjusting -----------------------------------------------------------------------------------


def test_adjustments_are_kept_and_layered_per_manager(team: Database, clock: Clock) -> None:
    _submit(team, _as(team, clock, "r1"))  # commit 15,000
    clock.now = NOW + dt.timedelta(hours=1)
    _adjust(team, _as(team, clock, "m1"), rep_id="r1@example.es", amount=Decimal(1000))
    clock.now = NOW + dt.timedelta(hours=2)
    _adjust(team, _as(team, clock, "vp"), rep_id=_id("r1"), amount=Decimal(-300), note="riesgo")
    clock.now = NOW + dt.timedelta(hours=3)
    _adjust(team, _as(team, clock, "m1"), rep_id="R1@example.es", amount=Decimal(2000))
    with team.session() as session:
        history = adjustment_history(session, Q4, owner_id=_id("r1"))
        (latest,) = submission_history(session, _id("r1"), Q4)
        set_meta(session, MetaKey.USER_ID, _id("vp"))
        review = {row.name: row for row in team_review(session, Q4, DAY).rows}
    # the history: every adjustment, none overwritten
    assert [(h.amount, h.kind, h.note) for h in history] == [
        (100_000, "direct", "según la reunión"),
        (-30_000, "indirect", "riesgo"),
        (200_000, "direct", "según la reunión"),
    ]
    # standing: Marta's latest (+2,000) and Vera's (−300)
    assert [a.amount for a in latest.adjustments] == [-30_000, 200_000]
    assert latest.manager_adjustment == 170_000 and latest.manager_id == _id("m1")
    assert latest.adjustment_kind == "direct" and latest.call.final_call == 1_670_000
    assert review["Rosa Uno"].own[0].call == 1_670_000
    assert review["Marta Uno"].team[0].call == 1_670_000


def test_a_new_submission_keeps_the_adjustments_made_since(team: Database, clock: Clock) -> None:
    rosa = _as(team, clock, "r1")
    _submit(team, rosa)
    clock.now = NOW + dt.timedelta(days=1)
    _adjust(team, _as(team, clock, "m1"), rep_id=_id("r1"), amount=Decimal(500))
    clock.now = NOW + dt.timedelta(days=7)
    _submit(team, rosa)
    clock.now = NOW + dt.timedelta(days=8)
    _adjust(team, _as(team, clock, "m1"), rep_id=_id("r1"), amount=Decimal(-100))
    with team.session() as session:
        first, second = submission_history(session, _id("r1"), Q4)
    # the first submission's call had Marta's +500 (made before the next submission);
    # the latest has her latest adjustment (−100), which replaced it
    assert first.manager_adjustment == 50_000
    assert second.manager_adjustment == -10_000


def test_team_adjustments_and_an_explicit_team_quota(team: Database, clock: Clock) -> None:
    _submit(team, _as(team, clock, "r1"))
    _submit(team, _as(team, clock, "r2"))
    clock.now = NOW + dt.timedelta(hours=1)
    _adjust(team, _as(team, clock, "vp"), team_of="m1@example.es", amount=Decimal(-5000))
    with team.session() as session:
        set_meta(session, MetaKey.USER_ID, _id("vp"))
        rows = {row.name: row for row in team_review(session, Q4, DAY).rows}
        (team_adjustment,) = adjustment_history(session, Q4, scope="team")
    marta = next(line for line in rows["Marta Uno"].team if line.currency == "EUR")
    # 15,000 + 4,000 − 5,000: the team adjustment sits on Marta's team call only
    assert marta.call == 1_400_000
    assert rows["Rosa Uno"].own[0].call == 1_500_000
    # Marta's team quota is set explicitly (50,000), not the sum of her reps' (30,000)
    assert marta.quota == 5_000_000
    vera = next(line for line in rows["Vera Pons"].team if line.currency == "EUR")
    assert vera.quota == 5_000_000 and vera.call == 1_400_000
    assert (team_adjustment.scope, team_adjustment.kind) == ("team", "direct")


@pytest.mark.parametrize(
    ("who", "options", "code"),
    [
        ("r2", {"rep_id": "r1@example.es"}, "manager_only"),  # a rep
        ("r1", {"rep_id": "r1@example.es"}, "manager_only"),  # oneself
        ("m2", {"rep_id": "r1@example.es"}, "manager_only"),  # a peer manager
        ("m1", {"team_of": "m1@example.es"}, "manager_only"),  # one's own team
        ("vp", {"team_of": "r1@example.es"}, "no_team"),
        ("vp", {"rep_id": "r3@example.es"}, "no_submission"),
        ("vp", {"rep_id": "nadie@example.es"}, "unknown_user"),
        ("vp", {"rep_id": "r1@example.es", "team_of": "m1@example.es"}, "rep_or_team"),
        ("vp", {}, "rep_or_team"),
        ("vp", {"rep_id": "r1@example.es", "note": " "}, "required"),
        ("vp", {"rep_id": "r1@example.es", "amount": Decimal("0.001")}, "too_many_decimals"),
    ],
)
def test_who_may_adjust(
    team: Database, clock: Clock, who: str, options: dict[str, Any], code: str
) -> None:
    _submit(team, _as(team, clock, "r1"))
    before = _counts(team)
    with pytest.raises((DomainError, ValidationErrors)) as raised:
        _adjust(team, _as(team, clock, who), **({"amount": Decimal(100)} | options))
    error = raised.value
    codes = [e.code for e in error.errors] if isinstance(error, ValidationErrors) else [error.code]
    assert codes == [code]
    assert _counts(team) == before


def test_an_admin_adjusts_anyone_and_an_adjustment_is_never_changed(
    team: Database, clock: Clock
) -> None:
    _submit(team, _as(team, clock, "r3"))
    boss = _as(team, clock, "boss")
    made = _adjust(team, boss, rep_id="r3@example.es", amount=Decimal(10))
    before = _counts(team)
    with team.session() as session, pytest.raises(ValidationErrors) as raised:
        update_record(session, boss, "forecast_adjustment", made, {"amount": 1})
    assert raised.value.errors[0].code == "history_read_only"
    with team.session() as session, pytest.raises(ValidationErrors) as raised:
        delete_record(session, boss, "forecast_adjustment", made)
    assert raised.value.errors[0].code == "history_read_only"
    assert _counts(team) == before
    with team.session() as session:
        (row,) = adjustment_history(session, Q4)
    assert (row.adjusted_by_name, row.kind) == ("Otra Jefa", "indirect")
