"""A server restored from an older backup gets back, from its devices, everything it forgot.

The documented restore procedure: stop the server, restore the backup, ``sfa-server epoch
rotate``, serve again. Devices see the new epoch (or, if the epoch was not rotated, a cursor
the server never handed out), pull everything again and send back what the server lacks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from sfa_desktop.services.conflicts import list_conflicts
from sfa_desktop.sync.bookkeeping import get_cursor, get_epoch
from sfa_desktop.sync.errors import SyncError
from sync_server.db.database import Database
from sync_server.db.records import latest_sequence
from sync_server.services.epochs import rotate_epoch

from .harness import Fleet, Profile, ServerBackup


@pytest.fixture
def backup(database: Database, database_url: str, tmp_path: Path) -> ServerBackup:
    return ServerBackup(database, database_url, tmp_path)


def restore(fleet: Fleet, backup: ServerBackup, database: Database, *, rotate: bool) -> None:
    backup.restore()
    if rotate:  # the last step of the documented procedure (``sfa-server epoch rotate``)
        rotate_epoch(database, now=fleet.clock.now)


def settled(profile: Profile) -> None:
    """Nothing pending, refused or in conflict on this device."""
    from sfa_desktop.store.models.sync_state import RejectedMutation

    with profile.database.session() as session:
        assert list_conflicts(session) == [], profile.name
        assert session.scalars(select(RejectedMutation)).all() == [], profile.name
    assert profile.pending() == 0, profile.name


@pytest.mark.parametrize("rotate", [True, False], ids=["epoch_rotated", "plain_copy"])
def test_the_restored_server_gets_back_every_edit(
    fleet: Fleet, backup: ServerBackup, database: Database, rotate: bool
) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    mario = fleet.profile("mario", fleet.team.manager)
    ana.sync()
    kept = ana.create("account", name="Ferretería Martínez", city="Zaragoza")
    old_contact = ana.create("contact", account_id=kept, first_name="Lucía")
    ana.sync()
    mario.sync()

    backup.take()
    # edits the backup does not have, synced by everybody
    ana.edit("account", kept, phone="976 11 11 11", tags=["vip"])
    new = ana.create("account", name="Talleres Royo", city="Huesca")
    new_contact = ana.create("contact", account_id=new, first_name="Pilar")
    ana.delete("contact", old_contact)
    mario.edit("account", kept, notes="Renovar en enero")
    ana.sync()
    mario.sync()
    ana.sync()
    before = ana.get("account", kept)

    restore(fleet, backup, database, rotate=rotate)
    if rotate:  # other devices push after the restore: the feed passes Ana's cursor again
        bruno = fleet.profile("bruno", fleet.team.rep_b)
        bruno.sync()
        for n in range(12):
            bruno.create("account", name=f"Cliente {n}", city="Teruel")
        bruno.sync()
        with database.read_session() as session, ana.database.session() as local:
            assert latest_sequence(session) > int(get_cursor(local))

    ana.sync()
    mario.sync()
    ana.sync()

    # a device signed in after all that sees every edit on the server
    check = fleet.profile("check", fleet.team.manager)
    check.sync()
    account = check.get("account", kept)
    assert account is not None and before is not None
    assert (account["phone"], account["tags"], account["notes"]) == (
        "+34976111111",
        ["vip"],
        "Renovar en enero",
    )
    assert account["city"] == "Zaragoza"
    moved = check.get("account", new)
    assert moved is not None and moved["name"] == "Talleres Royo"
    assert check.get("contact", new_contact) is not None
    gone = check.get("contact", old_contact)
    assert gone is None or gone["deleted_at"] is not None
    for profile in (ana, mario):
        settled(profile)
        assert profile.get("account", kept) == account
    with ana.database.session() as session, check.database.session() as other:
        assert get_epoch(session) == get_epoch(other) is not None


def test_an_edit_made_after_the_restore_is_not_silently_overwritten(
    fleet: Fleet, backup: ServerBackup, database: Database
) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a)
    ada = fleet.profile("ada", fleet.team.admin)
    ana.sync()
    account = ana.create("account", name="Ferretería Martínez", phone="976 00 00 00")
    ana.sync()
    ada.sync()
    backup.take()
    ana.edit("account", account, phone="976 11 11 11", city="Jaca")
    ana.sync()

    restore(fleet, backup, database, rotate=True)
    ada.sync()  # ada holds nothing newer than the backup: she sends nothing back
    assert ada.pending() == 0
    ada.edit("account", account, phone="976 22 22 22")  # after the restore
    ada.sync()
    ana.sync()  # her phone is older than ada's edit: the conflict rule keeps ada's
    ada.sync()

    for profile in (ana, ada):
        row = profile.get("account", account)
        assert row is not None
        assert (row["phone"], row["city"]) == ("+34976222222", "Jaca"), profile.name
    with ana.database.session() as session:
        (conflict,) = list_conflicts(session)
    assert conflict.reason == "concurrent_edit" and conflict.field == "phone"
    assert (conflict.kept_value, conflict.lost_value) == ("+34976222222", "+34976111111")


def test_old_clients_are_still_served_and_a_wrong_epoch_is_refused(
    fleet: Fleet, database: Database
) -> None:
    from server.helpers import VERSION_HEADERS

    ana = fleet.profile("ana", fleet.team.rep_a)
    ana.sync()
    token = ana.engine.api.token
    old = {"X-SFA-Protocol": "1", "X-SFA-Schema": "1", "Authorization": f"Bearer {token}"}
    answer = ana.http.get("/api/v1/sync/pull", params={"cursor": "0"}, headers=old)
    assert answer.status_code == 200
    stale = {**VERSION_HEADERS, "Authorization": f"Bearer {token}", "X-SFA-Epoch": "old"}
    refused = ana.http.get("/api/v1/sync/pull", params={"cursor": "0"}, headers=stale)
    assert refused.status_code == 409 and refused.json()["code"] == "epoch_changed"
    pushed = ana.http.post("/api/v1/sync/push", json={"mutations": []}, headers=stale)
    assert pushed.status_code == 409 and pushed.json()["code"] == "epoch_changed"
    with ana.database.session() as session:
        assert answer.headers["X-SFA-Epoch"] == get_epoch(session)

    rotate_epoch(database, now=fleet.clock.now)  # restored: old clients cannot send back
    for refused in (
        ana.http.get("/api/v1/sync/pull", params={"cursor": "0"}, headers=old),
        ana.http.post("/api/v1/sync/push", json={"mutations": []}, headers=old),
    ):
        assert refused.status_code == 426 and refused.json()["code"] == "client_outdated"
        assert "restored from a backup" in refused.json()["message"]
        # the first protocol that knows epochs; no download address configured
        assert refused.json()["details"] == {"required_protocol": 2, "download_url": None}
    ana.sync()  # a current client goes on (after its restore check)


def test_an_interrupted_restore_check_resumes_and_loses_nothing(
    fleet: Fleet, backup: ServerBackup, database: Database
) -> None:
    ana = fleet.profile("ana", fleet.team.rep_a, pull_page=2)
    ana.sync()
    first = ana.create("account", name="Ferretería Martínez")
    ana.sync()
    backup.take()
    later = [ana.create("account", name=f"Cliente {n}") for n in range(5)]
    ana.edit("account", first, city="Jaca")
    ana.sync()
    restore(fleet, backup, database, rotate=True)
    ana.edit("account", later[0], city="Barbastro")  # pending while the server is restored

    ana.http.pulls_before_outage = 3  # the connection drops in the middle of the check
    with pytest.raises(SyncError):
        ana.sync()
    ana.http.pulls_before_outage = None
    ana.sync()

    check = fleet.profile("check", fleet.team.manager)
    check.sync()
    assert check.ids("account") == {first, *later}
    row = check.get("account", first)
    assert row is not None and row["city"] == "Jaca"
    moved = check.get("account", later[0])
    assert moved is not None and moved["city"] == "Barbastro"
    settled(ana)
