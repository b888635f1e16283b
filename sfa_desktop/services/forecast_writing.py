"""Writing forecasts, offline: a rep's submission and a manager's adjustment.

Both go through :func:`.editing.create_record`, so the shared write rules
(:mod:`sync_server.protocol.authority`) are checked here with the same codes the server gives,
and the records reach the server with the next sync:

* :func:`submit_forecast` stores an immutable dated snapshot (``forecast_submission``) of the
  current user's live figures for a period — closed, commit, best case and pipeline, computed
  by the shared rules (:mod:`sync_server.protocol.forecast_rules`) — one record per currency
  the user has deals or a quota in, with the rep's adjustment and note on one of them (the
  *forecast currency*: the quota's, else the one with the largest best case, else EUR). A
  snapshot is never changed or deleted (``snapshot_frozen``): submitting again adds a newer
  one, and the latest is the call;
* :func:`adjust_forecast` records a manager's adjustment (``forecast_adjustment``) of a rep's
  call or of a whole team's call, with a note: a record of its own each time, never
  overwritten (``history_read_only``), so the history is kept; only a manager above the rep
  (or above the team's manager), or an admin, makes one (``manager_only``). The rules layer
  them: each manager's latest adjustment counts, direct (the rep's own manager) or indirect.

Amounts are given in major units (``Decimal("1250.50")``) and stored in minor units of their
currency; more decimals than the currency has are refused (``too_many_decimals``). On any
refusal nothing is written (the caller's transaction rolls back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError, ValidationError, ValidationErrors
from sfa_desktop.domain.money import currency_precision, normalize_currency
from sfa_desktop.store.models.reference import Quota, User
from sfa_desktop.store.models.sales import ForecastSubmission
from sync_server.protocol.catalog import FORECAST_ADJUSTMENT
from sync_server.protocol.forecast_rules import Figures, Period

from .editing import EditContext, create_record
from .forecasts import period_figures, read_period
from .write_authority import check_may_create

__all__ = [
    "DEFAULT_FORECAST_CURRENCY",
    "adjust_forecast",
    "forecast_currency",
    "submit_forecast",
    "to_minor_units",
]

#: The forecast currency of someone with no deals and no quota in a period.
DEFAULT_FORECAST_CURRENCY = "EUR"
#: The longest note kept with a submission or an adjustment.
NOTE_MAX_LENGTH = 2000


def to_minor_units(amount: Decimal, currency: str, *, field: str = "amount") -> int:
    """``amount`` (major units) in minor units of ``currency``; ``invalid_money`` for
    something that is not a finite number, ``too_many_decimals`` beyond the currency's."""
    digits = currency_precision(currency)
    try:
        if not amount.is_finite():
            raise InvalidOperation
        scaled = amount.scaleb(digits)
    except (InvalidOperation, AttributeError):
        raise ValidationErrors(
            [ValidationError("invalid_money", field=field, params={"value": str(amount)})]
        ) from None
    if scaled != scaled.to_integral_value():
        raise ValidationErrors(
            [ValidationError("too_many_decimals", field=field, params={"max": digits})]
        )
    return int(scaled)


def _me(ctx: EditContext) -> str:
    if ctx.user_id is None:
        raise DomainError("no_current_user")
    return ctx.user_id


def _quota_currencies(session: Session, user_id: str, period: Period) -> list[str]:
    statement = (
        select(Quota.currency)
        .where(
            Quota.deleted_at.is_(None),
            Quota.user_id == user_id,
            Quota.period == str(period),
            Quota.scope == "personal",
        )
        .order_by(Quota.updated_at.desc(), Quota.id)
    )
    return list(dict.fromkeys(session.scalars(statement)))


def forecast_currency(
    session: Session, user_id: str, period: Period, figures: Mapping[str, Figures] | None = None
) -> str:
    """The currency ``user_id`` forecasts ``period`` in: their quota's (the latest), else the
    one of their figures with the largest best case (ties: alphabetical), else EUR."""
    quotas = _quota_currencies(session, user_id, period)
    if quotas:
        return quotas[0]
    if figures is None:
        figures = period_figures(session, period, owner_id=user_id).get(user_id, {})
    found = dict(figures)
    if found:
        return min(found, key=lambda c: (-found[c].best_case, c))
    return DEFAULT_FORECAST_CURRENCY


def _note(note: str | None, *, required: bool) -> str | None:
    text = (note or "").strip()
    if required and not text:
        raise ValidationErrors([ValidationError("required", field="note")])
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationErrors(
            [
                ValidationError(
                    "too_long", field="note", params={"max": NOTE_MAX_LENGTH, "length": len(text)}
                )
            ]
        )
    return text or None


def submit_forecast(
    session: Session,
    ctx: EditContext,
    *,
    period: str,
    adjustment: Decimal | None,
    note: str | None,
    now: dt.datetime,
) -> str:
    """Submit the current user's forecast for ``period`` (``2026-12``, ``2026-Q4``): a dated
    snapshot of their live figures, one record per currency (see the module); ``adjustment``
    (major units, may be negative) and ``note`` go on the forecast currency's record, whose
    id is returned. An adjustment needs a note (``required``)."""
    me = _me(ctx)
    chosen = read_period(period)
    if now.utcoffset() is None:
        raise DomainError("naive_datetime", field="now")
    figures = period_figures(session, chosen, owner_id=me).get(me, {})
    main = forecast_currency(session, me, chosen, figures)
    rep_note = _note(note, required=adjustment is not None)
    rep_adjustment = (
        None if adjustment is None else to_minor_units(adjustment, main, field="adjust")
    )
    currencies = sorted({main, *figures})
    submitted = now.astimezone(dt.UTC)
    ids: dict[str, str] = {}
    for currency in currencies:
        found = figures.get(currency, Figures(currency))
        values = {
            "owner_id": me,
            "period": str(chosen),
            "currency": currency,
            "commit_amount": found.commit,
            "best_case_amount": found.best_case,
            "pipeline_amount": found.pipeline,
            "closed_amount": found.closed,
            "submitted_at": submitted,
        }
        if currency == main:
            values |= {"rep_adjustment": rep_adjustment, "rep_note": rep_note}
        ids[currency] = create_record(session, ctx, "forecast_submission", values)
    return ids[main]


def _user(session: Session, email_or_id: str) -> User:
    """A live user by id or e-mail (``unknown_user`` otherwise)."""
    wanted = email_or_id.strip()
    user = session.get(User, wanted)
    if user is None:
        by_email = select(User).where(func.lower(User.email) == wanted.lower()).order_by(User.id)
        user = session.scalars(by_email).first()
    if user is None or user.deleted_at is not None:
        raise DomainError("unknown_user", params={"user": email_or_id})
    return user


def _has_reports(session: Session, user_id: str) -> bool:
    statement = select(User.id).where(User.manager_id == user_id, User.deleted_at.is_(None))
    return session.scalars(statement.limit(1)).first() is not None


def _submitted_currencies(session: Session, user_id: str, period: Period) -> list[str]:
    statement = (
        select(ForecastSubmission.currency)
        .where(
            ForecastSubmission.deleted_at.is_(None),
            ForecastSubmission.owner_id == user_id,
            ForecastSubmission.period == str(period),
        )
        .order_by(ForecastSubmission.submitted_at.desc(), ForecastSubmission.id.desc())
    )
    return list(dict.fromkeys(session.scalars(statement)))


def _target(session: Session, rep_id: str | None, team_of: str | None) -> tuple[User, str]:
    if (rep_id is None) == (team_of is None):
        raise DomainError("rep_or_team")
    if rep_id is not None:
        return _user(session, rep_id), "rep"
    assert team_of is not None
    lead = _user(session, team_of)
    if not _has_reports(session, lead.id):
        raise DomainError("no_team", params={"user": lead.email})
    return lead, "team"


def adjust_forecast(
    session: Session,
    ctx: EditContext,
    *,
    rep_id: str | None = None,
    team_of: str | None = None,
    period: str,
    amount: Decimal,
    note: str,
    now: dt.datetime,
    currency: str | None = None,
) -> str:
    """A manager's adjustment of ``rep_id``'s call (a user id or e-mail) or of the call of the
    team ``team_of`` manages, for ``period``: ``amount`` (major units, added to the call, may
    be negative) with a ``note`` (required); returns the new record's id.

    The currency defaults to the one the rep submitted in (their latest submission) or, for a
    team, the team manager's forecast currency. Refused with ``no_submission`` when the rep
    has not submitted for the period (there is no call to adjust), ``no_team`` when
    ``team_of`` manages nobody, ``manager_only`` unless the current user is above them in the
    manager tree (or an admin)."""
    me = _me(ctx)
    chosen = read_period(period)
    if now.utcoffset() is None:
        raise DomainError("naive_datetime", field="now")
    target, scope = _target(session, rep_id, team_of)
    check_may_create(session, me, FORECAST_ADJUSTMENT, {"owner_id": target.id})
    text = _note(note, required=True)
    submitted = _submitted_currencies(session, target.id, chosen)
    if scope == "rep" and not submitted:
        raise DomainError("no_submission", params={"user": target.email, "period": str(chosen)})
    if currency is not None:
        code = normalize_currency(currency)
    elif submitted:
        code = submitted[0]
    else:
        code = forecast_currency(session, target.id, chosen)
    values = {
        "owner_id": target.id,
        "period": str(chosen),
        "scope": scope,
        "currency": code,
        "amount": to_minor_units(amount, code),
        "note": text,
        "adjusted_by_id": me,
        "adjusted_at": now.astimezone(dt.UTC),
    }
    return create_record(session, ctx, "forecast_adjustment", values)
