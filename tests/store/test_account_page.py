"""``load_account_page``: everything the account page shows, in one call, through indexes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import text

from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.account_page import load_account_page
from sfa_desktop.store.repositories.accounts import count_accounts, list_accounts
from sfa_desktop.store.repositories.records import bulk_insert, soft_delete

from .account_history import (
    ACCOUNT_ID,
    OWNER_ID,
    OWNER_NAME,
    QUIET_ACCOUNT_ID,
    History,
)
from .conftest import NOW


def test_the_page_holds_facts_contacts_deals_and_the_timeline(
    db: Database, history: History
) -> None:
    with db.session() as session:
        page = load_account_page(session, ACCOUNT_ID, now=NOW)
    assert page is not None
    assert (page.name, page.account["owner_name"], page.account["city"]) == (
        "Ferretería Histórica S.L.",
        OWNER_NAME,
        "Sevilla",
    )
    assert page.account["tags"] == ["ferretería", "mayorista"]
    assert [c.full_name for c in page.contacts] == ["Pedro Alonso", "Lucía Suárez"]
    assert [o.id for o in page.open_opportunities] == [history.open_opportunity_id]
    assert [q.number for q in page.open_quotes] == ["Q-AGA-2026-0001", "Q-AGA-2026-0002"]
    sent = page.open_quotes[0]
    assert sent.net_amount == 3 * 10_000 * 90 // 100 + 5_000  # lines less discount, no tax
    assert page.open_quotes[1].net_amount == 0  # a draft without lines
    assert page.last_visit == NOW - dt.timedelta(days=3) + dt.timedelta(minutes=5)
    assert page.next_visit is not None and page.next_visit.id == history.planned_future_id
    assert page.visit_due == (NOW - dt.timedelta(days=3)).date() + dt.timedelta(days=30)
    assert not page.overdue
    # won in the last year (5,000 €) + half of 10,000 € × 60 %
    assert page.value is not None
    assert (page.value.amount, page.value.currency) == (Decimal("8000.00"), "EUR")
    assert len(page.timeline.entries) == 16 and page.timeline.next_cursor is None


def test_the_timeline_is_cut_at_the_limit(db: Database, history: History) -> None:
    with db.session() as session:
        page = load_account_page(session, ACCOUNT_ID, now=NOW, timeline_limit=3)
    assert page is not None
    assert len(page.timeline.entries) == 3 and page.timeline.next_cursor is not None


def test_an_account_without_history(db: Database, history: History) -> None:
    with db.session() as session:
        page = load_account_page(session, QUIET_ACCOUNT_ID, now=NOW)
    assert page is not None
    assert (page.contacts, page.open_opportunities, page.open_quotes) == ([], [], [])
    assert (page.last_visit, page.next_visit, page.value) == (None, None, None)
    assert page.timeline.entries == []
    # never visited: due since the day it was created (two days ago), so overdue
    assert page.visit_due == (NOW - dt.timedelta(days=2)).date()
    assert page.overdue


def test_a_deleted_or_unknown_account_has_no_page(db: Database, history: History) -> None:
    with db.session() as session:
        soft_delete(session, "account", QUIET_ACCOUNT_ID, now=NOW)
        assert load_account_page(session, QUIET_ACCOUNT_ID, now=NOW) is None
        assert load_account_page(session, "no-such-account", now=NOW) is None


def test_the_overdue_filter_follows_the_cadence_rule(db: Database, history: History) -> None:
    today = NOW.date()
    with db.session() as session:
        overdue = [row.id for row in list_accounts(session, overdue_on=today)]
        assert overdue == [QUIET_ACCOUNT_ID]  # never visited; the other was visited 3 days ago
        assert count_accounts(session, overdue_on=today) == 1
        in_a_month = today + dt.timedelta(days=40)
        # 40 days on, the visited one is late too, unless a visit is planned by its due date
        assert count_accounts(session, overdue_on=in_a_month) == 1
        soft_delete(session, "visit", history.planned_future_id, now=NOW)
        assert count_accounts(session, overdue_on=in_a_month) == 2
        bulk_insert(
            session,
            "visit",
            [
                {
                    "account_id": QUIET_ACCOUNT_ID,
                    "owner_id": OWNER_ID,
                    "kind": "visit",
                    "status": "planned",
                    # on the day it fell due (it was created two days ago): no longer late
                    "planned_start": NOW - dt.timedelta(days=2) + dt.timedelta(hours=2),
                }
            ],
            now=NOW,
        )
        assert count_accounts(session, overdue_on=today) == 0
        assert count_accounts(session, overdue_on=today, search="tranquila") == 0


def test_every_query_of_the_page_uses_an_index(db: Database, history: History) -> None:
    statements: list[str] = []
    with db.session() as session:
        connection = session.connection()

        def remember(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            statements.append((statement, parameters))

        from sqlalchemy import event

        event.listen(connection, "before_cursor_execute", remember)
        load_account_page(session, ACCOUNT_ID, now=NOW)
        event.remove(connection, "before_cursor_execute", remember)
        full_scans = []
        for statement, parameters in statements:
            plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            for row in plan:
                detail = str(row[-1])
                table_scan = detail.startswith("SCAN ") and " USING " not in detail
                if table_scan and detail.split()[1] not in ("events", "e"):
                    full_scans.append(detail)
    assert len(statements) >= 7
    assert full_scans == []


def test_the_visit_status_index_answers_last_and_next_visit(db: Database, history: History) -> None:
    with db.session() as session:
        plan = session.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT max(coalesce(checked_in_at, planned_start)) FROM visits "
                "WHERE account_id = :a AND status = 'done' AND deleted_at IS NULL"
            ),
            {"a": ACCOUNT_ID},
        ).all()
    assert "COVERING INDEX ix_visits_account_status " in str(plan[-1][-1])


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_the_overdue_filter_agrees_with_the_domain_rule(db: Database, seed: int) -> None:
    """Random histories: SQL and :func:`domain.cadence.overdue_accounts` pick the same accounts.
    Some accounts have a visit planned around their due day (the day before, on it, the day
    after), where the rule's boundaries are."""
    import random

    from sfa_desktop.domain.cadence import CadenceInput, overdue_accounts

    rng = random.Random(seed)
    accounts, visits, inputs = [], [], []
    for number in range(200):
        account_id = f"01900000-0000-7000-a100-{number:012d}"
        created = NOW - dt.timedelta(days=rng.randint(0, 90), hours=rng.randint(0, 23))
        cadence = rng.choice([None, 0, 7, 14, 30, 60])
        accounts.append(
            {
                "id": account_id,
                "name": f"Cuenta {number:03d}",
                "country": "ES",
                "owner_id": OWNER_ID,
                "lifecycle_stage": "customer",
                "visit_cadence_days": cadence,
                "created_at": created,
            }
        )
        done, planned = [], []
        for _ in range(rng.randint(0, 4)):
            start = NOW + dt.timedelta(days=rng.randint(-80, 30), hours=rng.randint(0, 12))
            status = rng.choice(["done", "planned", "cancelled"])
            checked_in = (
                start + dt.timedelta(minutes=10)
                if status == "done" and rng.random() < 0.5
                else None
            )
            visits.append(
                {
                    "account_id": account_id,
                    "owner_id": OWNER_ID,
                    "kind": "visit",
                    "status": status,
                    "planned_start": start,
                    "checked_in_at": checked_in,
                }
            )
            if status == "done":
                done.append((checked_in or start).date())
            elif status == "planned":
                planned.append(start.date())
        if cadence and rng.random() < 0.5:  # planned around the due day
            last = max(done) if done else None
            due = last + dt.timedelta(days=cadence) if last else created.date()
            start = dt.datetime.combine(
                due + dt.timedelta(days=rng.choice([-1, 0, 1])), dt.time(9), tzinfo=dt.UTC
            )
            visits.append(
                {
                    "account_id": account_id,
                    "owner_id": OWNER_ID,
                    "kind": "visit",
                    "status": "planned",
                    "planned_start": start,
                    "checked_in_at": None,
                }
            )
            planned.append(start.date())
        inputs.append(
            CadenceInput(
                account_id=account_id,
                name=f"Cuenta {number:03d}",
                last_done_visit=max(done) if done else None,
                next_planned_visit=min(planned) if planned else None,
                cadence_days=cadence,
                value=Decimal(0),
                created=created.date(),
            )
        )
    with db.session() as session:
        bulk_insert(session, "account", accounts)
        bulk_insert(session, "visit", visits, now=NOW - dt.timedelta(days=100))
        for today in (NOW.date(), NOW.date() + dt.timedelta(days=20)):
            expected = {item.account_id for item in overdue_accounts(inputs, today)}
            found = {row.id for row in list_accounts(session, overdue_on=today, limit=500)}
            assert found == expected and expected
            assert count_accounts(session, overdue_on=today) == len(expected)
