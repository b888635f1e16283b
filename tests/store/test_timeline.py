"""The account timeline: every interaction newest first, keyset pages, names joined."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.records import soft_delete
from sfa_desktop.store.repositories.timeline import load_timeline

from .account_history import (
    ACCOUNT_ID,
    OWNER_NAME,
    QUIET_ACCOUNT_ID,
    History,
)
from .conftest import NOW


def _events(entries: list) -> list[tuple[str, str]]:
    return [(entry.source, entry.event) for entry in entries]


def test_every_interaction_newest_first(db: Database, history: History) -> None:
    with db.session() as session:
        page = load_timeline(session, ACCOUNT_ID, now=NOW, limit=50)
    assert page.next_cursor is None
    assert _events(page.entries) == [
        ("quote", "created"),  # the draft, half a day ago
        ("visit", "meeting"),  # cancelled
        ("visit", "call"),
        ("visit", "visit"),
        ("opportunity", "updated"),
        ("visit", "visit"),
        ("quote", "sent"),
        ("quote", "created"),
        ("visit", "call"),
        ("visit", "visit"),
        ("opportunity", "created"),
        ("opportunity", "won"),
        ("opportunity", "created"),
        ("quote", "accepted"),
        ("quote", "created"),
        ("opportunity", "created"),  # the lost one, never changed after
    ]
    times = [entry.at for entry in page.entries]
    assert times == sorted(times, reverse=True)
    assert history.planned_future_id not in {entry.record_id for entry in page.entries}


def test_entries_carry_what_was_said_and_who_was_there(db: Database, history: History) -> None:
    with db.session() as session:
        entries = load_timeline(session, ACCOUNT_ID, now=NOW).entries
    newest_visit = entries[2]
    assert newest_visit.record_id == history.done_visit_ids[0]
    assert (newest_visit.status, newest_visit.title) == ("done", "Conversación 1")
    assert (newest_visit.outcome, newest_visit.next_step) == ("Resultado 1", "Paso 1")
    assert newest_visit.contact_name == "Lucía Suárez"
    assert newest_visit.owner_name == OWNER_NAME
    assert newest_visit.at == NOW - dt.timedelta(days=3) + dt.timedelta(minutes=5)
    sent = entries[6]
    assert (sent.title, sent.status, sent.contact_name) == (
        "Q-AGA-2026-0001",
        "sent",
        "Lucía Suárez",
    )
    updated = entries[4]
    assert (updated.title, updated.status, updated.amount) == (
        "Reforma del almacén",
        "negotiation",
        1_000_000,
    )


def test_pages_follow_each_other_without_gaps_or_repeats(db: Database, history: History) -> None:
    with db.session() as session:
        everything = load_timeline(session, ACCOUNT_ID, now=NOW, limit=100).entries
        seen = []
        page = load_timeline(session, ACCOUNT_ID, now=NOW, limit=5)
        pages = 1
        seen += page.entries
        while page.next_cursor is not None:
            page = load_timeline(session, ACCOUNT_ID, now=NOW, limit=5, before=page.next_cursor)
            seen += page.entries
            pages += 1
    assert pages == 4 and len(everything) == 16
    assert [(e.record_id, e.event, e.at) for e in seen] == [
        (e.record_id, e.event, e.at) for e in everything
    ]


def test_a_new_interaction_does_not_shift_the_next_page(db: Database, history: History) -> None:
    with db.session() as session:
        first = load_timeline(session, ACCOUNT_ID, now=NOW, limit=4)
        soft_delete(session, "quote", history.draft_quote_id, now=NOW)  # the newest one goes
        second = load_timeline(session, ACCOUNT_ID, now=NOW, limit=4, before=first.next_cursor)
    assert second.entries[0].record_id == history.open_opportunity_id  # the 5th, as before


def test_deleted_records_and_other_accounts_stay_out(db: Database, history: History) -> None:
    with db.session() as session:
        soft_delete(session, "visit", history.done_visit_ids[0], now=NOW)
        entries = load_timeline(session, ACCOUNT_ID, now=NOW).entries
        quiet = load_timeline(session, QUIET_ACCOUNT_ID, now=NOW)
    assert history.done_visit_ids[0] not in {entry.record_id for entry in entries}
    assert (quiet.entries, quiet.next_cursor) == ([], None)


def test_a_planned_visit_shows_once_its_time_has_come(db: Database, history: History) -> None:
    later = NOW + dt.timedelta(days=6)
    with db.session() as session:
        entries = load_timeline(session, ACCOUNT_ID, now=later).entries
    assert (entries[0].record_id, entries[0].status) == (history.planned_future_id, "planned")


def test_the_query_finds_the_account_rows_through_indexes(db: Database, history: History) -> None:
    from sfa_desktop.store.repositories import timeline

    with db.session() as session:
        plan = session.execute(
            text("EXPLAIN QUERY PLAN " + timeline._PAGE),
            {
                "account_id": ACCOUNT_ID,
                "now": "2026-11-25T00:00:00.000000Z",
                "before_at": None,
                "before_key": None,
                "kind": None,
                "limit": 51,
            },
        ).all()
    details = [str(row[-1]) for row in plan]
    scans = [
        d for d in details if d.startswith("SCAN") and "events" not in d and "SUBQUERY" not in d
    ]
    assert not [d for d in scans if any(t in d for t in ("visits", "quotes", "opportunities"))]
    assert any("ix_visits_account" in d for d in details)
    assert any("ix_quotes_account_live" in d for d in details)
    assert any("ix_opportunities_account_live" in d for d in details)


def test_the_limit_must_be_positive(db: Database) -> None:
    with db.session() as session, pytest.raises(ValueError, match="limit"):
        load_timeline(session, ACCOUNT_ID, now=NOW, limit=0)
