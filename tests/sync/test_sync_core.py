"""End to end through the real server: a delete after a partial sync, refused creates with
later edits, a poisoned mutation, and the number of new conflicts a sync reports."""

from __future__ import annotations

import pytest

from sfa_desktop.sync import bookkeeping
from sfa_desktop.sync.errors import ServerUnreachable
from sfa_desktop.sync.report import load_last_sync

from .harness import Fleet
from .local_rows import conflicts, rejected


def test_a_delete_after_a_partial_sync_never_drops_an_edit_it_did_not_see(fleet: Fleet) -> None:
    """The record version only moves with a pull: the accepted name must not make the server
    take the phone (which ana never received) as seen by her delete."""
    ana = fleet.profile("ana", fleet.team.rep_a)
    boss = fleet.profile("boss", fleet.team.manager)
    ana.sync()
    account = ana.create("account", name="Uno", city="Soria")
    ana.sync()
    boss.sync()
    boss.edit("account", account, phone="976 22 22 22")  # ana never receives this
    boss.sync()
    ana.edit("account", account, name="Uno y Dos")
    ana.http.pulls_before_outage = 0
    with pytest.raises(ServerUnreachable):
        ana.sync()  # the name is accepted, the pull fails
    assert ana.pending() == 0
    fleet.clock.advance(seconds=30)
    ana.delete("account", account)  # offline, and later than the phone: the delete wins…
    ana.http.pulls_before_outage = None
    ana.sync()
    boss.sync()
    for profile in (ana, boss):  # …and the phone it removed is a conflict both can see
        row = profile.get("account", account)
        assert row is not None and row["deleted_at"] is not None
        assert [(c["field"], c["lost"], c["reason"]) for c in conflicts(profile)] == [
            ("phone", "+34976222222", "deleted_after_edit")
        ]


def test_a_refused_create_keeps_every_later_edit_of_the_record_as_rejected(fleet: Fleet) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    ana.sync()
    ana.engine.push_batch = 3
    other = ana.create("account", name="Otro")
    account = ana.create("account", name="Uno", owner_id=fleet.team.rep_c.id)  # not her team
    ana.edit("account", account, city="Soria")  # same batch as the create
    ana.edit("account", account, phone="976 11 11 11")  # the next batch
    ana.edit("account", other, city="Teruel")
    report = ana.sync()
    assert (report.pushed, report.rejected, ana.pending()) == (4, 3, 0)  # the phone never left
    assert account not in ana.ids("account", live=False)
    found = rejected(ana)
    assert [(op, field, code, said) for op, field, _, code, said in found] == [
        ("create", None, "forbidden", True),
        ("set", "city", "create_refused", True),
        ("set", "phone", "create_refused", True),
    ]
    assert found[0][2]["name"] == "Uno"
    assert [value for _, _, value, _, _ in found[1:]] == ["Soria", "+34976111111"]
    row = ana.get("account", other)
    assert row is not None and row["city"] == "Teruel"


def test_a_sync_reports_exactly_the_conflicts_new_to_this_device(fleet: Fleet) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a, pull_page=7)
    boss = fleet.profile("boss", fleet.team.manager, pull_page=7)
    ana.sync()
    accounts = [ana.create("account", name=f"Cuenta {n}") for n in range(15)]
    ana.sync()
    boss.sync()
    for account in accounts:
        ana.edit("account", account, phone="976 11 11 11")
    fleet.clock.advance(seconds=30)
    for account in accounts:
        boss.edit("account", account, phone="976 22 22 22")  # later: kept, ana's value lost
    assert ana.sync().conflicts == 0
    assert boss.sync().conflicts == 15  # its push wins 15 times: 15 conflict records
    assert ana.sync().conflicts == 15
    assert (ana.sync().conflicts, boss.sync().conflicts) == (0, 0)
    laptop = fleet.profile("boss-laptop", fleet.team.manager, pull_page=7)
    assert laptop.sync().conflicts == 15  # a new device has not seen them
    with ana.database.session() as session:  # a pull from the start (the server's cursor is
        bookkeeping.set_cursor(session, "999999999")  # behind: restored) re-sends all 15 records
    report = ana.sync()
    assert report.pulled > 15 and report.conflicts == 0
    with ana.database.session() as session:
        last = load_last_sync(session)
    assert last is not None and last.conflicts == 0
