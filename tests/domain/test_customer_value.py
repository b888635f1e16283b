"""Customer value and Pareto tiers (A/B/C)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sfa_desktop.domain.customer_value import (
    PIPELINE_WEIGHT,
    TIERS,
    account_value,
    assign_tiers,
)
from sfa_desktop.domain.errors import ValidationError

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, max_examples=200)


def d(text: str) -> Decimal:
    return Decimal(text)


# account_value -----------------------------------------------------------------------------


def test_value_is_won_plus_half_the_weighted_pipeline() -> None:
    assert d("0.5") == PIPELINE_WEIGHT
    assert account_value(d("12000.00"), d("3000.00")) == d("13500.00")
    assert account_value(d("0"), d("0.01")) == d("0.005")
    assert account_value(d("0"), d("0")) == 0


def test_value_is_never_negative() -> None:
    assert account_value(d("-500"), d("200")) == 0


# assign_tiers ------------------------------------------------------------------------------


def test_classic_pareto_split() -> None:
    values = {
        "big": d("7000"),
        "large": d("1500"),
        "mid": d("800"),
        "small": d("400"),
        "tiny": d("200"),
        "crumb": d("100"),
        "none": d("0"),
    }
    # cumulative before each: 0, 70 %, 85 %, 93 %, 97 %, 99 %, 100 %
    assert assign_tiers(values) == {
        "big": "A",
        "large": "A",
        "mid": "B",
        "small": "B",
        "tiny": "C",
        "crumb": "C",
        "none": "C",
    }


def test_one_dominant_account_is_a_alone() -> None:
    assert assign_tiers({"x": d("90"), "y": d("6"), "z": d("4")}) == {"x": "A", "y": "B", "z": "C"}


def test_empty_and_all_zero() -> None:
    assert assign_tiers({}) == {}
    assert assign_tiers({"a": d("0"), "b": d("0")}) == {"a": "C", "b": "C"}


def test_negative_values_count_as_zero() -> None:
    assert assign_tiers({"a": d("10"), "b": d("-50")}) == {"a": "A", "b": "C"}


def test_equal_values_share_a_tier() -> None:
    # ten equal accounts: the one crossing 80 % is A, so all ten are
    assert set(assign_tiers({f"k{i}": d("1") for i in range(10)}).values()) == {"A"}
    values = {"a": d("50"), "b": d("20"), "c": d("20"), "d": d("10")}
    assert assign_tiers(values) == {"a": "A", "b": "A", "c": "A", "d": "B"}


def test_ties_do_not_depend_on_mapping_order() -> None:
    values = {"b": d("5"), "a": d("5"), "c": d("1"), "e": d("3"), "f": d("3")}
    reordered = dict(reversed(list(values.items())))
    assert assign_tiers(values) == assign_tiers(reordered)


def test_custom_shares() -> None:
    values = {"a": d("50"), "b": d("30"), "c": d("20")}
    assert assign_tiers(values, a_share=d("0.5"), b_share=d("0.8")) == {
        "a": "A",
        "b": "B",
        "c": "C",
    }
    assert assign_tiers(values, a_share=d("1"), b_share=d("1")) == {"a": "A", "b": "A", "c": "A"}


@pytest.mark.parametrize(
    ("a_share", "b_share", "field"),
    [
        ("0", "0.9", "a_share"),
        ("1.1", "1.2", "a_share"),
        ("0.8", "0.7", "b_share"),
        ("0.8", "1.5", "b_share"),
    ],
)
def test_invalid_shares(a_share: str, b_share: str, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        assign_tiers({"a": d("1")}, a_share=d(a_share), b_share=d(b_share))
    assert caught.value.code == "out_of_range"
    assert caught.value.field == field


# properties --------------------------------------------------------------------------------

values_maps = st.dictionaries(
    st.text(alphabet="abcdefghij", min_size=1, max_size=4),
    st.decimals(min_value=0, max_value=10**7, places=2),
    max_size=40,
)


@DETERMINISTIC
@given(values_maps)
def test_tier_rules_hold(values: dict[str, Decimal]) -> None:
    tiers = assign_tiers(values)
    assert set(tiers) == set(values)
    assert set(tiers.values()) <= set(TIERS)
    total = sum(values.values(), Decimal(0))
    a_values = [values[k] for k, tier in tiers.items() if tier == "A"]
    b_values = [values[k] for k, tier in tiers.items() if tier == "B"]
    c_values = [values[k] for k, tier in tiers.items() if tier == "C"]
    if total > 0:
        assert sum(a_values, Decimal(0)) >= d("0.80") * total
        assert sum(a_values + b_values, Decimal(0)) >= d("0.95") * total
    else:
        assert not a_values and not b_values
    # a better tier never holds a less valuable account
    if a_values and b_values:
        assert min(a_values) > max(b_values)
    if a_values and c_values:
        assert min(a_values) > max(c_values)
    if b_values and c_values:
        assert min(b_values) > max(c_values)
    assert all(values[k] > 0 for k, tier in tiers.items() if tier != "C")


@DETERMINISTIC
@given(values_maps)
def test_tiers_ignore_insertion_order(values: dict[str, Decimal]) -> None:
    assert assign_tiers(values) == assign_tiers(dict(sorted(values.items(), reverse=True)))
