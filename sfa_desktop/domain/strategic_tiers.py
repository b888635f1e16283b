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
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

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
