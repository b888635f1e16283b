"""Quote numbers are unique across one rep's laptops with no connection (issue 10 item 4):
leased blocks, the device-coded fallback, year rollover (protocol/quote_numbers.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from sfa_desktop.services.editing import create_record
from sfa_desktop.services.quote_numbers import QuoteNumberUnavailable, next_quote_number
from sfa_desktop.store import quote_numbers as numbers
from sync_server.protocol.quote_numbers import BLOCK_SIZE, LOW_WATER, parse_quote_number

from .harness import Fleet, Profile

BLOCKS = "POST /api/v1/sync/number-blocks"


def _new_quote(profile: Profile, account: str) -> str:
    """A quote numbered and saved in one local transaction, as the quote editor does."""
    today = profile.now().date()
    with profile.database.session() as session:
        number = next_quote_number(session, profile.user_id, today)
        create_record(
            session,
            profile.ctx,
            "quote",
            {"account_id": account, "owner_id": profile.user_id, "number": number},
        )
    return number


def _rep_code(profile: Profile) -> str:
    row = profile.get("user", profile.user_id)
    assert row is not None
    return str(row["rep_code"])


def _numbers_on(profile: Profile) -> list[str]:
    rows = [profile.get("quote", quote_id) for quote_id in profile.ids("quote")]
    return [str(row["number"]) for row in rows if row is not None]


def test_two_laptops_of_one_rep_number_offline_without_duplicates(fleet: Fleet) -> None:
    laptop = fleet.profile("laptop", fleet.team.rep_a)
    desktop = fleet.profile("desktop", fleet.team.rep_a)
    laptop.sync()
    account = laptop.create("account", name="Ferretería Martínez", city="Zaragoza")
    laptop.sync()
    desktop.sync()
    rep = _rep_code(laptop)
    for profile in (laptop, desktop):  # offline now: a sync fails, numbering goes on
        profile.http.offline = True
        with pytest.raises(Exception):  # noqa: B017 - any sync error
            profile.sync()
    per_laptop = BLOCK_SIZE + 7  # past the leased block: the fallback is used too
    made = {
        profile.name: [_new_quote(profile, account) for _ in range(per_laptop)]
        for profile in (laptop, desktop)
    }
    everything = made["laptop"] + made["desktop"]
    assert len(set(everything)) == len(everything) == 2 * per_laptop
    parsed = [parse_quote_number(number) for number in everything]
    assert all(p is not None and p.rep_code == rep and p.year == 2026 for p in parsed)
    fallbacks = {p.device_code for p in parsed if p is not None and p.device_code is not None}
    assert len(fallbacks) == 2  # each laptop fell back under its own device code
    assert made["laptop"][0] == f"Q-{rep}-2026-0001"  # the laptop leased first

    for profile in (laptop, desktop):
        profile.http.offline = False
        report = profile.sync()
        assert (report.rejected, profile.pending()) == (0, 0)
    laptop.sync()
    for profile in (laptop, desktop):
        assert sorted(_numbers_on(profile)) == sorted(everything)


def test_a_sync_with_enough_numbers_left_asks_for_none(fleet: Fleet) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    ana.sync()
    assert ana.http.requests.count(BLOCKS) == 1
    account = ana.create("account", name="Talleres Ebro")
    for _ in range(BLOCK_SIZE - LOW_WATER):
        _new_quote(ana, account)
    ana.sync()
    assert ana.http.requests.count(BLOCKS) == 1
    _new_quote(ana, account)  # below the low-water mark now
    ana.sync()
    assert ana.http.requests.count(BLOCKS) == 2
    with ana.database.session() as session:
        left = numbers.free_numbers(session, rep_code=_rep_code(ana), year=2026)
    assert left == 2 * BLOCK_SIZE - (BLOCK_SIZE - LOW_WATER + 1)


def test_december_leases_next_year_and_numbers_roll_over_offline(fleet: Fleet) -> None:
    fleet.clock.now = dt.datetime(2026, 12, 30, 18, 0, tzinfo=dt.UTC)
    ana = fleet.profile("ana", fleet.team.rep_a)
    ana.sync()
    account = ana.create("account", name="Talleres Ebro")
    rep = _rep_code(ana)
    assert _new_quote(ana, account) == f"Q-{rep}-2026-0001"
    ana.http.offline = True
    fleet.clock.advance(days=3)  # 2 January 2027, still offline
    assert _new_quote(ana, account) == f"Q-{rep}-2027-0001"
    assert _new_quote(ana, account) == f"Q-{rep}-2027-0002"


def test_a_year_without_a_block_falls_back_to_the_device_code(fleet: Fleet) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)  # 25 November 2026
    ana.sync()
    account = ana.create("account", name="Talleres Ebro")
    ana.http.offline = True
    fleet.clock.now = dt.datetime(2027, 1, 8, 9, 0, tzinfo=dt.UTC)
    with ana.database.session() as session:
        code = numbers.device_code(session)
    number = _new_quote(ana, account)
    assert number == f"Q-{_rep_code(ana)}-2027-D{code}-0001"
    ana.http.offline = False
    assert ana.sync().rejected == 0
    assert _new_quote(ana, account) == f"Q-{_rep_code(ana)}-2027-0001"  # leased at that sync


def test_no_number_before_the_first_sync(fleet: Fleet) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    with ana.database.session() as session, pytest.raises(QuoteNumberUnavailable):
        next_quote_number(session, ana.user_id, ana.now().date())
