"""Co-purchase rules (support, confidence, lift), cross-sell suggestions and up-sell."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from sfa_desktop.domain.cross_sell import (
    MIN_CONFIDENCE,
    MIN_LIFT,
    MIN_PAIR_CUSTOMERS,
    CatalogItem,
    PairStats,
    co_purchase_table,
    cross_sell_rules,
    pair_stats,
    upsell_suggestions,
)

ITEMS = st.sampled_from(["a", "b", "c", "d", "e", "f"])
BASKETS = st.lists(st.frozensets(ITEMS, max_size=5), max_size=40)


def _brute_force(baskets: list[frozenset[str]], x: str, y: str) -> tuple[int, int, int, int]:
    kept = [b for b in baskets if b]
    return (
        sum(1 for b in kept if x in b and y in b),
        sum(1 for b in kept if x in b),
        sum(1 for b in kept if y in b),
        len(kept),
    )


def test_the_example_from_the_issue() -> None:
    """62 % of the buyers of X also buy Y: 14 of 22 customers…"""
    stats = PairStats(both=14, first=22, second=20, customers=100)
    assert stats.confidence == Fraction(14, 22)
    assert round(float(stats.confidence) * 100) == 64
    assert stats.support == Fraction(14, 100)
    assert stats.lift == Fraction(14 * 100, 22 * 20)
    assert round(float(stats.lift), 1) == 3.2


@given(
    st.integers(0, 50),
    st.integers(0, 50),
    st.integers(0, 50),
    st.integers(0, 200),
)
def test_lift_is_symmetric_in_its_counts(both: int, first: int, second: int, extra: int) -> None:
    first, second = first + both, second + both
    customers = max(first, second) + extra
    forward = PairStats(both, first, second, customers)
    backward = PairStats(both, second, first, customers)
    assert forward.lift == backward.lift
    assert forward.support == backward.support


@given(BASKETS)
def test_counts_match_a_brute_force_count(baskets: list[frozenset[str]]) -> None:
    table = co_purchase_table(baskets, min_pair_customers=1)
    for x, y in combinations("abcdef", 2):
        stats = pair_stats(table, x, y)
        both, first, second, customers = _brute_force(baskets, x, y)
        assert (stats.both, stats.first, stats.second, stats.customers) == (
            both,
            first,
            second,
            customers,
        )
        assert pair_stats(table, y, x).lift == stats.lift
        assert 0 <= stats.confidence <= 1
        assert 0 <= stats.support <= 1


@given(BASKETS, st.frozensets(ITEMS, max_size=4), st.frozensets(ITEMS, max_size=2))
def test_suggestions_never_include_what_was_bought(
    baskets: list[frozenset[str]], bought: frozenset[str], exclude: frozenset[str]
) -> None:
    table = co_purchase_table(baskets)
    rules = cross_sell_rules(table, bought, exclude=exclude)
    items = [rule.item for rule in rules]
    assert len(items) == len(set(items))
    for rule in rules:
        assert rule.item not in bought and rule.item not in exclude
        assert rule.because in bought
        assert 0 <= rule.confidence <= 1
        assert rule.confidence >= MIN_CONFIDENCE
        assert rule.lift >= MIN_LIFT
        assert rule.customers >= MIN_PAIR_CUSTOMERS
    ranks = [(rule.confidence, rule.lift) for rule in rules]
    assert ranks == sorted(ranks, reverse=True)


def test_a_pair_below_the_minimum_of_customers_is_no_rule() -> None:
    baskets = [frozenset("xy")] * (MIN_PAIR_CUSTOMERS - 1) + [frozenset("z")] * 10
    table = co_purchase_table(baskets)
    assert cross_sell_rules(table, {"x"}) == []
    enough = co_purchase_table([*baskets, frozenset("xy")])
    [rule] = cross_sell_rules(enough, {"x"})
    assert (rule.item, rule.because, rule.customers) == ("y", "x", MIN_PAIR_CUSTOMERS)
    assert rule.confidence == 1


def test_a_pair_bought_together_no_more_than_by_chance_is_no_rule() -> None:
    # y is in every basket: buying x says nothing about y (lift 1)
    baskets = [frozenset("xy")] * 5 + [frozenset("y")] * 5
    assert cross_sell_rules(co_purchase_table(baskets), {"x"}) == []


def test_the_best_rule_of_an_item_explains_it() -> None:
    baskets = (
        [frozenset("ay")] * 3 + [frozenset("by")] * 4 + [frozenset("b")] * 6 + [frozenset("z")] * 7
    )
    [rule] = cross_sell_rules(co_purchase_table(baskets), {"a", "b"})
    assert rule.item == "y" and rule.because == "a"  # every a buyer took y, 4 of 10 b buyers


def _catalog(*items: CatalogItem) -> dict[str, CatalogItem]:
    return {item.id: item for item in items}


def test_upsell_offers_options_components_and_one_step_up_per_family() -> None:
    catalog = _catalog(
        CatalogItem("small", "air", price=Decimal(100)),
        CatalogItem("medium", "air", price=Decimal(200)),
        CatalogItem("large", "air", price=Decimal(250)),
        CatalogItem("huge", "air", price=Decimal(2000)),
        CatalogItem("filter", "air", "option", parent_id="small", price=Decimal(10)),
        CatalogItem("tank", "air", "component", parent_id="small", price=Decimal(20)),
        CatalogItem("old", "air", "option", parent_id="small", active=False),
        CatalogItem("other", "air", "option", parent_id="large"),
    )
    found = upsell_suggestions(catalog, {"small"})
    assert [(u.item, u.because, u.reason) for u in found] == [
        ("filter", "small", "option"),
        ("tank", "small", "component"),
        ("medium", "small", "step_up"),
    ]
    # the dearest bought product decides the step; beyond the ratio no step is offered
    found = upsell_suggestions(catalog, {"small", "large", "filter", "tank"})
    assert [(u.item, u.reason) for u in found] == [("other", "option")]


@given(
    st.dictionaries(
        st.sampled_from("pqrstu"),
        st.tuples(
            st.sampled_from(["f1", "f2", None]),
            st.sampled_from(["product", "option", "component"]),
            st.sampled_from("pqrstu"),
            st.integers(1, 1000),
            st.booleans(),
        ),
    ),
    st.frozensets(st.sampled_from("pqrstu")),
)
def test_upsell_never_offers_what_was_bought_or_inactive(
    spec: dict[str, tuple[str | None, str, str, int, bool]], bought: frozenset[str]
) -> None:
    catalog = {
        key: CatalogItem(key, family, kind, parent, Decimal(price), active)
        for key, (family, kind, parent, price, active) in spec.items()
    }
    for upsell in upsell_suggestions(catalog, bought):
        assert upsell.item not in bought
        assert catalog[upsell.item].active
        assert upsell.because in bought
