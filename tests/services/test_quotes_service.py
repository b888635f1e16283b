"""The quotes read service: a page of quotes costs two queries, whatever its size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from sqlalchemy import event

from sfa_desktop.services.quotes import list_quotes, quote_detail, quote_document, shown_status
from sfa_desktop.store.database import Database

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
        assert document.letterhead.company_name == ""  # no company settings synced yet
        assert quote_document(session, row.id, "en", today=day).language == "en"  # type: ignore[union-attr]
        assert quote_document(session, "missing", today=day) is None
