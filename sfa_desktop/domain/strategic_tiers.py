"""Strategic tiers of customers (the seeds' MVC / MGC / BZ) and the visit cadence each gets.

Over all the accounts in scope, each account gets exactly one tier, in this precedence:

1. **BZ** (*below zero*) — a customer (it has bought from us at least once) whose cost to
   serve over the last 12 months is above its margin (``contribution < 0``): serve it by
   cheaper channels (phone, e-mail). A prospect is never below zero: what it costs is the
   price of winning it, not of serving it.
2. **MVC** (*most valuable customers*) — of the others, ranked by lifetime value (highest
   first, ties by id), those that together make the first :data:`MVC_SHARE` (50 %) of the
   total lifetime value; the account that crosses the line is in, accounts of equal value
   share a tier, and an account worth 0 never is: retain them.
3. **MGC** (*most growable customers*) — of the rest, ranked by growth potential (annual
   potential − last 12 months), the top :data:`MGC_SHARE` (20 %, rounded up) with a growth
   potential above 0 (ties with the last one in): develop them (cross- and up-selling).
4. **Other** — everyone else.

Each tier has a default visit cadence (company settings; :func:`tier_cadence`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import compress

from sfa_desktop.domain.customer_value import (
    DEFAULT_A_SHARE,
    DEFAULT_B_SHARE,
    TIER_A,
    TIER_B,
    TIER_C,
)

MVC = "mvc"
MGC = "mgc"
BZ = "bz"
OTHER = "other"
STRATEGIC_TIERS = (MVC, MGC, OTHER, BZ)

MVC_SHARE = Decimal("0.5")
MGC_SHARE = Decimal("0.2")

#: Default visit cadence per tier (days): the catalog defaults of the company settings.
DEFAULT_TIER_CADENCE: Mapping[str, int] = {MVC: 14, MGC: 21, OTHER: 45, BZ: 90}
#: The channels a tier is served through first: below-zero customers by phone and e-mail.
TIER_CHANNELS: Mapping[str, tuple[str, ...]] = {
    MVC: ("visit",),
    MGC: ("visit",),
    OTHER: ("visit", "phone"),
    BZ: ("phone", "email"),
}

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class TierInput:
    """What the tiers read of one account (from its value model)."""

    lifetime_value: Decimal | int
    growth_potential: Decimal | int
    contribution: Decimal | int
    #: it has bought from us (historic value above 0)
    customer: bool = True

    @property
    def below_zero(self) -> bool:
        return self.customer and self.contribution < 0


def strategic_tiers(
    accounts: Mapping[str, TierInput],
    *,
    mvc_share: Decimal = MVC_SHARE,
    mgc_share: Decimal = MGC_SHARE,
) -> dict[str, str]:
    """The tier of every key of ``accounts`` (account id → its figures); module doc."""
    tiers = {key: BZ for key, item in accounts.items() if item.below_zero}
    rest = sorted((item.lifetime_value, key) for key, item in accounts.items() if key not in tiers)
    rest.sort(key=lambda x: x[0], reverse=True)  # stable: highest first, ties by key
    total = sum((max(_ZERO, value) for value, _ in rest), _ZERO)
    cumulative = _ZERO
    previous: Decimal | int | None = None
    for value, key in rest:
        if value <= 0:
            break
        if cumulative >= mvc_share * total and value != previous:
            break
        tiers[key] = MVC
        cumulative += value
        previous = value
    growable = [(accounts[key].growth_potential, key) for key in accounts if key not in tiers]
    quota = math.ceil(mgc_share * len(growable))
    growable.sort()
    growable.sort(key=lambda x: x[0], reverse=True)  # stable: highest first, ties by key
    last: Decimal | int | None = None
    for rank, (growth, key) in enumerate(growable):
        if growth <= 0 or (rank >= quota and growth != last):
            break
        tiers[key] = MGC
        last = growth
    for key in accounts:
        tiers.setdefault(key, OTHER)
    return tiers


def tier_cadence(tier: str, cadences: Mapping[str, int] | None = None) -> int:
    """The visit cadence (days) of ``tier`` from the company's settings (else the default)."""
    return (cadences or DEFAULT_TIER_CADENCE).get(tier, DEFAULT_TIER_CADENCE[OTHER])


def account_cadence(
    own_cadence: int | None, tier: str | None, cadences: Mapping[str, int] | None = None
) -> int | None:
    """The cadence an account is visited at: its own when the rep set one other than the
    catalog default (:data:`CATALOG_DEFAULT_CADENCE`), else its tier's. ``None`` or ``0``
    (no cadence) stays so."""
    if own_cadence is None or own_cadence <= 0:
        return own_cadence
    if own_cadence != CATALOG_DEFAULT_CADENCE or tier is None:
        return own_cadence
    return tier_cadence(tier, cadences)


#: The catalog default of ``account.visit_cadence_days``: an account still at it has not had
#: its cadence chosen, so its tier's applies.
CATALOG_DEFAULT_CADENCE = 30


# --- the same tiers as cut-offs, for many accounts at once -----------------------------------

Number = Decimal | int


def _cut_by_share(values: list[Number], share: Decimal, total: Number) -> Number | None:
    """The lowest of ``values`` (sorted, highest first; only those above 0 count) whose
    accounts are in the first ``share`` of ``total``: an account of value ``v > 0`` is in iff
    the values strictly above ``v`` add up to less than ``share × total`` (``None``: nobody)."""
    line = share * total
    cumulative: Number = 0
    cut: Number | None = None
    previous: Number | None = None
    for value in values:
        if value <= 0:
            break
        if value != previous:
            if cumulative >= line:
                break
            cut = previous = value
        cumulative += value
    return cut


@dataclass(frozen=True, slots=True)
class TierCutoffs:
    """Where the tiers of a set of accounts start: :func:`strategic_tiers` and
    :func:`sfa_desktop.domain.customer_value.assign_tiers` as thresholds, so that each account's
    tiers follow from its own figures (:meth:`strategic`, :meth:`pareto`)."""

    #: lowest lifetime value in MVC (``None``: no MVC)
    mvc_from: Number | None
    #: lowest growth potential in MGC (``None``: no MGC)
    mgc_from: Number | None
    #: lowest value in Pareto tier A, in A or B
    a_from: Number | None
    b_from: Number | None

    def strategic(
        self, lifetime_value: Number, growth_potential: Number, contribution: Number, customer: bool
    ) -> str:
        if customer and contribution < 0:
            return BZ
        if self.mvc_from is not None and lifetime_value > 0 and lifetime_value >= self.mvc_from:
            return MVC
        if self.mgc_from is not None and growth_potential > 0 and growth_potential >= self.mgc_from:
            return MGC
        return OTHER

    def pareto(self, value: Number) -> str:
        if value > 0 and self.a_from is not None and value >= self.a_from:
            return TIER_A
        if value > 0 and self.b_from is not None and value >= self.b_from:
            return TIER_B
        return TIER_C

    def strategic_of(
        self,
        ltv: Sequence[Number],
        growth: Sequence[Number],
        contribution: Sequence[Number],
        customer: Sequence[bool],
    ) -> list[str]:
        """:meth:`strategic` of accounts given as columns, in one pass."""
        never = math.inf
        mvc = never if self.mvc_from is None else self.mvc_from
        mgc = never if self.mgc_from is None else self.mgc_from
        return [
            BZ
            if k and c < 0
            else MVC
            if l_ > 0 and l_ >= mvc
            else MGC
            if g > 0 and g >= mgc
            else OTHER
            for l_, g, c, k in zip(ltv, growth, contribution, customer, strict=True)
        ]

    def pareto_of(self, values: Sequence[Number]) -> list[str]:
        """:meth:`pareto` of accounts' values, in one pass."""
        a = math.inf if self.a_from is None else self.a_from
        b = math.inf if self.b_from is None else self.b_from
        return [
            TIER_A if v > 0 and v >= a else TIER_B if v > 0 and v >= b else TIER_C for v in values
        ]


def tier_cutoffs(
    accounts: Iterable[tuple[Number, Number, Number, bool, Number]],
    *,
    mvc_share: Decimal = MVC_SHARE,
    mgc_share: Decimal = MGC_SHARE,
    a_share: Decimal = DEFAULT_A_SHARE,
    b_share: Decimal = DEFAULT_B_SHARE,
) -> TierCutoffs:
    """The :class:`TierCutoffs` of ``accounts``: ``(lifetime value, growth potential,
    contribution, customer?, Pareto value)`` each. The same tiers as :func:`strategic_tiers`
    and ``assign_tiers`` (``tests/domain/test_tier_cutoffs.py``)."""
    items = list(accounts)
    return tier_cutoffs_of(
        [item[0] for item in items],
        [item[1] for item in items],
        [item[2] for item in items],
        [bool(item[3]) for item in items],
        [item[4] for item in items],
        mvc_share=mvc_share,
        mgc_share=mgc_share,
        a_share=a_share,
        b_share=b_share,
    )


def tier_cutoffs_of(
    ltv: Sequence[Number],
    growth: Sequence[Number],
    contribution: Sequence[Number],
    customer: Sequence[bool],
    value: Sequence[Number],
    *,
    mvc_share: Decimal = MVC_SHARE,
    mgc_share: Decimal = MGC_SHARE,
    a_share: Decimal = DEFAULT_A_SHARE,
    b_share: Decimal = DEFAULT_B_SHARE,
) -> TierCutoffs:
    """:func:`tier_cutoffs` of accounts given as columns (the ``i``-th of each list is one
    account's): sorts numbers, not records, for a whole territory in a fraction of a
    second."""
    keep = [not (k and c < 0) for c, k in zip(contribution, customer, strict=True)]  # not BZ
    rest_ltv, rest_growth = list(compress(ltv, keep)), list(compress(growth, keep))
    lifetime = sorted(rest_ltv, reverse=True)
    mvc_from = _cut_by_share(lifetime, mvc_share, sum([v for v in lifetime if v > 0], 0))
    if mvc_from is None:
        growable = sorted(rest_growth, reverse=True)
    else:
        growable = sorted(
            [
                g
                for l_, g in zip(rest_ltv, rest_growth, strict=True)
                if not (l_ > 0 and l_ >= mvc_from)
            ],
            reverse=True,
        )
    quota = math.ceil(mgc_share * len(growable))
    mgc_from = growable[quota - 1] if quota > 0 else None
    values = sorted([v if v > 0 else 0 for v in value], reverse=True)
    total = sum(values, 0)
    return TierCutoffs(
        mvc_from,
        mgc_from,
        _cut_by_share(values, a_share, total),
        _cut_by_share(values, b_share, total),
    )
