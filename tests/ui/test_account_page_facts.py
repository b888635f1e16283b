"""The account page tells the truth: today's later visit is the next one, an expired quote is
not open, each activity kind has its own icon, and the timeline narrows to one kind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot
from store.account_history import ACCOUNT_ID, QUIET_ACCOUNT_ID, History, add_history

from sfa_desktop.services.account_page import TimelineEntry, load_account_page
from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.records import bulk_insert
from sfa_desktop.ui.account_page import AccountPageView
from sfa_desktop.ui.account_page.timeline_view import icon_name
from sfa_desktop.ui.tasks import TaskRunner

from .conftest import NOW, USERS, WAIT_MS


@pytest.fixture
def history(database: Database) -> History:
    with database.session() as session:
        return add_history(session, NOW)


@pytest.fixture
def page(qtbot: QtBot, db_runner: TaskRunner, history: History) -> Iterator[AccountPageView]:
    view = AccountPageView(db_runner, now=lambda: NOW)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.show_account(ACCOUNT_ID)
    yield view


def _visit(start: dt.datetime, subject: str, **values: object) -> dict[str, object]:
    return {
        "account_id": QUIET_ACCOUNT_ID,
        "owner_id": USERS[0]["id"],
        "kind": "visit",
        "status": "planned",
        "subject": subject,
        "planned_start": start,
        **values,
    }


def test_the_next_visit_is_todays_later_one(database: Database, history: History) -> None:
    """A visit later today (and one still planned earlier today) is the next visit, not
    tomorrow's."""
    local_now = NOW.astimezone()
    later_today = local_now.replace(hour=23, minute=0).astimezone(dt.UTC)
    tomorrow = NOW + dt.timedelta(days=1)
    with database.session() as session:
        bulk_insert(
            session,
            "visit",
            [_visit(tomorrow, "Mañana"), _visit(later_today, "Esta tarde")],
            now=NOW - dt.timedelta(days=1),
        )
        session.commit()
    with database.session() as session:
        page = load_account_page(session, QUIET_ACCOUNT_ID, now=NOW)
    assert page is not None and page.next_visit is not None
    assert page.next_visit.subject == "Esta tarde"
    # a visit planned earlier today and not logged yet is still today's: it comes first
    earlier_today = (NOW - dt.timedelta(minutes=30)).astimezone()
    assert earlier_today.date() == local_now.date()
    with database.session() as session:
        bulk_insert(session, "visit", [_visit(earlier_today, "Esta mañana")], now=NOW)
        session.commit()
    with database.session() as session:
        page = load_account_page(session, QUIET_ACCOUNT_ID, now=NOW)
    assert page is not None and page.next_visit is not None
    assert page.next_visit.subject == "Esta mañana"


def test_an_expired_quote_is_not_listed_as_open(database: Database, history: History) -> None:
    with database.session() as session:
        valid = load_account_page(session, ACCOUNT_ID, now=NOW)
        later = load_account_page(session, ACCOUNT_ID, now=NOW + dt.timedelta(days=11))
    assert valid is not None and later is not None
    assert "Q-AGA-2026-0001" in [q.number for q in valid.open_quotes]
    # valid for 10 days: on the 11th it is expired, no longer open (the draft still is)
    assert [q.number for q in later.open_quotes] == ["Q-AGA-2026-0002"]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("email", "email"), ("call", "call"), ("visit", "visits"), ("meeting", "meeting")],
)
def test_each_activity_kind_has_its_icon(kind: str, expected: str) -> None:
    entry = TimelineEntry(
        source="visit", event=kind, record_id="x", at=NOW, title=None, status="done"
    )
    assert icon_name(entry) == expected


def test_an_email_is_not_drawn_with_the_map_pin() -> None:
    from sfa_desktop.ui.icons import icons_dir

    assert (icons_dir() / "email.svg").read_bytes() != (icons_dir() / "visits.svg").read_bytes()


def test_the_timeline_narrows_to_one_kind(qtbot: QtBot, page: AccountPageView) -> None:
    timeline = page.timeline
    every = {timeline.entry_at(row).source for row in range(timeline.rowCount())}
    assert {"visit", "quote", "opportunity"} <= every
    combo = page.kind_filter
    for kind, source in (("call", "visit"), ("quote", "quote"), ("opportunity", "opportunity")):
        with qtbot.waitSignal(timeline.modelReset, timeout=WAIT_MS):
            combo.setCurrentIndex(combo.findData(kind))
        entries = [timeline.entry_at(row) for row in range(timeline.rowCount())]
        assert entries and {e.source for e in entries} == {source}
        if source == "visit":
            assert {e.event for e in entries} == {kind}
    # a reload (after a change made here) keeps the filter
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        page.reload()
    assert {timeline.entry_at(r).source for r in range(timeline.rowCount())} == {"opportunity"}
    with qtbot.waitSignal(timeline.modelReset, timeout=WAIT_MS):
        combo.setCurrentIndex(combo.findData(None))
    assert {timeline.entry_at(r).source for r in range(timeline.rowCount())} == every


def test_a_kind_without_entries_says_so(qtbot: QtBot, page: AccountPageView) -> None:
    combo = page.kind_filter
    with qtbot.waitSignal(page.timeline.modelReset, timeout=WAIT_MS):
        combo.setCurrentIndex(combo.findData("email"))
    assert page.showing_empty_timeline()
    assert page.timeline_empty_text() == "Nothing of this kind yet."
