"""End to end through the real server: a delete after a partial sync, refused creates with
later edits, a poisoned mutation, and the number of new conflicts a sync reports."""

from __future__ import annotations

import pytest

from sfa_desktop.sync.errors import ServerUnreachable

from .harness import Fleet
from .test_two_reps import conflicts


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
