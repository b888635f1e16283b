"""The segment facts' cache (``account_segment_cache``): kept right through edits and the days
passing (against a computation from scratch, and against a plain reading of the rules), and
only the accounts an edit or a day moves are computed again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session

from sfa_desktop.domain.segments import AccountFacts
from sfa_desktop.services import segments
from sfa_desktop.services.segments import account_facts
from sfa_desktop.store.database import Database

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(
        build_demo_file(tmp_path_factory.mktemp("segment-cache-demo"), accounts=120, today=TODAY)
    )


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


def by_id(facts: list[AccountFacts]) -> dict[str, AccountFacts]:
    return {f.account_id: f for f in facts}


def _nth(table: str, where: str = "1") -> str:
    return f"(SELECT id FROM {table} WHERE {where} ORDER BY id LIMIT 1 OFFSET :n)"


_WON = "stage = 'closed_won'"
_ACCEPTED = "status = 'accepted'"
_PLANNED = "status = 'planned'"

EDITS = (
    # deals: won, lost, amount, close date (into and out of the windows), currency, moved,
    # deleted, a copy inserted
    f"UPDATE opportunities SET stage = 'closed_won' WHERE id = {_nth('opportunities')}",
    f"UPDATE opportunities SET stage = 'closed_lost' WHERE id = {_nth('opportunities')}",
    f"UPDATE opportunities SET amount = amount + 12345 WHERE id = {_nth('opportunities')}",
    "UPDATE opportunities SET expected_close_date = date('2026-11-25', (:n * 37 - 800) || "
    f"' days') WHERE id = {_nth('opportunities', _WON)}",
    f"UPDATE opportunities SET currency = 'USD' WHERE id = {_nth('opportunities')}",
    "UPDATE opportunities SET account_id = (SELECT id FROM accounts ORDER BY id DESC LIMIT 1) "
    f"WHERE id = {_nth('opportunities', _WON)}",
    "UPDATE opportunities SET deleted_at = '2026-11-20T00:00:00.000000Z' "
    f"WHERE id = {_nth('opportunities', _WON)}",
    # quotes: accepted, rejected, issue date, no issue date, detached from their deal, deleted
    f"UPDATE quotes SET status = 'accepted' WHERE id = {_nth('quotes')}",
    f"UPDATE quotes SET status = 'rejected' WHERE id = {_nth('quotes', _ACCEPTED)}",
    "UPDATE quotes SET issue_date = date('2026-11-25', (:n * 23 - 500) || ' days') "
    f"WHERE id = {_nth('quotes')}",
    f"UPDATE quotes SET issue_date = NULL WHERE id = {_nth('quotes', _ACCEPTED)}",
    f"UPDATE quotes SET opportunity_id = NULL WHERE id = {_nth('quotes', _ACCEPTED)}",
    "UPDATE quotes SET deleted_at = '2026-11-20T00:00:00.000000Z' "
    f"WHERE id = {_nth('quotes', _ACCEPTED)}",
    # lines and products: another product, a line deleted, a family renamed or removed
    "UPDATE quote_lines SET product_id = (SELECT id FROM products ORDER BY id DESC LIMIT 1) "
    f"WHERE id = {_nth('quote_lines')}",
    "UPDATE quote_lines SET deleted_at = '2026-11-20T00:00:00.000000Z' "
    f"WHERE id = {_nth('quote_lines')}",
    f"UPDATE products SET family = 'Familia ' || :n WHERE id = {_nth('products')}",
    f"UPDATE products SET family = NULL WHERE id = {_nth('products')}",
    # what the cache does not hold, read live: the account itself, its visits
    "UPDATE accounts SET region = 'Región ' || :n, annual_potential = 500000 + :n "
    f"WHERE id = {_nth('accounts')}",
    f"UPDATE accounts SET deleted_at = '2026-11-20T00:00:00.000000Z' WHERE id = {_nth('accounts')}",
    f"UPDATE visits SET status = 'done' WHERE id = {_nth('visits', _PLANNED)}",
)


def _copy_won_deal(session: Session, n: int) -> None:
    """Insert a copy of a won deal, closing ``n`` × 41 days before a day near the windows."""
    columns = [row[1] for row in session.execute(text("PRAGMA table_info(opportunities)"))]
    picked = ", ".join(
        {
            "id": "'copy-' || (SELECT count(*) FROM opportunities) || '-' || id",
            "expected_close_date": "date('2026-11-25', (400 - :n * 41) || ' days')",
        }.get(name, name)
        for name in columns
    )
    session.execute(
        text(
            f"INSERT INTO opportunities ({', '.join(columns)}) SELECT {picked} FROM opportunities "
            f"WHERE id = {_nth('opportunities', _WON)}"
        ),
        {"n": n},
    )


DAYS = (-3, 0, 0, 1, 30, 181, 365, 366, 400, 731)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(st.integers(0, len(EDITS)), st.integers(0, 40), st.sampled_from(DAYS)),
        max_size=5,
    )
)
def test_the_cache_matches_a_computation_from_scratch(
    db: Database, steps: list[tuple[int, int, int]]
) -> None:
    with db.session() as session:
        account_facts(session, TODAY)  # a warm cache first
        for edit, n, days in steps:
            if edit == len(EDITS):
                _copy_won_deal(session, n)
            else:
                session.execute(text(EDITS[edit]), {"n": n})
            today = TODAY + dt.timedelta(days=days)
            cached = account_facts(session, today)
            assert by_id(cached) == by_id(account_facts(session, today, cached=False))
            assert len(cached) == len(by_id(cached))


def test_the_facts_follow_the_rules_read_plainly(db: Database) -> None:
    """Purchases, counts and spends of the last 12 months (and the 12 before), families: each
    deal and quote read one by one, against the cached facts on several days."""
    with db.session() as session:
        account_facts(session, TODAY)  # a warm cache, then quotes sold apart from their deals
        session.execute(
            text(
                "UPDATE quotes SET opportunity_id = NULL, issue_date = CASE WHEN rowid % 5 = 0 "
                "THEN NULL ELSE issue_date END WHERE status = 'accepted' AND rowid % 3 = 0"
            )
        )
        deals = session.execute(
            text(
                "SELECT account_id, expected_close_date, amount, currency FROM opportunities "
                "WHERE deleted_at IS NULL AND stage = 'closed_won'"
            )
        ).all()
        quotes = session.execute(
            text(
                "SELECT q.account_id, coalesce(q.issue_date, date(q.updated_at)) FROM quotes q "
                "WHERE q.deleted_at IS NULL AND q.status = 'accepted' AND NOT EXISTS (SELECT 1 "
                "FROM opportunities o WHERE o.id = q.opportunity_id AND o.stage = 'closed_won')"
            )
        ).all()
        families = session.execute(
            text(
                "SELECT q.account_id, p.family FROM quotes q JOIN quote_lines l "
                "ON l.quote_id = q.id AND l.deleted_at IS NULL JOIN products p "
                "ON p.id = l.product_id WHERE q.deleted_at IS NULL AND q.status = 'accepted' "
                "AND p.family IS NOT NULL"
            )
        ).all()
        assert deals and quotes and families, "the demo has purchases of every kind"
        for days in (0, 90, 200, 400, 800):
            today = TODAY + dt.timedelta(days=days)
            facts = by_id(account_facts(session, today))
            for account_id, item in facts.items():
                dates = [dt.date.fromisoformat(str(d[1])) for d in deals if d[0] == account_id]
                dates += [dt.date.fromisoformat(d[1]) for d in quotes if d[0] == account_id]
                bought = [d for d in dates if d <= today]
                recent = [d for d in bought if (today - d).days < 365]
                spend = sum(
                    (
                        Decimal(d[2]) / 100
                        for d in deals
                        if d[0] == account_id
                        and 0 <= (today - dt.date.fromisoformat(str(d[1]))).days < 365
                    ),
                    Decimal(0),
                )
                before = sum(
                    (
                        Decimal(d[2]) / 100
                        for d in deals
                        if d[0] == account_id
                        and 365 <= (today - dt.date.fromisoformat(str(d[1]))).days < 730
                    ),
                    Decimal(0),
                )
                assert item.first_purchase == (min(bought) if bought else None)
                assert item.last_purchase == (max(bought) if bought else None)
                assert item.purchases_12m == len(recent)
                assert (item.spend_12m, item.spend_prev_12m) == (spend, before)
                assert item.families == {f for a, f in families if a == account_id}


def _computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many accounts each read of the facts computes again (recorded as it goes)."""
    counts: list[int] = []
    original = segments.purchase_rows

    def counting(session: Session, today: dt.date, account_ids: list[str]) -> object:
        counts.append(len(account_ids))
        return original(session, today, account_ids)

    monkeypatch.setattr(segments, "purchase_rows", counting)
    return counts


def test_only_the_accounts_an_edit_or_a_day_moves_are_computed_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = _computed(monkeypatch)
    with db.session() as session:
        accounts = len(account_facts(session, TODAY))
        assert counts == [accounts]  # the first read fills the cache
        account_facts(session, TODAY)
        assert counts[-1] == 0
        session.execute(text(EDITS[2]), {"n": 3})  # one deal's amount: its account
        account_facts(session, TODAY)
        assert counts[-1] == 1
        session.execute(text(EDITS[17]), {"n": 3})  # the account's region: read live
        account_facts(session, TODAY)
        assert counts[-1] == 0
        # the next day: only the accounts with a purchase entering or leaving a window
        account_facts(session, TODAY + dt.timedelta(days=1))
        assert 0 <= counts[-1] < accounts // 4
        session.execute(text(EDITS[15]), {"n": 1})  # a family renamed: everyone
        account_facts(session, TODAY + dt.timedelta(days=1))
        assert counts[-1] == accounts
        account_facts(session, TODAY)  # a day before the rows': computed again
        assert counts[-1] == accounts


def test_a_deal_lost_frees_its_quote_on_another_account(db: Database) -> None:
    """An accepted quote of a won deal is no purchase of its own; once the deal is lost it is,
    even when the deal now belongs to another account (the quote's account is dropped too)."""
    with db.session() as session:
        quote_account, deal = session.execute(
            text(
                "SELECT q.account_id, o.id FROM quotes q JOIN opportunities o "
                "ON o.id = q.opportunity_id WHERE q.status = 'accepted' "
                "AND o.stage = 'closed_won' AND q.deleted_at IS NULL ORDER BY q.id LIMIT 1"
            )
        ).one()
        other = session.execute(
            text("SELECT id FROM accounts WHERE id != :a ORDER BY id LIMIT 1"), {"a": quote_account}
        ).scalar_one()
        session.execute(
            text("UPDATE opportunities SET account_id = :b WHERE id = :d"), {"b": other, "d": deal}
        )
        account_facts(session, TODAY)
        session.execute(
            text("UPDATE opportunities SET stage = 'closed_lost' WHERE id = :d"), {"d": deal}
        )
        cached = by_id(account_facts(session, TODAY))
        assert cached == by_id(account_facts(session, TODAY, cached=False))
        assert cached[quote_account].last_purchase is not None


def test_accounts_missing_from_the_value_table_are_ranked_here(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ABC tiers are the value table's; were an account missing from it, every account is
    ranked here instead (the missing one worth nothing)."""
    from sfa_desktop.domain.customer_value import assign_tiers

    original = segments.account_value_table

    def without_the_best(session: Session, *, today: dt.date) -> dict[str, object]:
        table = dict(original(session, today=today))
        del table[max(table, key=lambda k: (table[k].value, k))]  # type: ignore[attr-defined]
        return table

    with db.session() as session:
        everyone = by_id(account_facts(session, TODAY))
        monkeypatch.setattr(segments, "account_value_table", without_the_best)
        facts = account_facts(session, TODAY)
    assert {f.abc for f in everyone.values()} == {"A", "B", "C"}
    missing = [f for f in facts if f.value == 0 and everyone[f.account_id].value > 0]
    assert len(missing) == 1 and missing[0].abc == "C"
    assert {f.account_id: f.abc for f in facts} == assign_tiers(
        {f.account_id: f.value for f in facts}
    )
