"""What a customer is worth, and why (Peppers & Rogers: *differentiate*): the value model.

Everything is in the company currency, in currency units (``Decimal``), from an account's
facts (:class:`AccountFacts`) and the company settings (:class:`ValueSettings`). Every figure
comes back with the inputs it was computed from (:class:`Figure`), so the account page and the
CLI can say how it was computed.

**Sales.** A sale is a closed-won opportunity (its amount, on its expected close date) or an
accepted quote that no closed-won opportunity already counts (its net of non-optional item
lines, on its issue date). An accepted quote linked to a won opportunity is *not* a second
sale: the opportunity counts, and the quote only lends it its margin rate and its discount
rate (see the service :mod:`sfa_desktop.services.customer_values`).

* **Historic value** = Σ sales, ever.
* **Last 12 months** = Σ sales dated in ``(today − 365 days, today]``.
* **Current year** = Σ sales dated from 1 January of ``today``'s year to ``today``.
* **Share of wallet** = last 12 months / annual potential (none without a potential).
* **Growth potential** = max(0, annual potential − last 12 months) (0 without a potential).
* **Cost to serve** (last 12 months) = Σ done activities × the company's cost of their kind
  (visit, meeting, call, e-mail; tasks cost nothing) + the discounts given on the last 12
  months' sales (list price − net).
* **Margin** (last 12 months) = Σ over those sales of the known margin (net − unit cost ×
  quantity, on the lines whose product has a unit cost) + the rest of the sale × the default
  margin %.
* **Contribution** = margin − cost to serve. **Below zero**: a customer (historic value
  above 0) whose contribution is negative; a prospect never is.
* **Retention** ``r``: of the account's yearly periods (12-month windows ending today, from its
  first sale to the last 12 months) in which it bought, the share followed by a purchase in
  the next period, smoothed with a prior (``(kept + 1.2) / (periods + 2)``: 60 % with two
  periods' weight) and capped at :data:`MAX_RETENTION`. An account without sales gets the
  prior.
* **Lifetime value** = ``m × r / (1 + d − r)``: the margin ``m`` of a year (the last 12
  months) received at the end of each future year while the customer stays (probability
  ``r`` each year), discounted at ``d`` (the company's LTV discount %). The expected remaining
  years are ``r / (1 − r)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)

#: The days one "year" window spans (last 12 months, yearly periods of the retention).
YEAR_DAYS = 365
#: Prior of the retention estimate: ``PRIOR_KEPT`` repeat purchases in ``PRIOR_PERIODS``.
PRIOR_KEPT = Decimal("1.2")
PRIOR_PERIODS = Decimal(2)
#: No customer is assumed to stay for ever: retention is capped here.
MAX_RETENTION = Decimal("0.95")
#: Activity kinds that cost something to serve a customer (tasks are the rep's own to-dos).
COSTED_KINDS = ("visit", "meeting", "call", "email")


def _frozen(mapping: Mapping[str, Decimal]) -> Mapping[str, Decimal]:
    return MappingProxyType(dict(mapping))


DEFAULT_ACTIVITY_COSTS: Mapping[str, Decimal] = _frozen(
    {"visit": Decimal(60), "meeting": Decimal(30), "call": Decimal(8), "email": Decimal(2)}
)


@dataclass(frozen=True)
class ValueSettings:
    """The company's value settings (``company`` record; unset: the catalog defaults)."""

    default_margin_pct: Decimal = Decimal(30)
    #: cost of one done activity per kind, in currency units
    activity_costs: Mapping[str, Decimal] = field(default_factory=lambda: DEFAULT_ACTIVITY_COSTS)
    ltv_discount_pct: Decimal = Decimal(10)


@dataclass(frozen=True)
class Sale:
    """One sale of the account (see the module doc for what counts as one)."""

    day: dt.date
    #: net revenue, excluding tax
    amount: Decimal
    #: the part of ``amount`` whose products have a known unit cost
    costed_amount: Decimal = _ZERO
    #: the margin of that part: ``costed_amount`` − unit costs × quantities
    costed_margin: Decimal = _ZERO
    #: list price − net given on it (line discounts)
    discount: Decimal = _ZERO


@dataclass(frozen=True)
class AccountFacts:
    """What the value model needs of one account."""

    sales: tuple[Sale, ...] = ()
    #: done activities of the last 12 months, per kind
    activities: Mapping[str, int] = field(default_factory=dict)
    #: estimated yearly spend in our categories (``None``: not estimated)
    potential: Decimal | None = None
    #: the first day after ``today`` on which ``activities`` would count otherwise (a done
    #: activity leaves the last 12 months, or one dated later enters them); ``None``: never
    activities_change: dt.date | None = None
    #: a sale has no date of its own (it is dated ``today``, so it moves every day)
    undated: bool = False


Input = Decimal | int | str | None


@dataclass(frozen=True)
class Figure:
    """A figure with the inputs it was computed from (``formula`` names the rule)."""

    key: str
    amount: Decimal | None
    inputs: Mapping[str, Input]


@dataclass(frozen=True)
class ValueModel:
    """One account's figures (currency units; ratios as fractions 0–1)."""

    historic: Decimal
    last_12m: Decimal
    current_year: Decimal
    potential: Decimal | None
    share_of_wallet: Decimal | None
    growth_potential: Decimal
    cost_to_serve: Decimal
    activity_cost: Decimal
    discounts: Decimal
    margin: Decimal
    known_margin: Decimal
    default_margin: Decimal
    contribution: Decimal
    retention: Decimal
    periods: int
    kept: int
    expected_years: Decimal
    lifetime_value: Decimal
    activities: Mapping[str, int]
    settings: ValueSettings

    @property
    def below_zero(self) -> bool:
        """A customer whose cost to serve is above its margin."""
        return self.historic > 0 and self.contribution < 0

    def figures(self) -> list[Figure]:
        """Each figure with its inputs, in the order the account page shows them."""
        s = self.settings
        costs: dict[str, Input] = {
            f"{kind}_count": self.activities.get(kind, 0) for kind in COSTED_KINDS
        }
        costs.update({f"{kind}_cost": s.activity_costs.get(kind, _ZERO) for kind in COSTED_KINDS})
        return [
            Figure("historic", self.historic, {}),
            Figure("last_12m", self.last_12m, {}),
            Figure("current_year", self.current_year, {}),
            Figure("potential", self.potential, {}),
            Figure(
                "share_of_wallet",
                self.share_of_wallet,
                {"last_12m": self.last_12m, "potential": self.potential},
            ),
            Figure(
                "growth_potential",
                self.growth_potential,
                {"potential": self.potential, "last_12m": self.last_12m},
            ),
            Figure(
                "cost_to_serve",
                self.cost_to_serve,
                {**costs, "activity_cost": self.activity_cost, "discounts": self.discounts},
            ),
            Figure(
                "margin",
                self.margin,
                {
                    "known_margin": self.known_margin,
                    "default_margin": self.default_margin,
                    "default_margin_pct": s.default_margin_pct,
                },
            ),
            Figure(
                "contribution",
                self.contribution,
                {"margin": self.margin, "cost_to_serve": self.cost_to_serve},
            ),
            Figure(
                "retention",
                self.retention,
                {"kept": self.kept, "periods": self.periods, "max": MAX_RETENTION},
            ),
            Figure(
                "lifetime_value",
                self.lifetime_value,
                {
                    "margin": self.margin,
                    "retention": self.retention,
                    "discount_pct": s.ltv_discount_pct,
                    "expected_years": self.expected_years,
                },
            ),
        ]


def retention_estimate(sale_days: Iterable[dt.date], today: dt.date) -> tuple[Decimal, int, int]:
    """``(r, periods, kept)``: the smoothed, capped share of buying periods followed by a
    purchase in the next one (module doc). Periods are 365-day windows ending ``today``:
    period 0 is the last 12 months, period ``k`` the 12 months before period ``k − 1``."""
    bought = {(today - day).days // YEAR_DAYS for day in sale_days if day <= today}
    periods = sum(1 for k in bought if k >= 1)  # a buying period with a next one to look at
    kept = sum(1 for k in bought if k >= 1 and k - 1 in bought)
    r = (Decimal(kept) + PRIOR_KEPT) / (Decimal(periods) + PRIOR_PERIODS)
    return min(r, MAX_RETENTION), periods, kept


def lifetime_value(margin: Decimal, retention: Decimal, discount_pct: Decimal) -> Decimal:
    """``m × r / (1 + d − r)``: a yearly margin ``m`` kept with probability ``r`` a year,
    discounted at ``d``; 0 for a non-positive margin (a customer is not worth less than 0)."""
    if margin <= 0 or retention <= 0:
        return _ZERO
    d = discount_pct / _HUNDRED
    return margin * retention / (1 + d - retention)


def expected_years(retention: Decimal) -> Decimal:
    """``r / (1 − r)``: the years a customer is expected to stay (undiscounted)."""
    return retention / (1 - retention) if retention < 1 else Decimal("Infinity")


def value_model(facts: AccountFacts, settings: ValueSettings, today: dt.date) -> ValueModel:
    """Every figure of the module doc for one account on ``today``."""
    since = today - dt.timedelta(days=YEAR_DAYS)
    year_start = dt.date(today.year, 1, 1)
    historic = last_12m = current_year = discounts = known = costed = _ZERO
    for sale in facts.sales:
        if sale.day > today:
            continue
        historic += sale.amount
        if sale.day >= year_start:
            current_year += sale.amount
        if sale.day > since:
            last_12m += sale.amount
            discounts += sale.discount
            known += sale.costed_margin
            costed += sale.costed_amount
    default = (last_12m - costed) * settings.default_margin_pct / _HUNDRED
    margin = known + default
    activity_cost = sum(
        (
            Decimal(facts.activities.get(kind, 0)) * settings.activity_costs.get(kind, _ZERO)
            for kind in COSTED_KINDS
        ),
        _ZERO,
    )
    cost = activity_cost + discounts
    potential = facts.potential
    share = last_12m / potential if potential is not None and potential > 0 else None
    growth = max(_ZERO, potential - last_12m) if potential is not None else _ZERO
    r, periods, kept = retention_estimate((s.day for s in facts.sales), today)
    return ValueModel(
        historic=historic,
        last_12m=last_12m,
        current_year=current_year,
        potential=potential,
        share_of_wallet=share,
        growth_potential=growth,
        cost_to_serve=cost,
        activity_cost=activity_cost,
        discounts=discounts,
        margin=margin,
        known_margin=known,
        default_margin=default,
        contribution=margin - cost,
        retention=r,
        periods=periods,
        kept=kept,
        expected_years=expected_years(r),
        lifetime_value=lifetime_value(margin, r, settings.ltv_discount_pct),
        activities=dict(facts.activities),
        settings=settings,
    )


#: No change by the passing of time alone (an account without sales or activities).
NEVER = dt.date.max


def valid_until(facts: AccountFacts, today: dt.date, *, year_end: bool = True) -> dt.date:
    """The first day after ``today`` on which :func:`value_model` may give other figures for
    the same ``facts`` by the passing of time alone (:data:`NEVER`: none): a dated-later sale
    counts, a sale moves to an older yearly period (leaving the last 12 months first: the
    retention's periods), 1 January ends the current year, an activity enters or leaves the
    last 12 months. Until then the figures of ``today`` hold; it may come early, never late.

    Without ``year_end``, 1 January is left out: the caller knows that until the day returned
    the current year's sales are those of ``today`` in ``today``'s year, and none after it."""
    if facts.undated:
        return today + dt.timedelta(days=1)
    first = facts.activities_change or NEVER
    in_this_year = False
    for sale in facts.sales:
        if sale.day > today:
            first = min(first, sale.day)
            continue
        periods = (today - sale.day).days // YEAR_DAYS + 1
        first = min(first, sale.day + dt.timedelta(days=YEAR_DAYS * periods))
        in_this_year = in_this_year or sale.day.year == today.year
    if year_end and in_this_year:
        first = min(first, dt.date(today.year + 1, 1, 1))
    return first
