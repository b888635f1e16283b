"""End to end: reps and a manager edit offline and sync through the real server app."""

from __future__ import annotations

import datetime as dt

from .harness import Fleet
from .local_rows import conflicts


def test_first_sync_gets_users_and_a_new_account_reaches_the_manager(fleet: Fleet) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    boss = fleet.profile("boss", fleet.team.manager)
    report = ana.sync()
    assert report.pulled >= 6
    account = ana.create("account", name="Ferretería Martínez", city="Zaragoza")
    ana.create("contact", account_id=account, first_name="Lucía")
    assert ana.pending() == 2
    report = ana.sync()
    assert (report.pushed, report.rejected, ana.pending()) == (2, 0, 0)
    boss.sync()
    row = boss.get("account", account)
    assert row is not None and row["name"] == "Ferretería Martínez"
    assert row["owner_id"] == fleet.team.rep_a.id
    assert len(boss.ids("contact")) == 1


def test_edits_to_different_fields_merge_silently(fleet: Fleet) -> None:
    ana, boss, account = fleet.shared_account()
    ana.edit("account", account, name="Ferretería Martínez e Hijos")
    boss.edit("account", account, city="Huesca", tags=["vip"])
    ana.sync()
    boss.sync()
    ana.sync()
    for profile in (ana, boss):
        row = profile.get("account", account)
        assert row is not None
        assert (row["name"], row["city"], row["tags"]) == (
            "Ferretería Martínez e Hijos",
            "Huesca",
            ["vip"],
        )
        assert conflicts(profile) == []
        assert profile.pending() == 0


def test_same_field_gives_one_conflict_visible_to_both(fleet: Fleet) -> None:
    ana, boss, account = fleet.shared_account()
    ana.edit("account", account, phone="976 11 11 11")
    fleet.clock.advance(seconds=30)
    boss.edit("account", account, phone="976 22 22 22")  # later: kept
    ana.sync()
    report = boss.sync()
    assert report.conflicts == 1
    ana.sync()
    for profile in (ana, boss):
        row = profile.get("account", account)
        assert row is not None and row["phone"] == "+34976222222"
        assert conflicts(profile) == [
            {
                "record_id": account,
                "field": "phone",
                "kept": "+34976222222",
                "lost": "+34976111111",
                "reason": "concurrent_edit",
                "resolved": False,
            }
        ]


def test_a_pending_edit_stays_visible_then_loses_to_the_servers_value(fleet: Fleet) -> None:
    ana, boss, account = fleet.shared_account()
    ana.skew = -dt.timedelta(hours=1)  # ana's laptop is an hour behind: her edit is older
    boss.edit("account", account, city="Teruel")
    boss.sync()
    ana.http.before_pull = lambda: ana.edit("account", account, city="Calatayud")
    ana.sync()  # pulls Teruel while Calatayud is pending: the local value stays visible
    row = ana.get("account", account)
    assert row is not None and row["city"] == "Calatayud"
    assert ana.pending() == 1
    report = ana.sync()  # the push loses: the server's value comes back without a new pull
    assert (report.pushed, ana.pending()) == (1, 0)
    row = ana.get("account", account)
    assert row is not None and row["city"] == "Teruel"
    assert [(c["kept"], c["lost"]) for c in conflicts(ana)] == [("Teruel", "Calatayud")]
    boss.sync()
    assert [(c["kept"], c["lost"]) for c in conflicts(boss)] == [("Teruel", "Calatayud")]


def test_delete_against_edit(fleet: Fleet) -> None:
    ana, boss, account = fleet.shared_account()
    contact = ana.create("contact", account_id=account, first_name="Lucía")
    ana.sync()
    boss.sync()
    boss.edit("contact", contact, job_title="Gerente")
    fleet.clock.advance(seconds=10)
    ana.delete("contact", contact)  # the later delete wins; the edit becomes a conflict
    boss.sync()
    ana.sync()
    boss.sync()
    for profile in (ana, boss):
        row = profile.get("contact", contact)
        assert row is not None and row["deleted_at"] is not None
        (conflict,) = conflicts(profile)
        assert (conflict["field"], conflict["lost"], conflict["reason"]) == (
            "job_title",
            "Gerente",
            "deleted_after_edit",
        )
    # an edit reaching a deleted record is a conflict, not a resurrection
    ana2 = fleet.profile("ana-2", fleet.team.rep_a)
    ana2.sync()
    assert contact not in ana2.ids("contact")
