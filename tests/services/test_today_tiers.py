"""Today's overdue accounts follow the strategic tiers' cadences (when the account's own is the
catalog default) and suggest calls and e-mails for below-zero accounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from sfa_desktop.domain.strategic_tiers import BZ, MGC, MVC, OTHER, TIER_CHANNELS
from sfa_desktop.services.customer_values import account_value_table
from sfa_desktop.services.today import _local_days, overdue_by_value
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import MetaKey, get_meta
from sfa_desktop.store.types import parse_utc

TODAY = dt.date(2026, 11, 25)
CLOCK = AgendaClock.fixed(dt.datetime(2026, 11, 25, 7, 0, tzinfo=dt.UTC), ZoneInfo("Europe/Madrid"))


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(build_demo_file(tmp_path_factory.mktemp("tiers-demo"), accounts=150, today=TODAY))


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


def test_tier_cadence_and_channels(db: Database) -> None:
    with db.session() as session:
        me = get_meta(session, MetaKey.USER_ID)
        assert me is not None
        # visits at 2,000 €: some customers cost more than they give (below zero)
        session.execute(text("UPDATE company SET visit_cost = 200000"))
        # half the user's accounts get a cadence of the rep's own choosing
        session.execute(
            text(
                "UPDATE accounts SET visit_cadence_days = 31 "
                "WHERE visit_cadence_days = 30 AND substr(id, -1) < '8'"
            )
        )
        table = account_value_table(session, today=TODAY)
        rows = session.execute(
            text("SELECT id, visit_cadence_days FROM accounts WHERE owner_id = :me"), {"me": me}
        )
        own = {str(key): int(days) for key, days in rows}
        overdue = overdue_by_value(session, owner_id=me, clock=CLOCK)
    cadences = {MVC: 14, MGC: 21, OTHER: 45, BZ: 90}
    seen = set()
    for row in overdue:
        tier = table[row.account_id].strategic_tier
        assert row.tier == tier
        expected = cadences[tier] if own[row.account_id] == 30 else own[row.account_id]
        assert row.cadence_days == expected
        assert row.channels == (("phone", "email") if tier == BZ else TIER_CHANNELS[tier])
        seen.add((tier, own[row.account_id] == 30))
    assert any(tier == BZ for tier, _ in seen) and any(default for _, default in seen)
    assert len(seen) >= 3


def test_cached_values_order_today_as_computed_ones(db: Database) -> None:
    with db.session() as session:
        me = get_meta(session, MetaKey.USER_ID)
        assert me is not None
        cold = overdue_by_value(session, owner_id=me, clock=CLOCK)  # no table yet
        # every tier at the catalog's 30 days: the same accounts are overdue
        session.execute(
            text(
                "UPDATE company SET cadence_mvc_days = 30, cadence_mgc_days = 30, "
                "cadence_other_days = 30, cadence_bz_days = 30"
            )
        )
        account_value_table(session, today=TODAY)
        warm = overdue_by_value(session, owner_id=me, clock=CLOCK)
    assert len(cold) > 5
    assert [r.account_id for r in warm] == [r.account_id for r in cold]
    assert all(abs(w.value - c.value) <= Decimal("0.01") for w, c in zip(warm, cold, strict=True))
    assert all(r.tier is None for r in cold) and all(r.tier is not None for r in warm)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    st.lists(
        st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2040, 1, 1), timezones=st.just(dt.UTC)),
        max_size=30,
    ),
    st.sampled_from(["Europe/Madrid", "Asia/Kolkata", "America/St_Johns", "Australia/Lord_Howe"]),
)
def test_local_days_of_stored_instants_are_exact(instants: list[dt.datetime], zone: str) -> None:
    """The Today view's remembered local days agree with converting each instant."""
    tz = ZoneInfo(zone)
    day = _local_days(tz)
    for instant in instants:
        text = instant.isoformat(timespec="microseconds").replace("+00:00", "Z")
        assert day(text) == parse_utc(text).astimezone(tz).date()
