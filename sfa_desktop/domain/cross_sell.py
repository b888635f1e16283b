"""Cross-sell and up-sell: what to offer a customer next, and why (pure rules).

**Co-purchase.** A customer's *basket* is the set of items (products, or product families)
it has bought on any accepted quote. Over ``N`` customers with at least one purchase, for two
items X and Y::

    n(X)          customers who bought X
    n(X, Y)       customers who bought both
    support       = n(X, Y) / N
    confidence    = n(X, Y) / n(X)          (X → Y: "of the customers who buy X, this share
                                             also buys Y"; always in [0, 1])
    lift          = n(X, Y) × N / (n(X) × n(Y))
                  = confidence / (n(Y) / N)  (how many times likelier Y is with X than
                                             without knowing anything; symmetric in X and Y)

**A rule X → Y counts** when at least :data:`MIN_PAIR_CUSTOMERS` customers bought both
(three customers are a pattern, one or two are an anecdote), its confidence is at least
:data:`MIN_CONFIDENCE` and its lift at least :data:`MIN_LIFT` (Y sells clearly more often with X
than on its own).

**Suggestions for a customer**: every item Y it has not bought, by the best rule X → Y whose X
it has bought — the likeliest purchase first: highest confidence, then lift, then customers,
then ids (the lift threshold already keeps out items that are merely popular); never an item
already in its basket.

**Up-sell** within what the customer already buys (:func:`upsell_suggestions`): the options and
components of a product it bought (``kind`` option/component with that ``parent_product_id``)
that it has not bought, and — per family — the next product up in price above the dearest one
it bought there (at most :data:`STEP_UP_MAX_RATIO` times its price: a step, not a leap).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import combinations

__all__ = [
    "MIN_CONFIDENCE",
    "MIN_LIFT",
    "MIN_PAIR_CUSTOMERS",
    "STEP_UP_MAX_RATIO",
    "CatalogItem",
    "CoPurchaseTable",
    "PairStats",
    "Rule",
    "Upsell",
    "co_purchase_table",
    "cross_sell_rules",
    "pair_stats",
    "upsell_suggestions",
]

#: a rule needs at least this many customers who bought both items
MIN_PAIR_CUSTOMERS = 3
#: …at least this share of the buyers of X also buying Y
MIN_CONFIDENCE = Fraction(1, 5)
#: …and Y at least this many times likelier with X than overall
MIN_LIFT = Fraction(6, 5)
#: a step up costs at most this many times the dearest product the customer bought in the family
STEP_UP_MAX_RATIO = 3


@dataclass(frozen=True, slots=True)
class PairStats:
    """The counts of two items over ``customers`` baskets, and what follows from them."""

    both: int
    first: int
    second: int
    customers: int

    @property
    def support(self) -> Fraction:
        return Fraction(self.both, self.customers) if self.customers else Fraction(0)

    @property
    def confidence(self) -> Fraction:
        """first → second: the share of the buyers of the first who also bought the second."""
        return Fraction(self.both, self.first) if self.first else Fraction(0)

    @property
    def lift(self) -> Fraction:
        """``both × customers / (first × second)``: symmetric in first and second."""
        if not self.first or not self.second:
            return Fraction(0)
        return Fraction(self.both * self.customers, self.first * self.second)


@dataclass(frozen=True, slots=True)
class CoPurchaseTable:
    """How many customers bought each item and each pair of items (pairs below
    ``min_pair_customers`` left out), over ``customers`` non-empty baskets."""

    customers: int
    items: Mapping[str, int]
    pairs: Mapping[tuple[str, str], int]
    min_pair_customers: int = MIN_PAIR_CUSTOMERS
    #: each item's partners in a kept pair (for quick lookups)
    partners: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def co_purchase_table(
    baskets: Iterable[Iterable[str]], *, min_pair_customers: int = MIN_PAIR_CUSTOMERS
) -> CoPurchaseTable:
    """Count items and pairs over ``baskets`` (one per customer; repeats in a basket count
    once, empty baskets not at all)."""
    items: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    customers = 0
    for basket in baskets:
        unique = sorted(set(basket))
        if not unique:
            continue
        customers += 1
        items.update(unique)
        pairs.update(combinations(unique, 2))
    kept = {pair: n for pair, n in pairs.items() if n >= min_pair_customers}
    partners: dict[str, list[str]] = {}
    for a, b in kept:
        partners.setdefault(a, []).append(b)
        partners.setdefault(b, []).append(a)
    return CoPurchaseTable(
        customers=customers,
        items=dict(items),
        pairs=kept,
        min_pair_customers=min_pair_customers,
        partners={item: tuple(sorted(others)) for item, others in partners.items()},
    )


def pair_stats(table: CoPurchaseTable, first: str, second: str) -> PairStats:
    """The counts of ``first`` and ``second`` in ``table`` (``both`` is 0 for a pair bought
    together by fewer than the table's minimum)."""
    return PairStats(
        both=table.pairs.get(_pair_key(first, second), 0),
        first=table.items.get(first, 0),
        second=table.items.get(second, 0),
        customers=table.customers,
    )


@dataclass(frozen=True, slots=True)
class Rule:
    """Offer ``item`` because the customer bought ``because``: ``stats`` are the counts of
    (``because``, ``item``), so ``stats.confidence`` is because → item."""

    item: str
    because: str
    stats: PairStats

    @property
    def confidence(self) -> Fraction:
        return self.stats.confidence

    @property
    def lift(self) -> Fraction:
        return self.stats.lift

    @property
    def customers(self) -> int:
        """How many customers bought both."""
        return self.stats.both


def _rule_rank(rule: Rule) -> tuple[Fraction, Fraction, int, str, str]:
    return (-rule.confidence, -rule.lift, -rule.customers, rule.item, rule.because)


def cross_sell_rules(
    table: CoPurchaseTable,
    bought: Iterable[str],
    *,
    min_confidence: Fraction = MIN_CONFIDENCE,
    min_lift: Fraction = MIN_LIFT,
    exclude: Iterable[str] = (),
) -> list[Rule]:
    """The items to offer a customer who bought ``bought``, best first, one rule per item
    (its best); never an item of ``bought`` or ``exclude``."""
    owned = set(bought)
    skip = owned | set(exclude)
    best: dict[str, Rule] = {}
    for because in sorted(owned):
        for item in table.partners.get(because, ()):
            if item in skip:
                continue
            stats = pair_stats(table, because, item)
            if stats.both < table.min_pair_customers:
                continue
            if stats.confidence < min_confidence or stats.lift < min_lift:
                continue
            rule = Rule(item=item, because=because, stats=stats)
            held = best.get(item)
            if held is None or _rule_rank(rule) < _rule_rank(held):
                best[item] = rule
    return sorted(best.values(), key=_rule_rank)


@dataclass(frozen=True, slots=True)
class CatalogItem:
    """What up-selling needs to know of a product (``price`` in one price list, or None)."""

    id: str
    family: str | None
    kind: str = "product"
    parent_id: str | None = None
    price: Decimal | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class Upsell:
    """Offer ``item``: an ``option``/``component`` of ``because``, or a ``step_up`` from it
    (the next dearer product of its family)."""

    item: str
    because: str
    reason: str


def upsell_suggestions(catalog: Mapping[str, CatalogItem], bought: Iterable[str]) -> list[Upsell]:
    """Options and components of bought products first (by parent, then id), then one step up
    per family the customer buys (by family); never a bought or inactive product."""
    owned = {item for item in bought if item in catalog}
    found: list[Upsell] = []
    for item in sorted(catalog.values(), key=lambda p: (p.parent_id or "", p.id)):
        if (
            item.active
            and item.id not in owned
            and item.kind in ("option", "component")
            and item.parent_id in owned
        ):
            assert item.parent_id is not None
            found.append(Upsell(item=item.id, because=item.parent_id, reason=item.kind))
    by_family: dict[str, list[CatalogItem]] = {}
    for item in catalog.values():
        if item.family and item.kind == "product" and item.price is not None:
            by_family.setdefault(item.family, []).append(item)
    for family in sorted(by_family):
        products = by_family[family]
        mine = [p for p in products if p.id in owned]
        if not mine:
            continue
        top = max(mine, key=lambda p: (_price(p), p.id))
        ceiling = _price(top) * STEP_UP_MAX_RATIO
        dearer = [
            p
            for p in products
            if p.active and p.id not in owned and _price(top) < _price(p) <= ceiling
        ]
        if dearer:
            step = min(dearer, key=lambda p: (_price(p), p.id))
            found.append(Upsell(item=step.id, because=top.id, reason="step_up"))
    return found


def _price(item: CatalogItem) -> Decimal:
    return item.price if item.price is not None else Decimal(0)
