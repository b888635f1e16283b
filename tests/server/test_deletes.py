"""Deletes are tombstones; edits and deletes that cross are decided by the clock."""

from __future__ import annotations

from sqlalchemy import select

from sync_server.db.database import Database
from sync_server.db.models import AuditEntry
from sync_server.protocol.wire import MutationOp

from .helpers import Device, ManualClock, account_values


def test_delete_is_a_tombstone_that_syncs(devices: dict[str, Device]) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    manager.sync()
    result = rep.delete("account", account, base=1)
    assert result.status == "applied" and result.version == 2
    (change,) = manager.sync()
    assert change.kind == "delete" and change.values["deleted_at"] is not None
    assert rep.delete("account", account, base=1).status == "applied"  # already gone: no-op


def test_an_edit_against_a_deleted_record_is_a_conflict_not_a_resurrection(
    devices: dict[str, Device],
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    rep.delete("account", account, base=1)
    edit = manager.set("account", account, "city", "Monzón", base=1)
    assert edit.status == "conflict" and not edit.kept and edit.code == "record_deleted"
    manager.sync()
    assert manager.of("account")[account].kind == "delete"
    assert manager.of("account")[account].values["city"] == "Zaragoza"
    conflict = manager.mirror[edit.conflict_id or ""].values
    assert conflict["lost_value"] == "Monzón" and conflict["reason"] == "record_deleted"


def test_a_delete_later_than_an_unseen_edit_wins_and_records_the_edit(
    devices: dict[str, Device], clock: ManualClock
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    edit = manager.mutation(
        MutationOp.SET, "account", account, field="notes", value="Llamar", base_version=1
    )
    clock.advance(seconds=10)
    delete = rep.mutation(MutationOp.DELETE, "account", account, base_version=1)
    manager.push(edit)
    (result,) = rep.push(delete)
    assert result.status == "conflict" and result.kept and result.code == "deleted_after_edit"
    rep.sync()
    assert rep.of("account")[account].kind == "delete"
    conflict = rep.mirror[result.conflict_id or ""].values
    assert conflict["field"] == "notes" and conflict["lost_value"] == "Llamar"
    assert conflict["lost_by_id"] == manager.user_id


def test_an_edit_later_than_a_delete_keeps_the_record_and_records_the_delete(
    devices: dict[str, Device], clock: ManualClock
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    delete = rep.mutation(MutationOp.DELETE, "account", account, base_version=1)
    clock.advance(seconds=10)
    manager.set("account", account, "notes", "Sigue activo", base=1)
    (result,) = rep.push(delete)
    assert result.status == "conflict" and not result.kept and result.code == "edited_after_delete"
    rep.sync()
    assert rep.of("account")[account].kind == "upsert"
    conflict = rep.mirror[result.conflict_id or ""].values
    assert conflict["field"] == "deleted_at" and conflict["lost_by_id"] == rep.user_id


def test_delete_with_an_up_to_date_base_needs_no_clock(devices: dict[str, Device]) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    manager.set("account", account, "city", "Graus", base=1)
    assert rep.delete("account", account, base=2).status == "applied"


def test_undelete_brings_the_record_back_to_everyone_and_is_audited(
    devices: dict[str, Device], database: Database
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    rep.delete("account", account, base=1)
    manager.sync()
    assert manager.of("account")[account].kind == "delete"
    (result,) = manager.push(
        manager.mutation(MutationOp.UNDELETE, "account", account, base_version=2)
    )
    assert (result.status, result.kept, result.version) == ("applied", True, 3)
    (change,) = rep.sync()[-1:]
    assert change.kind == "upsert" and change.values["deleted_at"] is None
    assert change.versions["deleted_at"] == 3
    assert manager.sync()[0].kind == "upsert"
    with database.read_session() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.record_id == account).order_by(AuditEntry.id)
        ).all()
    assert actions == ["create", "delete", "undelete"]
    again = manager.mutation(MutationOp.UNDELETE, "account", account, base_version=3)
    assert manager.push(again)[0].status == "applied"  # not deleted: nothing to do


def test_undelete_is_refused_with_a_code_for_whoever_may_not(devices: dict[str, Device]) -> None:
    rep, outsider = devices["rep_a"], devices["rep_c"]
    account = rep.create("account", account_values(rep.user_id))
    contact = rep.create("contact", {"account_id": account, "first_name": "Lucía"})
    rep.delete("contact", contact, base=1)
    rep.delete("account", account, base=1)
    foreign = outsider.push(outsider.mutation(MutationOp.UNDELETE, "account", account))[0]
    assert (foreign.status, foreign.code) == ("rejected", "not_found")
    orphan = rep.push(rep.mutation(MutationOp.UNDELETE, "contact", contact, base_version=2))[0]
    assert (orphan.status, orphan.code) == ("rejected", "parent_deleted")
    bad = rep.push(
        rep.mutation(MutationOp.UNDELETE, "account", account, field="city", value="Huesca")
    )[0]
    assert (bad.status, bad.code) == ("rejected", "bad_mutation")
    undone = rep.push(
        rep.mutation(MutationOp.UNDELETE, "account", account, base_version=2),
        rep.mutation(MutationOp.UNDELETE, "contact", contact, base_version=2),
    )
    assert [r.status for r in undone] == ["applied", "applied"]
