"""What the value model reads of each account, from the store: sales (no double counting),
activities, potential, and until when time alone leaves them as they are (the value table's
inputs: :mod:`sfa_desktop.services.customer_values`, whose module doc says what counts as a
sale)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from sfa_desktop.domain.customer_value import PIPELINE_WEIGHT
from sfa_desktop.domain.customer_value_model import NEVER, YEAR_DAYS, AccountFacts, Sale
from sfa_desktop.store.repositories import customer_value_facts as facts_repo
from sync_server.protocol.catalog import STAGE_DEFAULT_PROBABILITY

_ZERO = Decimal(0)


def _date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def load_facts(
    session: Session,
    account_ids: Sequence[str] | None,
    *,
    today: dt.date,
    digits: int,
) -> tuple[dict[str, AccountFacts], dict[str, Decimal], dict[str, str]]:
    """``(facts, Pareto values, owners)`` of ``account_ids`` (``None``: every live account)."""
    unit = Decimal(1).scaleb(-digits)
    accounts = facts_repo.live_accounts(session, account_ids)
    owners = {row[0]: row[1] for row in accounts}
    potentials = {row[0]: row[2] for row in accounts}
    sales: dict[str, list[Sale]] = defaultdict(list)
    won_12m: dict[str, Decimal] = defaultdict(Decimal)
    pipeline: dict[str, Decimal] = defaultdict(Decimal)
    since = today - dt.timedelta(days=YEAR_DAYS)
    won: dict[str, tuple[str, Decimal, dt.date]] = {}
    undated: set[str] = set()  # accounts with a sale dated today for want of a date
    for (
        account_id,
        opp_id,
        stage,
        amount,
        probability,
        close,
        updated,
    ) in facts_repo.opportunity_rows(session, account_ids):
        money = Decimal(amount) * unit
        if stage == "closed_won":
            day = _sale_day(account_id, undated, today, close, updated)
            won[opp_id] = (account_id, money, day)
            if since < day <= today:
                won_12m[account_id] += money
        else:
            p = probability if probability is not None else STAGE_DEFAULT_PROBABILITY.get(stage, 0)
            pipeline[account_id] += money * Decimal(p) / 100
    rates: dict[str, list[Decimal]] = {}  # won opportunity → net, costed, margin, discount
    for row in facts_repo.accepted_quote_rows(session, account_ids):
        account_id, _quote, opp_id, issued, net, listed, costed_net, costed_cost = row
        net_d, listed_d = _units(net, unit), _units(listed, unit)
        costed_d = _units(costed_net, unit)
        margin_d = costed_d - _units(costed_cost, unit)
        discount_d = max(_ZERO, listed_d - net_d)
        if opp_id in won:
            totals = rates.setdefault(opp_id, [_ZERO, _ZERO, _ZERO, _ZERO])
            for i, part in enumerate((net_d, costed_d, margin_d, discount_d)):
                totals[i] += part
            continue
        day = _sale_day(account_id, undated, today, issued)
        sales[account_id].append(Sale(day, net_d, costed_d, margin_d, discount_d))
    for opp_id, (account_id, amount, day) in won.items():
        lent = rates.get(opp_id)
        if lent is None or lent[0] <= 0:
            sales[account_id].append(Sale(day, amount))
            continue
        share = amount / lent[0]
        sales[account_id].append(
            Sale(day, amount, lent[1] * share, lent[2] * share, lent[3] * share)
        )
    activities, changes = _activities(session, account_ids, since=since, today=today)
    facts = {
        account_id: AccountFacts(
            sales=tuple(sorted(sales.get(account_id, ()), key=lambda s: s.day)),
            activities=activities.get(account_id, {}),
            potential=Decimal(potentials[account_id]) * unit
            if potentials[account_id] is not None
            else None,
            activities_change=changes.get(account_id),
            undated=account_id in undated,
        )
        for account_id in owners
    }
    values = {
        account_id: max(
            _ZERO,
            won_12m.get(account_id, _ZERO) + PIPELINE_WEIGHT * pipeline.get(account_id, _ZERO),
        )
        for account_id in owners
    }
    return facts, values, owners


def _sale_day(account_id: str, undated: set[str], today: dt.date, *values: Any) -> dt.date:
    """The first of ``values`` that is a date; else ``today``, and the account is ``undated``
    (its figures move every day)."""
    for value in values:
        day = _date(value)
        if day is not None:
            return day
    undated.add(account_id)
    return today


def _activities(
    session: Session, account_ids: Sequence[str] | None, *, since: dt.date, today: dt.date
) -> tuple[dict[str, dict[str, int]], dict[str, dt.date]]:
    """``(counts, changes)``: each account's done activities of the last 12 months per kind,
    and the first day after ``today`` those counts move (one leaves, or a later one enters)."""
    activities: dict[str, dict[str, int]] = defaultdict(dict)
    changes: dict[str, dt.date] = {}  # the first day an account's activity counts move
    rows = facts_repo.activity_counts(session, account_ids, since=since, until=today)
    for account_id, kind, count, first_counted, first_later in rows:
        if count:
            activities[account_id][kind] = int(count)
        leaves = _date(first_counted)
        for day in (leaves and leaves + dt.timedelta(days=YEAR_DAYS), _date(first_later)):
            if day is not None and day < changes.get(account_id, NEVER):
                changes[account_id] = day
    return activities, changes


def _units(minor: Any, unit: Decimal) -> Decimal:
    """A float sum of minor units as currency units, rounded to the minor unit."""
    return Decimal(round(float(minor or 0))) * unit
