"""Differentiate customers by value (Peppers & Rogers): a value figure and Pareto tiers.

**Value** of an account, in the company currency::

    value = won in the last 12 months + 0.5 × weighted open pipeline

where the weighted open pipeline is the sum of ``amount × probability`` over the account's
open opportunities. Recent revenue is certain; the pipeline is a promise, so it counts half.
A negative result (refunds exceeding sales) counts as zero.

**Tiers** follow the Pareto rule. Accounts are ranked by value; the best ones that together
make up the first 80 % of the total are tier ``"A"``, the next ones up to 95 % are ``"B"``, the
rest (every zero-value account included) are ``"C"``. The account that crosses a threshold
belongs to the better tier, so tier A always holds at least 80 % of the value. Accounts of
equal value always share a tier.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from sfa_desktop.domain.errors import ValidationError

TIER_A = "A"
TIER_B = "B"
TIER_C = "C"
TIERS = (TIER_A, TIER_B, TIER_C)

PIPELINE_WEIGHT = Decimal("0.5")
"""Share of the weighted open pipeline that counts towards an account's value."""

DEFAULT_A_SHARE = Decimal("0.80")
DEFAULT_B_SHARE = Decimal("0.95")

_ZERO = Decimal(0)


def account_value(won_amounts_last_12m: Decimal, open_pipeline_weighted: Decimal) -> Decimal:
    """``won_amounts_last_12m + 0.5 × open_pipeline_weighted``, never below zero."""
    return max(_ZERO, won_amounts_last_12m + PIPELINE_WEIGHT * open_pipeline_weighted)


def _checked_shares(a_share: Decimal, b_share: Decimal) -> None:
    if not _ZERO < a_share <= 1:
        raise ValidationError("out_of_range", field="a_share", params={"min": 0, "max": 1})
    if not a_share <= b_share <= 1:
        raise ValidationError("out_of_range", field="b_share", params={"min": a_share, "max": 1})


def assign_tiers(
    values: Mapping[str, Decimal] | Mapping[str, int],
    *,
    a_share: Decimal = DEFAULT_A_SHARE,
    b_share: Decimal = DEFAULT_B_SHARE,
) -> dict[str, str]:
    """Tier ``"A"``, ``"B"`` or ``"C"`` for every key of ``values`` (account id → value).

    ``a_share`` and ``b_share`` are the cumulative shares of the total value that close tiers A
    and B (``0 < a_share <= b_share <= 1``). Negative values count as zero. Ranking ties are
    broken by key, so the result does not depend on the mapping's order.
    """
    _checked_shares(a_share, b_share)
    ranked = sorted(
        ((max(_ZERO, v), key) for key, v in values.items()), key=lambda x: (-x[0], x[1])
    )
    total = sum((value for value, _ in ranked), _ZERO)
    tiers: dict[str, str] = {}
    cumulative = _ZERO
    previous: tuple[Decimal | int, str] | None = None  # (value, tier) of the account ranked above
    for value, key in ranked:
        if previous is not None and value == previous[0]:
            tier = previous[1]
        elif value > 0 and cumulative < a_share * total:
            tier = TIER_A
        elif value > 0 and cumulative < b_share * total:
            tier = TIER_B
        else:
            tier = TIER_C
        tiers[key] = tier
        cumulative += value
        previous = (value, tier)
    return tiers
