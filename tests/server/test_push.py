"""Push: idempotency, merges, same-field conflicts, clamped clocks."""

from __future__ import annotations

from sqlalchemy import func, select

from sync_server.api.deps import ServerState
from sync_server.clock import to_millis
from sync_server.db import records
from sync_server.db.models import AuditEntry, Counter
from sync_server.protocol.hlc import Stamp
from sync_server.protocol.wire import Mutation, MutationOp

from .helpers import Device, ManualClock, account_values


def _feed_and_audit(state: ServerState) -> tuple[int, int]:
    with state.database.read_session() as session:
        feed = session.scalar(select(Counter.value))
        audit = session.scalar(select(func.count()).select_from(AuditEntry))
    return int(feed or 0), int(audit or 0)


def test_replayed_mutations_get_the_same_answer_and_change_nothing(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep = devices["rep_a"]
    account = rep.create("account", account_values(rep.user_id))
    batch = [
        rep.mutation(
            MutationOp.SET, "account", account, field="city", value="Huesca", base_version=1
        ),
        rep.mutation(MutationOp.SET, "account", account, field="name", value="", base_version=1),
    ]
    first = rep.push(*batch)
    assert [r.status for r in first] == ["applied", "rejected"]
    before = _feed_and_audit(state)
    again = rep.push(*batch, *batch)
    assert again == first + first
    assert _feed_and_audit(state) == before


def test_edits_to_different_fields_merge(devices: dict[str, Device]) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    manager.sync()
    assert rep.set("account", account, "city", "Teruel", base=1).status == "applied"
    merged = manager.set("account", account, "phone", "+34 976 000 000", base=1)
    assert merged.status == "merged" and merged.kept
    rep.sync()
    values = rep.of("account")[account].values
    assert values["city"] == "Teruel" and values["phone"] == "+34976000000"  # stored in E.164
    assert rep.of("conflict") == {}


def _edit_overtaken_by_the_manager(
    rep: Device, manager: Device, account: str, clock: ManualClock
) -> Mutation:
    """The rep's city edit, made before the manager's later one reaches the server first."""
    early = rep.mutation(
        MutationOp.SET, "account", account, field="city", value="Calatayud", base_version=1
    )
    clock.advance(seconds=30)
    late = manager.mutation(
        MutationOp.SET, "account", account, field="city", value="Tarazona", base_version=1
    )
    assert manager.push(late)[0].status == "applied"
    return early


def test_same_field_conflict_keeps_the_later_edit_and_records_both_values(
    devices: dict[str, Device], clock: ManualClock
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    early = _edit_overtaken_by_the_manager(rep, manager, account, clock)
    (lost,) = rep.push(early)  # pushed later, but edited earlier
    assert lost.status == "conflict" and not lost.kept and lost.code == "concurrent_edit"
    for device in (rep, manager, devices["admin"]):
        device.sync()
        assert device.of("account")[account].values["city"] == "Tarazona"
        conflict = device.mirror[lost.conflict_id or ""]
        assert conflict.entity == "conflict"
        assert conflict.values["kept_value"] == "Tarazona"
        assert conflict.values["lost_value"] == "Calatayud"
        assert conflict.values["lost_by_id"] == rep.user_id
        assert conflict.values["kept_by_id"] == manager.user_id
        assert conflict.values["record_id"] == account and conflict.values["field"] == "city"
    for outsider in ("rep_b", "rep_c", "manager_c"):
        devices[outsider].sync()
        assert lost.conflict_id not in devices[outsider].mirror


def test_a_later_concurrent_edit_wins_and_the_old_value_is_recorded(
    devices: dict[str, Device], clock: ManualClock
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    first = manager.mutation(
        MutationOp.SET, "account", account, field="city", value="Jaca", base_version=1
    )
    clock.advance(seconds=5)
    second = rep.mutation(
        MutationOp.SET, "account", account, field="city", value="Barbastro", base_version=1
    )
    manager.push(first)
    (won,) = rep.push(second)
    assert won.status == "conflict" and won.kept
    rep.sync()
    conflict = rep.mirror[won.conflict_id or ""].values
    assert (conflict["kept_value"], conflict["lost_value"]) == ("Barbastro", "Jaca")


def test_a_device_never_conflicts_with_its_own_edits(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    account = rep.create("account", account_values(rep.user_id))
    results = rep.push(
        rep.mutation(
            MutationOp.SET, "account", account, field="city", value="Alcañiz", base_version=1
        ),
        rep.mutation(
            MutationOp.SET, "account", account, field="city", value="Caspe", base_version=1
        ),
    )
    assert [r.status for r in results] == ["applied", "applied"]
    rep.sync()
    assert rep.of("account")[account].values["city"] == "Caspe"
    assert rep.of("conflict") == {}


def test_a_conflict_made_in_a_batch_sorts_after_every_stamp_of_the_batch(
    devices: dict[str, Device], clock: ManualClock, state: ServerState
) -> None:
    """The server clock moves past a batch's latest stamp before the batch is applied."""
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    early = _edit_overtaken_by_the_manager(rep, manager, account, clock)
    a_minute_ahead = f"{to_millis(clock()) + 60_000:015d}-000000-{rep.device_id}"  # not clamped
    rename = rep.mutation(
        MutationOp.SET,
        "account",
        account,
        field="name",
        value="Ferretería Nueva",
        base_version=1,
        hlc=a_minute_ahead,
    )
    lost, renamed = rep.push(early, rename)  # the first loses to the manager's edit
    assert lost.status == "conflict" and renamed.kept
    conflict_id = lost.conflict_id or ""
    with state.database.read_session() as session:
        conflict = records.load_records(session, ids=[conflict_id], lock=False)[conflict_id]
    made = {Stamp.parse(signature[0]) for signature in conflict.stamps.values()}
    assert min(made) > Stamp.parse(a_minute_ahead)


def test_stamps_from_the_future_are_clamped(
    devices: dict[str, Device], clock: ManualClock, state: ServerState
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    far_future = f"{int(clock().timestamp() * 1000) + 86_400_000:015d}-000000-{rep.device_id}"
    bogus = rep.mutation(
        MutationOp.SET,
        "account",
        account,
        field="city",
        value="Mañana",
        base_version=1,
        hlc=far_future,
    )
    assert rep.push(bogus)[0].status == "applied"
    clock.advance(minutes=10)  # beyond the clamped stamp (now + max drift)
    honest = manager.set("account", account, "city", "Hoy", base=1)
    assert honest.status == "conflict" and honest.kept
    manager.sync()
    conflict = manager.mirror[honest.conflict_id or ""].values
    clamped_wall = int(conflict["lost_hlc"].split("-")[0])
    assert clamped_wall < int(far_future.split("-")[0])


def test_the_audit_log_records_every_accepted_change(
    devices: dict[str, Device], client: object
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    rep.set("account", account, "city", "Ejea", base=1)
    rep.delete("account", account, base=2)
    response = manager.client.get(
        "/api/v1/audit", params={"record": account}, headers=manager.headers
    )
    assert response.status_code == 200
    entries = response.json()["entries"]
    assert [e["action"] for e in entries] == ["create", "set", "delete"]
    assert entries[1]["field"] == "city"
    assert (entries[1]["old_value"], entries[1]["new_value"]) == ("Zaragoza", "Ejea")
    assert {e["user_id"] for e in entries} == {rep.user_id}
    assert {e["device_id"] for e in entries} == {rep.device_id}
    assert entries[0]["new_value"]["name"] == "Ferretería Martínez"
