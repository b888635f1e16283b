"""Every account's value figures, strategic tier and Pareto tier, fast: the value table.

:func:`account_value_table` answers from ``account_value_cache`` (one row per account;
:class:`~sfa_desktop.store.models.AccountValueCache`). A row holds from the day it was
computed (``as_of``) until the first day its figures would move by the passing of time alone
(``valid_until``: a sale or an activity leaving the last 12 months, a sale moving to an older
yearly period of the retention, a dated-later one counting; see
:func:`sfa_desktop.domain.customer_value_model.valid_until`); the current year's sales of a
row from an earlier year read as none. Triggers drop an account's row when anything its
figures read changes. So after edits, or on a new day, only the accounts without a row that
holds are computed again (SQL aggregates of :mod:`.customer_value_inputs`, then the model of
:mod:`sfa_desktop.domain.customer_value_model`). The tiers compare accounts: when a figure
changed, their cut-offs are found again over every account
(:func:`sfa_desktop.domain.strategic_tiers.tier_cutoffs`, one sort per tier kind) and each
row's tiers written where they changed. :func:`warm_step` makes the table in small steps for
the app's background warm-up. :func:`explain_account` gives one account's figures with their
inputs (the "why").

**What counts as a sale** (no double counting): a closed-won opportunity (its amount, on its
expected close date, else the day it was last changed), and an accepted quote *not* linked to
a closed-won opportunity (its net, on its issue date). An accepted quote linked to a won
opportunity is part of that sale: it lends the opportunity its margin rate (known margin /
net, the share of the net whose cost is known) and its discount rate (discount / net).
Amounts in other currencies than the company's are added at face value (a territory sells in
one currency).

The **Pareto value** (A/B/C) stays :func:`sfa_desktop.domain.customer_value.account_value`:
won in the last 12 months + half the weighted open pipeline.
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter, sub
from typing import Any, NamedTuple

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from sfa_desktop.domain.customer_value_model import (
    NEVER,
    ValueModel,
    ValueSettings,
    valid_until,
    value_model,
)
from sfa_desktop.domain.errors import DomainError
from sfa_desktop.domain.money import currency_precision
from sfa_desktop.domain.strategic_tiers import (
    BZ,
    MGC,
    MVC,
    OTHER,
    TierCutoffs,
    tier_cutoffs_of,
)
from sfa_desktop.store.collector import collector_paused
from sfa_desktop.store.repositories import customer_value_facts as facts_repo
from sfa_desktop.sync.write_turns import take_write_lock
from sync_server.protocol.catalog import COMPANY

from .customer_value_inputs import load_facts

#: From this many stale accounts, and a quarter of all, the facts are read for all accounts in
#: one pass each (fewer: by account, through the indexes).
FULL_PASS_FROM = 2000


@dataclass(frozen=True)
class CompanyValueSettings:
    """The company's value settings (catalog defaults where not set)."""

    currency: str
    model: ValueSettings
    #: tier → default visit cadence (days)
    cadences: Mapping[str, int]

    @property
    def digits(self) -> int:
        return _digits(self.currency)


class AccountValue(NamedTuple):
    """One account's row of the value table (amounts in the company currency's minor units;
    the fields in the order of the cached rows)."""

    account_id: str
    owner_id: str | None
    #: Pareto value: won in the last 12 months + ½ weighted open pipeline
    value: int
    historic: int
    last_12m: int
    current_year: int
    potential: int | None
    growth_potential: int
    cost_to_serve: int
    margin: int
    lifetime_value: int
    share_of_wallet: float | None
    retention: float
    strategic_tier: str
    pareto_tier: str

    @property
    def contribution(self) -> int:
        return self.margin - self.cost_to_serve


def _digits(currency: str) -> int:
    try:
        return currency_precision(currency)
    except DomainError:
        return 2


def _default(name: str) -> Any:
    return COMPANY.field(name).default


def company_settings(session: Session) -> CompanyValueSettings:
    """The company's value settings, each unset one at its catalog default."""
    row = facts_repo.company_value_settings(session)

    def get(name: str) -> Any:
        value = row.get(name)
        return _default(name) if value is None else value

    currency = str(get("currency") or "EUR")
    unit = Decimal(1).scaleb(-_digits(currency))
    costs = {
        kind: Decimal(get(f"{kind}_cost")) * unit for kind in ("visit", "meeting", "call", "email")
    }
    model = ValueSettings(
        default_margin_pct=Decimal(str(get("default_margin_pct"))),
        activity_costs=costs,
        ltv_discount_pct=Decimal(str(get("ltv_discount_pct"))),
    )
    cadences = {tier: int(get(f"cadence_{tier}_days")) for tier in (MVC, MGC, OTHER, BZ)}
    return CompanyValueSettings(currency, model, cadences)


# --- the table -----------------------------------------------------------------------------


def _minor(amount: Decimal, digits: int) -> int:
    return int(amount.scaleb(digits).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def cache_row(
    account_id: str,
    model: ValueModel,
    value: Decimal,
    *,
    today: dt.date,
    digits: int,
    valid_until: dt.date = NEVER,
) -> dict[str, Any]:
    """A cache row for one account's figures (tiers left to the table), by column name."""
    return {
        "account_id": account_id,
        "as_of": today.isoformat(),
        "value": _minor(value, digits),
        "historic": _minor(model.historic, digits),
        "last_12m": _minor(model.last_12m, digits),
        "current_year": _minor(model.current_year, digits),
        "potential": None if model.potential is None else _minor(model.potential, digits),
        "growth_potential": _minor(model.growth_potential, digits),
        "cost_to_serve": _minor(model.cost_to_serve, digits),
        "margin": _minor(model.margin, digits),
        "lifetime_value": _minor(model.lifetime_value, digits),
        "share_of_wallet": None if model.share_of_wallet is None else float(model.share_of_wallet),
        "retention": float(model.retention),
        "strategic_tier": None,
        "pareto_tier": None,
        "valid_until": valid_until.isoformat(),
    }


def refresh(session: Session, *, today: dt.date, stale: list[str] | None = None) -> int:
    """Compute again the accounts without a cached row that holds on ``today`` (``stale``,
    when the caller knows them); how many there were."""
    computed = _refresh(session, today=today, stale=stale)
    if computed:  # rows the table kept in memory does not know
        with _MEMOS_LOCK:
            _MEMOS.pop(session.get_bind().engine, None)
    return len(computed)


def _refresh(
    session: Session,
    *,
    today: dt.date,
    stale: list[str] | None,
    total: int | None = None,
    stamp: int | None = None,
    until: dict[str, str] | None = None,
) -> list[Any]:
    """:func:`refresh`, returning the rows computed (in :class:`AccountValue` order, tiers
    not set); ``total``: how many live accounts there are, if known; ``stamp``: the rows'
    (else one drawn); ``until``: filled with each row's ``valid_until``."""
    if stale is None:
        stale = facts_repo.stale_accounts(session, today)
    if not stale:
        return []
    settings = company_settings(session)
    if len(stale) >= FULL_PASS_FROM and total is None:
        total = facts_repo.live_account_count(session)
    full = len(stale) >= FULL_PASS_FROM and len(stale) * 4 >= (total or 0)
    ids: list[str] | None = None if full else stale
    facts, values, owners = load_facts(session, ids, today=today, digits=settings.digits)
    wanted = set(stale)
    rows = [
        cache_row(
            account_id,
            value_model(account_facts, settings.model, today),
            values[account_id],
            today=today,
            digits=settings.digits,
            valid_until=valid_until(account_facts, today, year_end=False),
        )
        for account_id, account_facts in facts.items()
        if account_id in wanted
    ]
    if stamp is None:
        stamp = new_stamp()
        _known(session).add(stamp)
    written = facts_repo.WRITE_COLUMNS[:-1]
    facts_repo.write_cache(session, [(*(row[name] for name in written), stamp) for row in rows])
    if until is not None:
        until.update((row["account_id"], row["valid_until"]) for row in rows)
    columns = facts_repo.CACHE_COLUMNS
    return [
        (row["account_id"], owners[row["account_id"]], *(row[name] for name in columns[2:]))
        for row in rows
    ]


def new_stamp() -> int:
    """A number for one write of the cache (rows and the tiers mark)."""
    return secrets.randbits(62)


@dataclass(frozen=True)
class _Memo:
    """The table as this process last made it from one database (:func:`account_value_table`)."""

    #: the stamp of the tiers mark it wrote or read
    token: int
    #: the day it was made for, and the first day one of its rows no longer holds
    day: str
    first: str
    #: the last change of the log (``account_value_changes``) it has seen
    seq: int
    rows: dict[str, AccountValue]
    #: the tiers' cut-offs its tiers were made with (``None``: not known)
    cutoffs: TierCutoffs | None


#: How many logged changes are kept before the log is cut (the last one always stays).
KEEP_CHANGES = 10_000
_MEMOS: weakref.WeakKeyDictionary[Engine, _Memo] = weakref.WeakKeyDictionary()
#: the stamps of the rows this process wrote or read whole, per database
_KNOWN: weakref.WeakKeyDictionary[Engine, set[int]] = weakref.WeakKeyDictionary()
_MEMOS_LOCK = threading.Lock()


def account_value_table(
    session: Session, *, today: dt.date, owner_id: str | None = None
) -> dict[str, AccountValue]:
    """Every live account's :class:`AccountValue` (only ``owner_id``'s when given; the tiers
    are always over every account on this device), the cache refreshed first. The tiers are
    computed again only when a figure changed since they were last written.

    The table last made from this database is kept in memory (:class:`_Memo`): while the
    tiers mark is the one it wrote (no change since) and none of its rows expired, it is the
    answer. Otherwise the accounts logged as changed since (``account_value_changes``: rows
    dropped by the triggers, accounts added, re-owned or deleted) and those the day moved
    are computed again, and the tiers with them. A row or tiers written by another program
    (a stamp this one does not know), a new year or an older day: everything is read
    again."""
    engine = session.get_bind().engine
    with _MEMOS_LOCK:
        memo = _MEMOS.get(engine)
    mark = facts_repo.tiers_mark(session)
    day = today.isoformat()
    if (
        memo is not None
        and mark is not None
        and mark[0] == memo.token
        and memo.day[:4] == day[:4]
        and memo.day <= day < memo.first
    ):
        return _answer(memo.rows, owner_id)
    with collector_paused():
        made = _from_memo(session, memo, today, mark) if memo is not None else None
        if made is None:
            made = _from_cache(session, today)
    with _MEMOS_LOCK:
        _MEMOS[engine] = made
    return _answer(made.rows, owner_id)


def _answer(rows: dict[str, AccountValue], owner_id: str | None) -> dict[str, AccountValue]:
    if owner_id is None:
        return dict(rows)
    return {key: row for key, row in rows.items() if row.owner_id == owner_id}


def _known(session: Session) -> set[int]:
    engine = session.get_bind().engine
    with _MEMOS_LOCK:
        return _KNOWN.setdefault(engine, set())


def _from_cache(session: Session, today: dt.date) -> _Memo:
    """The table read whole from the cache (the stale accounts computed, the tiers if a
    figure changed)."""
    seq = facts_repo.last_change(session)
    found, stale, stamps_until = facts_repo.cached_rows(session, today)
    _known(session).update(row_stamp for row_stamp, _valid in stamps_until.values())
    make = AccountValue._make
    table = {row[0]: make(row) for row in found}
    mark = facts_repo.tiers_mark(session)
    day = today.isoformat()
    if seq:
        facts_repo.trim_changes(session, seq)
    if stale or mark is None or not mark[1] <= day < (mark[2] or day):
        return _computed(session, today, table, stale, None, seq)
    first = min((valid for _s, valid in stamps_until.values()), default=NEVER.isoformat())
    return _Memo(mark[0], day, first, seq, table, None)


def _from_memo(
    session: Session, memo: _Memo, today: dt.date, mark: tuple[int, str, str] | None
) -> _Memo | None:
    """The table from ``memo`` and the changes since (``None``: read it whole)."""
    day = today.isoformat()
    if memo.day[:4] != day[:4] or day < memo.day:
        return None
    if mark is not None and mark[0] != memo.token:  # tiers written by another program
        return None
    if not facts_repo.stamps(session) <= _known(session):  # rows written by another program
        return None
    seq, first_logged, changed = facts_repo.changes_since(session, memo.seq)
    if first_logged is not None and memo.seq + 1 < first_logged:  # the log was cut since
        return None
    if first_logged is not None and seq - first_logged > KEEP_CHANGES:
        facts_repo.trim_changes(session, seq)  # (another program's memory then reads whole)
    if day >= memo.first:
        changed.update(facts_repo.expired_accounts(session, today))
    table = dict(memo.rows)
    for key in changed:
        table.pop(key, None)
    return _computed(session, today, table, sorted(changed), memo.cutoffs, seq)


def _computed(
    session: Session,
    today: dt.date,
    table: dict[str, AccountValue],
    stale: list[str],
    cutoffs: TierCutoffs | None,
    seq: int,
) -> _Memo:
    """``table`` (the rows that hold, by account) with the ``stale`` accounts computed (those
    still live) and the tiers up to date, all written with a new stamp; ``cutoffs``: those
    its tiers were made with, if known (unchanged: only the new rows get tiers)."""
    stamp = new_stamp()
    _known(session).add(stamp)
    until: dict[str, str] = {}
    computed = _refresh(
        session, today=today, stale=stale, total=len(table) + len(stale), stamp=stamp, until=until
    )
    make = AccountValue._make
    for row in computed:
        table[row[0]] = make(row)
    rows = list(table.values())
    columns, values = _tier_inputs(rows)
    cut = tier_cutoffs_of(*columns, values)
    if cut == cutoffs:  # the same cut-offs: only the new rows get tiers
        again = [table[key] for key in until]
        columns, values = _tier_inputs(again)
    else:
        again = rows
    tiers = zip(cut.strategic_of(*columns), cut.pareto_of(values), strict=True)
    changed: list[tuple[str, str, str]] = []
    for row, (strategic, pareto) in zip(again, tiers, strict=True):
        if row.strategic_tier != strategic or row.pareto_tier != pareto:
            changed.append((row.account_id, strategic, pareto))
            table[row.account_id] = row._replace(strategic_tier=strategic, pareto_tier=pareto)
    facts_repo.write_tiers(session, changed, stamp)
    first = facts_repo.mark_tiers_up_to_date(session, today, token=stamp)
    return _Memo(stamp, today.isoformat(), first, seq, table, cut)


def _tier_inputs(
    rows: list[AccountValue],
) -> tuple[tuple[list[int], list[int], list[int], list[bool]], list[int]]:
    """``((lifetime value, growth potential, contribution, customer?), Pareto value)`` of
    ``rows``, as columns."""
    columns = (
        list(map(attrgetter("lifetime_value"), rows)),
        list(map(attrgetter("growth_potential"), rows)),
        list(map(sub, map(attrgetter("margin"), rows), map(attrgetter("cost_to_serve"), rows))),
        [historic > 0 for historic in map(attrgetter("historic"), rows)],
    )
    return columns, list(map(attrgetter("value"), rows))


#: Accounts computed per step of :func:`warm_step` (a fraction of a second each).
WARM_STEP = 1000


class WarmStep(NamedTuple):
    """What one :func:`warm_step` did."""

    #: the table is warm (nothing left to compute)
    done: bool
    #: it computed figures or tiers (what the pages show may have changed)
    changed: bool


def warm_step(session: Session, *, today: dt.date, limit: int = WARM_STEP) -> WarmStep:
    """One step of warming the value table in the background.

    Computes up to ``limit`` accounts without a row that holds on ``today``; when there are
    none left, the tiers (over every account) if a figure changed since they were written.
    Each step is a short write transaction of its own (it takes the write turn first, as a
    sync's page does), so a caller that runs steps one after another on the database thread
    (:class:`sfa_desktop.ui.value_warmer.ValueWarmer`) leaves room between them for the
    UI's own reads and edits, and a first table of a big territory (a minute) never blocks
    them for long."""
    take_write_lock(session)
    engine = session.get_bind().engine
    with _MEMOS_LOCK:
        memo = _MEMOS.get(engine)
    if memo is None:  # the first table: in steps
        stale = facts_repo.stale_accounts(session, today, limit=limit)
        if stale:
            stamp = new_stamp()
            _known(session).add(stamp)
            with collector_paused():
                _refresh(session, today=today, stale=stale, total=None, stamp=stamp)
            return WarmStep(done=False, changed=True)
    account_value_table(session, today=today)  # the rest: what changed since (fast)
    with _MEMOS_LOCK:
        return WarmStep(done=True, changed=_MEMOS.get(engine) is not memo)


# positions in a cached row (AccountValue's field order)
_STRATEGIC = 13


def cached_tiers(session: Session, account_ids: Iterable[str]) -> dict[str, str]:
    """The strategic tier last written for ``account_ids`` (none before the first table)."""
    return facts_repo.cached_tiers(session, list(account_ids))


@dataclass(frozen=True)
class AccountExplanation:
    """One account's figures with their inputs, its tiers and the company settings."""

    account_id: str
    currency: str
    model: ValueModel
    value: AccountValue | None
    cadence_days: Mapping[str, int]


def explain_account(
    session: Session, account_id: str, *, today: dt.date, make_table: bool = True
) -> AccountExplanation | None:
    """One account's figures with their inputs (computed afresh: the page's "why") and its
    row of the value table (its tiers, as last computed); ``None`` for no such live account.

    An account never in a table yet gets one made first when ``make_table`` (the whole
    table: seconds on a big territory); otherwise its tiers are left unknown."""
    settings = company_settings(session)
    facts, _values, _owners = load_facts(session, [account_id], today=today, digits=settings.digits)
    if account_id not in facts:
        return None
    model = value_model(facts[account_id], settings.model, today)
    row = facts_repo.cached_row(session, account_id)
    if make_table and (row is None or row[_STRATEGIC] is None):  # never in a table yet
        account_value_table(session, today=today)
        row = facts_repo.cached_row(session, account_id)
    value = None
    if row is not None and row[_STRATEGIC] is not None:
        value = AccountValue(*row)
    return AccountExplanation(account_id, settings.currency, model, value, settings.cadences)
