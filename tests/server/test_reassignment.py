"""Reassignment moves an account and all its children to the new owner's scope (SPEC §4.7)."""

from __future__ import annotations

from sync_server.api.deps import ServerState
from sync_server.protocol.wire import MutationOp
from sync_server.services.account_reassign import reassign_account

from .helpers import Device, ManualClock, build_account_tree


def _everyone_syncs(devices: dict[str, Device]) -> None:
    for device in devices.values():
        device.sync()


def test_manager_reassigns_within_the_team(devices: dict[str, Device]) -> None:
    rep_a, rep_b, manager = devices["rep_a"], devices["rep_b"], devices["manager"]
    tree = build_account_tree(rep_a, rep_a.user_id)
    _everyone_syncs(devices)
    result = manager.set("account", tree["account"], "owner_id", rep_b.user_id, base=1)
    assert result.status == "applied"
    received = {name: device.sync() for name, device in devices.items()}
    assert {c.record_id for c in received["rep_b"]} == set(tree.values())
    assert {c.kind for c in received["rep_b"]} == {"upsert"}
    assert rep_b.of("account")[tree["account"]].values["owner_id"] == rep_b.user_id
    assert {c.record_id for c in received["rep_a"] if c.kind == "left_scope"} == set(tree.values())
    assert rep_a.mirror.keys().isdisjoint(tree.values())
    assert all(c.kind != "left_scope" for c in received["manager"])
    assert all(c.kind != "left_scope" for c in received["admin"])
    assert received["rep_c"] == [] and received["manager_c"] == []
    assert set(tree.values()) <= manager.mirror.keys()


def test_reassignment_to_another_team(devices: dict[str, Device], state: ServerState) -> None:
    rep_a = devices["rep_a"]
    tree = build_account_tree(rep_a, rep_a.user_id)
    _everyone_syncs(devices)
    moved = reassign_account(
        state.database,
        context=state.sync,
        account_id=tree["account"],
        to_email="carlos.rep@example.com",
    )
    assert moved == len(tree)
    received = {name: device.sync() for name, device in devices.items()}
    for name in ("rep_a", "manager"):
        assert {c.record_id for c in received[name] if c.kind == "left_scope"} == set(tree.values())
    for name in ("rep_c", "manager_c"):
        assert {c.record_id for c in received[name]} == set(tree.values())
    assert all(c.kind != "left_scope" for c in received["admin"])


def test_records_created_after_the_move_follow_the_new_owner(devices: dict[str, Device]) -> None:
    rep_a, rep_b, manager = devices["rep_a"], devices["rep_b"], devices["manager"]
    tree = build_account_tree(rep_a, rep_a.user_id)
    manager.set("account", tree["account"], "owner_id", rep_b.user_id, base=1)
    contact = rep_b.create("contact", {"account_id": tree["account"], "first_name": "Nueva"})
    rep_a.sync()
    rep_b.sync()
    assert contact in rep_b.mirror and contact not in rep_a.mirror


def test_previous_owner_pending_edits_land_and_conflict_with_the_new_owner(
    devices: dict[str, Device], clock: ManualClock
) -> None:
    rep_a, rep_b, manager = devices["rep_a"], devices["rep_b"], devices["manager"]
    tree = build_account_tree(rep_a, rep_a.user_id)
    offline_edit = rep_a.mutation(
        MutationOp.SET,
        "contact",
        tree["contact"],
        field="job_title",
        value="Gerente",
        base_version=1,
    )
    manager.set("account", tree["account"], "owner_id", rep_b.user_id, base=1)
    clock.advance(seconds=5)
    rep_b.set("contact", tree["contact"], "job_title", "Directora", base=1)
    (late,) = rep_a.push(offline_edit)  # edited before hearing of the move: not lost
    assert late.status == "conflict" and not late.kept
    # shown to those who can act on the contact: the new owner and the manager, not Ana
    for device in (rep_b, manager):
        device.sync()
        assert device.mirror[late.conflict_id or ""].values["lost_value"] == "Gerente"
    for device in (rep_a, devices["rep_c"]):
        device.sync()
        assert late.conflict_id not in device.mirror


def test_after_the_grace_period_the_previous_owner_is_out(
    devices: dict[str, Device], clock: ManualClock, state: ServerState
) -> None:
    rep_a, rep_b, manager = devices["rep_a"], devices["rep_b"], devices["manager"]
    tree = build_account_tree(rep_a, rep_a.user_id)
    manager.set("account", tree["account"], "owner_id", rep_b.user_id, base=1)
    clock.advance(days=state.settings.left_scope_grace_days + 1)
    result = rep_a.set("contact", tree["contact"], "job_title", "Tarde", base=1)
    assert (result.status, result.code) == ("rejected", "not_found")


def test_moving_a_quote_to_another_account_moves_its_lines(devices: dict[str, Device]) -> None:
    manager, rep_a, rep_b = devices["manager"], devices["rep_a"], devices["rep_b"]
    tree_a = build_account_tree(rep_a, rep_a.user_id)
    tree_b = build_account_tree(rep_b, rep_b.user_id)
    rep_a.sync()
    rep_b.sync()
    manager.set("quote", tree_a["quote"], "account_id", tree_b["account"], base=1)
    left = {c.record_id for c in rep_a.sync() if c.kind == "left_scope"}
    assert left == {tree_a["quote"], tree_a["quote_line"]}
    arrived = {c.record_id for c in rep_b.sync()}
    assert {tree_a["quote"], tree_a["quote_line"]} <= arrived


def _conflict_between_rep_and_manager(
    devices: dict[str, Device], clock: ManualClock
) -> tuple[str, str]:
    rep_a, manager = devices["rep_a"], devices["manager"]
    tree = build_account_tree(rep_a, rep_a.user_id)
    manager.set("account", tree["account"], "city", "Huesca", base=1)
    clock.advance(seconds=5)
    lost = rep_a.set("account", tree["account"], "city", "Teruel", base=1)
    assert lost.status == "conflict" and lost.conflict_id is not None
    _everyone_syncs(devices)
    assert lost.conflict_id in rep_a.mirror and lost.conflict_id in manager.mirror
    return tree["contact"], lost.conflict_id


def test_a_conflict_follows_a_reassignment_within_the_team(
    devices: dict[str, Device], clock: ManualClock
) -> None:
    rep_a, rep_b, manager = devices["rep_a"], devices["rep_b"], devices["manager"]
    contact, conflict = _conflict_between_rep_and_manager(devices, clock)
    account = rep_a.mirror[contact].values["account_id"]
    result = manager.set("account", account, "owner_id", rep_b.user_id, base=3)
    assert result.status == "applied", result
    received = {name: device.sync() for name, device in devices.items()}
    # Ana no longer sees the account: nor its conflict; Mario still does; Bruno now can act
    assert conflict in {c.record_id for c in received["rep_a"] if c.kind == "left_scope"}
    assert conflict not in rep_a.mirror
    assert conflict in manager.mirror
    assert all(c.kind != "left_scope" for c in received["manager"])
    assert rep_b.mirror[conflict].values["field"] == "city"
    assert received["rep_c"] == [] and received["manager_c"] == []


def test_a_conflict_leaves_everyone_who_no_longer_sees_its_record(
    devices: dict[str, Device], clock: ManualClock, state: ServerState
) -> None:
    contact, conflict = _conflict_between_rep_and_manager(devices, clock)
    account = devices["rep_a"].mirror[contact].values["account_id"]
    reassign_account(
        state.database,
        context=state.sync,
        account_id=account,
        to_email="carlos.rep@example.com",
    )
    received = {name: device.sync() for name, device in devices.items()}
    for name in ("rep_a", "manager", "rep_b"):
        assert conflict not in devices[name].mirror, name
    for name in ("rep_a", "manager"):
        assert conflict in {c.record_id for c in received[name] if c.kind == "left_scope"}
    for name in ("rep_c", "manager_c", "admin"):
        assert conflict in devices[name].mirror, name
    # resolved conflicts stay where they were (history); only open ones move
    rep_c = devices["rep_c"]
    resolved = rep_c.set("conflict", conflict, "resolved", True, base=1)
    assert resolved.status == "applied", resolved
