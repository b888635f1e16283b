"""The agenda queries: a day or week range, paging, names, follow-up lookup, calendar rows."""

from __future__ import annotations

import datetime as dt
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from sfa_desktop.domain.agenda import day_bounds, week_bounds
from sfa_desktop.store.repositories.records import soft_delete
from sfa_desktop.store.repositories.visits import (
    calendar_entries,
    contact_display_name,
    count_agenda,
    find_follow_up,
    get_agenda_row,
    list_agenda,
)

from .conftest import NOW, add_account, add_contact, add_user
from .conftest import add_visit as add_any_visit

MADRID = ZoneInfo("Europe/Madrid")


#: this file's visits are 45 minutes long unless a test says otherwise
add_visit = partial(add_any_visit, minutes=45)


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=MADRID).astimezone(dt.UTC)


@pytest.fixture
def agenda(session: Session) -> dict[str, str]:
    me, other = add_user(session), add_user(session, "Luis", rep_code="LUI")
    account = add_account(
        session,
        me,
        "Óptica Sol",
        address="Calle Mayor 1",
        postal_code="28013",
        city="Madrid",
        latitude=40.41,
        longitude=-3.70,
    )
    contact = add_contact(session, account, "Eva", last_name="Gil")
    ids = {"me": me, "other": other, "account": account, "contact": contact}
    ids["midnight"] = add_visit(session, account, me, local(25, 0, 0), contact_id=contact)
    ids["morning"] = add_visit(session, account, me, local(25, 9), subject="Demo", status="done")
    ids["late"] = add_visit(session, account, me, local(25, 23, 59), kind="call")
    ids["tomorrow"] = add_visit(session, account, me, local(26, 0, 0))
    ids["sunday"] = add_visit(session, account, me, local(29, 10))
    ids["next_week"] = add_visit(session, account, me, local(30, 10))
    ids["others"] = add_visit(session, account, other, local(25, 10))
    gone = add_visit(session, account, me, local(25, 11))
    soft_delete(session, "visit", gone, now=NOW)
    return ids


def test_a_local_day_of_the_users_agenda_in_time_order(
    session: Session, agenda: dict[str, str]
) -> None:
    start, end = day_bounds(dt.date(2026, 11, 25), MADRID)
    rows = list_agenda(session, start=start, end=end, owner_id=agenda["me"])
    assert [row.id for row in rows] == [agenda["midnight"], agenda["morning"], agenda["late"]]
    assert count_agenda(session, start=start, end=end, owner_id=agenda["me"]) == 3
    assert (rows[0].account_name, rows[0].contact_name, rows[1].subject) == (
        "Óptica Sol",
        "Eva Gil",
        "Demo",
    )
    everyone = list_agenda(session, start=start, end=end)
    assert agenda["others"] in [row.id for row in everyone]


def test_a_week_pages_and_filters_by_status(session: Session, agenda: dict[str, str]) -> None:
    start, end = week_bounds(dt.date(2026, 11, 25), MADRID)
    all_rows = list_agenda(session, start=start, end=end, owner_id=agenda["me"])
    assert [row.id for row in all_rows][-1] == agenda["sunday"]
    assert agenda["next_week"] not in [row.id for row in all_rows]
    pages = [
        row.id
        for offset in range(0, 6, 2)
        for row in list_agenda(
            session, start=start, end=end, owner_id=agenda["me"], offset=offset, limit=2
        )
    ]
    assert pages == [row.id for row in all_rows]
    planned = list_agenda(
        session, start=start, end=end, owner_id=agenda["me"], statuses=["planned"]
    )
    assert agenda["morning"] not in [row.id for row in planned]
    with pytest.raises(ValueError, match="aware"):
        list_agenda(session, start=start.replace(tzinfo=None), end=end)
    with pytest.raises(ValueError, match="sort"):
        list_agenda(session, start=start, end=end, sort="subject")


def test_one_activity_and_its_follow_up(session: Session, agenda: dict[str, str]) -> None:
    row = get_agenda_row(session, agenda["morning"])
    assert row is not None and row.status == "done"
    assert get_agenda_row(session, "01900000-0000-7000-8000-00000000dead") is None
    assert find_follow_up(session, visit_id=agenda["morning"], account_id=agenda["account"]) is None
    follow_up = add_visit(
        session, agenda["account"], agenda["me"], local(27, 9), follow_up_of_id=agenda["morning"]
    )
    assert (
        find_follow_up(session, visit_id=agenda["morning"], account_id=agenda["account"])
        == follow_up
    )


def test_calendar_entries_carry_the_place_and_the_contact(
    session: Session, agenda: dict[str, str]
) -> None:
    start, end = day_bounds(dt.date(2026, 11, 25), MADRID)
    entries = calendar_entries(session, start=start, end=end, owner_id=agenda["me"])
    assert [entry["id"] for entry in entries] == [agenda["midnight"], agenda["late"]]  # planned
    first = entries[0]
    assert (first["account_address"], first["account_postal_code"], first["account_city"]) == (
        "Calle Mayor 1",
        "28013",
        "Madrid",
    )
    assert (first["account_latitude"], first["contact_name"]) == (40.41, "Eva Gil")


def test_contact_display_name() -> None:
    assert contact_display_name("Eva", " Gil ") == "Eva Gil"
    assert contact_display_name(None, "") is None
