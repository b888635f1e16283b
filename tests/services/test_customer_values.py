"""The value table: cached figures kept right through edits (against a from-scratch
computation), sales not counted twice, tiers over every account."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from sfa_desktop.domain.customer_value import assign_tiers
from sfa_desktop.domain.customer_value_model import value_model
from sfa_desktop.domain.strategic_tiers import BZ, MGC, MVC, OTHER, TierInput, strategic_tiers
from sfa_desktop.services.customer_values import (
    account_value_table,
    cache_row,
    cached_tiers,
    company_settings,
    explain_account,
    load_facts,
)
from sfa_desktop.store.database import Database

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(build_demo_file(tmp_path_factory.mktemp("values-demo"), accounts=120, today=TODAY))


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


def from_scratch(session: Session, today: dt.date) -> dict[str, tuple[object, ...]]:
    """Every account's figures and tiers computed without the cache."""
    settings_ = company_settings(session)
    facts, values, _owners = load_facts(session, None, today=today, digits=settings_.digits)
    rows = {
        account_id: cache_row(
            account_id,
            value_model(f, settings_.model, today),
            values[account_id],
            today=today,
            digits=settings_.digits,
        )
        for account_id, f in facts.items()
    }
    strategic = strategic_tiers(
        {
            key: TierInput(
                row["lifetime_value"],
                row["growth_potential"],
                row["margin"] - row["cost_to_serve"],
                customer=row["historic"] > 0,
            )
            for key, row in rows.items()
        }
    )
    pareto = assign_tiers({key: row["value"] for key, row in rows.items()})
    return {
        key: (
            row["value"],
            row["last_12m"],
            row["historic"],
            row["margin"],
            row["cost_to_serve"],
            row["lifetime_value"],
            row["growth_potential"],
            row["current_year"],
            row["potential"],
            row["share_of_wallet"],
            row["retention"],
            strategic[key],
            pareto[key],
        )
        for key, row in rows.items()
    }


def cached(session: Session, today: dt.date) -> dict[str, tuple[object, ...]]:
    return {
        key: (
            v.value,
            v.last_12m,
            v.historic,
            v.margin,
            v.cost_to_serve,
            v.lifetime_value,
            v.growth_potential,
            v.current_year,
            v.potential,
            v.share_of_wallet,
            v.retention,
            v.strategic_tier,
            v.pareto_tier,
        )
        for key, v in account_value_table(session, today=today).items()
    }


def test_the_demo_has_every_tier_and_a_table_per_owner(db: Database) -> None:
    with db.session() as session:
        table = account_value_table(session, today=TODAY)
        owner = next(iter(table.values())).owner_id
        mine = account_value_table(session, today=TODAY, owner_id=owner)
    assert {v.strategic_tier for v in table.values()} >= {MVC, MGC, OTHER}
    assert {v.pareto_tier for v in table.values()} == {"A", "B", "C"}
    with db.session() as session:  # visits at 5,000 €: some customers cost more than they give
        session.execute(text("UPDATE company SET visit_cost = 500000"))
        dear = account_value_table(session, today=TODAY)
    below = [v for v in dear.values() if v.strategic_tier == BZ]
    assert below and all(v.margin < v.cost_to_serve and v.historic > 0 for v in below)
    assert mine and all(v.owner_id == owner for v in mine.values())
    assert all(table[k] == v for k, v in mine.items())


EDITS = (
    "UPDATE opportunities SET stage = 'closed_won' WHERE id = (SELECT id FROM opportunities "
    "WHERE stage != 'closed_won' ORDER BY id LIMIT 1 OFFSET :n)",
    "UPDATE opportunities SET amount = amount + 100000 WHERE id = (SELECT id FROM opportunities "
    "ORDER BY id LIMIT 1 OFFSET :n)",
    "UPDATE quotes SET status = 'accepted' WHERE id = (SELECT id FROM quotes "
    "WHERE status != 'accepted' ORDER BY id LIMIT 1 OFFSET :n)",
    "UPDATE quote_lines SET quantity = '7' WHERE id = (SELECT id FROM quote_lines "
    "ORDER BY id LIMIT 1 OFFSET :n)",
    "UPDATE visits SET status = 'done' WHERE id = (SELECT id FROM visits "
    "WHERE status = 'planned' ORDER BY id LIMIT 1 OFFSET :n)",
    "UPDATE visits SET deleted_at = '2026-11-20T00:00:00.000000Z' WHERE id = (SELECT id FROM "
    "visits WHERE status = 'done' ORDER BY id LIMIT 1 OFFSET :n)",
    "UPDATE accounts SET annual_potential = 10000000 + :n WHERE id = (SELECT id FROM accounts "
    "ORDER BY id LIMIT 1 OFFSET :n)",
    "UPDATE products SET unit_cost = 1 WHERE id = (SELECT id FROM products "
    "ORDER BY id LIMIT 1 OFFSET :n)",
    "UPDATE company SET default_margin_pct = CAST(10 + :n AS TEXT)",
    "UPDATE company SET visit_cost = 20000 + :n",
    "UPDATE accounts SET deleted_at = '2026-11-20T00:00:00.000000Z' WHERE id = (SELECT id FROM "
    "accounts ORDER BY id LIMIT 1 OFFSET :n)",
)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(st.tuples(st.integers(0, len(EDITS) - 1), st.integers(0, 40)), max_size=4),
    st.integers(0, 400),
)
def test_the_cache_matches_a_computation_from_scratch(
    db: Database, edits: list[tuple[int, int]], days_later: int
) -> None:
    with db.session() as session:
        cached(session, TODAY)  # a warm cache first
        for edit, n in edits:
            session.execute(text(EDITS[edit]), {"n": n})
        today = TODAY + dt.timedelta(days=days_later % 3)  # the same day, or a later one
        assert cached(session, today) == from_scratch(session, today)


@settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("edit"), st.integers(0, len(EDITS) - 1), st.integers(0, 40)),
            # a day later, a few weeks, past 1 January, past sales leaving the 12 months
            st.tuples(st.just("days"), st.sampled_from([1, 6, 37, 120, 400]), st.just(0)),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_new_days_and_edits_keep_the_cache_right(
    db: Database, steps: list[tuple[str, int, int]]
) -> None:
    """Random edits and days passing, the table read after each: only the rows whose figures
    the day moves are computed again, and the table is what a computation from scratch gives."""
    today = TODAY
    with db.session() as session:
        cached(session, today)
        for kind, a, n in steps:
            if kind == "edit":
                session.execute(text(EDITS[a]), {"n": n})
            else:
                today += dt.timedelta(days=a)
            assert cached(session, today) == from_scratch(session, today)


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.tuples(st.just("edit"), st.integers(0, len(EDITS) - 1), st.integers(0, 40)),
                st.tuples(st.just("days"), st.sampled_from([1, 37, 400]), st.just(0)),
                # another program (its own engine and memory) reads the table, or makes a
                # background warm-up step (rows without the tiers)
                st.tuples(st.just("other"), st.just(0), st.just(0)),
                st.tuples(st.just("step"), st.integers(1, 50), st.just(0)),
            ),
            st.booleans(),  # this program reads the table after it
        ),
        min_size=1,
        max_size=8,
    )
)
def test_the_table_kept_in_memory_follows_other_writers(
    db: Database, steps: list[tuple[tuple[str, int, int], bool]]
) -> None:
    from sqlalchemy import create_engine

    from sfa_desktop.services.customer_values import warm_step

    today = TODAY
    with db.session() as session:
        cached(session, today)
    # another program on the file (the app's lock keeps other copies of it out): an engine
    # and a memory of its own
    other = sessionmaker(create_engine(f"sqlite:///{db.path}"))
    try:
        for (kind, a, n), read in [*steps, (("days", 0, 0), True)]:
            if kind == "edit":
                with db.session() as session:
                    session.execute(text(EDITS[a]), {"n": n})
            elif kind == "days":
                today += dt.timedelta(days=a)
            elif kind == "other":
                with other.begin() as session:
                    account_value_table(session, today=today)
            else:
                with other.begin() as session:
                    warm_step(session, today=today, limit=a)
            if read:
                with db.session() as session:
                    assert cached(session, today) == from_scratch(session, today)
                    table = account_value_table(session, today=today)
                    written = cached_tiers(session, list(table))  # what other pages read
                    assert written == {k: v.strategic_tier for k, v in table.items()}
    finally:
        other.kw["bind"].dispose()


def test_a_new_day_computes_again_only_the_rows_it_moves(db: Database) -> None:
    from sfa_desktop.services.customer_values import refresh

    with db.session() as session:
        total = len(account_value_table(session, today=TODAY))
        moved = refresh(session, today=TODAY + dt.timedelta(days=1))
        assert 0 < moved < total // 4  # some sale or activity of a year ago leaves the window
        assert refresh(session, today=TODAY + dt.timedelta(days=1)) == 0
        assert refresh(session, today=TODAY - dt.timedelta(days=1)) == total  # the clock went back


def test_only_changed_accounts_are_computed_again(db: Database) -> None:
    from sfa_desktop.services.customer_values import refresh
    from sfa_desktop.store.repositories.customer_value_facts import tiers_up_to_date

    with db.session() as session:
        account_value_table(session, today=TODAY)
        assert refresh(session, today=TODAY) == 0
        assert tiers_up_to_date(session)
        session.execute(text(EDITS[4]), {"n": 0})
        assert not tiers_up_to_date(session)  # a figure changed: the tiers are computed again
        assert refresh(session, today=TODAY) == 1
        session.execute(text(EDITS[8]), {"n": 1})  # the company's margin: everyone
        assert refresh(session, today=TODAY) > 100


def test_an_accepted_quote_of_a_won_deal_is_not_a_second_sale(db: Database) -> None:
    with db.session() as session:
        row = session.execute(
            text(
                "SELECT o.account_id, o.amount FROM opportunities o JOIN quotes q "
                "ON q.opportunity_id = o.id AND q.status = 'accepted' "
                "WHERE o.stage = 'closed_won' AND o.deleted_at IS NULL LIMIT 1"
            )
        ).one()
        account_id = row[0]
        won = session.execute(
            text(
                "SELECT total(amount) FROM opportunities WHERE account_id = :a "
                "AND stage = 'closed_won' AND deleted_at IS NULL"
            ),
            {"a": account_id},
        ).scalar_one()
        loose = session.execute(
            text(
                "SELECT count(*) FROM quotes q WHERE q.account_id = :a AND q.status = 'accepted' "
                "AND q.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM opportunities o WHERE "
                "o.id = q.opportunity_id AND o.stage = 'closed_won' AND o.deleted_at IS NULL)"
            ),
            {"a": account_id},
        ).scalar_one()
        explained = explain_account(session, account_id, today=TODAY)
    assert explained is not None and explained.value is not None
    if loose == 0:
        assert explained.model.historic * 100 == int(won)
    keys = [f.key for f in explained.model.figures()]
    assert "lifetime_value" in keys and explained.value.strategic_tier in (MVC, MGC, OTHER, BZ)


def test_the_log_of_changes_is_cut_and_the_table_stays_right(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sfa_desktop.services import customer_values

    monkeypatch.setattr(customer_values, "KEEP_CHANGES", 2)
    count = "SELECT count(*) FROM account_value_changes"
    with db.session() as session:
        cached(session, TODAY)
        for n in range(6):
            session.execute(text(EDITS[4]), {"n": n})  # a visit done: its account's row drops
        assert session.execute(text(count)).scalar_one() >= 6
        assert cached(session, TODAY) == from_scratch(session, TODAY)
        assert session.execute(text(count)).scalar_one() == 1  # the last one stays
        session.execute(text(EDITS[6]), {"n": 3})
        assert cached(session, TODAY) == from_scratch(session, TODAY)
