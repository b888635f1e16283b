"""Segment rules: RFM classes, customer age, definitions (validation and JSON round trip)."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.domain.segments import (
    RFM_CLASSES,
    AccountFacts,
    AgeRange,
    SegmentDefinition,
    customer_age_years,
    definition_text,
    folded,
    pareto_curve,
    parse_definition,
    rfm_class,
    segment_counts,
)

TODAY = dt.date(2026, 12, 6)


def facts(**values: object) -> AccountFacts:
    return AccountFacts(account_id="a1", name="Acme", **values)  # type: ignore[arg-type]


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def test_rfm_rules_and_thresholds() -> None:
    assert rfm_class(facts(), TODAY) == "prospect"
    assert rfm_class(facts(first_purchase=days_ago(180), last_purchase=days_ago(10)), TODAY) == (
        "new"
    )
    old = days_ago(800)
    assert rfm_class(facts(first_purchase=old, last_purchase=days_ago(366)), TODAY) == "lapsed"
    assert rfm_class(facts(first_purchase=old, last_purchase=days_ago(365)), TODAY) == "at_risk"
    assert rfm_class(facts(first_purchase=old, last_purchase=days_ago(181)), TODAY) == "at_risk"
    assert rfm_class(facts(first_purchase=old, last_purchase=days_ago(180)), TODAY) == "loyal"
    declining = facts(
        first_purchase=old,
        last_purchase=days_ago(20),
        spend_12m=Decimal(49),
        spend_prev_12m=Decimal(100),
    )
    assert rfm_class(declining, TODAY) == "at_risk"
    steady = facts(
        first_purchase=old,
        last_purchase=days_ago(20),
        spend_12m=Decimal(50),
        spend_prev_12m=Decimal(100),
    )
    assert rfm_class(steady, TODAY) == "loyal"


def test_customer_age_in_whole_years() -> None:
    assert customer_age_years(facts(), TODAY) is None
    assert customer_age_years(facts(first_purchase=dt.date(2025, 12, 7)), TODAY) == 0
    assert customer_age_years(facts(first_purchase=dt.date(2025, 12, 6)), TODAY) == 1
    assert customer_age_years(facts(first_purchase=dt.date(2016, 1, 1)), TODAY) == 10


dates = st.one_of(st.none(), st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY))
money = st.decimals(min_value=0, max_value=10**7, places=2)


@st.composite
def account_facts(draw: st.DrawFn) -> AccountFacts:
    first = draw(dates)
    last = None if first is None else draw(st.dates(min_value=first, max_value=TODAY))
    return AccountFacts(
        account_id=draw(st.uuids()).hex,
        name="x",
        region=draw(st.sampled_from([None, "Madrid", "Andalucía"])),
        city=draw(st.sampled_from([None, "Málaga", "Sevilla"])),
        first_purchase=first,
        last_purchase=last,
        spend_12m=draw(money),
        spend_prev_12m=draw(money),
        families=frozenset(draw(st.sets(st.sampled_from(["Café", "Té", "Menaje"])))),
        abc=draw(st.sampled_from(["A", "B", "C"])),
    )


@given(st.lists(account_facts(), max_size=30))
def test_rfm_classes_partition_the_accounts(accounts: list[AccountFacts]) -> None:
    counts = segment_counts(accounts, TODAY)
    assert set(counts.rfm) == set(RFM_CLASSES)
    assert sum(counts.rfm.values()) == len(accounts)
    for item in accounts:
        chosen = [c for c in RFM_CLASSES if SegmentDefinition(rfm=(c,)).matches(item, TODAY)]
        assert chosen == [rfm_class(item, TODAY)]


texts = st.text(alphabet="abcdeñáé ABC-", min_size=1, max_size=12).filter(lambda t: t.strip())
lists = st.one_of(st.none(), st.lists(texts, min_size=1, max_size=4, unique=True))


@st.composite
def definitions(draw: st.DrawFn) -> SegmentDefinition:
    def choice(values: tuple[str, ...]) -> tuple[str, ...] | None:
        picked = draw(st.one_of(st.none(), st.lists(st.sampled_from(values), min_size=1)))
        return None if picked is None else tuple(dict.fromkeys(picked))

    def strings() -> tuple[str, ...] | None:
        picked = draw(lists)
        return None if picked is None else tuple(dict.fromkeys(t.strip() for t in picked))

    low = draw(st.one_of(st.none(), st.integers(0, 30)))
    high = draw(st.one_of(st.none(), st.integers(low or 0, 60)))
    return SegmentDefinition(
        regions=strings(),
        cities=strings(),
        families=strings(),
        abc=choice(("A", "B", "C")),
        rfm=choice(RFM_CLASSES),
        age_years=None if low is None and high is None else AgeRange(low, high),
        lifecycle=choice(("prospect", "customer")),
        owner_ids=strings(),
        tier=strings(),
    )


@given(definitions())
def test_a_definition_round_trips_through_json(definition: SegmentDefinition) -> None:
    assert parse_definition(json.loads(definition_text(definition))) == definition
    assert parse_definition(definition_text(definition)) == definition


@given(account_facts(), definitions())
def test_matching_is_the_conjunction_of_the_criteria(
    item: AccountFacts, definition: SegmentDefinition
) -> None:
    singles = [
        SegmentDefinition(**{key: value})  # type: ignore[arg-type]
        for key, value in vars(definition).items()
        if value is not None
    ]
    assert definition.matches(item, TODAY) == all(s.matches(item, TODAY) for s in singles)


def test_places_match_without_case_or_accents() -> None:
    item = facts(city="Málaga", region="Andalucía")
    assert SegmentDefinition(cities=("malaga",)).matches(item, TODAY)
    assert SegmentDefinition(regions=("ANDALUCIA",)).matches(item, TODAY)
    assert not SegmentDefinition(cities=("Sevilla",)).matches(item, TODAY)


def test_age_range_excludes_prospects() -> None:
    since = facts(first_purchase=dt.date(2020, 1, 1), last_purchase=days_ago(3))
    assert SegmentDefinition(age_years=AgeRange(5, None)).matches(since, TODAY)
    assert not SegmentDefinition(age_years=AgeRange(None, 5)).matches(since, TODAY)
    assert not SegmentDefinition(age_years=AgeRange(0, None)).matches(facts(), TODAY)


@pytest.mark.parametrize(
    ("raw", "code", "field"),
    [
        ({"version": 1, "colour": ["red"]}, "segment_unknown_key", "colour"),
        ({"abc": ["A"]}, "segment_version", "version"),
        ({"version": 2}, "segment_version", "version"),
        ({"version": True}, "segment_version", "version"),
        ({"version": 1, "abc": ["D"]}, "invalid_choice", "abc"),
        ({"version": 1, "rfm": "loyal"}, "segment_not_list", "rfm"),
        ({"version": 1, "cities": []}, "segment_empty_list", "cities"),
        ({"version": 1, "cities": [3]}, "invalid_choice", "cities"),
        ({"version": 1, "age_years": {"min": 5, "max": 2}}, "out_of_range", "age_years"),
        ({"version": 1, "age_years": {"from": 5}}, "segment_unknown_key", "age_years"),
        ({"version": 1, "age_years": {}}, "segment_not_range", "age_years"),
        ({"version": 1, "age_years": {"min": -1}}, "out_of_range", "age_years"),
        ("[1, 2]", "segment_not_object", None),
        ("{not json", "segment_not_object", None),
    ],
)
def test_bad_definitions_are_refused_with_a_code(raw: object, code: str, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_definition(raw)
    assert (caught.value.code, caught.value.field) == (code, field)


def test_pareto_curve_ends_at_one_and_marks_the_tiers() -> None:
    values = {f"a{i}": Decimal(v) for i, v in enumerate([80, 10, 5, 3, 2, 0])}
    tiers = {"a0": "A", "a1": "B", "a2": "B", "a3": "C", "a4": "C", "a5": "C"}
    curve = pareto_curve(values, tiers)
    assert curve.x[0] == 0.0 and curve.x[-1] == 1.0 and curve.y[-1] == pytest.approx(1.0)
    assert curve.y[1] == pytest.approx(0.8)
    assert list(curve.y) == sorted(curve.y)
    assert curve.a_end == pytest.approx(1 / 6) and curve.b_end == pytest.approx(3 / 6)
    assert pareto_curve({}, {}).accounts == 0


def _folded_plainly(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@given(st.text())
def test_folding_by_character_is_folding_the_whole_text(text: str) -> None:
    assert folded(text) == _folded_plainly(text)


def test_folding_drops_case_and_accents() -> None:
    assert folded("  Málaga ") == folded("MALAGA") == "malaga"
    assert folded("Straße Ñandú ﬁn") == "strasse nandu fin"
