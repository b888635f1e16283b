"""The CRM scorecard of the current user's scope, gathered from the local store.

The formulas live in :mod:`sfa_desktop.domain.scorecard`; this module gathers their inputs
with SQL aggregates (one ``GROUP BY`` per figure and period) over the accounts in scope:

* a **rep** sees the accounts they own; a **manager** those of their whole team (them and
  everyone below them in the manager tree, as the forecast's team review); an **admin**
  every account. Deals, quotes and activities count by their own owner (as the forecast and
  the quotes' team filter count them): the owner lists are short and index-friendly, where
  "the deals of these 100,000 accounts" is not.

Amounts are in the company's currency (``company.currency``, EUR when unset); deals and
quotes in other currencies are left out.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import Session

from sfa_desktop.domain.customer_value import TIER_A, account_value, assign_tiers
from sfa_desktop.domain.scorecard import (
    NO_FAMILY,
    Compare,
    PeriodFacts,
    Scorecard,
    ScorePeriod,
    build_scorecard,
    new_product_since,
    split_by_family,
)
from sfa_desktop.services.current_user import current_user_id
from sfa_desktop.services.forecasts import deal_probability_sql
from sfa_desktop.services.quote_filters import owned_below
from sfa_desktop.services.today import WON_WINDOW
from sfa_desktop.store.models.activities import Visit
from sfa_desktop.store.models.customers import Account
from sfa_desktop.store.models.local import VisitMonthCount
from sfa_desktop.store.models.reference import Company, Product, User
from sfa_desktop.store.models.sales import Opportunity, OpportunityStageChange, Quote, QuoteLine
from sfa_desktop.store.repositories.listing import ids_in
from sync_server.protocol.forecast_rules import LOST_STAGE

__all__ = [
    "DEFAULT_CURRENCY",
    "KEY_TIER",
    "TREND_PERIODS",
    "ScopeInfo",
    "account_tiers",
    "load_scorecard",
    "scope_info",
]

DEFAULT_CURRENCY = "EUR"
KEY_TIER = TIER_A
"""The tier whose sales growth is the financial perspective's "key segments" figure."""
TREND_PERIODS = 6
"""How many periods the retention trend shows (this one and the ones before it)."""

_WON = "closed_won"
_DECIDED = ("accepted", "rejected", "expired")
_ZERO = Decimal(0)
_CHUNK = 900
"""Ids per ``IN (…)`` list (SQLite allows 999 parameters in older builds)."""


@dataclass(frozen=True, slots=True)
class ScopeInfo:
    """Whose accounts the scorecard covers: ``scope`` is ``mine``, ``team`` or ``all``."""

    user_id: str | None
    name: str | None
    scope: str
    accounts: int


@dataclass(frozen=True, slots=True)
class _Scope:
    """The user's scope: ``accounts`` (a condition on :class:`Account`), and whose deals,
    quotes and activities count (``owners``; None: everyone's)."""

    accounts: ColumnElement[bool]
    owners: tuple[str, ...] | None
    scope: str
    name: str | None

    def owned(self, column: Any) -> ColumnElement[bool]:
        """Records whose owner ``column`` is in scope (an index-friendly ``IN`` list)."""
        return true() if self.owners is None else column.in_(self.owners)


def _scope(session: Session) -> _Scope:
    me = current_user_id(session)
    user = session.get(User, me) if me else None
    if me is None or user is None:
        return _Scope(false(), (), "mine", None)
    if user.role == "admin":
        return _Scope(Account.deleted_at.is_(None), None, "all", user.name)
    # the team's people first (a few hundred at most), then index-friendly IN lists
    below_me = owned_below(User.id, me, "scorecard_team")
    team = (me, *session.execute(select(User.id).where(below_me)).scalars())
    accounts = and_(Account.deleted_at.is_(None), Account.owner_id.in_(team))
    return _Scope(accounts, team, "team" if len(team) > 1 else "mine", user.name)


def scope_info(session: Session) -> ScopeInfo:
    scope = _scope(session)
    count = session.execute(select(func.count()).select_from(Account).where(scope.accounts))
    return ScopeInfo(current_user_id(session), scope.name, scope.scope, int(count.scalar_one()))


def company_currency(session: Session) -> str:
    found = session.execute(
        select(Company.currency).where(Company.deleted_at.is_(None)).limit(1)
    ).scalar_one_or_none()
    return found or DEFAULT_CURRENCY


# --- one period's facts ---------------------------------------------------------------------


def _won_in(period: ScorePeriod, scope: _Scope, currency: str) -> list[ColumnElement[bool]]:
    return [
        Opportunity.deleted_at.is_(None),
        Opportunity.stage == _WON,
        Opportunity.currency == currency,
        Opportunity.expected_close_date >= period.start,
        Opportunity.expected_close_date <= period.end,
        scope.owned(Opportunity.owner_id),
    ]


def _sales(session: Session, won: list[ColumnElement[bool]]) -> tuple[dict[str, int], int]:
    rows = session.execute(
        select(Opportunity.account_id, func.sum(Opportunity.amount), func.count())
        .where(*won)
        .group_by(Opportunity.account_id)
    ).all()
    return {r[0]: int(r[1]) for r in rows}, sum(int(r[2]) for r in rows)


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + _CHUNK] for i in range(0, len(ids), _CHUNK)]


def _family_sales(
    session: Session, won: list[ColumnElement[bool]], period: ScorePeriod
) -> tuple[dict[str, Decimal], Decimal]:
    """Each won deal split across the families of its accepted quote (latest revision), and
    the part of new products. The deals' accepted quotes, and those quotes' item lines, are
    read with one join each (index seeks from the period's deals), and the products, which are
    few; the lines are summed here (their quantities and discounts are exact decimals, which
    SQLite would multiply as floats; the same quantity and discount are read once)."""
    deals = dict(session.execute(select(Opportunity.id, Opportunity.amount).where(*won)).all())
    accepted = and_(
        Quote.opportunity_id == Opportunity.id,
        Quote.status == "accepted",
        Quote.deleted_at.is_(None),
    )
    latest: dict[str, tuple[int, str]] = {}  # deal → (revision, quote id)
    for quote_id, deal, revision in session.execute(
        select(Quote.id, Opportunity.id, Quote.revision)
        .select_from(Opportunity)
        .join(Quote, accepted)
        .where(*won)
    ):
        if deal not in latest or revision > latest[deal][0]:
            latest[deal] = (revision, quote_id)
    deal_of = {quote_id: deal for deal, (_revision, quote_id) in latest.items()}
    since = dt.datetime.combine(new_product_since(period), dt.time(), dt.UTC)
    until = _end_of(period)
    products = {
        row.id: f"{int(since <= row.created_at < until)}{row.family or NO_FAMILY}"
        for row in session.execute(select(Product.id, Product.family, Product.created_at))
    }
    no_product = f"0{NO_FAMILY}"
    factors: dict[tuple[str, str], Decimal] = {}  # (quantity, discount) → quantity × (100 − d)
    # family keys: (new?, family) so the new products' part comes from the same split; the
    # nets are summed × 100 and divided once (exact: a few significant digits each)
    per_deal: dict[str, dict[str, Decimal]] = {}
    lines = (
        select(
            QuoteLine.quote_id,
            QuoteLine.product_id,
            type_coerce(QuoteLine.quantity, String),
            QuoteLine.unit_price,
            type_coerce(QuoteLine.discount_pct, String),
        )
        .select_from(Opportunity)
        .join(Quote, accepted)
        .join(
            QuoteLine,
            and_(
                QuoteLine.quote_id == Quote.id,
                QuoteLine.deleted_at.is_(None),
                QuoteLine.kind == "item",
                QuoteLine.optional.is_(False),
            ),
        )
        .where(*won)
    )
    for quote_id, product_id, quantity, price, discount in session.execute(lines):
        of_deal = deal_of.get(quote_id)
        if of_deal is None:  # an older revision
            continue
        factor = factors.get((quantity, discount))
        if factor is None:
            factor = factors[quantity, discount] = Decimal(quantity) * (100 - Decimal(discount))
        key = products.get(product_id, no_product)
        bucket = per_deal.setdefault(of_deal, {})
        bucket[key] = bucket.get(key, _ZERO) + factor * price
    families: dict[str, Decimal] = {}
    new_part = _ZERO
    for deal, amount in deals.items():
        nets = {key: net / 100 for key, net in per_deal.get(deal, {}).items()}
        for key, part in split_by_family(int(amount), nets).items():
            family = key[1:] if key else NO_FAMILY
            families[family] = families.get(family, _ZERO) + part
            if key.startswith("1"):
                new_part += part
    return families, new_part


def _end_of(period: ScorePeriod) -> dt.datetime:
    return dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), dt.UTC)


def _start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def _start_of(period: ScorePeriod) -> dt.datetime:
    return dt.datetime.combine(period.start, dt.time(), dt.UTC)


def _days_to_close(session: Session, won: list[ColumnElement[bool]]) -> tuple[Decimal, ...]:
    """Days from creation (its UTC day) to win of each won deal: "won at" is its latest live
    stage change to ``closed_won`` (one seek of the stage-history index per deal), else its
    close date; worked out in SQL (a deal with neither date is left out)."""
    osc = OpportunityStageChange
    won_on = (
        select(func.substr(func.max(osc.changed_at), 1, 10))
        .where(osc.to_stage == _WON, osc.deleted_at.is_(None), osc.opportunity_id == Opportunity.id)
        .correlate(Opportunity)
        .scalar_subquery()
    )
    closed = func.coalesce(won_on, Opportunity.expected_close_date)
    created = func.substr(Opportunity.created_at, 1, 10)
    days = func.max(0, cast(func.julianday(closed) - func.julianday(created), Integer))
    rows = session.execute(select(days).where(*won)).scalars()
    return tuple(Decimal(day) for day in rows if day is not None)


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _quotes(session: Session, period: ScorePeriod, scope: _Scope, currency: str) -> tuple[int, int]:
    accepted, decided = session.execute(
        select(
            func.coalesce(func.sum(case((Quote.status == "accepted", 1), else_=0)), 0),
            func.count(),
        ).where(
            Quote.deleted_at.is_(None),
            Quote.currency == currency,
            Quote.status.in_(_DECIDED),
            Quote.issue_date >= period.start,
            Quote.issue_date <= period.end,
            scope.owned(Quote.owner_id),
        )
    ).one()
    return int(accepted), int(decided)


def _done_at() -> Any:
    return func.coalesce(Visit.checked_in_at, Visit.planned_start)


def _visits(session: Session, period: ScorePeriod, scope: _Scope) -> tuple[int, int]:
    """Done visits and meetings planned in the period, and those with an outcome written: the
    sums of the period's months in ``visit_month_counts`` (kept exact by triggers on the
    visits; a period is whole UTC months)."""
    first, last = f"{period.start:%Y-%m}", f"{period.end:%Y-%m}"
    done, written = session.execute(
        select(
            func.coalesce(func.sum(VisitMonthCount.done), 0),
            func.coalesce(func.sum(VisitMonthCount.with_outcome), 0),
        ).where(
            VisitMonthCount.month >= first,
            VisitMonthCount.month <= last,
            scope.owned(VisitMonthCount.owner_id),
        )
    ).one()
    return int(done), int(written)


def _cadences(
    session: Session, periods: Sequence[ScorePeriod], scope: _Scope, today: dt.date
) -> list[tuple[int, int]]:
    """For each period, (customers visited within their cadence on the period's last day —
    today, for the period under way —, customers with a cadence), as
    :func:`~sfa_desktop.domain.scorecard.within_cadence` counts them: each one's last done
    activity before that day's end — any kind, as Today's overdue list counts it
    (``account_visit_summary``) — no more than its cadence days before the day. One
    index-only seek per customer for all the periods (a correlated subquery over
    ``ix_visits_account_status`` giving a bit per period), counted in SQL."""
    days = [min(period.end, today) for period in periods]
    ends = [_start_of_day(day + dt.timedelta(days=1)) for day in days]
    cadence = Account.visit_cadence_days
    bits = [
        case(
            (
                func.substr(func.max(case((Visit.planned_start < end, _done_at()))), 1, 10)
                >= func.date(day.isoformat(), func.printf("-%d days", cadence)),
                literal(1 << i),
            ),
            else_=literal(0),
        )
        for i, (day, end) in enumerate(zip(days, ends, strict=True))
    ]
    within = (
        select(sum(bits[1:], bits[0]))
        .where(
            Visit.account_id == Account.id,
            Visit.status == "done",
            Visit.planned_start < max(ends),
            Visit.deleted_at.is_(None),
        )
        .correlate(Account)
        .scalar_subquery()
    )
    # customers per combination of bits: the subquery named once, so it runs once a customer
    masks = session.execute(
        select(within, func.count())
        .where(
            # those without a cadence are not counted
            scope.accounts,
            Account.lifecycle_stage == "customer",
            cadence > 0,
        )
        .group_by(within)
    ).all()
    customers = sum(int(count) for _mask, count in masks)
    return [
        (sum(int(count) for mask, count in masks if int(mask or 0) & (1 << i)), customers)
        for i in range(len(days))
    ]


def period_facts(
    session: Session,
    period: ScorePeriod,
    scope: _Scope,
    currency: str,
    today: dt.date,
    cadence: tuple[int, int] | None = None,
) -> PeriodFacts:
    """Everything one period's column of the scorecard needs (``cadence``: already counted
    with another period's, see :func:`_cadences`)."""
    won = _won_in(period, scope, currency)
    sales, deals = _sales(session, won)
    families, new_part = _family_sales(session, won, period)
    accepted, decided = _quotes(session, period, scope, currency)
    done, written = _visits(session, period, scope)
    return PeriodFacts(
        period=period,
        sales=sales,
        deals_won=deals,
        family_sales=families,
        new_product_sales=new_part,
        days_to_close=_days_to_close(session, won),
        quotes_accepted=accepted,
        quotes_decided=decided,
        visits_done=done,
        visits_with_outcome=written,
        cadence=cadence or _cadences(session, [period], scope, today)[0],
    )


# --- accounts: tiers, zones, channels --------------------------------------------------------


def account_tiers(session: Session, scope: _Scope, today: dt.date) -> dict[str, str]:
    """Each account's value tier: the Pareto A/B/C of
    :mod:`sfa_desktop.domain.customer_value` over the accounts in scope, as of ``today`` (the
    value — won in the last 12 months + ½ weighted open pipeline — summed in SQL per account,
    in minor units); accounts with no value are tier C (absent here). The one place the
    scorecard's tiers come from (switch it to the strategic tiers here)."""
    won = and_(
        Opportunity.stage == _WON,
        Opportunity.expected_close_date > today - WON_WINDOW,
        Opportunity.expected_close_date <= today,
    )
    is_open = Opportunity.stage.not_in((_WON, LOST_STAGE))
    rows = session.execute(
        select(
            Opportunity.account_id,
            func.sum(case((won, Opportunity.amount), else_=0)),
            func.sum(case((is_open, Opportunity.amount * deal_probability_sql()), else_=0)),
        )
        .where(
            Opportunity.deleted_at.is_(None),
            or_(won, is_open),
            scope.owned(Opportunity.owner_id),
        )
        .group_by(Opportunity.account_id)
    ).all()
    values = {
        account: account_value(Decimal(won_sum or 0), Decimal(weighted or 0) / 100)
        for account, won_sum, weighted in rows
    }
    return assign_tiers(values) if values else {}


def _attributes(
    session: Session, buyers: frozenset[str], scope: _Scope
) -> tuple[dict[str, Any], tuple[int, int]]:
    """The buyers' region and preferred channel (their ids as one JSON parameter: one
    statement however many), and (accounts with a potential, accounts)."""
    found: dict[str, Any] = {
        row.id: row
        for row in session.execute(
            select(Account.id, Account.region, Account.preferred_channel).where(
                ids_in(Account.id.expression, sorted(buyers))
            )
        )
    }
    known, total = session.execute(
        select(func.count(Account.annual_potential), func.count()).where(scope.accounts)
    ).one()
    return found, (int(known), int(total))


def _first_purchases(session: Session, buyers: frozenset[str], currency: str) -> dict[str, dt.date]:
    """The close date of each buyer's first won deal ever (in the currency): a seek of the
    accounts' deals index per buyer, their ids as one JSON parameter."""
    rows = session.execute(
        select(Opportunity.account_id, func.min(Opportunity.expected_close_date))
        .where(
            Opportunity.deleted_at.is_(None),
            Opportunity.stage == _WON,
            Opportunity.currency == currency,
            ids_in(Opportunity.account_id.expression, sorted(buyers)),
        )
        .group_by(Opportunity.account_id)
    )
    return {a: _day(d) for a, d in rows if d is not None}


def _buyers(session: Session, period: ScorePeriod, scope: _Scope, currency: str) -> frozenset[str]:
    won = _won_in(period, scope, currency)
    return frozenset(session.execute(select(Opportunity.account_id).where(*won)).scalars())


def load_scorecard(
    session: Session,
    period: ScorePeriod,
    compare: Compare,
    *,
    today: dt.date,
    trend_periods: int = TREND_PERIODS,
) -> Scorecard:
    """The scorecard of the current user's scope for ``period`` against the compared one."""
    scope = _scope(session)
    currency = company_currency(session)
    compared = period.compared(compare)
    cadences = _cadences(session, [period, compared], scope, today)
    current_facts = period_facts(session, period, scope, currency, today, cadences[0])
    compared_facts = period_facts(session, compared, scope, currency, today, cadences[1])
    buyers_both = frozenset(current_facts.sales) | frozenset(compared_facts.sales)
    attributes, potential_known = _attributes(session, buyers_both, scope)
    trend = []
    periods = [period.shifted(-i) for i in range(trend_periods, -1, -1)]
    buyers: Mapping[ScorePeriod, frozenset[str]] = {
        p: (
            frozenset(current_facts.sales)
            if p == period
            else frozenset(compared_facts.sales)
            if p == compared
            else _buyers(session, p, scope, currency)
        )
        for p in periods
    }
    for before, now in itertools.pairwise(periods):
        trend.append((now, buyers[now], buyers[before]))
    return build_scorecard(
        current_facts,
        compared_facts,
        compare=compare,
        currency=currency,
        first_purchase=_first_purchases(session, buyers_both, currency),
        tiers=account_tiers(session, scope, today),
        zones={k: r.region or "" for k, r in attributes.items()},
        channels={k: r.preferred_channel or "" for k, r in attributes.items()},
        potential_known=potential_known,
        key_tier=KEY_TIER,
        trend=trend,
    )
