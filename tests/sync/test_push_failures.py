"""One poisoned mutation never blocks sync: the pull always runs, the bad entry is found by
splitting, charged only when the server is up, and set aside after MAX_PUSH_ATTEMPTS syncs."""

from __future__ import annotations

from typing import Any

import pytest

from sfa_desktop.sync import outbox
from sfa_desktop.sync.errors import ServerFailed, SyncError
from sfa_desktop.sync.push_failures import MAX_PUSH_ATTEMPTS, PUSH_FAILED, UNSENDABLE
from sfa_desktop.sync.transport import RetryPolicy
from sync_server.settings import Settings

from .harness import Fleet, Profile
from .local_rows import rejected

#: the server refuses request bodies larger than this (one huge value is then a poison)
MAX_BODY = 64 * 1024


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"max_request_bytes": MAX_BODY})


def pushes(profile: Profile) -> int:
    return sum(r.endswith("/sync/push") for r in profile.http.requests)


def attempts(profile: Profile) -> dict[str, int]:
    with profile.database.session() as session:
        return {e.mutation_id: e.attempts for e in outbox.next_batch(session, 1000)}


def queue_raw_edit(profile: Profile, record_id: str, field: str, value: Any) -> str:
    """Queue an edit past the app's checks (as a bug of an older version could have)."""
    with profile.database.session() as session:
        return outbox.add_set(
            session,
            entity="account",
            record_id=record_id,
            field=field,
            value=value,
            old_value=None,
            stamp=profile.ctx.clock.now(),
            now=profile.now(),
        )


def server_view(boss: Profile, record_id: str) -> dict[str, Any] | None:
    boss.sync()
    return boss.get("account", record_id)


def test_a_request_the_server_always_refuses_is_set_aside_and_the_rest_goes_on(
    fleet: Fleet,
) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    boss = fleet.profile("boss", fleet.team.manager)
    ana.sync()
    boss.sync()
    first = ana.create("account", name="Uno")
    poison = queue_raw_edit(ana, first, "notes", "x" * MAX_BODY)  # a body the server refuses
    second = ana.create("account", name="Dos")
    ana.edit("account", first, city="Soria")
    news = boss.create("account", name="Del jefe", owner_id=fleet.team.rep_a.id)
    boss.sync()
    for n in range(1, MAX_PUSH_ATTEMPTS + 1):
        sent = pushes(ana)
        with pytest.raises(SyncError) as failure:
            ana.sync()
        assert (failure.value.code, failure.value.status) == ("request_too_large", 413)
        assert news in ana.ids("account")  # the pull ran all the same
        if n == 1:  # split until the bad entry is alone: what came before it is sent
            assert server_view(boss, first) is not None
            assert server_view(boss, second) is None
        else:  # the entry refused before goes alone: one request
            assert pushes(ana) - sent == 1
        if n < MAX_PUSH_ATTEMPTS:
            assert attempts(ana)[poison] == n
    assert poison not in attempts(ana)  # set aside…
    ((op, field, value, code, said),) = rejected(ana)
    assert (op, field, value == "x" * MAX_BODY, code, said) == (
        "set",
        "notes",
        True,
        PUSH_FAILED,
        True,
    )
    report = ana.sync()  # …and the rest goes on
    assert (report.pushed, report.rejected, ana.pending()) == (2, 0, 0)
    row = server_view(boss, first)
    assert row is not None and (row["city"], row["notes"]) == ("Soria", None)
    assert server_view(boss, second) is not None


def test_a_mutation_the_server_fails_on_is_found_and_set_aside(fleet: Fleet) -> None:
    delays: list[float] = []
    policy = RetryPolicy(attempts=3, base_delay=0.5, sleep=delays.append, random=lambda: 1.0)
    ana = fleet.profile("ana", fleet.team.rep_a, retry=policy)
    ana.sync()
    ana.engine.push_batch = 8
    ids = [ana.create("account", name=f"Cuenta {n}") for n in range(6)]
    ana.edit("account", ids[3], notes="💥")  # the 7th entry: the server answers 500 to it
    ids += [ana.create("account", name=f"Cuenta {n}") for n in range(6, 9)]
    ana.http.poison = ("💥", 500)
    for _ in range(MAX_PUSH_ATTEMPTS):
        with pytest.raises(ServerFailed):
            ana.sync()
    # the first sync: the batch of 8 (3 tries), then 8 → 4 ✓ + 4 → 2 ✓ + 2 → 1 ✗, once each;
    # the next ones: the entry alone (3 tries); nothing after it was sent meanwhile
    assert pushes(ana) == 3 + 5 + (MAX_PUSH_ATTEMPTS - 1) * 3
    assert len(delays) == 2 * MAX_PUSH_ATTEMPTS
    assert ana.pending() == 3
    report = ana.sync()
    assert (report.pushed, report.rejected, ana.pending()) == (3, 0, 0)
    ((op, field, value, code, _),) = rejected(ana)
    assert (op, field, value, code) == ("set", "notes", "💥", PUSH_FAILED)
    row = ana.get("account", ids[3])
    assert row is not None and row["notes"] is None  # the server's value is back


def test_an_entry_this_client_cannot_even_send_is_set_aside_at_once(fleet: Fleet) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    ana.sync()
    first = ana.create("account", name="Uno")
    queue_raw_edit(ana, first, "x" * 61, "?")  # longer than the wire allows a field name
    ana.edit("account", first, city="Soria")
    report = ana.sync()
    assert (report.pushed, report.rejected, ana.pending()) == (2, 1, 0)
    ((op, field, value, code, said),) = rejected(ana)
    assert (op, field, value, code, said) == ("set", "x" * 61, "?", UNSENDABLE, True)


@pytest.mark.parametrize("outage", ["offline", "unavailable", "push_500_and_pull_down"])
def test_an_outage_never_counts_against_an_entry(fleet: Fleet, outage: str) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    ana.sync()
    ana.engine.push_batch = 4
    for n in range(6):
        ana.create("account", name=f"Cuenta {n}")
    for _ in range(MAX_PUSH_ATTEMPTS + 2):
        if outage == "offline":
            ana.http.offline = True
        elif outage == "unavailable":  # 503 to every request
            ana.http.answer_next_with = [503] * 50
        else:  # every push fails with 500, and the pull cannot reach the server
            ana.http.poison = ("Cuenta", 500)
            ana.http.pulls_before_outage = 0
        with pytest.raises(SyncError):
            ana.sync()
        ana.http.answer_next_with = []
    assert set(attempts(ana).values()) == {0}
    ana.http.offline, ana.http.poison, ana.http.pulls_before_outage = False, None, None
    report = ana.sync()
    assert (report.pushed, report.rejected, ana.pending()) == (6, 0, 0)
