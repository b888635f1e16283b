"""Nothing is lost: lost acknowledgements, interrupted first syncs, rejections, retries,
reassignment with pending edits, outdated clients and revoked sign-ins."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sfa_desktop.store.models import RejectedMutation
from sfa_desktop.sync import transport
from sfa_desktop.sync.errors import (
    ClientOutdated,
    ServerFailed,
    ServerUnreachable,
    SignInRequired,
)
from sfa_desktop.sync.report import load_last_sync
from sfa_desktop.sync.transport import RetryPolicy

from .harness import Fleet, Profile


def test_a_lost_acknowledgement_is_replayed_and_changes_nothing(fleet: Fleet) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    boss = fleet.profile("boss", fleet.team.manager)
    ana.sync()
    boss.sync()
    account = ana.create("account", name="Uno")
    ana.edit("account", account, city="Soria")
    ana.http.lose_next_push_answer = True
    with pytest.raises(ServerUnreachable):
        ana.sync()
    assert ana.pending() == 2  # not acknowledged: still queued
    assert boss.sync().pulled == 1  # …but the server has it
    report = ana.sync()
    assert (report.pushed, report.rejected, ana.pending()) == (2, 0, 0)
    first, replay = ana.http.push_answers
    assert first == replay  # the server answers the replay with the same results
    assert boss.sync().pulled == 0  # and changed nothing
    row = ana.get("account", account)
    assert row is not None and row["city"] == "Soria"


def test_an_interrupted_first_sync_resumes_where_it_stopped(fleet: Fleet) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    ana.sync()
    for n in range(30):
        ana.create("account", name=f"Cuenta {n:02d}")
    ana.sync()
    laptop = fleet.profile("ana-laptop", fleet.team.rep_a, pull_page=5)
    laptop.http.pulls_before_outage = 3
    with pytest.raises(ServerUnreachable):
        laptop.sync()
    assert len(laptop.ids("account")) > 0  # the pages before the outage were kept
    pulls_before = sum(r.endswith("/sync/pull") for r in laptop.http.requests)
    laptop.http.pulls_before_outage = None
    report = laptop.sync()
    assert laptop.ids("account") == ana.ids("account")
    total = len(ana.ids("account")) + len(ana.ids("user"))
    assert report.pulled == total - 15  # three pages of five were not pulled again
    assert sum(r.endswith("/sync/pull") for r in laptop.http.requests) > pulls_before
    with laptop.database.session() as session:
        last = load_last_sync(session)
    assert last is not None and last.ok and last.pulled == report.pulled


def test_a_rejected_change_is_listed_and_the_servers_value_comes_back(fleet: Fleet) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    ana.sync()
    account = ana.create("account", name="Uno")
    ana.sync()
    ana.edit("account", account, owner_id=fleet.team.rep_c.id, city="Soria")  # not her team
    report = ana.sync()
    assert (report.pushed, report.rejected, ana.pending()) == (2, 1, 0)
    row = ana.get("account", account)
    assert row is not None
    assert (row["owner_id"], row["city"]) == (fleet.team.rep_a.id, "Soria")
    with ana.database.session() as session:
        (rejected,) = session.scalars(select(RejectedMutation)).all()
        assert (rejected.field, rejected.value, rejected.code) == (
            "owner_id",
            fleet.team.rep_c.id,
            "forbidden",
        )


def _ana_bruno_and_their_manager(fleet: Fleet) -> tuple[Profile, Profile, Profile]:
    """Profiles for the two reps of one team and their manager; Ana has synced once."""
    ana = fleet.profile("ana", fleet.team.rep_a)
    bruno = fleet.profile("bruno", fleet.team.rep_b)
    boss = fleet.profile("boss", fleet.team.manager)
    ana.sync()
    return ana, bruno, boss


def test_reassignment_moves_the_account_and_a_pending_edit_survives(fleet: Fleet) -> None:
    ana, bruno, boss = _ana_bruno_and_their_manager(fleet)
    account = ana.create("account", name="Uno")
    contact = ana.create("contact", account_id=account, first_name="Lucía")
    visit = ana.create("visit", account_id=account)
    ana.sync()
    bruno.sync()
    boss.sync()
    assert account not in bruno.ids("account")
    ana.edit("contact", contact, job_title="Gerente")  # offline, not yet pushed
    boss.edit("account", account, owner_id=fleet.team.rep_b.id)
    boss.sync()
    bruno.sync()
    assert {account} <= bruno.ids("account") and contact in bruno.ids("contact")
    assert visit in bruno.ids("visit")
    report = ana.sync()  # pushes the edit first, then drops what left her scope
    assert (report.pushed, report.rejected) == (1, 0)
    assert account not in ana.ids("account", live=False)
    assert contact not in ana.ids("contact", live=False)
    assert visit not in ana.ids("visit", live=False)
    bruno.sync()
    row = bruno.get("contact", contact)
    assert row is not None and row["job_title"] == "Gerente"


def test_records_that_left_scope_wait_for_their_pending_edits(fleet: Fleet) -> None:
    ana, bruno, boss = _ana_bruno_and_their_manager(fleet)
    account = ana.create("account", name="Uno")
    ana.sync()
    boss.sync()
    boss.edit("account", account, owner_id=fleet.team.rep_b.id)
    boss.sync()
    ana.http.before_pull = lambda: ana.edit("account", account, notes="llamar el lunes")
    report = ana.sync()  # "left scope" arrives while the edit is pending: kept for now
    assert report.dropped == 0
    assert account in ana.ids("account")
    report = ana.sync()  # pushed, then dropped
    assert (report.pushed, report.dropped) == (1, 1)
    assert account not in ana.ids("account", live=False)
    bruno.sync()
    row = bruno.get("account", account)
    assert row is not None and row["notes"] == "llamar el lunes"


def test_network_errors_and_5xx_are_retried_with_backoff(fleet: Fleet) -> None:
    delays: list[float] = []
    policy = RetryPolicy(attempts=4, base_delay=0.5, sleep=delays.append, random=lambda: 1.0)
    ana = fleet.profile("ana", fleet.team.rep_a, retry=policy)
    ana.http.answer_next_with = [503, 502, 429]
    report = ana.sync()
    assert report.pulled >= 6
    assert delays == [0.5, 1.0, 2.0]
    delays.clear()
    ana.http.offline = True
    with pytest.raises(ServerUnreachable):
        ana.sync()
    assert delays == [0.5, 1.0, 2.0]
    ana.http.offline = False
    ana.http.answer_next_with = [500] * 4
    with pytest.raises(ServerFailed):
        ana.sync()


def test_a_jittered_delay_stays_under_the_cap() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, random=lambda: 0.25)
    assert [policy.delay(n) for n in range(6)] == [0.25, 0.5, 1.0, 2.0, 2.0, 2.0]
    assert policy.delay(0, retry_after=5) == 5


def test_an_outdated_client_stops_with_a_clear_error(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    monkeypatch.setattr(transport, "VERSION_HEADERS", {"X-SFA-Protocol": "0", "X-SFA-Schema": "0"})
    with pytest.raises(ClientOutdated):
        ana.sync()
    with ana.database.session() as session:
        last = load_last_sync(session)
    assert last is not None and (last.ok, last.code) == (False, "client_outdated")


def test_a_revoked_token_asks_to_sign_in_again(fleet: Fleet) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    ana.engine.api.token = "not-a-valid-token"
    with pytest.raises(SignInRequired):
        ana.sync()
