"""End to end through the real server: a delete after a partial sync, refused creates with
later edits, a poisoned mutation, and the number of new conflicts a sync reports."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from sfa_desktop.store.models import RejectedMutation
from sfa_desktop.sync.errors import ServerUnreachable

from .harness import Fleet, Profile
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


def rejected(profile: Profile) -> list[tuple[str, str | None, Any, str, bool]]:
    with profile.database.session() as session:
        rows = session.scalars(select(RejectedMutation).order_by(RejectedMutation.id))
        return [(r.op, r.field, r.value, r.code, bool(r.message)) for r in rows]


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
