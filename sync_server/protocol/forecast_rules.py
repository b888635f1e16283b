"""The one set of forecast rules, shared by the desktop client (workspaces, CLI) and the server.

**Periods.** A forecast period is a calendar month (``"2026-12"``) or a calendar quarter
(``"2026-Q4"``), the two forms the catalog's ``period`` fields hold (:func:`parse_period`,
:class:`Period`). A date belongs to a period when ``start <= date <= end`` (both inclusive).

**Which deals count.** An opportunity counts in a period when its ``expected_close_date`` is in
the period (a deal without one is in no period; deleted deals are never read). Its *bucket*
(:func:`deal_bucket`) decides what it adds to:

* stage ``closed_won`` → **won**, whatever its forecast category (a won deal is won);
* stage ``closed_lost`` → nothing;
* an open stage → by forecast category: ``commit`` → open commit, ``best_case`` → open best
  case, ``pipeline`` → open pipeline, ``omitted`` → nothing. An open deal marked ``closed`` is
  not closed: it counts as open pipeline.

**A rep's figures** for a period (:class:`Figures`), per currency, in integer minor units:

* **closed** = Σ won;
* **commit** = closed + Σ open commit;
* **best case** = commit + Σ open best case (so closed ≤ commit ≤ best case);
* **pipeline** = Σ open deals not omitted (open commit + open best case + open pipeline; closed
  deals are not pipeline any more);
* **weighted** = Σ over the same open deals of amount × probability / 100, where the
  probability is the deal's own or, when it has none, its stage's default
  (:data:`~.catalog.STAGE_DEFAULT_PROBABILITY`). Exact: a ``Decimal`` of minor units with at
  most two decimals, never rounded here.

Every figure is a sum over deals, so figures add: the figures of a set of deals are the sum of
the figures of its parts, in any order (:meth:`Figures.__add__`).

**Currencies.** The catalog has no exchange rates, so nothing is converted: every figure,
quota, call and accuracy is kept *per currency* (a mapping currency → value); a quota in EUR
is compared with the EUR deals only.

**Quota.** A person's quota for a period is their quota record for exactly that period (a
quarter's quota is not made up from months). **Attainment** = closed × 100 / quota, in percent
rounded half-up to one decimal (:func:`attainment_pct`); none without a quota or with a zero
quota. **Gap to quota** = quota − closed (negative: beyond quota).

**Team roll-up** over the manager tree (:func:`roll_up`; managers of managers, recursively). A
person's *team* is themselves plus everyone below them. A team's figures are the person's own
figures plus the team figures of each direct report — that is, the figures of every deal owned
by someone in the team. A team's quota is the person's own quota plus the team quotas of their
direct reports, unless a team quota is set explicitly for that person (then that amount, per
currency). Cycles in the tree are cut: nobody is counted twice.

**Calls and adjustments, layered** (:class:`Call`). A submission is a dated snapshot; the
latest one of a person for the period and currency is their current call:

1. the submitted **commit** (the figures at submit time);
2. + the rep's own **adjustment** → the rep's call (:attr:`Call.rep_call`);
3. + the **manager adjustments** → the final call (:attr:`Call.final_call`). Each adjustment
   is a record of its own (:class:`Adjustment`, the history is kept); what counts is the
   *latest adjustment of each manager* (:func:`standing_adjustments`: a manager's new
   adjustment replaces their earlier one, adjustments of different managers add up — a rep's
   manager and the manager's manager each have their say). An adjustment is *direct* when the
   adjusting manager is the rep's own manager, *indirect* when it is someone higher up
   (:func:`adjustment_kind`, :func:`kind_of`). A submission's call counts the adjustments made
   before the next submission of the same person and currency (for the latest one: all of
   them), so a rep who submits again keeps the managers' adjustments made since;
4. a team's call = the person's final call + the team calls of their direct reports + the
   *team adjustments* on that manager's team (scope ``team``: made by a manager above them,
   layered the same way). Members without a submission add nothing (the node counts who
   submitted).

**The trend** of a team's submitted calls through a period (:func:`call_trend`, the chart):
one point per day someone submitted, each the sum of every person's latest submission as of
that day (their final call, and their submitted best case).

**Forecast accuracy** once a period has ended (:func:`period_ended`): the final call of the
last submission (forecast) against the closed won amount (actual), per person and per team:
accuracy = max(0, 1 − |forecast − actual| / actual) × 100, in percent *truncated* to one
decimal (so 100.0 means exact). When actual is 0: 100 if the forecast is 0 too, else 0. The
result is always between 0 and 100 (:func:`forecast_accuracy`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import (
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
    Overflow,
)
from typing import Literal, Protocol

from .catalog import STAGE_DEFAULT_PROBABILITY

# Periods live in their own module; the forecast rules are where both sides look for them.
from .forecast_periods import PERIOD_KINDS as PERIOD_KINDS
from .forecast_periods import Period as Period
from .forecast_periods import PeriodKind as PeriodKind
from .forecast_periods import parse_period as parse_period
from .forecast_periods import period_ended as period_ended

_HUNDRED = Decimal(100)
_TENTH = Decimal("0.1")
#: a private context, so results do not depend on the caller's: exact sums and shifts trap on
#: anything inexact (they never are within 60 digits); quotients are rounded explicitly
_EXACT = Context(prec=60, traps=[InvalidOperation, Overflow, Inexact])
_QUOTIENT = Context(prec=60, traps=[InvalidOperation, Overflow])


# --- deals and figures -------------------------------------------------------------------------

Bucket = Literal["won", "commit", "best_case", "pipeline"]

#: The stage of a won deal and of a lost one; every other stage is open.
WON_STAGE = "closed_won"
LOST_STAGE = "closed_lost"
#: What an *open* deal adds to, by forecast category (``omitted`` adds to nothing).
OPEN_BUCKETS: dict[str, Bucket] = {
    "commit": "commit",
    "best_case": "best_case",
    "pipeline": "pipeline",
    "closed": "pipeline",
}


def deal_bucket(stage: str, forecast_category: str) -> Bucket | None:
    """Where a deal counts (see the module's rules); None: nowhere."""
    if stage == WON_STAGE:
        return "won"
    if stage == LOST_STAGE:
        return None
    return OPEN_BUCKETS.get(forecast_category)


def deal_probability(stage: str, probability: int | None) -> int:
    """The deal's probability in percent, its stage's default when it has none."""
    return probability if probability is not None else STAGE_DEFAULT_PROBABILITY.get(stage, 0)


class Deal(Protocol):
    """What the rules read from an opportunity."""

    @property
    def owner_id(self) -> str: ...
    @property
    def stage(self) -> str: ...
    @property
    def forecast_category(self) -> str: ...
    @property
    def amount(self) -> int: ...
    @property
    def currency(self) -> str: ...
    @property
    def probability(self) -> int | None: ...
    @property
    def expected_close_date(self) -> dt.date | None: ...


@dataclass(frozen=True, slots=True)
class Figures:
    """A set of deals' figures in one currency, minor units (see the module's rules).

    Built from the bucket sums (:meth:`from_sums`, what the SQL aggregation returns) or from
    deals (:func:`figures_by_owner`); added with ``+``.
    """

    currency: str
    closed: int = 0
    commit: int = 0
    best_case: int = 0
    pipeline: int = 0
    weighted: Decimal = Decimal(0)
    won_count: int = 0
    open_count: int = 0

    @classmethod
    def from_sums(
        cls,
        currency: str,
        *,
        won: int = 0,
        open_commit: int = 0,
        open_best_case: int = 0,
        open_pipeline: int = 0,
        weighted_percent: int = 0,
        won_count: int = 0,
        open_count: int = 0,
    ) -> Figures:
        """The figures of bucket sums; ``weighted_percent`` = Σ amount × probability (percent)."""
        commit = won + open_commit
        return cls(
            currency=currency,
            closed=won,
            commit=commit,
            best_case=commit + open_best_case,
            pipeline=open_commit + open_best_case + open_pipeline,
            weighted=_EXACT.divide(Decimal(weighted_percent), _HUNDRED),
            won_count=won_count,
            open_count=open_count,
        )

    @classmethod
    def of_deal(cls, deal: Deal) -> Figures:
        bucket = deal_bucket(deal.stage, deal.forecast_category)
        if bucket is None:
            return cls(deal.currency)
        if bucket == "won":
            return cls.from_sums(deal.currency, won=deal.amount, won_count=1)
        weighted = deal.amount * deal_probability(deal.stage, deal.probability)
        sums = {f"open_{bucket}": deal.amount}
        return cls.from_sums(deal.currency, weighted_percent=weighted, open_count=1, **sums)

    def __add__(self, other: Figures) -> Figures:
        if not isinstance(other, Figures):
            return NotImplemented
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} figures to {self.currency} figures")
        return Figures(
            self.currency,
            self.closed + other.closed,
            self.commit + other.commit,
            self.best_case + other.best_case,
            self.pipeline + other.pipeline,
            _EXACT.add(self.weighted, other.weighted),
            self.won_count + other.won_count,
            self.open_count + other.open_count,
        )


#: Figures per currency (currency → figures).
FigureSet = Mapping[str, Figures]


def add_sets(*sets: FigureSet) -> dict[str, Figures]:
    """The per-currency sum of figure sets."""
    total: dict[str, Figures] = {}
    for figures in sets:
        for currency, value in figures.items():
            total[currency] = total[currency] + value if currency in total else value
    return total


def add_amounts(*amounts: Mapping[str, int]) -> dict[str, int]:
    """The per-currency sum of amounts (a currency appears when any part has it)."""
    total: dict[str, int] = {}
    for part in amounts:
        for currency, value in part.items():
            total[currency] = total.get(currency, 0) + value
    return total


def figures_by_owner(deals: Iterable[Deal], period: Period) -> dict[str, dict[str, Figures]]:
    """Owner id → currency → the figures of their deals closing in ``period``."""
    found: dict[str, dict[str, Figures]] = {}
    for deal in deals:
        close = deal.expected_close_date
        if close is None or not period.contains(close):
            continue
        mine = found.setdefault(deal.owner_id, {})
        figures = Figures.of_deal(deal)
        mine[deal.currency] = mine[deal.currency] + figures if deal.currency in mine else figures
    return found


# --- quota ---------------------------------------------------------------------------------------


def attainment_pct(closed: int, quota: int | None) -> Decimal | None:
    """closed × 100 / quota, rounded half-up to one decimal; None without a (non-zero) quota."""
    if quota is None or quota == 0:
        return None
    ratio = _QUOTIENT.divide(_EXACT.multiply(Decimal(closed), _HUNDRED), Decimal(quota))
    return ratio.quantize(_TENTH, rounding=ROUND_HALF_UP, context=_QUOTIENT)


def gap_to_quota(closed: int, quota: int | None) -> int | None:
    """quota − closed (negative beyond quota); None without a quota."""
    return None if quota is None else quota - closed


# --- calls and adjustments ---------------------------------------------------------------------

AdjustmentKind = Literal["direct", "indirect"]


@dataclass(frozen=True, slots=True)
class Call:
    """A submission's layers, minor units of ``currency``."""

    currency: str
    commit: int
    rep_adjustment: int | None = None
    #: the sum of the standing manager adjustments (see :func:`layered`)
    manager_adjustment: int | None = None
    #: the manager of the latest of those adjustments
    adjusted_by: str | None = None

    @property
    def rep_call(self) -> int:
        """The submitted commit with the rep's own adjustment."""
        return self.commit + (self.rep_adjustment or 0)

    @property
    def final_call(self) -> int:
        """The rep's call with the manager's adjustment on top."""
        return self.rep_call + (self.manager_adjustment or 0)


def adjustment_kind(call: Call, owners_manager_id: str | None) -> AdjustmentKind | None:
    """``direct`` when the rep's own manager adjusted the call, ``indirect`` when someone higher
    up did; None without a manager adjustment."""
    if call.manager_adjustment is None:
        return None
    return "direct" if call.adjusted_by == owners_manager_id else "indirect"


AdjustmentScope = Literal["rep", "team"]


@dataclass(frozen=True, slots=True)
class Adjustment:
    """A manager's adjustment of ``owner_id``'s call (scope ``rep``) or of the call of the team
    ``owner_id`` manages (scope ``team``); ``amount`` in minor units of ``currency``, added."""

    owner_id: str
    currency: str
    amount: int
    adjusted_by: str
    adjusted_at: dt.datetime
    scope: AdjustmentScope = "rep"
    #: orders adjustments made at the same instant (the record id)
    id: str = ""


def standing_adjustments(
    adjustments: Iterable[Adjustment], *, before: dt.datetime | None = None
) -> list[Adjustment]:
    """The latest adjustment of each manager per owner, scope and currency (made before
    ``before`` when given), in the order they were made; a manager's later adjustment replaces
    their earlier one (ties: the larger ``id``)."""
    latest: dict[tuple[str, str, str, str], Adjustment] = {}
    for item in sorted(adjustments, key=lambda a: (a.adjusted_at, a.id)):
        if before is not None and item.adjusted_at >= before:
            continue
        latest[item.owner_id, item.scope, item.currency, item.adjusted_by] = item
    return sorted(latest.values(), key=lambda a: (a.adjusted_at, a.id))


def layered(adjustments: Iterable[Adjustment]) -> dict[tuple[str, str], dict[str, int]]:
    """(owner, scope) → currency → the sum of the standing adjustments (see
    :func:`standing_adjustments`)."""
    total: dict[tuple[str, str], dict[str, int]] = {}
    for item in standing_adjustments(adjustments):
        mine = total.setdefault((item.owner_id, item.scope), {})
        mine[item.currency] = mine.get(item.currency, 0) + item.amount
    return total


def kind_of(adjusted_by: str | None, owners_manager_id: str | None) -> AdjustmentKind | None:
    """``direct`` when ``adjusted_by`` is the owner's own manager, else ``indirect``."""
    if adjusted_by is None:
        return None
    return "direct" if adjusted_by == owners_manager_id else "indirect"


# --- the team roll-up ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """One person of the manager tree with what is theirs for the period (all per currency)."""

    user_id: str
    manager_id: str | None = None
    #: orders direct reports (a name); ties broken by id
    sort_key: str = ""
    #: the figures of their own deals
    figures: FigureSet = field(default_factory=dict)
    #: their own (personal) quota
    quota: Mapping[str, int] = field(default_factory=dict)
    #: an explicit quota for their whole team, overriding the sum of members' (per currency)
    team_quota: Mapping[str, int] = field(default_factory=dict)
    #: the final call of their latest submission
    call: Mapping[str, int] = field(default_factory=dict)
    #: the standing team adjustments on their team's call, summed (per currency)
    team_adjustment: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TeamNode:
    """A person with their team's roll-up; ``children`` are their direct reports."""

    person: Person
    depth: int
    children: tuple[TeamNode, ...]
    #: own figures + the children's team figures
    figures: dict[str, Figures]
    #: the explicit team quota, else own quota + the children's team quotas
    quota: dict[str, int]
    #: own final call + the children's team calls + the team adjustment
    call: dict[str, int]
    #: people in the team (the person included)
    members: int
    #: people in the team with a call for the period
    submitted: int

    @property
    def is_manager(self) -> bool:
        return bool(self.children)

    def walk(self) -> Iterable[TeamNode]:
        """This node and everyone below it, depth first (reports in ``sort_key`` order)."""
        yield self
        for child in self.children:
            yield from child.walk()


def _roots(people: Mapping[str, Person]) -> list[str]:
    return [p.user_id for p in people.values() if p.manager_id not in people]


def roll_up(people: Iterable[Person], roots: Sequence[str] | None = None) -> list[TeamNode]:
    """The team tree under each of ``roots`` (default: everyone without a manager among
    ``people``), rolled up as the module's rules say. Independent of the order of ``people``;
    unknown roots are skipped; a cycle is cut where it closes."""
    by_id = {p.user_id: p for p in people}
    reports: dict[str, list[Person]] = {}
    for person in by_id.values():
        if person.manager_id is not None and person.manager_id != person.user_id:
            reports.setdefault(person.manager_id, []).append(person)
    for group in reports.values():
        group.sort(key=lambda p: (p.sort_key, p.user_id))
    seen: set[str] = set()
    chosen = _roots(by_id) if roots is None else [r for r in roots if r in by_id]
    ordered = sorted(chosen, key=lambda r: (by_id[r].sort_key, r))
    return [_node(by_id[r], 0, reports, seen) for r in ordered if r not in seen]


def _node(
    person: Person, depth: int, reports: Mapping[str, list[Person]], seen: set[str]
) -> TeamNode:
    seen.add(person.user_id)
    children = tuple(
        _node(child, depth + 1, reports, seen)
        for child in reports.get(person.user_id, [])
        if child.user_id not in seen
    )
    quota = add_amounts(person.quota, *(c.quota for c in children))
    quota.update(person.team_quota)
    return TeamNode(
        person=person,
        depth=depth,
        children=children,
        figures=add_sets(person.figures, *(c.figures for c in children)),
        quota=quota,
        call=add_amounts(person.call, *(c.call for c in children), person.team_adjustment),
        members=1 + sum(c.members for c in children),
        submitted=(1 if person.call else 0) + sum(c.submitted for c in children),
    )


# --- the trend of submitted calls --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What the trend reads from one submission: who, when, and its figures (minor units)."""

    owner_id: str
    currency: str
    submitted_at: dt.datetime
    call: int
    best_case: int


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """The calls standing at the end of ``day``: Σ over people of their latest submission
    made by then (per currency); ``submitted`` people have one by then."""

    day: dt.date
    call: dict[str, int]
    best_case: dict[str, int]
    submitted: int


def call_trend(snapshots: Iterable[Snapshot]) -> list[TrendPoint]:
    """One point per day on which someone submitted, oldest first: the sum, per currency, of
    each person's latest submission as of that day (a later one replaces an earlier one; ties
    within a person and currency go to the later ``submitted_at``). The last point is the sum
    of everyone's latest call. Days are those of ``submitted_at`` as given (pass local times
    to get local days)."""
    ordered = sorted(snapshots, key=lambda s: (s.submitted_at, s.owner_id, s.currency))
    standing: dict[tuple[str, str], Snapshot] = {}
    points: list[TrendPoint] = []
    for index, snapshot in enumerate(ordered):
        standing[snapshot.owner_id, snapshot.currency] = snapshot
        day = snapshot.submitted_at.date()
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        if following is not None and following.submitted_at.date() == day:
            continue
        current = list(standing.values())
        points.append(
            TrendPoint(
                day=day,
                call=add_amounts(*({s.currency: s.call} for s in current)),
                best_case=add_amounts(*({s.currency: s.best_case} for s in current)),
                submitted=len({s.owner_id for s in current}),
            )
        )
    return points


# --- accuracy ------------------------------------------------------------------------------------


def forecast_accuracy(forecast: int, actual: int) -> Decimal:
    """max(0, 1 − |forecast − actual| / actual) × 100, truncated to one decimal (100.0 only
    when exact); with actual 0: 100 if the forecast is 0, else 0."""
    if actual == 0:
        return Decimal("100.0") if forecast == 0 else Decimal("0.0")
    miss = _QUOTIENT.divide(Decimal(abs(forecast - actual)), Decimal(abs(actual)))
    score = max(Decimal(0), _QUOTIENT.multiply(_QUOTIENT.subtract(Decimal(1), miss), _HUNDRED))
    # one decimal always ("0.0", "100.0"), so every accuracy prints alike
    return score.quantize(_TENTH, rounding=ROUND_FLOOR, context=_QUOTIENT)
