"""Making opportunities and moving them through their stages, offline: the way the UI and
``sfa opportunity`` write them, and what their stage history tells.

Every write goes through :func:`.editing.create_record` / :func:`.editing.update_record`, which
also write the ``opportunity_stage_change`` record of the create and of each change of the stage
or the expected close date in the same transaction (see
:mod:`sfa_desktop.domain.opportunity_stages`). On top of that this module applies the defaults
of a stage (probability and forecast category: see that module), and:

* closing a deal (won or lost) without a close date dates it today;
* closing it lost needs a lost reason (``reason_required``, the shared rule the server applies
  too, checked here even on a profile nobody is signed in to), and a lost deal keeps it (it
  cannot be cleared).

A refused write leaves nothing behind: the caller's transaction rolls back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError, ValidationError, ValidationErrors
from sfa_desktop.domain.opportunity_stages import (
    CLOSED_STAGES,
    StageChange,
    StageFacts,
    stage_defaults,
    stage_facts,
)
from sfa_desktop.store.errors import RecordDeleted, RecordNotFound
from sfa_desktop.store.models.customers import Account
from sfa_desktop.store.models.reference import User
from sfa_desktop.store.models.sales import Opportunity, OpportunityStageChange
from sfa_desktop.store.repositories.records import get_record
from sync_server.protocol.authorities import OPPORTUNITY_STAGE_FLOW
from sync_server.protocol.chunks import chunked

from .editing import EditContext, create_record, update_record

__all__ = [
    "StageHistory",
    "change_stage",
    "load_stage_history",
    "new_opportunity",
    "stage_facts_for",
    "stage_history",
    "update_opportunity",
]


def _check_reason(record: Mapping[str, Any]) -> None:
    """The shared rule's reasons (a lost deal's lost reason), whoever is signed in."""
    for target, reason in OPPORTUNITY_STAGE_FLOW.reasons:
        text = record.get(reason)
        if record.get("stage") == target and (not isinstance(text, str) or not text.strip()):
            raise ValidationErrors([ValidationError("reason_required", field=reason)])


def _closing(values: dict[str, Any], today: dt.date) -> None:
    if values.get("stage") in CLOSED_STAGES and values.get("expected_close_date") is None:
        values["expected_close_date"] = today


def new_opportunity(
    session: Session,
    ctx: EditContext,
    *,
    account_id: str,
    name: str,
    amount: int,
    today: dt.date,
    stage: str = "prospecting",
    currency: str | None = None,
    close_date: dt.date | None = None,
    probability: int | None = None,
    forecast_category: str | None = None,
    lost_reason: str | None = None,
    next_step: str | None = None,
) -> str:
    """Create an opportunity of the current user on ``account_id``; returns its id.

    ``amount`` is in minor units of ``currency`` (the catalog default when None). Raises
    :class:`DomainError` (``no_current_user``, ``unknown_reference``) or
    :class:`ValidationErrors` (``reason_required``, bad values); the caller rolls back.
    """
    if ctx.user_id is None:
        raise DomainError("no_current_user")
    account = session.get(Account, account_id)
    if account is None or account.deleted_at is not None:
        raise DomainError(
            "unknown_reference",
            field="account_id",
            params={"entity": "account", "value": account_id},
        )
    given: dict[str, Any] = {
        "account_id": account_id,
        "owner_id": ctx.user_id,
        "name": name,
        "stage": stage,
        "amount": amount,
        "currency": currency,
        "expected_close_date": close_date,
        "probability": probability,
        "forecast_category": forecast_category,
        "lost_reason": lost_reason,
        "next_step": next_step,
    }
    values = {k: v for k, v in given.items() if v is not None}
    if stage in OPPORTUNITY_STAGE_FLOW.initial:
        values |= stage_defaults(None, stage, values)
    _closing(values, today)
    _check_reason(values)
    return create_record(session, ctx, "opportunity", values)


def _live(session: Session, opportunity_id: str) -> dict[str, Any]:
    current = get_record(session, "opportunity", opportunity_id)
    if current is None:
        raise RecordNotFound("opportunity", opportunity_id)
    if current["deleted_at"] is not None:
        raise RecordDeleted("opportunity", opportunity_id)
    return current


def update_opportunity(
    session: Session,
    ctx: EditContext,
    opportunity_id: str,
    changes: Mapping[str, Any],
    *,
    today: dt.date,
) -> dict[str, tuple[Any, Any]]:
    """Apply ``changes`` with the defaults of a new stage; returns ``{field: (old, new)}``."""
    current = _live(session, opportunity_id)
    values = dict(changes)
    stage = values.get("stage")
    if isinstance(stage, str) and stage != current["stage"]:
        if stage in OPPORTUNITY_STAGE_FLOW.initial:
            values |= stage_defaults(current, stage, values)
        if "expected_close_date" not in values and stage in CLOSED_STAGES:
            values["expected_close_date"] = today
    if "stage" in values or "lost_reason" in values:  # an old lost deal without one stays editable
        _check_reason({**current, **values})
    return update_record(session, ctx, "opportunity", opportunity_id, values)


def change_stage(
    session: Session,
    ctx: EditContext,
    opportunity_id: str,
    stage: str,
    *,
    today: dt.date,
    lost_reason: str | None = None,
    close_date: dt.date | None = None,
) -> dict[str, tuple[Any, Any]]:
    """Move the deal to ``stage`` (a lost reason to close it lost; a close date, optional)."""
    changes: dict[str, Any] = {"stage": stage}
    if lost_reason is not None:
        changes["lost_reason"] = lost_reason
    if close_date is not None:
        changes["expected_close_date"] = close_date
    return update_opportunity(session, ctx, opportunity_id, changes, today=today)


# --- reading the history -------------------------------------------------------------------------


def _change(row: OpportunityStageChange) -> StageChange:
    return StageChange(
        from_stage=row.from_stage,
        to_stage=row.to_stage,
        from_close_date=row.from_close_date,
        to_close_date=row.to_close_date,
        amount=row.amount,
        currency=row.currency,
        changed_by_id=row.changed_by_id,
        changed_at=row.changed_at,
    )


def stage_history(session: Session, opportunity_id: str) -> list[StageChange]:
    """The opportunity's stage changes, oldest first."""
    rows = session.scalars(
        select(OpportunityStageChange)
        .where(
            OpportunityStageChange.opportunity_id == opportunity_id,
            OpportunityStageChange.deleted_at.is_(None),
        )
        .order_by(OpportunityStageChange.changed_at, OpportunityStageChange.id)
    )
    return [_change(row) for row in rows]


def stage_facts_for(
    session: Session, opportunity_ids: Iterable[str], *, now: dt.datetime
) -> dict[str, StageFacts]:
    """Age in stage, slips and cycle time of each live opportunity of ``opportunity_ids``
    (a board's or a list's deals), read in a few queries."""
    facts: dict[str, StageFacts] = {}
    for chunk in chunked(list(dict.fromkeys(opportunity_ids))):
        deals = session.execute(
            select(Opportunity.id, Opportunity.stage, Opportunity.created_at).where(
                Opportunity.id.in_(chunk), Opportunity.deleted_at.is_(None)
            )
        ).all()
        changes: dict[str, list[StageChange]] = {deal.id: [] for deal in deals}
        rows = session.scalars(
            select(OpportunityStageChange).where(
                OpportunityStageChange.opportunity_id.in_(chunk),
                OpportunityStageChange.deleted_at.is_(None),
            )
        )
        for row in rows:
            if row.opportunity_id in changes:
                changes[row.opportunity_id].append(_change(row))
        for deal in deals:
            facts[deal.id] = stage_facts(
                changes[deal.id], stage=deal.stage, created_at=deal.created_at, now=now
            )
    return facts


@dataclass(frozen=True)
class StageHistory:
    """What the opportunity editor shows of a deal's history: its changes (oldest first),
    who made them (user id → name) and what they tell."""

    changes: tuple[StageChange, ...]
    names: dict[str, str]
    facts: StageFacts | None


def load_stage_history(session: Session, opportunity_id: str, *, now: dt.datetime) -> StageHistory:
    """The deal's stage history with the names of whoever changed it, and its facts (None
    for a deal that is gone)."""
    changes = stage_history(session, opportunity_id)
    ids = sorted({change.changed_by_id for change in changes})
    names = {
        row.id: row.name
        for row in session.execute(select(User.id, User.name).where(User.id.in_(ids)))
    }
    facts = stage_facts_for(session, [opportunity_id], now=now).get(opportunity_id)
    return StageHistory(tuple(changes), names, facts)
