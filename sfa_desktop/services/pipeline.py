"""Reading the pipeline by stage, for the CLI and the Pipeline workspace's column headers.

:func:`pipeline_by_stage` gives, per stage (in the catalog's order) and per currency, how many
live deals close in a period, their amount and their weighted amount (amount × probability /
100, the stage's default probability for a deal without one: the forecast rules'
:func:`~sync_server.protocol.forecast_rules.deal_probability`). Every deal in the stage counts,
whatever its forecast category: these are the board's columns, not the forecast (see
:mod:`.forecasts`). One ``GROUP BY`` query; amounts in minor units, weighted exact.
Nothing is converted between currencies (the catalog has no exchange rates).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from sfa_desktop.services.forecasts import deal_probability_sql, in_period
from sfa_desktop.store.models.sales import Opportunity
from sync_server.protocol.catalog import OPPORTUNITY_STAGES
from sync_server.protocol.forecast_rules import Period

__all__ = ["StageTotal", "pipeline_by_stage"]


@dataclass(frozen=True)
class StageTotal:
    """The deals of one stage in one currency: ``amount`` in minor units, ``weighted`` exact."""

    stage: str
    currency: str
    count: int
    amount: int
    weighted: Decimal


def pipeline_by_stage(
    session: Session, period: Period | None, *, owner_id: str | None = None
) -> list[StageTotal]:
    """Per stage and currency, the live deals closing in ``period`` (any date, deals without
    one included, when ``period`` is None); only ``owner_id``'s when given. Stages in the
    catalog's order, currencies alphabetical; stages without deals are left out."""
    conditions: list[ColumnElement[bool]] = (
        in_period(period) if period is not None else [Opportunity.deleted_at.is_(None)]
    )
    if owner_id is not None:
        conditions.append(Opportunity.owner_id == owner_id)
    statement = (
        select(
            Opportunity.stage,
            Opportunity.currency,
            func.count().label("deals"),
            func.coalesce(func.sum(Opportunity.amount), 0).label("amount"),
            func.coalesce(func.sum(Opportunity.amount * deal_probability_sql()), 0).label(
                "weighted_percent"
            ),
        )
        .where(*conditions)
        .group_by(Opportunity.stage, Opportunity.currency)
    )
    order = {stage: index for index, stage in enumerate(OPPORTUNITY_STAGES)}
    totals = [
        StageTotal(
            stage=row.stage,
            currency=row.currency,
            count=int(row.deals),
            amount=int(row.amount),
            weighted=Decimal(int(row.weighted_percent)).scaleb(-2),
        )
        for row in session.execute(statement)
    ]
    return sorted(totals, key=lambda t: (order.get(t.stage, len(order)), t.stage, t.currency))
