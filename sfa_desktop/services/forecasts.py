"""Reading forecasts, for the CLI and the Forecast workspace: figures, the team review, history.

Every figure follows the one rule set, :mod:`sync_server.protocol.forecast_rules` (read its
docstring for the definitions); this module only reads the local store:

* :func:`period_figures` — owner → currency → :class:`Figures` of the deals closing in a
  period, aggregated in SQL (one ``GROUP BY`` query over a covering index) from the rules'
  buckets, so SQL and the rules agree by construction;
* :func:`my_forecast` — the current user's own figures, quota, attainment, gap and latest call;
* :func:`team_review` — the team tree below the current user (everyone, for an admin): per
  person the latest submission, the live figures, quota, attainment and the roll-up of their
  team, plus forecast accuracy once the period has ended. Six queries whatever the team's size;
* :func:`submission_history` — a person's submissions for a period, oldest first (the chart);
* :func:`team_trend` — the team's submitted calls through a period, a point per day (the
  team's chart; a person's own with ``owner_id``);
* :func:`rep_deals` — the deals of a person closing in a period (the drill-down).

Amounts are integer minor units of their currency (weighted: an exact ``Decimal`` of minor
units); nothing is converted between currencies (the catalog has no exchange rates).

A quota is personal (the person's own deals) or a team quota set explicitly (their whole
team's, overriding the sum of the members'). Managers' adjustments are records of their own
(:func:`adjustment_history`, never overwritten); the rules' layering decides which stand: each
manager's latest, on a person's call (scope ``rep``) or on a manager's team call (``team``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal, select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.services.current_user import current_user_id
from sfa_desktop.store.models.customers import Account
from sfa_desktop.store.models.reference import User
from sfa_desktop.store.models.sales import ForecastSubmission, Opportunity
from sync_server.protocol.catalog import STAGE_DEFAULT_PROBABILITY
from sync_server.protocol.forecast_rules import (
    LOST_STAGE,
    OPEN_BUCKETS,
    WON_STAGE,
    Bucket,
    Figures,
    Period,
    PeriodKind,
    Person,
    Snapshot,
    TeamNode,
    TrendPoint,
    attainment_pct,
    call_trend,
    deal_bucket,
    deal_probability,
    forecast_accuracy,
    gap_to_quota,
    layered,
    parse_period,
    period_ended,
    roll_up,
)
from sync_server.protocol.rejections import ValueRejected

from .forecast_submissions import (
    AdjustmentRow,
    SubmissionRow,
    adjustment_history,
    latest_submission_ids,
    latest_submissions,
    period_submissions,
    quotas_by_owner,
    submission_history,
)

__all__ = [
    "AdjustmentRow",
    "DealRow",
    "ForecastLine",
    "PersonForecast",
    "SubmissionRow",
    "TeamReview",
    "adjustment_history",
    "current_period",
    "deal_probability_sql",
    "in_period",
    "my_forecast",
    "period_figures",
    "read_period",
    "rep_deals",
    "submission_history",
    "team_review",
    "team_trend",
]


# --- periods -------------------------------------------------------------------------------------


def read_period(text: str) -> Period:
    """A period typed by the user (``2026-12``, ``2026-Q4``); :class:`DomainError`
    ``invalid_period`` otherwise."""
    try:
        return parse_period(text)
    except ValueRejected as error:
        raise DomainError(error.code, field="period", params=error.params) from None


def current_period(today: dt.date, kind: PeriodKind = "quarter") -> Period:
    """The month or quarter ``today`` is in (the default period: the current quarter)."""
    return Period.of(today, kind)


# --- the figures, in SQL -------------------------------------------------------------------------


def _open() -> ColumnElement[bool]:
    return Opportunity.stage.not_in((WON_STAGE, LOST_STAGE))


def _sum_if(condition: ColumnElement[bool], value: Any) -> Any:
    return func.coalesce(func.sum(case((condition, value), else_=literal(0))), 0)


def _open_in(bucket: Bucket) -> ColumnElement[bool]:
    categories = sorted(c for c, b in OPEN_BUCKETS.items() if b == bucket)
    return and_(_open(), Opportunity.forecast_category.in_(categories))


def deal_probability_sql() -> Any:
    """The deal's probability, its stage's default when it has none (as the rules say)."""
    default = case(
        *((Opportunity.stage == stage, pct) for stage, pct in STAGE_DEFAULT_PROBABILITY.items()),
        else_=literal(0),
    )
    return func.coalesce(Opportunity.probability, default)


def in_period(period: Period) -> list[ColumnElement[bool]]:
    """Live deals whose expected close date is in ``period`` (SQL conditions)."""
    return [
        Opportunity.deleted_at.is_(None),
        Opportunity.expected_close_date >= period.start,
        Opportunity.expected_close_date <= period.end,
    ]


def _figures_query(period: Period) -> Select[Any]:
    counted = and_(_open(), Opportunity.forecast_category.in_(sorted(OPEN_BUCKETS)))
    won = Opportunity.stage == WON_STAGE
    return (
        select(
            Opportunity.owner_id,
            Opportunity.currency,
            _sum_if(won, Opportunity.amount).label("won"),
            _sum_if(_open_in("commit"), Opportunity.amount).label("open_commit"),
            _sum_if(_open_in("best_case"), Opportunity.amount).label("open_best_case"),
            _sum_if(_open_in("pipeline"), Opportunity.amount).label("open_pipeline"),
            _sum_if(counted, Opportunity.amount * deal_probability_sql()).label("weighted_percent"),
            _sum_if(won, 1).label("won_count"),
            _sum_if(counted, 1).label("open_count"),
        )
        .where(*in_period(period))
        .group_by(Opportunity.owner_id, Opportunity.currency)
    )


def period_figures(
    session: Session, period: Period, *, owner_id: str | None = None
) -> dict[str, dict[str, Figures]]:
    """Owner id → currency → the figures of their live deals closing in ``period`` (one
    query; only ``owner_id``'s when given)."""
    statement = _figures_query(period)
    if owner_id is not None:
        statement = statement.where(Opportunity.owner_id == owner_id)
    found: dict[str, dict[str, Figures]] = {}
    for row in session.execute(statement):
        found.setdefault(row.owner_id, {})[row.currency] = Figures.from_sums(
            row.currency,
            won=int(row.won),
            open_commit=int(row.open_commit),
            open_best_case=int(row.open_best_case),
            open_pipeline=int(row.open_pipeline),
            weighted_percent=int(row.weighted_percent),
            won_count=int(row.won_count),
            open_count=int(row.open_count),
        )
    return found


# --- the review ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForecastLine:
    """One currency of a person's (or a team's) forecast; amounts in minor units."""

    currency: str
    figures: Figures
    quota: int | None
    #: closed × 100 / quota (one decimal), None without a quota
    attainment_pct: Decimal | None
    #: quota − closed, None without a quota
    gap: int | None
    #: the final call (latest submission, adjustments layered); None without a submission
    call: int | None
    #: once the period has ended: the call against closed won (percent), else None
    accuracy_pct: Decimal | None


@dataclass(frozen=True)
class PersonForecast:
    """A person of the review: their own deals (``own``) and their team's roll-up (``team``;
    the same as ``own`` for someone without reports)."""

    user_id: str
    name: str
    email: str
    manager_id: str | None
    depth: int
    is_manager: bool
    own: tuple[ForecastLine, ...]
    team: tuple[ForecastLine, ...]
    #: the latest submission per currency, by currency
    latest: tuple[SubmissionRow, ...]
    members: int
    submitted: int


@dataclass(frozen=True)
class TeamReview:
    period: Period
    ended: bool
    #: depth first: each manager before their reports (reports by name)
    rows: tuple[PersonForecast, ...]


def _lines(
    figures: Mapping[str, Figures],
    quota: Mapping[str, int],
    call: Mapping[str, int],
    ended: bool,
) -> tuple[ForecastLine, ...]:
    lines = []
    for currency in sorted({*figures, *quota, *call}):
        found = figures.get(currency, Figures(currency))
        amount = quota.get(currency)
        made = call.get(currency)
        accurate = forecast_accuracy(made, found.closed) if ended and made is not None else None
        lines.append(
            ForecastLine(
                currency=currency,
                figures=found,
                quota=amount,
                attainment_pct=attainment_pct(found.closed, amount),
                gap=gap_to_quota(found.closed, amount),
                call=made,
                accuracy_pct=accurate,
            )
        )
    return tuple(lines)


def _row(
    node: TeamNode, user: Any, latest: Mapping[str, SubmissionRow], ended: bool
) -> PersonForecast:
    person = node.person
    return PersonForecast(
        user_id=person.user_id,
        name=user.name,
        email=user.email,
        manager_id=person.manager_id,
        depth=node.depth,
        is_manager=node.is_manager,
        own=_lines(person.figures, person.quota, person.call, ended),
        team=_lines(node.figures, node.quota, node.call, ended),
        latest=tuple(latest[c] for c in sorted(latest)),
        members=node.members,
        submitted=node.submitted,
    )


def _users(session: Session) -> dict[str, Any]:
    """User id → (id, name, email, role, manager_id) of every live user (plain rows: no ORM
    objects, a few hundred of them per review)."""
    statement = (
        select(User.id, User.name, User.email, User.role, User.manager_id)
        .where(User.deleted_at.is_(None))
        .order_by(User.name, User.id)
    )
    return {row.id: row for row in session.execute(statement)}


def team_review(session: Session, period: Period, today: dt.date) -> TeamReview:
    """The team tree below the current user (everyone for an admin), rolled up for ``period``.

    Empty with nobody signed in. Reads the users, the period's figures (one aggregate), the
    quotas, the adjustments and the submissions: six queries whatever the size of the team.
    """
    ended = period_ended(period, today)
    me = current_user_id(session)
    users = _users(session)
    if me is None or me not in users:
        return TeamReview(period, ended, ())
    figures = period_figures(session, period)
    quotas = quotas_by_owner(session, period)
    history = adjustment_history(session, period)
    team_adjustments = layered(a.rule for a in history if a.scope == "team")
    latest = latest_submissions(
        period_submissions(
            session, [ForecastSubmission.id.in_(latest_submission_ids(period))], history
        )
    )
    people = [
        Person(
            user_id=user.id,
            manager_id=user.manager_id,
            sort_key=user.name.casefold(),
            figures=figures.get(user.id, {}),
            quota=quotas["personal"].get(user.id, {}),
            team_quota=quotas["team"].get(user.id, {}),
            call={c: s.call.final_call for c, s in latest.get(user.id, {}).items()},
            team_adjustment=team_adjustments.get((user.id, "team"), {}),
        )
        for user in users.values()
    ]
    roots = _roots_of(users, me)
    rows = tuple(
        _row(node, users[node.person.user_id], latest.get(node.person.user_id, {}), ended)
        for tree in roll_up(people, roots)
        for node in tree.walk()
    )
    return TeamReview(period, ended, rows)


def my_forecast(session: Session, period: Period, today: dt.date) -> PersonForecast | None:
    """The current user's own forecast for ``period`` (their deals only, no team); None with
    nobody signed in."""
    me = current_user_id(session)
    user = session.get(User, me) if me else None
    if user is None:
        return None
    ended = period_ended(period, today)
    figures = period_figures(session, period, owner_id=user.id).get(user.id, {})
    quota = quotas_by_owner(session, period)["personal"].get(user.id, {})
    latest = latest_submissions(submission_history(session, user.id, period)).get(user.id, {})
    call = {c: s.call.final_call for c, s in latest.items()}
    lines = _lines(figures, quota, call, ended)
    return PersonForecast(
        user_id=user.id,
        name=user.name,
        email=user.email,
        manager_id=user.manager_id,
        depth=0,
        is_manager=False,
        own=lines,
        team=lines,
        latest=tuple(latest[c] for c in sorted(latest)),
        members=1,
        submitted=1 if latest else 0,
    )


# --- the drill-down ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DealRow:
    """A deal closing in the period; ``amount`` in minor units, ``weighted`` exact minor units
    (zero for won, lost and omitted deals, which the weighted pipeline leaves out)."""

    id: str
    name: str
    account_id: str
    account_name: str
    stage: str
    forecast_category: str
    #: what the deal adds to (see the rules): won, commit, best_case, pipeline, or None
    bucket: Bucket | None
    amount: int
    currency: str
    probability: int
    weighted: Decimal
    expected_close_date: dt.date
    next_step: str | None


def rep_deals(session: Session, owner_id: str, period: Period) -> list[DealRow]:
    """``owner_id``'s live deals closing in ``period``, by close date then name."""
    statement = (
        select(Opportunity, Account.name)
        .join(Account, Account.id == Opportunity.account_id, isouter=True)
        .where(Opportunity.owner_id == owner_id, *in_period(period))
        .order_by(Opportunity.expected_close_date, Opportunity.name, Opportunity.id)
    )
    rows: list[DealRow] = []
    for deal, account_name in session.execute(statement):
        assert deal.expected_close_date is not None
        rows.append(
            DealRow(
                id=deal.id,
                name=deal.name,
                account_id=deal.account_id,
                account_name=account_name or "",
                stage=deal.stage,
                forecast_category=deal.forecast_category,
                bucket=deal_bucket(deal.stage, deal.forecast_category),
                amount=deal.amount,
                currency=deal.currency,
                probability=deal_probability(deal.stage, deal.probability),
                weighted=Figures.of_deal(deal).weighted,
                expected_close_date=deal.expected_close_date,
                next_step=deal.next_step,
            )
        )
    return rows


def _roots_of(users: Mapping[str, Any], me: str) -> list[str] | None:
    """Whose teams the current user reviews: their own, or everyone's for an admin (None)."""
    return None if users[me].role == "admin" else [me]


def team_trend(
    session: Session,
    period: Period,
    *,
    zone: dt.tzinfo | None = None,
    owner_id: str | None = None,
) -> list[TrendPoint]:
    """The submitted calls of the current user's team (everyone's for an admin; only
    ``owner_id``'s when given) through ``period``: a point per day someone submitted, days
    in ``zone`` (default: UTC). Empty with nobody signed in."""
    me = current_user_id(session)
    users = _users(session)
    if owner_id is not None:
        members: set[str] = {owner_id}
    elif me is None or me not in users:
        return []
    else:
        people = [Person(u.id, u.manager_id) for u in users.values()]
        trees = roll_up(people, _roots_of(users, me))
        members = {node.person.user_id for tree in trees for node in tree.walk()}
    submitted = period_submissions(session, [ForecastSubmission.period == str(period)])
    return call_trend(
        Snapshot(
            row.owner_id,
            row.currency,
            row.submitted_at.astimezone(zone or dt.UTC),
            row.call.final_call,
            row.best_case,
        )
        for row in submitted
        if row.owner_id in members
    )
