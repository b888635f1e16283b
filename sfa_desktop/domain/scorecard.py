"""The CRM scorecard (cuadro de mando): period-over-period indicators in four perspectives.

The seeds' balanced scorecard for a CRM asks for sales growth in the key segments (financial),
retaining, growing and winning customers and selling new products (customer), the intensity
and efficiency of the relationship (internal process) and the people's command of it
(learning and growth). Every indicator is computed here from plain figures the store gathers
(:mod:`sfa_desktop.services.scorecard`); nothing is rounded until it is shown.

**Periods** are a month (``2026-11``), a quarter (``2026-Q4``) or a year (``2026``). Each is
compared with the one before it (``previous``) or the same one a year earlier (``last-year``).

**Sales** of a period are the amounts of the won opportunities (stage ``closed_won``) whose
close date (``expected_close_date``) falls in it — the forecast's "closed" — in the company's
currency (deals in another currency are left out: there are no exchange rates). A **buyer** of
a period is an account with at least one such deal.

The formulas (``C`` the period's buyers, ``P`` the compared period's; ``S`` sales):

* sales growth = ``(S − S_compared) / S_compared`` (none when ``S_compared`` is 0);
* retention = ``|C ∩ P| / |P|`` (none when ``P`` is empty); lost customers = ``|P − C|``;
* new customers = buyers whose first won deal ever falls in the period;
* sales per customer = ``S / |C|``;
* share of sales from new products: each won deal's amount is split across the product
  families of its accepted quote in proportion to the lines' net amounts (quantity × price ×
  (1 − discount), items not optional); a deal without an accepted quote goes to
  :data:`NO_FAMILY`. A product is **new** in a period when it was added to the catalogue
  (its ``created_at``) within the :data:`NEW_PRODUCT_MONTHS` calendar months ending with the
  period's last month;
  share = new products' part / ``S``;
* visits within cadence = share of the current customers with a visit cadence whose last
  done activity (any kind, as Today's overdue list counts it) is no more than their cadence
  days before the period's last day — today, for the period under way (not overdue then);
* quote conversion = accepted / (accepted + rejected + expired) over quotes issued in the
  period (none while nothing is decided);
* average days to close = mean of (won at − created at) in days over the period's won deals,
  "won at" being the stage change to ``closed_won`` (the close date when there is none);
* visits with an outcome = done visits and meetings of the period whose outcome was written,
  over the done ones; accounts with a known potential = accounts with an annual potential,
  over all accounts in scope (a snapshot: the same for both periods).

**Breakdowns** split the sales of both periods (and the buyers) by product family, value tier
(:func:`sfa_desktop.services.scorecard.account_tiers`), zone (the account's region) and channel
(the account's preferred channel). Every breakdown's rows add up to the total.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from sfa_desktop.domain.errors import ValidationError

PeriodKind = Literal["month", "quarter", "year"]
Compare = Literal["previous", "last_year"]
COMPARES: tuple[Compare, ...] = ("previous", "last_year")
PERIOD_KINDS: tuple[PeriodKind, ...] = ("month", "quarter", "year")

NEW_PRODUCT_MONTHS = 12
"""A product counts as new for this many months after it joined the catalogue."""

NO_FAMILY = ""
"""The breakdown key of sales with no product detail (no accepted quote) or no family."""
UNKNOWN = ""
"""The breakdown key of an account with no region, channel or tier."""

DIMENSIONS = ("family", "tier", "zone", "channel")
PERSPECTIVES = ("financial", "customer", "internal", "learning")

_ZERO = Decimal(0)
_SPLIT = Decimal("0.0001")
_LENGTH = {"month": 1, "quarter": 3, "year": 12}
_PATTERN = re.compile(r"^(\d{4})(?:-(?:(\d{2})|[Qq]([1-4])))?$")


@dataclass(frozen=True, slots=True, order=True)
class ScorePeriod:
    """A calendar month (``number`` 1–12), quarter (1–4) or year (``number`` 1) of ``year``."""

    year: int
    kind: PeriodKind
    number: int

    def __post_init__(self) -> None:
        top = {"month": 12, "quarter": 4, "year": 1}.get(self.kind)
        if top is None or not 1 <= self.number <= top or not 1 <= self.year <= 9999:
            raise ValueError(f"no {self.kind} {self.number} of {self.year}")

    @classmethod
    def of(cls, day: dt.date, kind: PeriodKind) -> ScorePeriod:
        """The month, quarter or year ``day`` is in."""
        number = {"month": day.month, "quarter": (day.month - 1) // 3 + 1, "year": 1}[kind]
        return cls(day.year, kind, number)

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        if self.kind == "quarter":
            return f"{self.year:04d}-Q{self.number}"
        return f"{self.year:04d}"

    @property
    def _first_month(self) -> int:
        return {"month": self.number, "quarter": 3 * self.number - 2, "year": 1}[self.kind]

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self._first_month, 1)

    @property
    def end(self) -> dt.date:
        """The last day (inclusive)."""
        following = self.shifted(1)
        return following.start - dt.timedelta(days=1)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def shifted(self, steps: int) -> ScorePeriod:
        """The period ``steps`` periods of the same kind later (earlier when negative)."""
        index = self.year * 12 + self._first_month - 1 + steps * _LENGTH[self.kind]
        year, month = divmod(index, 12)
        return ScorePeriod.of(dt.date(year, month + 1, 1), self.kind)

    def previous(self) -> ScorePeriod:
        return self.shifted(-1)

    def last_year(self) -> ScorePeriod:
        return ScorePeriod(self.year - 1, self.kind, self.number)

    def compared(self, compare: Compare) -> ScorePeriod:
        """The period this one is compared with."""
        return self.previous() if compare == "previous" else self.last_year()


def parse_period(text: str) -> ScorePeriod:
    """``2026-11``, ``2026-Q4`` or ``2026``; :class:`ValidationError` ``invalid_period``."""
    found = _PATTERN.match(text.strip())
    try:
        if found is None:
            raise ValueError(text)
        year, month, quarter = found.groups()
        if month is not None:
            return ScorePeriod(int(year), "month", int(month))
        if quarter is not None:
            return ScorePeriod(int(year), "quarter", int(quarter))
        return ScorePeriod(int(year), "year", 1)
    except ValueError:
        raise ValidationError("invalid_period", field="period", params={"value": text}) from None


def new_product_since(period: ScorePeriod) -> dt.date:
    """Products added on or after this day are new in ``period``: the first day of the
    :data:`NEW_PRODUCT_MONTHS` calendar months that end with the period's last month."""
    return ScorePeriod.of(period.end, "month").shifted(1 - NEW_PRODUCT_MONTHS).start


# --- the ratios ----------------------------------------------------------------------------------


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """``part / whole``; none when ``whole`` is 0."""
    if whole == 0:
        return None
    return Decimal(part) / Decimal(whole)


def growth(current: Decimal | int, compared: Decimal | int) -> Decimal | None:
    """``(current − compared) / compared``; none when ``compared`` is 0."""
    if compared == 0:
        return None
    return (Decimal(current) - Decimal(compared)) / abs(Decimal(compared))


def retention(current: frozenset[str], compared: frozenset[str]) -> Decimal | None:
    """Share of the compared period's buyers who bought again: ``|C ∩ P| / |P|``."""
    return ratio(len(current & compared), len(compared))


def lost(current: frozenset[str], compared: frozenset[str]) -> frozenset[str]:
    """The compared period's buyers who did not buy in the period."""
    return compared - current


def new_buyers(
    buyers: Iterable[str], first_purchase: Mapping[str, dt.date], start: dt.date
) -> frozenset[str]:
    """Buyers whose first won deal ever is on or after ``start`` (the period's first day)."""
    return frozenset(b for b in buyers if (first := first_purchase.get(b)) and first >= start)


def within_cadence(
    accounts: Iterable[tuple[int | None, dt.date | None]], day: dt.date
) -> tuple[int, int]:
    """(accounts visited within their cadence on ``day``, accounts with a cadence).

    Each account is (cadence in days, last done visit on or before ``day``); an account never
    visited is not within its cadence; one without a cadence is not counted.
    """
    within = counted = 0
    for cadence, last in accounts:
        if cadence is None or cadence <= 0:
            continue
        counted += 1
        if last is not None and (day - last).days <= cadence:
            within += 1
    return within, counted


def average(values: Sequence[Decimal | int]) -> Decimal | None:
    if not values:
        return None
    return sum((Decimal(v) for v in values), _ZERO) / len(values)


def split_by_family(amount: int, family_net: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """A deal's ``amount`` split across families in proportion to their net amounts (all of it
    to :data:`NO_FAMILY` when there are none), to 1/10,000 of a minor unit; the largest part
    takes the rounding, so the parts add up to ``amount`` exactly."""
    positive = {f: n for f, n in family_net.items() if n > 0}
    if len(positive) == 1:  # all of it (what the proportion gives, without dividing)
        return {next(iter(positive)): Decimal(amount)}
    total = sum(positive.values(), _ZERO)
    if total == 0:
        return {NO_FAMILY: Decimal(amount)}
    parts = {f: (Decimal(amount) * n / total).quantize(_SPLIT) for f, n in sorted(positive.items())}
    last = max(parts, key=lambda f: (parts[f], f))
    parts[last] = Decimal(amount) - sum((v for f, v in parts.items() if f != last), _ZERO)
    return parts


# --- the scorecard -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PeriodFacts:
    """What the store gathered for one period (amounts in minor units of ``currency``)."""

    period: ScorePeriod
    #: account id → won amount of the period
    sales: Mapping[str, int]
    deals_won: int
    #: product family → sales allocated to it (adds up to the sum of ``sales``)
    family_sales: Mapping[str, Decimal]
    #: the part of the sales from new products
    new_product_sales: Decimal
    #: days from creation to win of each won deal
    days_to_close: tuple[Decimal, ...]
    quotes_accepted: int
    quotes_decided: int
    visits_done: int
    visits_with_outcome: int
    #: (within cadence, with a cadence) on the period's last day
    cadence: tuple[int, int]


@dataclass(frozen=True, slots=True)
class Kpi:
    """One tile: ``value`` this period, ``compared`` the other one; ``unit`` is ``money``
    (minor units), ``ratio`` (0–1), ``count`` or ``days``. ``higher_is_better`` colours it."""

    key: str
    perspective: str
    unit: str
    value: Decimal | None
    compared: Decimal | None
    higher_is_better: bool = True
    #: the figure is itself a change (a growth): its sign is its trend
    is_change: bool = False

    @property
    def change(self) -> Decimal | None:
        """``value − compared`` (points for a ratio); none when either is unknown."""
        if self.value is None or self.compared is None:
            return None
        return self.value - self.compared

    @property
    def trend(self) -> int:
        """+1 better, −1 worse, 0 unchanged or unknown."""
        change = self.value if self.is_change else self.change
        if not change:
            return 0
        up = 1 if change > 0 else -1
        return up if self.higher_is_better else -up


@dataclass(frozen=True, slots=True)
class BreakdownRow:
    key: str
    sales: Decimal
    compared_sales: Decimal
    buyers: int
    compared_buyers: int

    @property
    def growth(self) -> Decimal | None:
        return growth(self.sales, self.compared_sales)


@dataclass(frozen=True, slots=True)
class Scorecard:
    period: ScorePeriod
    compared_period: ScorePeriod
    compare: Compare
    currency: str
    kpis: tuple[Kpi, ...]
    #: dimension → rows, largest sales first (ties by key)
    breakdowns: Mapping[str, tuple[BreakdownRow, ...]]
    #: (period, retention vs its previous period) for the periods up to this one, oldest first
    retention_trend: tuple[tuple[ScorePeriod, Decimal | None], ...]

    def kpi(self, key: str) -> Kpi:
        return next(k for k in self.kpis if k.key == key)

    def perspective(self, name: str) -> tuple[Kpi, ...]:
        return tuple(k for k in self.kpis if k.perspective == name)


def _sum(values: Iterable[int | Decimal]) -> Decimal:
    return sum((Decimal(v) for v in values), _ZERO)


def breakdown(
    sales: Mapping[str, int],
    compared: Mapping[str, int],
    key_of: Mapping[str, str],
) -> tuple[BreakdownRow, ...]:
    """Both periods' sales and buyers grouped by ``key_of[account]`` (:data:`UNKNOWN` when
    missing); the rows add up to the totals."""
    rows: dict[str, list[Decimal | int]] = {}
    for index, figures in enumerate((sales, compared)):
        for account, amount in figures.items():
            row = rows.setdefault(key_of.get(account) or UNKNOWN, [_ZERO, _ZERO, 0, 0])
            row[index] = Decimal(row[index]) + amount
            row[2 + index] = int(row[2 + index]) + 1
    return _ordered(
        BreakdownRow(k, Decimal(r[0]), Decimal(r[1]), int(r[2]), int(r[3])) for k, r in rows.items()
    )


def family_breakdown(
    current: Mapping[str, Decimal], compared: Mapping[str, Decimal]
) -> tuple[BreakdownRow, ...]:
    """Sales per product family in both periods (buyers are not split by family: 0)."""
    keys = set(current) | set(compared)
    return _ordered(
        BreakdownRow(k, current.get(k, _ZERO), compared.get(k, _ZERO), 0, 0) for k in keys
    )


def _ordered(rows: Iterable[BreakdownRow]) -> tuple[BreakdownRow, ...]:
    return tuple(sorted(rows, key=lambda r: (-r.sales, -r.compared_sales, r.key)))


def build_scorecard(
    current: PeriodFacts,
    compared: PeriodFacts,
    *,
    compare: Compare,
    currency: str,
    first_purchase: Mapping[str, dt.date],
    tiers: Mapping[str, str],
    zones: Mapping[str, str],
    channels: Mapping[str, str],
    potential_known: tuple[int, int],
    key_tier: str,
    trend: Sequence[tuple[ScorePeriod, frozenset[str], frozenset[str]]] = (),
) -> Scorecard:
    """The scorecard of ``current`` against ``compared``.

    ``first_purchase``: account → close date of its first won deal ever; ``tiers``, ``zones``,
    ``channels``: account → its key in each breakdown; ``potential_known``: (accounts with an
    annual potential, accounts); ``key_tier``: the tier whose growth is the key segment's;
    ``trend``: (period, its buyers, its previous period's buyers).
    """
    buyers, before = frozenset(current.sales), frozenset(compared.sales)
    sales, sales_before = _sum(current.sales.values()), _sum(compared.sales.values())
    new_now = new_buyers(buyers, first_purchase, current.period.start)
    new_before = new_buyers(before, first_purchase, compared.period.start)
    key_now = _sum(a for k, a in current.sales.items() if tiers.get(k) == key_tier)
    key_before = _sum(a for k, a in compared.sales.items() if tiers.get(k) == key_tier)
    by_tier = breakdown(current.sales, compared.sales, tiers)

    def facts_kpi(
        key: str,
        perspective: str,
        unit: str,
        f: Callable[[PeriodFacts], Decimal | None],
        better: bool = True,
    ) -> Kpi:
        return Kpi(key, perspective, unit, f(current), f(compared), better)

    def share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
        return ratio(part, whole)

    kpis = (
        Kpi("sales", "financial", "money", sales, sales_before),
        Kpi("sales_growth", "financial", "ratio", growth(sales, sales_before), None, True, True),
        Kpi("key_growth", "financial", "ratio", growth(key_now, key_before), None, True, True),
        facts_kpi("deals_won", "financial", "count", lambda f: Decimal(f.deals_won)),
        Kpi("customers", "customer", "count", Decimal(len(buyers)), Decimal(len(before))),
        Kpi("retention", "customer", "ratio", retention(buyers, before), None),
        Kpi("lost", "customer", "count", Decimal(len(lost(buyers, before))), None, False),
        Kpi("new_customers", "customer", "count", Decimal(len(new_now)), Decimal(len(new_before))),
        Kpi(
            "sales_per_customer",
            "customer",
            "money",
            ratio(sales, len(buyers)),
            ratio(sales_before, len(before)),
        ),
        Kpi(
            "new_product_share",
            "customer",
            "ratio",
            share(current.new_product_sales, sales),
            share(compared.new_product_sales, sales_before),
        ),
        facts_kpi(
            "quote_conversion",
            "internal",
            "ratio",
            lambda f: ratio(f.quotes_accepted, f.quotes_decided),
        ),
        facts_kpi("days_to_close", "internal", "days", lambda f: average(f.days_to_close), False),
        facts_kpi("visits_done", "internal", "count", lambda f: Decimal(f.visits_done)),
        facts_kpi("within_cadence", "internal", "ratio", lambda f: ratio(*f.cadence)),
        facts_kpi(
            "visits_with_outcome",
            "learning",
            "ratio",
            lambda f: ratio(f.visits_with_outcome, f.visits_done),
        ),
        Kpi(
            "new_customer_sales_share",
            "learning",
            "ratio",
            share(_sum(current.sales[b] for b in new_now), sales),
            share(_sum(compared.sales[b] for b in new_before), sales_before),
        ),
        Kpi(
            "potential_known",
            "learning",
            "ratio",
            ratio(*potential_known),
            ratio(*potential_known),
        ),
    )
    return Scorecard(
        period=current.period,
        compared_period=compared.period,
        compare=compare,
        currency=currency,
        kpis=kpis,
        breakdowns={
            "family": family_breakdown(current.family_sales, compared.family_sales),
            "tier": by_tier,
            "zone": breakdown(current.sales, compared.sales, zones),
            "channel": breakdown(current.sales, compared.sales, channels),
        },
        retention_trend=tuple((p, retention(now, then)) for p, now, then in trend),
    )
