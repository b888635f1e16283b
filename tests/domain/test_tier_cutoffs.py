"""The tiers as cut-offs (the value table's fast pass) give exactly the tiers of the rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sfa_desktop.domain.customer_value import assign_tiers
from sfa_desktop.domain.strategic_tiers import TierInput, strategic_tiers, tier_cutoffs

# small ranges: many ties, zeros and negatives
_amount = st.integers(-3, 12)
_account = st.tuples(_amount, _amount, _amount, st.booleans(), _amount)


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(st.lists(_account, max_size=40))
def test_cutoffs_give_the_tiers_of_the_rules(
    accounts: list[tuple[int, int, int, bool, int]],
) -> None:
    keys = [f"a{i:03d}" for i in range(len(accounts))]
    cut = tier_cutoffs(accounts)
    strategic = strategic_tiers(
        {
            key: TierInput(max(0, a[0]), a[1], a[2], a[3])
            for key, a in zip(keys, accounts, strict=True)
        }
    )
    pareto = assign_tiers({key: a[4] for key, a in zip(keys, accounts, strict=True)})
    for key, (ltv, growth, contribution, customer, value) in zip(keys, accounts, strict=True):
        assert cut.strategic(max(0, ltv), growth, contribution, customer) == strategic[key]
        assert cut.pareto(value) == pareto[key]
    columns = [[a[i] for a in accounts] for i in range(5)]  # the same, in one pass
    assert cut.strategic_of([max(0, v) for v in columns[0]], *columns[1:4]) == [
        strategic[key] for key in keys
    ]
    assert cut.pareto_of(columns[4]) == [pareto[key] for key in keys]


def test_no_accounts_no_cutoffs() -> None:
    cut = tier_cutoffs([])
    assert (cut.mvc_from, cut.mgc_from, cut.a_from, cut.b_from) == (None, None, None, None)
