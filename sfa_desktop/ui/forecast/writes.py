"""What the Forecast workspace stores, run on the database thread through the forecast writing
service: the rep's submission and a manager's adjustment (amounts in major units)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.forecast_writing import adjust_forecast, submit_forecast
from sfa_desktop.ui.forecast.adjust_dialog import AdjustRequest
from sfa_desktop.ui.forecast.my_panel import Adjustment
from sync_server.protocol.forecast_rules import Period


def store_submission(
    session: Any, period: Period, typed: Adjustment, now: Callable[[], dt.datetime]
) -> str:
    """Submit the current user's forecast for ``period`` as it is now."""
    context = load_edit_context(session, now=now)
    return submit_forecast(
        session,
        context,
        period=str(period),
        adjustment=typed.money.amount if typed.money is not None else None,
        note=typed.note,
        now=now(),
    )


def store_adjustment(
    session: Any, request: AdjustRequest, period: Period, now: Callable[[], dt.datetime]
) -> str:
    """A manager's adjustment of a rep's call or of a team's."""
    context = load_edit_context(session, now=now)
    target = (
        {"rep_id": request.user_id} if request.target == "rep" else {"team_of": request.user_id}
    )
    return adjust_forecast(
        session,
        context,
        **target,
        period=str(period),
        amount=request.amount,
        note=request.note,
        now=now(),
        currency=request.currency,
    )
