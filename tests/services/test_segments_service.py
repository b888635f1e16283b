"""Segments on the demo data set: each account's facts, the analysis, saved segments through the
outbox, the Accounts list filtered by a segment, and the CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from sqlalchemy import text

from sfa_desktop.domain.customer_value import assign_tiers
from sfa_desktop.domain.errors import DomainError, ValidationError
from sfa_desktop.domain.segments import RFM_CLASSES, SegmentDefinition, rfm_class
from sfa_desktop.domain.strategic_tiers import MVC
from sfa_desktop.i18n import set_language
from sfa_desktop.services.customer_values import account_value_table
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.exports.segment_csv import render_segment_csv
from sfa_desktop.services.record_lists import count_accounts, list_accounts
from sfa_desktop.services.segments import (
    account_facts,
    analyse,
    delete_segment,
    find_segment,
    save_segment,
    saved_segments,
    segment_account_ids,
    update_segment,
)
from sfa_desktop.services.today import account_values
from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.today import opportunity_facts

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("segments-demo"), accounts=300, today=TODAY)


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


def test_facts_cover_every_live_account_with_value_and_tier(db: Database) -> None:
    with db.session() as session:
        facts = account_facts(session, TODAY)
        ids = [f.account_id for f in facts]
        live = session.execute(text("SELECT count(*) FROM accounts WHERE deleted_at IS NULL"))
        assert len(facts) == live.scalar_one() == len(set(ids))
        values = account_values(opportunity_facts(session, ids), today=TODAY)
        table = account_value_table(session, today=TODAY)
    by_id = {f.account_id: f for f in facts}
    for account_id, value in values.items():
        # the value table's figure (cents) of won in 12 months + ½ weighted pipeline
        assert by_id[account_id].value == Decimal(table[account_id].value).scaleb(-2)
        assert abs(by_id[account_id].value - value) <= Decimal("0.005")
    expected = assign_tiers({f.account_id: f.value for f in facts})
    assert {f.account_id: f.abc for f in facts} == expected


def test_purchase_dates_come_from_won_deals_and_accepted_quotes(db: Database) -> None:
    with db.session() as session:
        facts = {f.account_id: f for f in account_facts(session, TODAY)}
        rows = session.execute(
            text(
                "SELECT account_id, min(day), max(day) FROM ("
                " SELECT account_id, expected_close_date AS day FROM opportunities"
                "  WHERE deleted_at IS NULL AND stage = 'closed_won'"
                "   AND expected_close_date <= :today"
                " UNION ALL"
                " SELECT q.account_id, coalesce(q.issue_date, date(q.updated_at)) FROM quotes q"
                "  WHERE q.deleted_at IS NULL AND q.status = 'accepted'"
                "   AND coalesce(q.issue_date, date(q.updated_at)) <= :today"
                "   AND NOT EXISTS (SELECT 1 FROM opportunities o WHERE o.id = q.opportunity_id"
                "                   AND o.stage = 'closed_won')"
                ") GROUP BY account_id"
            ),
            {"today": TODAY.isoformat()},
        ).all()
    assert rows, "the demo has purchases"
    bought = {
        row[0]: (dt.date.fromisoformat(row[1]), dt.date.fromisoformat(row[2])) for row in rows
    }
    for account_id, item in facts.items():
        dates = (item.first_purchase, item.last_purchase)
        assert dates == bought.get(account_id, (None, None))


def test_the_demo_populates_every_abc_tier_and_the_rfm_classes(db: Database) -> None:
    with db.session() as session:
        analysis = analyse(session, TODAY)
    assert all(count > 0 for count in analysis.counts.abc.values()), analysis.counts.abc
    assert sum(analysis.counts.rfm.values()) == analysis.scope_count
    # the demo's history is under a year long: nobody has lapsed yet (see the report)
    populated = {code for code, count in analysis.counts.rfm.items() if count}
    assert populated >= {"loyal", "new", "at_risk", "prospect"}
    assert analysis.pareto.y[-1] == pytest.approx(1.0)
    values = [f.value for f in analysis.accounts]
    assert values == sorted(values, reverse=True)  # most valuable first


def test_a_definition_selects_its_accounts(db: Database) -> None:
    definition = SegmentDefinition(abc=("A",), rfm=("at_risk", "loyal"))
    with db.session() as session:
        everyone = account_facts(session, TODAY)
        analysis = analyse(session, TODAY, definition)
    expected = {
        f.account_id
        for f in everyone
        if f.abc == "A" and rfm_class(f, TODAY) in ("at_risk", "loyal")
    }
    assert {f.account_id for f in analysis.accounts} == expected
    assert analysis.scope_count == len(everyone)
    assert sum(analysis.counts.rfm[c] for c in RFM_CLASSES) == len(expected)


def _outbox(db: Database, record_id: str) -> list[tuple[str, str | None]]:
    with db.session() as session:
        rows = session.execute(
            text("SELECT op, field FROM sync_outbox WHERE record_id = :id ORDER BY seq"),
            {"id": record_id},
        )
        return [(row[0], row[1]) for row in rows]


def test_saved_segments_are_written_through_the_outbox(db: Database) -> None:
    with db.session() as session:
        before = [row.name for row in saved_segments(session)]
        assert before == sorted(before, key=str.casefold) and len(before) == 3  # the demo's
        ctx = load_edit_context(session, now=lambda: NOW)
        segment_id = save_segment(
            session, ctx, "  Madrid A  ", {"version": 1, "abc": ["A"], "regions": ["Madrid"]}
        )
    assert _outbox(db, segment_id) == [("create", None)]
    with db.session() as session:
        row = find_segment(session, "madrid a")
        assert row.name == "Madrid A"
        assert row.definition == SegmentDefinition(abc=("A",), regions=("Madrid",))
        ctx = load_edit_context(session, now=lambda: NOW)
        with pytest.raises(ValidationError) as taken:
            save_segment(session, ctx, "MADRID A", {"version": 1})
        assert taken.value.code == "segment_name_taken"
        with pytest.raises(ValidationError) as unknown:
            save_segment(session, ctx, "Other", {"version": 1, "colour": ["red"]})
        assert unknown.value.code == "segment_unknown_key"
        update_segment(session, ctx, segment_id, name="Madrid, tier A")
        update_segment(session, ctx, segment_id, definition=SegmentDefinition(abc=("B",)))
    assert _outbox(db, segment_id) == [("create", None), ("set", "name"), ("set", "definition")]
    with db.session() as session:
        ctx = load_edit_context(session, now=lambda: NOW)
        delete_segment(session, ctx, segment_id)
        assert [row.id for row in saved_segments(session)].count(segment_id) == 0
        with pytest.raises(DomainError):
            find_segment(session, "Madrid, tier A")
    assert _outbox(db, segment_id)[-1] == ("delete", None)


def test_the_accounts_list_filters_by_a_saved_segment(db: Database) -> None:
    with db.session() as session:
        segment = find_segment(session, "Clientes A")
        ids = segment_account_ids(session, segment.id, TODAY)
        assert ids
        assert count_accounts(session, account_ids=ids) == len(ids)
        rows = list_accounts(session, account_ids=ids, limit=1000)
        assert {row.id for row in rows} == set(ids)
        assert count_accounts(session, account_ids=ids, search=rows[0].name) >= 1
        assert count_accounts(session, account_ids=[]) == 0


@pytest.mark.parametrize(
    ("language", "separator", "header"), [("es", ";", "Cuenta"), ("en", ",", "Account")]
)
def test_the_csv_export(db: Database, language: str, separator: str, header: str) -> None:
    set_language(language)
    try:
        with db.session() as session:
            accounts = analyse(session, TODAY, SegmentDefinition(abc=("A",))).accounts
        data = render_segment_csv(accounts, today=TODAY, currency="EUR", language=language)
    finally:
        set_language("en")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=separator))
    assert rows[0][0] == header and len(rows) == len(accounts) + 1
    assert [row[-1] for row in rows[1:]] == [f.account_id for f in accounts]
    mark = "," if language == "es" else "."
    assert rows[1][4] == format(accounts[0].value.quantize(Decimal("0.01")), "f").replace(".", mark)


def test_strategic_tiers_are_the_value_tables(db: Database) -> None:
    with db.session() as session:
        table = account_value_table(session, today=TODAY)
        analysis = analyse(session, TODAY, SegmentDefinition(tier=(MVC,)))
    expected = {account_id for account_id, row in table.items() if row.strategic_tier == MVC}
    assert expected
    assert {f.account_id for f in analysis.accounts} == expected
    assert MVC in analysis.tiers
