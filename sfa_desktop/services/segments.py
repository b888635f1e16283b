"""Customer segments for the UI and the CLI: each account's facts, the accounts of a segment,
the saved segments (synced per user) and the analysis the Customers workspace draws.

The facts (:func:`account_facts`) come from the local database, which holds what the user
may see (their scope): places and the last visit done, read live; purchases (won
opportunities, accepted quotes outside them) and product families bought, from a per-account
cache (``account_segment_cache``: triggers drop an account's row when its deals, quotes or
lines change, and a row says until which day it holds, so only what changed is computed again
— with a few grouped aggregates); and each account's **value**, strategic tier and economic
ABC tier from the value table (:func:`.customer_values.account_value_table`): the one place
segments read them from. The ABC tier is ranked over every account in scope (not only those of
a segment).

Saved segments are written through :mod:`.editing` (validated by the catalog, queued in the
outbox, synced to the user's other devices); their ``definition`` is checked by
:func:`sfa_desktop.domain.segments.parse_definition` before it is written, and a user's
segment names are unique (case and accents aside).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.domain.customer_value import assign_tiers
from sfa_desktop.domain.errors import DomainError, ValidationError
from sfa_desktop.domain.money import Money
from sfa_desktop.domain.name_order import sort_key
from sfa_desktop.domain.segments import (
    DEFAULT_RFM,
    AccountFacts,
    ParetoCurve,
    SegmentCounts,
    SegmentDefinition,
    folded,
    pareto_curve,
    parse_definition,
    segment_counts,
)
from sfa_desktop.store.collector import collector_paused
from sfa_desktop.store.models import Company, SavedSegment
from sfa_desktop.store.repositories import segment_facts as raw

from .current_user import current_user_id
from .customer_values import account_value_table, company_settings
from .editing import EditContext, create_record, delete_record, update_record
from .pipeline import MAIN_CURRENCY

_ZERO = Decimal(0)
ENTITY = "saved_segment"


# --- value source ----------------------------------------------------------------------------


class _NoValue(NamedTuple):
    """What an account missing from the value table counts as."""

    value: int = 0
    strategic_tier: str | None = None
    pareto_tier: str | None = None


_NO_VALUE = _NoValue()


def company_currency(session: Session) -> str:
    """The company's currency (value settings), else the catalog's default."""
    currency = session.scalar(select(Company.currency).where(Company.deleted_at.is_(None)).limit(1))
    return str(currency or MAIN_CURRENCY)


# --- facts -----------------------------------------------------------------------------------

#: Above this many accounts to compute, the purchases are read for all accounts in one pass.
FULL_PASS_FROM = 2000


def _unit(currency: str, cache: dict[str, Decimal | None]) -> Decimal | None:
    if currency not in cache:
        try:
            cache[currency] = Money.from_minor(1, currency).amount
        except DomainError:
            cache[currency] = None
    return cache[currency]


def _earliest(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else min(a, b)


def _latest(a: str | None, b: str | None) -> str | None:
    return b if a is None else a if b is None else max(a, b)


def purchase_rows(
    session: Session, today: dt.date, account_ids: Sequence[str]
) -> list[tuple[Any, ...]]:
    """The cache rows (:data:`~sfa_desktop.store.repositories.segment_facts.CACHE_COLUMNS`
    order) of ``account_ids`` computed from scratch as of ``today``, one per account (an empty
    one for an account with nothing bought). Many accounts are read in one pass over all."""
    ids: Sequence[str] | None = None if len(account_ids) >= FULL_PASS_FROM else account_ids
    units: dict[str, Decimal | None] = {}
    first: dict[str, str | None] = {}
    last: dict[str, str | None] = {}
    count: dict[str, int] = {}
    spend: dict[str, Decimal] = {}
    spend_before: dict[str, Decimal] = {}
    changes: dict[str, str | None] = {}
    for won in raw.won_by_account(session, today, ids):
        key = won.account_id
        first[key] = _earliest(first.get(key), won.first_close)
        last[key] = _latest(last.get(key), won.last_close)
        count[key] = count.get(key, 0) + won.count_12m
        changes[key] = _earliest(changes.get(key), won.next_change)
        unit = _unit(won.currency, units)
        if unit is not None:
            spend[key] = spend.get(key, _ZERO) + won.amount_12m * unit
            spend_before[key] = spend_before.get(key, _ZERO) + won.amount_prev_12m * unit
    for quoted in raw.accepted_quote_dates(session, today, ids):
        key = quoted.account_id
        first[key] = _earliest(first.get(key), quoted.first_issue)
        last[key] = _latest(last.get(key), quoted.last_issue)
        count[key] = count.get(key, 0) + quoted.count_12m
        changes[key] = _earliest(changes.get(key), quoted.next_change)
    families: dict[str, set[str]] = {}
    for account_id, family in raw.families_bought(session, ids):
        families.setdefault(account_id, set()).add(family)
    as_of = today.isoformat()
    joined = raw.FAMILY_SEPARATOR.join
    return [
        (
            key,
            as_of,
            changes.get(key),
            first.get(key),
            last.get(key),
            count.get(key, 0),
            str(spend.get(key, _ZERO)),
            str(spend_before.get(key, _ZERO)),
            joined(sorted(families[key])) if key in families else None,
        )
        for key in account_ids
    ]


class _Parsed:
    """Texts of the cached rows read as dates, amounts and family sets, each distinct text
    once (100,000 accounts share a few thousand days and a handful of family sets)."""

    def __init__(self) -> None:
        self.days: dict[str | None, dt.date | None] = {None: None}
        self.amounts: dict[str | None, Decimal] = {None: _ZERO}
        self.sets: dict[str | None, frozenset[str]] = {None: frozenset()}

    def day(self, text: str | None) -> dt.date | None:
        try:
            return self.days[text]
        except KeyError:
            found = self.days[text] = dt.date.fromisoformat(str(text))
            return found

    def amount(self, text: str | None) -> Decimal:
        try:
            return self.amounts[text]
        except KeyError:
            found = self.amounts[text] = Decimal(str(text))
            return found

    def families(self, text: str | None) -> frozenset[str]:
        try:
            return self.sets[text]
        except KeyError:
            found = self.sets[text] = frozenset(str(text).split(raw.FAMILY_SEPARATOR))
            return found


def account_facts(session: Session, today: dt.date, *, cached: bool = True) -> list[AccountFacts]:
    """Every live account's facts, with its value and ABC tier (ranked over them all).

    The purchase facts come from ``account_segment_cache``: only the accounts whose row is
    missing (a trigger dropped it) or no longer holds for ``today`` are computed again, and
    written back. ``cached=False`` computes every account from scratch and leaves the cache
    alone (what the tests compare the cache with)."""
    with collector_paused():
        return _account_facts(session, today, cached=cached)


def _account_facts(session: Session, today: dt.date, *, cached: bool) -> list[AccountFacts]:
    accounts = raw.cached_accounts(session, today)
    if cached:
        computed = purchase_rows(session, today, [a[0] for a in accounts if not a[raw.VALID]])
        raw.write_cache(session, computed)
    else:
        computed = purchase_rows(session, today, [a[0] for a in accounts])
    fresh = {row[0]: row[3:] for row in computed}
    potential_unit = _unit(company_currency(session), {}) or Decimal("0.01")
    table = account_value_table(session, today=today)
    unit = Decimal(1).scaleb(-company_settings(session).digits)
    parsed = _Parsed()
    day, amount, family_set = parsed.day, parsed.amount, parsed.families
    facts: list[AccountFacts] = []
    append = facts.append
    make = AccountFacts
    for row in accounts:
        (account_id, name, region, city, owner, stage, potential, valid) = row[:8]
        if valid and cached:
            first, last, count, spend, before, families = row[8:14]
        else:
            first, last, count, spend, before, families = fresh[account_id]
        value = table.get(account_id, _NO_VALUE)
        append(
            make(
                account_id,
                name,
                region,
                city,
                owner,
                stage,
                day(first),
                day(last),
                count or 0,
                amount(spend),
                amount(before),
                family_set(families),
                value.value * unit,
                None if potential is None else potential * potential_unit,
                value.pareto_tier or "",
                value.strategic_tier,
                day(row[14]),
            )
        )
    if len(table) != len(facts) or any(not f.abc for f in facts):  # a table of other accounts
        tiers = assign_tiers({f.account_id: f.value for f in facts})
        facts = [f._replace(abc=tiers[f.account_id]) for f in facts]
    return facts


def matching(
    facts: Sequence[AccountFacts], definition: SegmentDefinition | None, today: dt.date
) -> list[AccountFacts]:
    """The accounts of ``facts`` in the segment (all of them for ``None`` or no criteria)."""
    if definition is None or definition.is_empty():
        return list(facts)
    return [item for item in facts if definition.matches(item, today, DEFAULT_RFM)]


def segment_account_ids(session: Session, segment_id: str, today: dt.date) -> list[str]:
    """The ids of the accounts in a saved segment (for the Accounts list's filter)."""
    definition = parse_definition(get_segment(session, segment_id).definition)
    return [item.account_id for item in matching(account_facts(session, today), definition, today)]


# --- the analysis ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerAnalysis:
    """What the Customers workspace shows for one segment (``None``: every account)."""

    today: dt.date
    currency: str
    #: the accounts of the segment, most valuable first
    accounts: list[AccountFacts]
    #: every account in scope (what the next criteria can be matched against)
    facts: tuple[AccountFacts, ...]
    #: how many accounts are in scope at all
    scope_count: int
    counts: SegmentCounts
    pareto: ParetoCurve
    #: the choices the criteria offer
    regions: list[str]
    families: list[str]
    #: the strategic tiers present (none until the value model provides them)
    tiers: list[str] = field(default_factory=list)


def analyse(
    session: Session,
    today: dt.date,
    definition: SegmentDefinition | None = None,
    *,
    facts: Sequence[AccountFacts] | None = None,
) -> CustomerAnalysis:
    """The facts, counts and Pareto curve of the segment (one database task). ``facts``:
    those read a moment ago for the same day (only the criteria changed), else read now."""
    with collector_paused():
        return _analyse(session, today, definition, facts)


def _analyse(
    session: Session,
    today: dt.date,
    definition: SegmentDefinition | None,
    facts: Sequence[AccountFacts] | None,
) -> CustomerAnalysis:
    if facts is None:
        facts = account_facts(session, today)
    chosen = matching(facts, definition, today)
    chosen.sort(key=lambda f: (-f.value, sort_key(f.name), f.account_id))
    regions = sorted({f.region for f in facts if f.region}, key=sort_key)
    return CustomerAnalysis(
        today=today,
        currency=company_currency(session),
        accounts=chosen,
        facts=tuple(facts),
        scope_count=len(facts),
        counts=segment_counts(chosen, today),
        pareto=pareto_curve(
            {f.account_id: f.value for f in chosen}, {f.account_id: f.abc for f in chosen}
        ),
        regions=regions,
        families=raw.all_families(session),
        tiers=sorted({f.tier for f in facts if f.tier}),
    )


# --- saved segments --------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedSegmentRow:
    id: str
    name: str
    description: str | None
    definition: SegmentDefinition
    updated_at: dt.datetime


def _row(record: SavedSegment) -> SavedSegmentRow:
    return SavedSegmentRow(
        record.id,
        record.name,
        record.description,
        parse_definition(record.definition),
        record.updated_at,
    )


def saved_segments(session: Session, owner_id: str | None = None) -> list[SavedSegmentRow]:
    """The user's live saved segments (the signed-in user's by default), by name. A segment
    whose definition this client cannot read (a newer version) is left out."""
    owner = owner_id or current_user_id(session)
    query = select(SavedSegment).where(SavedSegment.deleted_at.is_(None))
    if owner is not None:
        query = query.where(SavedSegment.owner_id == owner)
    rows: list[SavedSegmentRow] = []
    for record in session.scalars(query):
        try:
            rows.append(_row(record))
        except ValidationError:
            continue
    rows.sort(key=lambda row: (sort_key(row.name), row.id))
    return rows


def get_segment(session: Session, segment_id: str) -> SavedSegment:
    record = session.get(SavedSegment, segment_id)
    if record is None or record.deleted_at is not None:
        raise DomainError("segment_not_found", params={"name": segment_id})
    return record


def find_segment(session: Session, name: str) -> SavedSegmentRow:
    """The user's saved segment called ``name`` (case and accents aside) or with that id."""
    wanted = folded(name)
    for row in saved_segments(session):
        if row.id == name or folded(row.name) == wanted:
            return row
    raise DomainError("segment_not_found", params={"name": name})


def _check_name(session: Session, name: str, *, keep_id: str | None = None) -> str:
    text = name.strip()
    if not text:
        raise ValidationError("required", field="name")
    for row in saved_segments(session):
        if folded(row.name) == folded(text) and row.id != keep_id:
            raise ValidationError("segment_name_taken", field="name", params={"name": text})
    return text


def save_segment(
    session: Session,
    ctx: EditContext,
    name: str,
    definition: SegmentDefinition | dict[str, Any],
    *,
    description: str | None = None,
) -> str:
    """Create a saved segment for the signed-in user; returns its id (queued for sync)."""
    parsed = (
        definition if isinstance(definition, SegmentDefinition) else parse_definition(definition)
    )
    values: dict[str, Any] = {
        "name": _check_name(session, name),
        "definition": parsed.to_json(),
        "description": description,
    }
    return create_record(session, ctx, ENTITY, values)


def update_segment(
    session: Session,
    ctx: EditContext,
    segment_id: str,
    *,
    name: str | None = None,
    definition: SegmentDefinition | None = None,
    description: str | None = None,
) -> None:
    """Rename a saved segment, or change its criteria or description."""
    get_segment(session, segment_id)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = _check_name(session, name, keep_id=segment_id)
    if definition is not None:
        changes["definition"] = definition.to_json()
    if description is not None:
        changes["description"] = description or None
    if changes:
        update_record(session, ctx, ENTITY, segment_id, changes)


def delete_segment(session: Session, ctx: EditContext, segment_id: str) -> None:
    """Delete a saved segment (on every device, once synced)."""
    get_segment(session, segment_id)
    delete_record(session, ctx, ENTITY, segment_id)


__all__ = [
    "AccountFacts",
    "CustomerAnalysis",
    "SavedSegmentRow",
    "account_facts",
    "analyse",
    "company_currency",
    "delete_segment",
    "find_segment",
    "matching",
    "save_segment",
    "saved_segments",
    "segment_account_ids",
    "update_segment",
]
