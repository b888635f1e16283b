"""What the Forecast workspace stores, run on the database thread: the rep's submission (one
dated snapshot per currency of their figures) and a manager's adjustment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sfa_desktop.services.editing import create_record, load_edit_context
from sfa_desktop.services.forecasts import my_forecast
from sfa_desktop.ui.forecast.my_panel import Adjustment
from sync_server.protocol.forecast_rules import Period


def store_submission(
    session: Any, period: Period, typed: Adjustment, now: Callable[[], dt.datetime]
) -> list[str]:
    """Submit the current user's forecast for ``period`` as it is now; the new ids."""
    context = load_edit_context(session, now=now)
    at = now()
    mine = my_forecast(session, period, at.date())
    if mine is None:
        return []
    stored = []
    for line in mine.own:
        mine_too = line.currency == typed.currency
        values = {
            "period": str(period),
            "currency": line.currency,
            "commit_amount": line.figures.commit,
            "best_case_amount": line.figures.best_case,
            "pipeline_amount": line.figures.pipeline,
            "closed_amount": line.figures.closed,
            "rep_adjustment": typed.amount if mine_too else None,
            "rep_note": typed.note if mine_too else None,
            "submitted_at": at,
        }
        stored.append(create_record(session, context, "forecast_submission", values))
    return stored
