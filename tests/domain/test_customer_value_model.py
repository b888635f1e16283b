"""The value model (historic, last 12 months, margin, cost to serve, retention, LTV) and the
strategic tiers (MVC / MGC / BZ / other)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sfa_desktop.domain.customer_value_model import (
    MAX_RETENTION,
    AccountFacts,
    Sale,
    ValueSettings,
    lifetime_value,
    retention_estimate,
    value_model,
)
from sfa_desktop.domain.strategic_tiers import (
    BZ,
    CATALOG_DEFAULT_CADENCE,
    MGC,
    MVC,
    OTHER,
    STRATEGIC_TIERS,
    TierInput,
    account_cadence,
    strategic_tiers,
)
from sync_server.protocol.catalog import ACCOUNT

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, max_examples=200)
TODAY = dt.date(2026, 12, 6)
D = Decimal


def test_figures_of_one_account() -> None:
    facts = AccountFacts(
        sales=(
            # last 12 months, this year: half its revenue has a known cost (margin 400)
            Sale(dt.date(2026, 3, 1), D(2000), D(1000), D(400), discount=D(100)),
            # last 12 months, last year
            Sale(dt.date(2025, 12, 20), D(1000)),
            # two years ago
            Sale(dt.date(2024, 6, 1), D(500)),
        ),
        activities={"visit": 3, "call": 2, "task": 9},
        potential=D(10000),
    )
    model = value_model(facts, ValueSettings(), TODAY)
    assert model.historic == 3500
    assert model.last_12m == 3000
    assert model.current_year == 2000
    assert model.share_of_wallet == D("0.3")
    assert model.growth_potential == 7000
    assert model.activity_cost == 3 * 60 + 2 * 8  # tasks cost nothing
    assert model.cost_to_serve == 196 + 100
    # known 400 + (3000 − 1000) × 30 %
    assert model.margin == 400 + 600
    assert model.contribution == 1000 - 296
    assert not model.below_zero
    # periods with a sale: 0 and 2 (period 1 empty) → 1 period to look at, 0 kept
    assert (model.periods, model.kept) == (1, 0)
    assert model.retention == D("1.2") / 3
    r = model.retention
    assert model.lifetime_value == 1000 * r / (D("1.1") - r)
    keys = [figure.key for figure in model.figures()]
    assert keys[0] == "historic" and "lifetime_value" in keys


def test_no_potential_no_share_of_wallet_and_no_growth() -> None:
    model = value_model(AccountFacts(sales=(Sale(TODAY, D(100)),)), ValueSettings(), TODAY)
    assert model.share_of_wallet is None and model.growth_potential == 0


def test_growth_is_never_negative() -> None:
    facts = AccountFacts(sales=(Sale(TODAY, D(100)),), potential=D(50))
    assert value_model(facts, ValueSettings(), TODAY).growth_potential == 0


def test_retention_of_a_customer_buying_every_year_is_capped() -> None:
    days = [TODAY - dt.timedelta(days=365 * k + 10) for k in range(20)]
    r, periods, kept = retention_estimate(days, TODAY)
    assert (periods, kept) == (19, 19)
    assert r == MAX_RETENTION


def test_retention_without_sales_is_the_prior() -> None:
    assert retention_estimate([], TODAY) == (D("0.6"), 0, 0)


sales = st.builds(
    Sale,
    st.dates(TODAY - dt.timedelta(days=2000), TODAY),
    st.decimals(0, 100000, places=2),
    discount=st.decimals(0, 1000, places=2),
)
facts = st.builds(
    AccountFacts,
    st.lists(sales, max_size=6).map(tuple),
    st.fixed_dictionaries({"visit": st.integers(0, 30), "call": st.integers(0, 30)}),
    st.none() | st.decimals(0, 200000, places=0),
)


@DETERMINISTIC
@given(facts)
def test_below_zero_iff_cost_above_margin(account: AccountFacts) -> None:
    model = value_model(account, ValueSettings(), TODAY)
    assert model.below_zero == (model.historic > 0 and model.margin < model.cost_to_serve)
    assert model.last_12m <= model.historic and model.current_year <= model.historic
    assert 0 <= model.retention <= MAX_RETENTION


money = st.decimals(0, 10**6, places=2)
rates = st.decimals(0, MAX_RETENTION, places=3)
discounts = st.decimals(0, 50, places=1)


@DETERMINISTIC
@given(money, money, rates, discounts)
def test_ltv_is_monotone_in_margin(a: Decimal, b: Decimal, r: Decimal, d: Decimal) -> None:
    low, high = sorted((a, b))
    assert lifetime_value(low, r, d) <= lifetime_value(high, r, d)


@DETERMINISTIC
@given(money, rates, rates, discounts)
def test_ltv_is_monotone_in_retention(m: Decimal, a: Decimal, b: Decimal, d: Decimal) -> None:
    low, high = sorted((a, b))
    assert 0 <= lifetime_value(m, low, d) <= lifetime_value(m, high, d)


# strategic tiers ---------------------------------------------------------------------------

tier_inputs = st.dictionaries(
    st.text("abcdef", min_size=1, max_size=3),
    st.builds(
        TierInput,
        st.decimals(0, 1000, places=0),
        st.decimals(0, 1000, places=0),
        st.decimals(-100, 1000, places=0),
        st.booleans(),
    ),
    max_size=30,
)


@DETERMINISTIC
@given(tier_inputs)
def test_tiers_partition_the_accounts(accounts: dict[str, TierInput]) -> None:
    tiers = strategic_tiers(accounts)
    assert tiers.keys() == accounts.keys()
    assert set(tiers.values()) <= set(STRATEGIC_TIERS)
    for key, item in accounts.items():
        assert (tiers[key] == BZ) == (item.customer and item.contribution < 0)
    rest = [item.lifetime_value for key, item in accounts.items() if tiers[key] != BZ]
    mvc = [item.lifetime_value for key, item in accounts.items() if tiers[key] == MVC]
    assert sum(mvc, D(0)) >= sum(rest, D(0)) / 2
    if mvc:  # every account worth more than the least valuable MVC is MVC
        floor = min(mvc)
        assert all(
            tiers[k] == MVC
            for k, i in accounts.items()
            if tiers[k] != BZ and i.lifetime_value > floor
        )
    for key, item in accounts.items():
        if tiers[key] == MGC:
            assert item.growth_potential > 0


def test_tiers_of_a_small_territory() -> None:
    accounts = {
        "big": TierInput(D(900), D(0), D(500)),
        "mid": TierInput(D(300), D(0), D(100)),
        "grow": TierInput(D(100), D(5000), D(50)),
        "small": TierInput(D(50), D(10), D(5)),
        "zero": TierInput(D(0), D(0), D(0)),
        "loss": TierInput(D(2000), D(9000), D(-1)),
        "prospect": TierInput(D(0), D(0), D(-60), customer=False),
    }
    assert strategic_tiers(accounts) == {
        "big": MVC,
        "mid": OTHER,
        "grow": MGC,
        "small": OTHER,
        "zero": OTHER,
        "loss": BZ,
        "prospect": OTHER,
    }


def test_own_cadence_wins_unless_it_is_the_catalog_default() -> None:
    assert ACCOUNT.field("visit_cadence_days").default == CATALOG_DEFAULT_CADENCE
    assert account_cadence(30, MVC) == 14
    assert account_cadence(30, BZ, {BZ: 120}) == 120
    assert account_cadence(60, MVC) == 60
    assert account_cadence(0, MVC) == 0
    assert account_cadence(None, MVC) is None
    assert account_cadence(30, None) == 30


def _comparable(model: object) -> tuple[object, ...]:
    return tuple(v for k, v in vars(model).items() if k != "settings")


@DETERMINISTIC
@given(
    st.lists(
        st.tuples(st.integers(-1500, 60), st.integers(0, 500), st.integers(0, 50)), max_size=6
    ),
    st.integers(0, 1500),
)
def test_the_figures_hold_until_valid_until(sales: list[tuple[int, int, int]], later: int) -> None:
    """Any day before ``valid_until`` gives the figures of ``today``; the sales are dated
    around a year end to meet 1 January."""
    from sfa_desktop.domain.customer_value_model import valid_until

    today = dt.date(2026, 12, 20)
    facts = AccountFacts(
        sales=tuple(
            sorted(
                (Sale(today + dt.timedelta(days=d), D(a), D(a), D(m)) for d, a, m in sales),
                key=lambda s: s.day,
            )
        )
    )
    until = valid_until(facts, today)
    assert until > today
    day = today + dt.timedelta(days=later)
    settings_ = ValueSettings()
    if day < until:
        assert _comparable(value_model(facts, settings_, day)) == _comparable(
            value_model(facts, settings_, today)
        )
    elif until != dt.date.max:  # what it names is a real change of some sale's place
        assert until - today <= dt.timedelta(days=366)


def test_an_undated_sale_or_activities_end_the_figures_sooner() -> None:
    from sfa_desktop.domain.customer_value_model import valid_until

    sale = Sale(TODAY - dt.timedelta(days=340), D(100))  # last year: leaves in 25 days
    assert valid_until(AccountFacts(sales=(sale,)), TODAY) == TODAY + dt.timedelta(days=25)
    this_year = Sale(TODAY - dt.timedelta(days=10), D(100))  # current year: ends on 1 January
    assert valid_until(AccountFacts(sales=(this_year,)), TODAY) == dt.date(2027, 1, 1)
    without = valid_until(AccountFacts(sales=(this_year,)), TODAY, year_end=False)
    assert without == this_year.day + dt.timedelta(days=365)  # the reader zeroes the year
    soon = TODAY + dt.timedelta(days=3)
    assert valid_until(AccountFacts(sales=(sale,), activities_change=soon), TODAY) == soon
    undated = AccountFacts(sales=(sale,), undated=True)
    assert valid_until(undated, TODAY) == TODAY + dt.timedelta(days=1)
    assert valid_until(AccountFacts(), TODAY) == dt.date.max
