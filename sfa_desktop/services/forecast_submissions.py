"""Forecast submissions, managers' adjustments and quotas as the local store holds them, for
:mod:`.forecasts` (which re-exports the public names): each person's submissions of a period with
the adjustments standing on them (the rules' layering, :func:`.forecast_rules.standing_adjustments`),
the latest per person, and the quotas by owner and currency."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased

from sfa_desktop.store.models.reference import Quota, User
from sfa_desktop.store.models.sales import ForecastAdjustment, ForecastSubmission
from sync_server.protocol.forecast_rules import (
    Adjustment,
    AdjustmentKind,
    AdjustmentScope,
    Call,
    Period,
    kind_of,
    standing_adjustments,
)


@dataclass(frozen=True)
class AdjustmentRow:
    """A manager's adjustment of a call (``scope`` ``rep``: ``owner_id``'s own call; ``team``:
    the call of the team ``owner_id`` manages); ``amount`` in minor units, added to the call."""

    id: str
    owner_id: str
    period: str
    scope: str
    currency: str
    amount: int
    note: str | None
    adjusted_by_id: str
    adjusted_by_name: str | None
    adjusted_at: dt.datetime
    #: ``direct`` (by the owner's own manager) or ``indirect`` (someone higher up)
    kind: AdjustmentKind | None

    @property
    def rule(self) -> Adjustment:
        scope: AdjustmentScope = "team" if self.scope == "team" else "rep"
        return Adjustment(
            self.owner_id,
            self.currency,
            self.amount,
            self.adjusted_by_id,
            self.adjusted_at,
            scope,
            self.id,
        )


@dataclass(frozen=True)
class SubmissionRow:
    """One forecast submission (a dated snapshot); amounts in minor units of ``currency``.

    The ``manager_*`` fields sum up the managers' adjustments standing for this submission
    (the rules' layering: each manager's latest, made before the next submission): the total,
    and the latest adjustment's manager, note and time; ``adjustments`` lists them."""

    id: str
    owner_id: str
    period: str
    currency: str
    commit: int
    best_case: int
    pipeline: int
    closed: int
    rep_adjustment: int | None
    rep_note: str | None
    submitted_at: dt.datetime
    manager_id: str | None
    manager_name: str | None
    manager_adjustment: int | None
    manager_note: str | None
    manager_adjusted_at: dt.datetime | None
    #: ``direct`` (the owner's own manager adjusted it), ``indirect`` (someone higher), None
    adjustment_kind: AdjustmentKind | None
    #: the standing adjustments, oldest first (each manager's latest)
    adjustments: tuple[AdjustmentRow, ...] = ()

    @property
    def call(self) -> Call:
        return Call(
            self.currency,
            self.commit,
            self.rep_adjustment,
            self.manager_adjustment,
            self.manager_id,
        )


_SUBMISSION_COLUMNS = (
    "id",
    "owner_id",
    "period",
    "currency",
    "commit_amount",
    "best_case_amount",
    "pipeline_amount",
    "closed_amount",
    "rep_adjustment",
    "rep_note",
    "submitted_at",
    "manager_id",
    "manager_adjustment",
    "manager_note",
    "manager_adjusted_at",
)
_adjuster = aliased(User)
_owner = aliased(User)


def adjustment_history(
    session: Session,
    period: Period | Iterable[str],
    *,
    owner_id: str | None = None,
    scope: str | None = None,
) -> list[AdjustmentRow]:
    """Every manager adjustment for ``period`` (or periods), oldest first (ties: id); only
    ``owner_id``'s and ``scope``'s when given. Nothing is ever overwritten: this is the
    history; the rules decide which ones stand."""
    periods = [str(period)] if isinstance(period, Period) else sorted(set(period))
    statement = (
        select(
            ForecastAdjustment,
            _owner.manager_id.label("owners_manager"),
            _adjuster.name.label("adjuster"),
        )
        .join(_owner, _owner.id == ForecastAdjustment.owner_id, isouter=True)
        .join(_adjuster, _adjuster.id == ForecastAdjustment.adjusted_by_id, isouter=True)
        .where(ForecastAdjustment.deleted_at.is_(None), ForecastAdjustment.period.in_(periods))
        .order_by(ForecastAdjustment.adjusted_at, ForecastAdjustment.id)
    )
    if owner_id is not None:
        statement = statement.where(ForecastAdjustment.owner_id == owner_id)
    if scope is not None:
        statement = statement.where(ForecastAdjustment.scope == scope)
    return [
        AdjustmentRow(
            id=found.id,
            owner_id=found.owner_id,
            period=found.period,
            scope=found.scope,
            currency=found.currency,
            amount=found.amount,
            note=found.note,
            adjusted_by_id=found.adjusted_by_id,
            adjusted_by_name=adjuster,
            adjusted_at=found.adjusted_at,
            kind=kind_of(found.adjusted_by_id, owners_manager),
        )
        for found, owners_manager, adjuster in session.execute(statement)
    ]


def _legacy_adjustment(found: Any) -> AdjustmentRow | None:
    """The manager fields written on a submission itself, read as one more adjustment."""
    if found.manager_adjustment is None or found.manager_id is None:
        return None
    return AdjustmentRow(
        id=found.id,
        owner_id=found.owner_id,
        period=found.period,
        scope="rep",
        currency=found.currency,
        amount=found.manager_adjustment,
        note=found.manager_note,
        adjusted_by_id=found.manager_id,
        adjusted_by_name=found.adjuster,
        adjusted_at=found.manager_adjusted_at or found.submitted_at,
        kind=kind_of(found.manager_id, found.owners_manager),
    )


def _standing(
    candidates: Sequence[AdjustmentRow], before: dt.datetime | None
) -> tuple[AdjustmentRow, ...]:
    by_id = {row.id: row for row in candidates}
    return tuple(
        by_id[a.id] for a in standing_adjustments((r.rule for r in candidates), before=before)
    )


def _layer(found: Any, standing: tuple[AdjustmentRow, ...]) -> dict[str, Any]:
    """The ``manager_*`` fields of a submission row with ``standing`` adjustments."""
    if not standing:
        return {
            "manager_id": None,
            "manager_name": None,
            "manager_adjustment": None,
            "manager_note": None,
            "manager_adjusted_at": None,
            "adjustment_kind": None,
            "adjustments": (),
        }
    last = standing[-1]
    return {
        "manager_id": last.adjusted_by_id,
        "manager_name": last.adjusted_by_name,
        "manager_adjustment": sum(a.amount for a in standing),
        "manager_note": last.note,
        "manager_adjusted_at": last.adjusted_at,
        "adjustment_kind": kind_of(last.adjusted_by_id, found.owners_manager),
        "adjustments": standing,
    }


def _submission_row(found: Any, standing: tuple[AdjustmentRow, ...]) -> SubmissionRow:
    return SubmissionRow(
        id=found.id,
        owner_id=found.owner_id,
        period=found.period,
        currency=found.currency,
        commit=found.commit_amount,
        best_case=found.best_case_amount,
        pipeline=found.pipeline_amount,
        closed=found.closed_amount,
        rep_adjustment=found.rep_adjustment,
        rep_note=found.rep_note,
        submitted_at=found.submitted_at,
        **_layer(found, standing),
    )


def latest_submission_ids(period: Period) -> Select[Any]:
    """The ids of the latest live submission of each owner and currency for ``period``."""
    rank = (
        func.row_number()
        .over(
            partition_by=(ForecastSubmission.owner_id, ForecastSubmission.currency),
            order_by=(ForecastSubmission.submitted_at.desc(), ForecastSubmission.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(ForecastSubmission.id, rank)
        .where(ForecastSubmission.deleted_at.is_(None), ForecastSubmission.period == str(period))
        .subquery()
    )
    return select(ranked.c.id).where(ranked.c.rank == 1)


def period_submissions(
    session: Session,
    conditions: Sequence[ColumnElement[bool]],
    history: Sequence[AdjustmentRow] | None = None,
) -> list[SubmissionRow]:
    """Live submissions matching ``conditions``, oldest first (ties: id), each with the
    manager adjustments standing for it (each manager's latest made before the owner's next
    submission for the period and currency; all of them for the latest submission)."""
    columns = [getattr(ForecastSubmission, name) for name in _SUBMISSION_COLUMNS]
    statement = (
        select(
            *columns, _owner.manager_id.label("owners_manager"), _adjuster.name.label("adjuster")
        )
        .join(_owner, _owner.id == ForecastSubmission.owner_id, isouter=True)
        .join(_adjuster, _adjuster.id == ForecastSubmission.manager_id, isouter=True)
        .where(ForecastSubmission.deleted_at.is_(None), *conditions)
        .order_by(ForecastSubmission.submitted_at, ForecastSubmission.id)
    )
    found_rows = list(session.execute(statement))
    adjustments: dict[tuple[str, str, str], list[AdjustmentRow]] = {}
    periods = {found.period for found in found_rows}
    if history is None:
        history = adjustment_history(session, periods) if periods else []
    for row in history:
        if row.scope != "rep":
            continue
        adjustments.setdefault((row.owner_id, row.period, row.currency), []).append(row)
    following: dict[tuple[str, str, str], dt.datetime] = {}
    rows: list[SubmissionRow] = []
    for found in reversed(found_rows):
        key = (found.owner_id, found.period, found.currency)
        legacy = _legacy_adjustment(found)
        candidates = [*adjustments.get(key, ()), *((legacy,) if legacy else ())]
        rows.append(_submission_row(found, _standing(candidates, following.get(key))))
        following[key] = found.submitted_at
    rows.reverse()
    return rows


def submission_history(session: Session, owner_id: str, period: Period) -> list[SubmissionRow]:
    """``owner_id``'s submissions for ``period``, oldest first (every currency)."""
    return period_submissions(
        session,
        [ForecastSubmission.owner_id == owner_id, ForecastSubmission.period == str(period)],
    )


def latest_submissions(rows: Iterable[SubmissionRow]) -> dict[str, dict[str, SubmissionRow]]:
    """Owner → currency → their latest submission (``rows`` oldest first)."""
    latest: dict[str, dict[str, SubmissionRow]] = {}
    for row in rows:
        latest.setdefault(row.owner_id, {})[row.currency] = row
    return latest


def quotas_by_owner(session: Session, period: Period) -> dict[str, dict[str, dict[str, int]]]:
    """Scope (``personal``: a user's own; ``team``: their team's, set explicitly) → user →
    currency → their quota for exactly ``period`` (the latest record wins)."""
    statement = (
        select(Quota.scope, Quota.user_id, Quota.currency, Quota.amount)
        .where(Quota.deleted_at.is_(None), Quota.period == str(period))
        .order_by(Quota.updated_at, Quota.id)
    )
    quotas: dict[str, dict[str, dict[str, int]]] = {"personal": {}, "team": {}}
    for scope, user_id, currency, amount in session.execute(statement):
        quotas.setdefault(scope, {}).setdefault(user_id, {})[currency] = amount
    return quotas
