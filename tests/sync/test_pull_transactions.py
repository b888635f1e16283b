"""Pulled pages share a transaction while they arrive faster than they are written — one commit
per page cost a first sync a third of its time — but never at the expense of a waiting edit,
of waiting for the network with the lock held, or of what a failed fetch had already brought."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from sfa_desktop.sync import engine as engine_module
from sfa_desktop.sync import faults
from sfa_desktop.sync.errors import ServerUnreachable
from sfa_desktop.sync.report import SyncPhase, SyncProgress
from sfa_desktop.sync.write_turns import write_turns

from .harness import Fleet, Profile

DEADLINE_S = 10.0


def _territory(fleet: Fleet, accounts: int) -> tuple[Profile, int]:
    """Ana's accounts on the server; the number of records a first sync of hers pulls."""
    ana = fleet.profile("ana", fleet.team.rep_a)
    ana.sync()
    for n in range(accounts):
        ana.create("account", name=f"Cuenta {n:02d}")
    ana.sync()
    return ana, len(ana.ids("account")) + len(ana.ids("user"))


def _pages_share_transactions(
    monkeypatch: pytest.MonkeyPatch, next_page_wait_s: float = DEADLINE_S
) -> None:
    """No time cap on a pull transaction; a page that arrives within ``next_page_wait_s`` joins
    the transaction of the page before."""
    monkeypatch.setattr(engine_module, "NEXT_PAGE_WAIT_S", next_page_wait_s)
    monkeypatch.setattr(engine_module, "PULL_COMMIT_SECONDS", 3600.0)


def _laptop(fleet: Fleet) -> Profile:
    """Ana's second machine, new: its first sync pulls her territory, 5 records a page."""
    return fleet.profile("ana-laptop", fleet.team.rep_a, pull_page=5)


def _committed(progress: list[SyncProgress]) -> list[int]:
    return [p.done for p in progress if p.phase is SyncPhase.PULL]


def test_pages_already_here_share_a_transaction_up_to_the_record_cap(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pages_share_transactions(monkeypatch)  # every page "arrives"
    ana, total = _territory(fleet, 28)
    laptop = _laptop(fleet)
    laptop.engine.pull_commit_records = 10
    progress: list[SyncProgress] = []
    report = laptop.engine.sync(progress.append)
    pages = -(-total // 5)
    # two pages of five per transaction, the last one alone if the count is odd
    assert _committed(progress) == [min(10 * k, total) for k in range(1, -(-pages // 2) + 1)]
    assert report.pulled == total
    assert laptop.ids("account") == ana.ids("account")


def test_an_edit_waiting_for_its_turn_gets_it_after_the_page_being_written(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pages_share_transactions(monkeypatch)
    _, total = _territory(fleet, 20)
    laptop = _laptop(fleet)
    turns = write_turns(laptop.database.engine)
    seen_by_edit: list[int] = []

    def edit() -> None:
        laptop.create("account", name="Creada durante la sincronización")
        seen_by_edit.append(len(laptop.ids("account")))

    editor = threading.Thread(target=edit)

    def while_page_one_is_written() -> None:  # the second pull: page one's transaction is open
        editor.start()
        deadline = threading.Event()
        for _ in range(int(DEADLINE_S * 1000)):
            if turns.waiting == 1:
                return
            deadline.wait(0.001)
        raise AssertionError("the edit never asked for its turn")

    laptop.http.before_pull = lambda: setattr(  # the first pull comes before any transaction
        laptop.http, "before_pull", while_page_one_is_written
    )
    progress: list[SyncProgress] = []
    report = laptop.engine.sync(progress.append)
    editor.join(DEADLINE_S)
    committed = _committed(progress)
    assert committed[0] == 5  # committed after page one, for the edit…
    assert committed[-1] == total  # …then the rest together
    assert len(committed) == 2
    # the users came first in page one; the edit saw page one's accounts and its own
    assert seen_by_edit and seen_by_edit[0] <= 5 + 1
    assert report.pulled == total
    assert laptop.pending() == 1


def test_the_next_pages_are_fetched_while_one_is_written_and_no_more_than_that(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pages_share_transactions(monkeypatch)
    ana, total = _territory(fleet, 40)
    laptop = _laptop(fleet)
    laptop.engine.pull_commit_records = 1  # one page per transaction
    ahead = engine_module.PULL_AHEAD
    #: at most ``ahead`` pages wait ready, one more is read and one more requested
    most = 1 + ahead + 2
    committed: list[int] = []
    #: for each pull request, how many pages were committed when it went out
    pulls: list[int] = []
    send = laptop.http.send

    def counted(request: Any, **options: Any) -> Any:
        if request.url.path.endswith("/sync/pull"):
            pulls.append(len(committed))
        return send(request, **options)

    monkeypatch.setattr(laptop.http, "send", counted)
    held = threading.Event()

    def reached(point: str) -> None:  # page one's transaction waits for the feed to fill up
        if point == "pull.before_page_commit" and not held.is_set():
            held.set()
            wait = threading.Event()
            for _ in range(int(DEADLINE_S * 1000)):
                if len(pulls) >= most:
                    return
                wait.wait(0.001)
            raise AssertionError(f"only {len(pulls)} pages were requested meanwhile")

    monkeypatch.setattr(faults, "reached", reached)
    report = laptop.engine.sync(lambda step: committed.append(step.done))
    assert held.is_set()
    # the first `most` requests went out while page one was being written, none after them
    assert pulls[:most] == [0] * most
    assert all(done >= n - most + 1 for n, done in enumerate(pulls))
    assert report.pulled == total
    assert laptop.ids("account") == ana.ids("account")


def test_the_lock_is_not_held_while_the_next_page_is_late(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pages_share_transactions(monkeypatch, next_page_wait_s=0.01)
    _, total = _territory(fleet, 12)
    laptop = _laptop(fleet)
    committed_once = threading.Event()

    def late() -> None:  # page two comes only once page one is committed
        assert committed_once.wait(DEADLINE_S), "page one waited for page two"

    laptop.http.before_pull = lambda: setattr(laptop.http, "before_pull", late)
    progress: list[SyncProgress] = []

    def on_progress(step: SyncProgress) -> None:
        progress.append(step)
        committed_once.set()

    laptop.engine.sync(on_progress)
    assert _committed(progress)[0] == 5
    assert _committed(progress)[-1] == total


def test_a_failed_fetch_keeps_the_pages_already_applied(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pages_share_transactions(monkeypatch)
    ana, total = _territory(fleet, 20)
    laptop = _laptop(fleet)
    laptop.http.pulls_before_outage = 3  # pages one to three arrive, then the network is gone
    with pytest.raises(ServerUnreachable):
        laptop.sync()  # the three pages were in one open transaction
    kept = len(laptop.ids("account")) + len(laptop.ids("user"))
    assert kept == 15
    laptop.http.pulls_before_outage = None
    report = laptop.sync()
    assert report.pulled == total - 15
    assert laptop.ids("account") == ana.ids("account")
