"""The next best action: one action, chosen by a documented priority, through a channel that
respects marketing consent."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from sfa_desktop.domain.next_action import (
    ELECTRONIC_CHANNELS,
    LAPSED_DAYS,
    MARKETING_ACTIONS,
    PRIORITY,
    QUOTE_EXPIRY_DAYS,
    ActionContact,
    ActionInput,
    OpenQuote,
    TaskDue,
    candidate_actions,
    choose_channel,
    next_best_action,
)

TODAY = dt.date(2026, 12, 6)
CHANNELS = st.sampled_from([None, "visit", "phone", "email", "video", "chat"])
DATES = st.dates(dt.date(2026, 1, 1), dt.date(2027, 6, 1))

MARIA = ActionContact("c1", "María López", "email", marketing_consent=False, has_phone=True)


contacts = st.builds(
    ActionContact,
    id=st.sampled_from(["c1", "c2", "c3"]),
    name=st.just("Someone"),
    preferred_channel=CHANNELS,
    marketing_consent=st.booleans(),
    has_phone=st.booleans(),
    decision_maker=st.booleans(),
)
inputs = st.builds(
    ActionInput,
    today=st.just(TODAY),
    account_channel=CHANNELS,
    account_has_phone=st.booleans(),
    contacts=st.lists(contacts, max_size=3),
    open_quotes=st.lists(
        st.builds(
            OpenQuote,
            id=st.sampled_from(["q1", "q2"]),
            number=st.sampled_from(["Q-1", "Q-2"]),
            status=st.sampled_from(["draft", "sent", "approved", "pending_approval"]),
            valid_until=st.none() | DATES,
            contact_id=st.sampled_from([None, "c1", "c2", "c9"]),
        ),
        max_size=3,
    ),
    tasks=st.lists(
        st.builds(
            TaskDue,
            id=st.sampled_from(["t1", "t2"]),
            subject=st.none() | st.just("Call back"),
            due=DATES,
            contact_id=st.sampled_from([None, "c1", "c3"]),
        ),
        max_size=2,
    ),
    overdue=st.booleans(),
    visit_due=st.none() | DATES,
    high_value=st.booleans(),
    lapsed_stage=st.booleans(),
    last_purchase=st.none() | DATES,
    cross_sell=st.none() | st.just(("p1", "Secador")),
)


@given(inputs)
def test_consent_is_always_respected(data: ActionInput) -> None:
    for action in candidate_actions(data):
        if action.kind in MARKETING_ACTIONS and action.channel in ELECTRONIC_CHANNELS:
            assert action.contact is not None and action.contact.marketing_consent


@given(inputs)
def test_exactly_one_action_by_the_priority_order(data: ActionInput) -> None:
    candidates = candidate_actions(data)
    kinds = [action.kind for action in candidates]
    assert len(kinds) == len(set(kinds))
    assert kinds == sorted(kinds, key=PRIORITY.index)
    chosen = next_best_action(data)
    if candidates:
        assert chosen == candidates[0]
    else:
        assert chosen is None


def test_a_quote_about_to_expire_comes_first_through_the_preferred_channel() -> None:
    data = ActionInput(
        today=TODAY,
        contacts=[MARIA],
        open_quotes=[
            OpenQuote("q1", "2026-0142", "sent", TODAY + dt.timedelta(days=3), "c1"),
            OpenQuote("q2", "2026-0150", "sent", TODAY + dt.timedelta(days=5), "c1"),
            OpenQuote("q3", "2026-0151", "draft", TODAY + dt.timedelta(days=1), "c1"),
        ],
        overdue=True,
        cross_sell=("p1", "Secador"),
    )
    action = next_best_action(data)
    assert action is not None
    assert (action.kind, action.subject, action.days) == ("quote_expiring", "2026-0142", 3)
    # a follow-up of the customer's own quote is transactional: e-mail without consent is fine
    assert action.channel == "email" and action.contact == MARIA


def test_a_quote_expiring_later_or_already_expired_is_not_chased() -> None:
    later = TODAY + dt.timedelta(days=QUOTE_EXPIRY_DAYS + 1)
    gone = TODAY - dt.timedelta(days=1)
    data = ActionInput(
        today=TODAY,
        open_quotes=[OpenQuote("q1", "A", "sent", later), OpenQuote("q2", "B", "sent", gone)],
    )
    assert next_best_action(data) is None


def test_a_cross_sell_offer_never_goes_by_email_without_consent() -> None:
    data = ActionInput(today=TODAY, contacts=[MARIA], cross_sell=("p1", "Secador"))
    action = next_best_action(data)
    assert action is not None and action.kind == "cross_sell"
    assert action.channel == "phone"
    no_phone = ActionContact("c1", "María López", "email")
    assert choose_channel("cross_sell", no_phone, "email", False) == "visit"
    consenting = ActionContact("c1", "María López", "email", marketing_consent=True)
    assert choose_channel("cross_sell", consenting, None, False) == "email"
    assert choose_channel("cross_sell", None, "chat", True) == "phone"


def test_the_decision_maker_is_addressed_and_the_account_channel_is_the_fallback() -> None:
    boss = ActionContact("c2", "Luis Pérez", None, decision_maker=True)
    data = ActionInput(today=TODAY, account_channel="video", contacts=[MARIA, boss], overdue=True)
    action = next_best_action(data)
    assert action is not None
    assert (action.kind, action.contact, action.channel) == ("overdue_visit", boss, "video")


def test_a_lapsed_high_value_customer_comes_before_routine() -> None:
    last = TODAY - dt.timedelta(days=LAPSED_DAYS)
    data = ActionInput(
        today=TODAY, high_value=True, last_purchase=last, overdue=True, account_has_phone=True
    )
    action = next_best_action(data)
    assert action is not None
    assert (action.kind, action.since, action.channel) == ("lapsed_high_value", last, "visit")
    recent = ActionInput(today=TODAY, high_value=True, last_purchase=TODAY, overdue=True)
    assert [a.kind for a in candidate_actions(recent)] == ["overdue_visit"]


def test_a_task_due_comes_before_the_lapsed_customer() -> None:
    data = ActionInput(
        today=TODAY,
        tasks=[
            TaskDue("t1", "Send prices", TODAY - dt.timedelta(days=2)),
            TaskDue("t2", "Later", TODAY + dt.timedelta(days=2)),
        ],
        high_value=True,
        lapsed_stage=True,
    )
    action = next_best_action(data)
    assert action is not None
    assert (action.kind, action.subject, action.days) == ("task_due", "Send prices", 2)
