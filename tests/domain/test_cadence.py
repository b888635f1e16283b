"""Visit cadence: due dates, days overdue and the overdue list."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sfa_desktop.domain.cadence import (
    DUE_IMMEDIATELY,
    CadenceInput,
    days_overdue,
    is_overdue,
    next_visit_due,
    overdue_accounts,
)

DETERMINISTIC = settings(derandomize=True, database=None, deadline=None, max_examples=200)

TODAY = date(2026, 11, 25)


def account(
    account_id: str,
    *,
    last: date | None = None,
    planned: date | None = None,
    cadence: int | None = 30,
    value: str = "0",
    created: date | None = None,
    name: str | None = None,
) -> CadenceInput:
    return CadenceInput(
        account_id=account_id,
        name=name or account_id.capitalize(),
        last_done_visit=last,
        next_planned_visit=planned,
        cadence_days=cadence,
        value=Decimal(value),
        created=created,
    )


# next_visit_due ----------------------------------------------------------------------------


def test_due_is_last_visit_plus_cadence() -> None:
    assert next_visit_due(date(2026, 1, 31), 30) == date(2026, 3, 2)
    assert next_visit_due(date(2026, 12, 20), 14) == date(2027, 1, 3)


def test_never_visited_is_due_from_creation_or_immediately() -> None:
    assert next_visit_due(None, 30, created=date(2026, 5, 4)) == date(2026, 5, 4)
    assert next_visit_due(None, 30) == DUE_IMMEDIATELY
    assert date.min == DUE_IMMEDIATELY


def test_no_cadence_is_never_due() -> None:
    for cadence in (None, 0, -5):
        assert next_visit_due(date(2020, 1, 1), cadence) is None
        assert next_visit_due(None, cadence, created=date(2020, 1, 1)) is None


def test_an_absurd_cadence_is_not_due_within_the_calendar() -> None:
    assert next_visit_due(date(9999, 12, 1), 365) is None


# days_overdue / is_overdue -----------------------------------------------------------------


def test_days_overdue() -> None:
    assert days_overdue(date(2026, 11, 20), TODAY) == 5
    assert days_overdue(TODAY, TODAY) == 0
    assert days_overdue(date(2026, 12, 1), TODAY) == 0
    assert days_overdue(None, TODAY) == 0
    assert days_overdue(DUE_IMMEDIATELY, TODAY) is None


def test_due_today_is_not_yet_overdue() -> None:
    assert not is_overdue(TODAY, None, TODAY)
    assert is_overdue(TODAY - timedelta(days=1), None, TODAY)


def test_a_visit_planned_by_the_due_date_clears_it() -> None:
    due = date(2026, 11, 20)
    assert not is_overdue(due, due, TODAY)
    assert not is_overdue(due, due - timedelta(days=3), TODAY)
    # planned after the due date: still late
    assert is_overdue(due, TODAY + timedelta(days=2), TODAY)


# overdue_accounts --------------------------------------------------------------------------


def test_overdue_accounts_picks_and_describes_the_late_ones() -> None:
    rows = [
        account("fresh", last=TODAY - timedelta(days=10)),
        account("late", last=TODAY - timedelta(days=40), value="100"),
        account("covered", last=TODAY - timedelta(days=40), planned=TODAY - timedelta(days=12)),
        account("no-cadence", last=date(2020, 1, 1), cadence=None),
        account("zero-cadence", last=date(2020, 1, 1), cadence=0),
        account("new", created=TODAY - timedelta(days=3)),
        account("created-today", created=TODAY),
        account("unknown-age"),
    ]
    result = overdue_accounts(rows, TODAY)
    # equal value: the one due earliest (immediately) first
    assert [item.account_id for item in result] == ["late", "unknown-age", "new"]
    by_id = {item.account_id: item for item in result}
    late = by_id["late"]
    assert late.due == TODAY - timedelta(days=10)
    assert late.days_overdue == 10
    assert late.cadence_days == 30 and late.value == Decimal("100")
    assert not late.never_visited
    assert by_id["new"].never_visited and by_id["new"].days_overdue == 3
    assert by_id["unknown-age"].due == DUE_IMMEDIATELY
    assert by_id["unknown-age"].days_overdue is None


def test_sorted_by_value_then_most_overdue_then_name() -> None:
    rows = [
        account("small-very-late", last=TODAY - timedelta(days=300), value="10"),
        account("big-a-bit-late", last=TODAY - timedelta(days=31), value="5000"),
        account("big-later", last=TODAY - timedelta(days=90), value="5000"),
        account("b", last=TODAY - timedelta(days=60), value="10", name="beta"),
        account("a", last=TODAY - timedelta(days=60), value="10", name="Alfa"),
        account("never", value="10"),
    ]
    assert [item.account_id for item in overdue_accounts(rows, TODAY)] == [
        "big-later",
        "big-a-bit-late",
        "never",
        "small-very-late",
        "a",
        "b",
    ]


def test_empty_input() -> None:
    assert overdue_accounts([], TODAY) == []


# properties --------------------------------------------------------------------------------

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@DETERMINISTIC
@given(
    last=st.none() | days,
    planned=st.none() | days,
    created=st.none() | days,
    cadence=st.none() | st.integers(min_value=-3, max_value=400),
    today=days,
)
def test_overdue_iff_past_due_and_nothing_planned_by_then(
    last: date | None,
    planned: date | None,
    created: date | None,
    cadence: int | None,
    today: date,
) -> None:
    row = account("x", last=last, planned=planned, cadence=cadence, created=created)
    listed = overdue_accounts([row], today)
    due = next_visit_due(last, cadence, created=created)
    expected = due is not None and today > due and (planned is None or planned > due)
    assert bool(listed) == expected
    if cadence is None or cadence <= 0:
        assert not listed
    if listed:
        overdue_days = listed[0].days_overdue
        assert overdue_days is None or overdue_days > 0


@DETERMINISTIC
@given(
    st.lists(
        st.tuples(
            st.none() | days,
            st.none() | days,
            st.integers(min_value=0, max_value=90),
            st.decimals(min_value=0, max_value=10**6, places=2),
        ),
        max_size=20,
    ),
    days,
)
def test_overdue_list_is_ordered_by_value_then_due_date(
    rows: list[tuple[date | None, date | None, int, Decimal]], today: date
) -> None:
    inputs = [
        CadenceInput(f"id{i}", f"n{i}", last, planned, cadence, value)
        for i, (last, planned, cadence, value) in enumerate(rows)
    ]
    result = overdue_accounts(inputs, today)
    keys = [(-item.value, item.due) for item in result]
    assert keys == sorted(keys)
    assert len({item.account_id for item in result}) == len(result)
