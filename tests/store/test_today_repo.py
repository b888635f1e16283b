"""The Today queries on crafted data: today's stops, follow-ups due, cadence facts, opportunities."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from sfa_desktop.store.repositories.records import insert_record, soft_delete, update_record
from sfa_desktop.store.repositories.today import (
    cadence_facts,
    follow_ups_due,
    opportunity_facts,
    tasks_due,
    todays_stops,
)

from .conftest import NOW, add_account, add_contact, add_user
from .conftest import add_visit as add_any_visit

TODAY = dt.date(2026, 11, 25)
DAY_START = dt.datetime(2026, 11, 24, 23, 0, tzinfo=dt.UTC)  # Madrid midnight
DAY_END = DAY_START + dt.timedelta(days=1)


def at(day: int, hour: int, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, 0, tzinfo=dt.UTC)


#: this file's visits are an hour long and planned unless a test says otherwise
add_visit = partial(add_any_visit, status="planned")


def test_todays_stops_are_the_users_on_site_plans_of_the_day(session: Session) -> None:
    me, other = add_user(session), add_user(session, "Luis", rep_code="LUI")
    located = add_account(session, me, "Óptica Sol", latitude=40.4, longitude=-3.7, city="Madrid")
    unlocated = add_account(session, me, "Bar Luna")
    contact = add_contact(session, located, "Eva", last_name="Gil")
    first = add_visit(session, located, me, at(25, 8), contact_id=contact)
    second = add_visit(session, unlocated, me, at(25, 10), kind="meeting")
    add_visit(session, located, me, at(25, 11), kind="call")  # not on site
    done = add_visit(session, located, me, at(25, 12), status="done")  # stays, ticked
    add_visit(session, located, me, at(25, 14), status="cancelled")  # not shown
    add_visit(session, located, other, at(25, 9))  # someone else's
    add_visit(session, located, me, at(25, 23))  # tomorrow in Madrid
    deleted = add_visit(session, located, me, at(25, 13))
    soft_delete(session, "visit", deleted, now=NOW)

    stops = todays_stops(session, owner_id=me, start=DAY_START, end=DAY_END)

    assert [stop.visit_id for stop in stops] == [first, second, done]
    assert [stop.status for stop in stops] == ["planned", "planned", "done"]
    assert (stops[0].account_name, stops[0].contact_name, stops[0].city) == (
        "Óptica Sol",
        "Eva Gil",
        "Madrid",
    )
    assert (stops[0].latitude, stops[0].longitude) == (40.4, -3.7)
    assert (stops[1].latitude, stops[1].kind) == (None, "meeting")


def test_follow_ups_due_are_done_visits_due_by_today_and_not_followed_up(session: Session) -> None:
    me, other = add_user(session), add_user(session, "Luis", rep_code="LUI")
    account = add_account(session, me, "Óptica Sol")

    def done(day: dt.date | None, **values: Any) -> str:
        return add_visit(
            session,
            account,
            values.pop("owner", me),
            at(2, 9),
            status="done",
            follow_up_date=day,
            **values,
        )

    due_today = done(TODAY, next_step="Enviar presupuesto")
    overdue = done(TODAY - dt.timedelta(days=10))
    done(TODAY + dt.timedelta(days=1))  # not yet
    done(None)  # no follow-up asked
    done(TODAY, owner=other)  # someone else's
    add_visit(session, account, me, at(2, 9), status="cancelled", follow_up_date=TODAY)
    followed_by_me = done(TODAY)
    add_visit(session, account, me, at(27, 9), follow_up_of_id=followed_by_me)
    followed_by_other = done(TODAY)
    add_visit(session, account, other, at(27, 9), follow_up_of_id=followed_by_other)
    follow_up_deleted = done(TODAY)
    gone = add_visit(session, account, me, at(27, 9), follow_up_of_id=follow_up_deleted)
    soft_delete(session, "visit", gone, now=NOW)

    rows = follow_ups_due(session, owner_id=me, today=TODAY)

    assert [row.visit_id for row in rows] == sorted(
        [overdue, due_today, follow_up_deleted],
        key=lambda visit_id: (visit_id != overdue, visit_id),
    )
    first_today = next(row for row in rows if row.visit_id == due_today)
    assert (first_today.account_name, first_today.next_step) == ("Óptica Sol", "Enviar presupuesto")


def test_cadence_facts_give_the_last_done_and_next_planned_activity(session: Session) -> None:
    me, other = add_user(session), add_user(session, "Luis", rep_code="LUI")
    visited = add_account(session, me, "Óptica Sol", visit_cadence_days=30)
    never = add_account(session, me, "Bar Luna", visit_cadence_days=14)
    add_account(session, me, "Sin cadencia", visit_cadence_days=None)
    add_account(session, other, "Ajena", visit_cadence_days=30)
    add_visit(session, visited, me, at(2, 9, month=10), status="done")
    arrived = at(20, 9, month=10) + dt.timedelta(minutes=12)
    add_visit(
        session, visited, other, at(20, 9, month=10), status="done", checked_in_at=arrived
    )  # anybody's, when checked in
    add_visit(session, visited, me, at(3, 9), status="cancelled")
    gone = add_visit(session, visited, me, at(4, 9), status="done")
    soft_delete(session, "visit", gone, now=NOW)
    add_visit(session, visited, me, at(3, 9, month=12), kind="call")
    first_plan = at(30, 9)
    add_visit(session, visited, me, first_plan)

    facts = {fact.name: fact for fact in cadence_facts(session, owner_id=me)}

    assert sorted(facts) == ["Bar Luna", "Óptica Sol"]
    sol = facts["Óptica Sol"]
    assert (sol.last_done, sol.next_planned, sol.cadence_days) == (arrived, first_plan, 30)
    luna = facts["Bar Luna"]
    assert (luna.last_done, luna.next_planned, luna.account_id) == (None, None, never)
    assert luna.created_at == NOW


def test_opportunity_facts_leave_lost_and_deleted_ones_out(session: Session) -> None:
    me = add_user(session)
    account = add_account(session, me, "Óptica Sol")

    def opportunity(stage: str, amount: int) -> str:
        return insert_record(
            session,
            "opportunity",
            {
                "account_id": account,
                "owner_id": me,
                "name": stage,
                "stage": stage,
                "amount": amount,
            },
            now=NOW,
        )

    won = opportunity("closed_won", 100_00)
    opportunity("closed_lost", 900_00)
    open_one = opportunity("proposal", 200_00)
    update_record(session, "opportunity", open_one, {"probability": 40}, now=NOW)
    soft_delete(session, "opportunity", opportunity("negotiation", 50_00), now=NOW)

    facts = {fact.stage: fact for fact in opportunity_facts(session, [account])}

    assert sorted(facts) == ["closed_won", "proposal"]
    assert (facts["closed_won"].amount, facts["proposal"].probability) == (100_00, 40)
    assert opportunity_facts(session, []) == []
    assert won


def test_tasks_due_are_the_users_open_tasks_in_the_range(session: Session) -> None:
    me, other = add_user(session), add_user(session, "Luis", rep_code="LUI")
    account = add_account(session, me, "Óptica Sol")
    late = add_visit(session, account, me, at(20, 23), kind="task", subject="Llamar")
    today = add_visit(session, account, me, at(25, 8), kind="task")
    add_visit(session, account, me, at(25, 9), kind="task", status="done")  # ticked off
    add_visit(session, account, me, at(25, 10))  # a visit, not a task
    add_visit(session, account, other, at(25, 11), kind="task")  # someone else's
    add_visit(session, account, me, at(26, 8), kind="task")  # not due yet
    add_visit(session, account, me, at(1, 8, month=10), kind="task")  # before the range

    rows = tasks_due(session, owner_id=me, since=at(1, 0), end=DAY_END)

    assert [row.visit_id for row in rows] == [late, today]
    assert (rows[0].account_name, rows[0].subject) == ("Óptica Sol", "Llamar")
