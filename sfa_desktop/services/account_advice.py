"""What to offer an account and what to do next with it: the account page's "Suggested
products" and "Next" line, and ``sfa suggest``.

:func:`load_account_advice` reads, for one account, its cross-sell and up-sell suggestions
(:mod:`.cross_sell`, cached per data version) and the inputs of the next best action
(:mod:`sfa_desktop.domain.next_action`): its contacts with their channel and consent, open
quotes, open tasks due, cadence, last purchase and whether it is a high-value customer
(:func:`high_value_accounts`). :func:`next_actions` reads the same inputs for a list of
accounts (Today's overdue ones) together: one query per kind for all of them. Every query is an
index lookup on the account ids, except the high-value set and the co-purchase tables, computed
once per data version and kept in memory.

:func:`quote_with_product` makes a new draft quote for the account with one line of the
suggested product (through :func:`.quote_writing.new_quote`, the one way quotes are made).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from sfa_desktop.domain.cadence import is_overdue, next_visit_due
from sfa_desktop.domain.customer_value import TIER_A, assign_tiers
from sfa_desktop.domain.errors import DomainError
from sfa_desktop.domain.next_action import (
    ActionContact,
    ActionInput,
    NextAction,
    OpenQuote,
    TaskDue,
    next_best_action,
)
from sfa_desktop.store.models.activities import Visit
from sfa_desktop.store.models.customers import Account, Contact
from sfa_desktop.store.models.reference import PriceList, PriceListItem, Product
from sfa_desktop.store.models.sales import Opportunity, Quote

from .cross_sell import (
    SUGGESTION_LIMIT,
    Suggestion,
    co_purchase_model,
    suggestions_from,
)
from .editing import EditContext
from .quote_writing import NewLine, new_quote

__all__ = [
    "NEXT_ACTIONS_LIMIT",
    "AccountAdvice",
    "high_value_accounts",
    "load_account_advice",
    "next_actions",
    "quote_with_product",
]


@dataclass(frozen=True, slots=True)
class AccountAdvice:
    account_id: str
    suggestions: list[Suggestion]
    next_action: NextAction | None
    #: product id → name, and family names as themselves: to name what a rule starts from
    names: dict[str, str]

    def because_name(self, suggestion: Suggestion) -> str:
        return self.names.get(suggestion.because, suggestion.because)


def load_account_advice(
    session: Session, account_id: str, *, now: dt.datetime, limit: int = SUGGESTION_LIMIT
) -> AccountAdvice | None:
    """The suggestions and next best action of a live account (None if there is none)."""
    model = co_purchase_model(session)
    today = now.astimezone().date()
    inputs = _action_inputs(session, [account_id], today)
    data = inputs.get(account_id)
    if data is None:
        return None
    suggestions = suggestions_from(model, account_id, limit=limit)
    names = {product.id: product.name for product in model.products.values()}
    action = next_best_action(_with_cross_sell(data, suggestions))
    return AccountAdvice(account_id, suggestions, action, names)


#: how many accounts of a list (Today's overdue accounts) get their next action at most
NEXT_ACTIONS_LIMIT = 25


def next_actions(
    session: Session,
    account_ids: Sequence[str],
    *,
    now: dt.datetime,
    limit: int = NEXT_ACTIONS_LIMIT,
) -> dict[str, NextAction]:
    """The next best action of the first ``limit`` of ``account_ids`` (live ones with an
    action): for a list that shows them beside its rows, read in a task of its own. The
    inputs of all of them are read together, one query per kind."""
    model = co_purchase_model(session)
    today = now.astimezone().date()
    inputs = _action_inputs(session, account_ids[:limit], today)
    found: dict[str, NextAction] = {}
    for account_id, data in inputs.items():
        suggestions = suggestions_from(model, account_id, limit=SUGGESTION_LIMIT)
        action = next_best_action(_with_cross_sell(data, suggestions))
        if action is not None:
            found[account_id] = action
    return found


def _with_cross_sell(data: ActionInput, suggestions: Sequence[Suggestion]) -> ActionInput:
    """``data`` with the top suggestion (the first co-purchase rule, else the first one)."""
    top = next((s for s in suggestions if s.is_rule), suggestions[0] if suggestions else None)
    if top is None:
        return data
    return replace(data, cross_sell=(top.product.id, top.product.name))


def _action_inputs(
    session: Session, account_ids: Sequence[str], today: dt.date
) -> dict[str, ActionInput]:
    """The next-action inputs of the live accounts among ``account_ids``, in their order: one
    query per kind for all of them (each an index lookup on the account ids)."""
    ids = list(dict.fromkeys(account_ids))
    if not ids:
        return {}
    accounts = {
        a.id: a
        for a in session.scalars(
            select(Account).where(Account.id.in_(ids), Account.deleted_at.is_(None))
        )
    }
    ids = [account_id for account_id in ids if account_id in accounts]
    if not ids:
        return {}
    contacts: dict[str, list[ActionContact]] = defaultdict(list)
    for c in session.scalars(
        select(Contact)
        .where(Contact.account_id.in_(ids), Contact.deleted_at.is_(None))
        .order_by(Contact.first_name, Contact.last_name, Contact.id)
    ):
        contacts[c.account_id].append(
            ActionContact(
                id=c.id,
                name=" ".join(p for p in (c.first_name, c.last_name) if p),
                preferred_channel=c.preferred_channel,
                marketing_consent=bool(c.marketing_consent),
                has_phone=bool(c.phone or c.mobile),
                decision_maker=c.purchase_role == "decision_maker",
            )
        )
    quotes: dict[str, list[OpenQuote]] = defaultdict(list)
    for q in session.scalars(
        select(Quote)
        .where(
            Quote.account_id.in_(ids),
            Quote.deleted_at.is_(None),
            Quote.status.in_(("sent", "approved")),
        )
        .order_by(Quote.id)
    ):
        quotes[q.account_id].append(
            OpenQuote(q.id, q.number, q.status, q.valid_until, q.contact_id)
        )
    end_of_today = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    tasks: dict[str, list[TaskDue]] = defaultdict(list)
    for v in session.scalars(
        select(Visit)
        .where(
            Visit.account_id.in_(ids),
            Visit.status == "planned",
            Visit.deleted_at.is_(None),
            Visit.kind == "task",
            Visit.planned_start < end_of_today,
        )
        .order_by(Visit.planned_start, Visit.id)
    ):
        if v.planned_start is not None:
            tasks[v.account_id].append(
                TaskDue(v.id, v.subject, v.planned_start.astimezone().date(), v.contact_id)
            )
    visit_dates = _visit_dates(session, ids)
    last_purchases = _last_purchases(session, ids)
    high_value = high_value_accounts(session)
    inputs: dict[str, ActionInput] = {}
    for account_id in ids:
        account = accounts[account_id]
        last_done, next_planned = visit_dates.get(account_id, (None, None))
        due = next_visit_due(
            last_done, account.visit_cadence_days, created=account.created_at.date()
        )
        inputs[account_id] = ActionInput(
            today=today,
            account_channel=account.preferred_channel,
            account_has_phone=bool(account.phone),
            contacts=contacts.get(account_id, []),
            open_quotes=quotes.get(account_id, []),
            tasks=tasks.get(account_id, []),
            overdue=is_overdue(due, next_planned, today),
            visit_due=due,
            high_value=account_id in high_value,
            lapsed_stage=account.lifecycle_stage == "lapsed",
            last_purchase=last_purchases.get(account_id),
        )
    return inputs


def _visit_dates(
    session: Session, account_ids: Sequence[str]
) -> dict[str, tuple[dt.date | None, dt.date | None]]:
    """account id → (last done visit's day, first planned visit's day)."""
    rows = session.execute(
        select(
            Visit.account_id,
            func.max(
                case(
                    (
                        Visit.status == "done",
                        func.coalesce(Visit.checked_in_at, Visit.planned_start),
                    )
                )
            ),
            func.min(
                case(
                    (
                        (Visit.status == "planned") & Visit.planned_start.is_not(None),
                        Visit.planned_start,
                    )
                )
            ),
        )
        .where(Visit.account_id.in_(account_ids), Visit.deleted_at.is_(None))
        .group_by(Visit.account_id)
    )
    return {account_id: (_date(done), _date(planned)) for account_id, done, planned in rows}


def _date(stored: Any) -> dt.date | None:
    if stored is None:
        return None
    if isinstance(stored, dt.datetime):
        return stored.date()
    return dt.date.fromisoformat(str(stored)[:10])


def _last_purchases(session: Session, account_ids: Sequence[str]) -> dict[str, dt.date]:
    """account id → the latest accepted quote's issue date or won deal's close date. The
    status is tested inside the aggregate so that the account's index is the one used (a
    status index would walk every accepted quote of the territory)."""
    found: dict[str, dt.date] = {}

    def keep(account_id: str, stored: Any) -> None:
        day = _date(stored)
        if day is not None and (account_id not in found or day > found[account_id]):
            found[account_id] = day

    quoted = session.execute(
        select(Quote.account_id, func.max(case((Quote.status == "accepted", Quote.issue_date))))
        .where(Quote.account_id.in_(account_ids), Quote.deleted_at.is_(None))
        .group_by(Quote.account_id)
    )
    for account_id, stored in quoted:
        keep(account_id, stored)
    won = session.execute(
        select(
            Opportunity.account_id,
            func.max(case((Opportunity.stage == "closed_won", Opportunity.expected_close_date))),
        )
        .where(Opportunity.account_id.in_(account_ids), Opportunity.deleted_at.is_(None))
        .group_by(Opportunity.account_id)
    )
    for account_id, stored in won:
        keep(account_id, stored)
    return found


# --- high-value customers ----------------------------------------------------------------------

_high_value: dict[str, tuple[tuple[Any, ...], frozenset[str]]] = {}
_high_value_lock = threading.Lock()


def high_value_accounts(session: Session) -> frozenset[str]:
    """The accounts worth winning back when they lapse: Pareto tier A
    (:func:`sfa_desktop.domain.customer_value.assign_tiers`) of everything each account has
    ever won (closed-won deals, in minor units of their currency). Kept per data version of the
    won deals. The one place to switch to the strategic tier (MVC) once it exists."""
    version = tuple(
        session.execute(
            select(func.count(), func.max(Opportunity.updated_at)).where(
                Opportunity.stage == "closed_won", Opportunity.deleted_at.is_(None)
            )
        ).one()
    )
    key = str(session.get_bind().engine.url)
    with _high_value_lock:
        held = _high_value.get(key)
    if held is not None and held[0] == version:
        return held[1]
    won: dict[str, Decimal] = defaultdict(Decimal)
    rows = session.execute(
        select(Opportunity.account_id, func.sum(Opportunity.amount))
        .where(Opportunity.stage == "closed_won", Opportunity.deleted_at.is_(None))
        .group_by(Opportunity.account_id)
    )
    for account_id, amount in rows:
        won[account_id] += Decimal(amount or 0)
    tiers = assign_tiers(won)
    found = frozenset(account for account, tier in tiers.items() if tier == TIER_A)
    with _high_value_lock:
        _high_value[key] = (version, found)
    return found


# --- one click: a quote with the suggested product ---------------------------------------------


def quote_with_product(
    session: Session, ctx: EditContext, account_id: str, product_id: str, today: dt.date
) -> str:
    """A new draft quote for ``account_id`` with one unit of ``product_id``; returns its id.

    The price list is the one a new quote of the account gets (:func:`.quote_writing.
    quote_defaults`); when that needs the rep's choice (several active lists, none used before
    for the account), the active list pricing the product with the most products."""
    product = session.get(Product, product_id)
    if product is None or product.deleted_at is not None:
        raise DomainError(
            "unknown_reference",
            field="product_id",
            params={"entity": "product", "value": product_id},
        )
    lines = [NewLine(sku=product.sku, quantity=Decimal(1))]
    try:
        return new_quote(session, ctx, account_id=account_id, lines=lines, today=today)
    except DomainError as error:
        if error.code != "price_list_required":
            raise
    fallback = session.execute(
        select(PriceList.id)
        .join(PriceListItem, PriceListItem.price_list_id == PriceList.id)
        .where(
            PriceList.deleted_at.is_(None),
            PriceList.active.is_(True),
            PriceListItem.deleted_at.is_(None),
            PriceListItem.product_id == product_id,
        )
        .order_by(PriceList.name, PriceList.id)
        .limit(1)
    ).scalar()
    if fallback is None:
        raise DomainError("price_list_required", field="price_list_id")
    return new_quote(
        session, ctx, account_id=account_id, price_list_id=fallback, lines=lines, today=today
    )
