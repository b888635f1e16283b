"""The quotes read service: a page of quotes costs two queries, whatever its size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from sfa_desktop.demo.letterhead import COMPANY_NAME
from sfa_desktop.services.current_user import current_user_id
from sfa_desktop.services.quotes import (
    EXPIRABLE_STATUSES,
    EXPIRING_DAYS,
    QuoteRow,
    count_quotes,
    list_quotes,
    quote_detail,
    quote_document,
    shown_status,
)
from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import MetaKey, set_meta
from sfa_desktop.store.models.reference import User
from sfa_desktop.store.search import fold

DEMO_DAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(
        tmp_path_factory.mktemp("demo-quote-service"), accounts=80, today=DEMO_DAY
    )


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


def test_a_page_of_quotes_is_read_in_two_queries(demo: Database) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    with demo.session() as session:
        session.connection()  # open the connection before counting
        event.listen(demo.engine, "before_cursor_execute", count)
        try:
            small = list_quotes(session, today=DEMO_DAY, limit=2)
            few = len(statements)
            statements.clear()
            rows = list_quotes(session, today=DEMO_DAY, limit=40)
            many = len(statements)
        finally:
            event.remove(demo.engine, "before_cursor_execute", count)
        assert len(small) == 2 and len(rows) == 40
        assert few == many == 2, statements
        for row in rows[:10]:
            detail = quote_detail(session, row.id, DEMO_DAY)
            assert detail is not None and detail.quote.total == row.total
            assert detail.totals.total == row.total


def test_shown_status_and_document_language(demo: Database) -> None:
    day = DEMO_DAY
    assert shown_status("sent", day - dt.timedelta(days=1), day) == "expired"
    assert shown_status("sent", day, day) == "sent"
    assert shown_status("accepted", day - dt.timedelta(days=1), day) == "accepted"
    assert shown_status("draft", None, day) == "draft"
    with demo.session() as session:
        row = list_quotes(session, today=day, limit=1)[0]
        document = quote_document(session, row.id, today=day)
        assert document is not None
        assert document.number == row.number and document.language in ("es", "en")
        head = document.letterhead
        assert head.company_name == COMPANY_NAME and head.logo_png is not None
        assert head.website == "www.ibertec-demo.es"  # stored as https://www.ibertec-demo.es
        assert head.phone == "916 61 43 80"  # national form at home
        assert quote_document(session, row.id, "en", today=day).language == "en"  # type: ignore[union-attr]
        assert quote_document(session, "missing", today=day) is None


def _user_id(session: Session, role: str) -> str:
    return str(session.scalar(select(User.id).where(User.role == role).order_by(User.id).limit(1)))


def _all(session: Session, **filters: Any) -> list[QuoteRow]:
    rows = list_quotes(session, today=DEMO_DAY, limit=1000, **filters)
    assert count_quotes(session, today=DEMO_DAY, **filters) == len(rows)
    return rows


def test_status_expiring_and_search_filters(demo: Database) -> None:
    with demo.session() as session:
        everything = _all(session)
        assert len(everything) > 20
        expired = _all(session, status="expired")
        assert expired and all(row.shown_status == "expired" for row in expired)
        assert len(expired) == sum(row.shown_status == "expired" for row in everything)
        soon = DEMO_DAY + dt.timedelta(days=EXPIRING_DAYS)
        expiring = _all(session, expiring=True)
        assert {row.id for row in expiring} == {
            row.id
            for row in everything
            if row.status in EXPIRABLE_STATUSES
            and row.valid_until is not None
            and DEMO_DAY <= row.valid_until <= soon
        }
        sample = everything[3]
        assert [row.id for row in _all(session, search=sample.number.lower())] == [sample.id]
        name = sample.account_name
        folded = fold(name).upper()  # accents and case ignored
        found = _all(session, search=folded)
        assert sample.id in {row.id for row in found}
        assert all(row.account_name == name for row in found)
        assert _all(session, search="100%_") == []
        by_number = list_quotes(session, today=DEMO_DAY, sort="number", descending=False)
        assert [row.number for row in by_number] == sorted(row.number for row in by_number)


def test_owner_and_approval_filters_follow_the_manager_tree(demo: Database) -> None:
    with demo.session() as session:
        everything = _all(session)
        me = current_user_id(session)
        my_name = session.get(User, me).name  # type: ignore[union-attr]
        mine = _all(session, owner="mine")
        assert mine and {row.owner_name for row in mine} == {my_name}
        assert _all(session, owner="team") == mine  # a rep manages nobody
        assert _all(session, awaiting_approval=True) == []
        open_pending = {row.id for row in everything if row.shown_status == "pending_approval"}
        assert open_pending

        manager = _user_id(session, "manager")
        set_meta(session, MetaKey.USER_ID, manager)
        manager_name = session.get(User, manager).name  # type: ignore[union-attr]
        assert {row.owner_name for row in _all(session, owner="mine")} <= {manager_name}
        assert len(_all(session, owner="team")) == len(everything)
        assert {row.id for row in _all(session, awaiting_approval=True)} == open_pending

        set_meta(session, MetaKey.USER_ID, _user_id(session, "admin"))
        assert {row.id for row in _all(session, awaiting_approval=True)} == open_pending

        set_meta(session, MetaKey.USER_ID, None)
        assert _all(session, owner="mine") == _all(session, awaiting_approval=True) == []


def _plan(session: Session, statement: str) -> str:
    rows = session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement).all()
    return "\n".join(str(row[3]) for row in rows)


@pytest.mark.parametrize(
    ("filters", "index"),
    [
        ({}, "ix_quotes_list_live"),
        ({"status": "pending_approval"}, "ix_quotes_status_live"),
        ({"owner": "mine"}, "ix_quotes_owner_live"),
        ({"search": "talleres"}, "ix_quotes_list_live"),
    ],
)
def test_the_first_page_walks_an_index_and_the_count_reads_one(
    demo: Database, filters: dict[str, Any], index: str
) -> None:
    """Over 100,000 quotes a page must stop after its rows (no sort of every match) and a
    count must not read the table (tests/bench/bench_quotes_list.py)."""
    statements: list[str] = []

    def keep(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM quotes" in statement and "quote_lines" not in statement:
            statements.append(statement)

    with demo.session() as session:
        session.connection()
        event.listen(demo.engine, "before_cursor_execute", keep)
        try:
            list_quotes(session, today=DEMO_DAY, limit=200, **filters)
            count_quotes(session, today=DEMO_DAY, **filters)
        finally:
            event.remove(demo.engine, "before_cursor_execute", keep)
        page, count = (s for s in statements if "user_id" not in s)
        page_plan = _plan(session, _inlined(page))
        assert f"USING INDEX {index}" in page_plan and "TEMP B-TREE" not in page_plan, page_plan
        count_plan = _plan(session, _inlined(count))
        assert "USING COVERING INDEX" in count_plan or "(owner_id=?)" in count_plan, count_plan
        assert "JOIN" not in count_plan


def _inlined(statement: str) -> str:
    """``statement`` with its ``?`` parameters as NULL (the plan does not depend on them)."""
    return statement.replace("?", "NULL")
