"""Opportunities' stage history on the server (issue 11): a stage change is signed by its
writer, read-only after its create and never deleted; closing a deal lost needs the reason.
Each refusal has its own code and writes nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from sync_server.api.deps import ServerState
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import MutationOp, MutationResult

from .helpers import Device, account_values, stored_counts


def _refused(
    state: ServerState, device: Device, op: MutationOp, entity: str, record_id: str, **kw: Any
) -> MutationResult:
    before = stored_counts(state)
    (result,) = device.push(device.mutation(op, entity, record_id, **kw))
    assert result.status == "rejected", result
    assert stored_counts(state) == before, "a refused mutation wrote something"
    return result


def _opportunity(device: Device, owner_id: str, **extra: Any) -> str:
    """A deal in proposal, closing 2027-01-31 (what :func:`_change` records)."""
    account = device.create("account", account_values(owner_id))
    values = {"account_id": account, "owner_id": owner_id, "name": "Renovación", "amount": 125000}
    values |= {"stage": "proposal", "expected_close_date": "2027-01-31"}
    return device.create("opportunity", values | extra)


def _change(opportunity: str, changed_by: str, **extra: Any) -> dict[str, Any]:
    return {
        "opportunity_id": opportunity,
        "from_stage": "prospecting",
        "to_stage": "proposal",
        "from_close_date": "2026-12-15",
        "to_close_date": "2027-01-31",
        "amount": 125000,
        "currency": "EUR",
        "changed_by_id": changed_by,
        "changed_at": "2026-11-25T09:00:00Z",
    } | extra


def test_a_stage_change_is_written_with_the_change_and_pulled_by_the_manager(
    devices: dict[str, Device],
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    opportunity = _opportunity(rep, rep.user_id, stage="prospecting")
    moved = rep.mutation(
        MutationOp.SET, "opportunity", opportunity, field="stage", value="proposal", base_version=1
    )
    created = rep.mutation(
        MutationOp.CREATE,
        "opportunity_stage_change",
        change := new_id(),
        value=_change(opportunity, rep.user_id),
    )
    assert [r.status for r in rep.push(moved, created)] == ["applied", "applied"]
    manager.sync()
    pulled = manager.of("opportunity_stage_change")[change].values
    assert (pulled["to_stage"], pulled["changed_by_id"]) == ("proposal", rep.user_id)
    # outside the rep's chain, the history is as invisible as the deal
    devices["rep_c"].sync()
    assert change not in devices["rep_c"].of("opportunity_stage_change")


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"to_stage": "negotiation"}, "to_stage"),
        ({"to_close_date": "2027-03-01"}, "to_close_date"),
        ({"from_stage": "proposal", "from_close_date": "2027-01-31"}, "nothing changed"),
    ],
)
def test_a_stage_change_records_the_deals_current_stage_and_close_date(
    devices: dict[str, Device], state: ServerState, extra: dict[str, Any], field: str
) -> None:
    rep = devices["rep_a"]
    opportunity = _opportunity(rep, rep.user_id)
    values = _change(opportunity, rep.user_id, **extra)
    result = _refused(
        state, rep, MutationOp.CREATE, "opportunity_stage_change", new_id(), value=values
    )
    assert result.code == "history_mismatch" and field in (result.message or "")


def test_a_stage_change_is_signed_by_its_writer(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    opportunity = _opportunity(rep, rep.user_id)
    forged = _change(opportunity, manager.user_id)
    result = _refused(
        state, rep, MutationOp.CREATE, "opportunity_stage_change", new_id(), value=forged
    )
    assert result.code == "must_be_actor"
    # the manager moving the rep's deal signs in their own name
    manager.create("opportunity_stage_change", _change(opportunity, manager.user_id))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("to_stage", "closed_won"),
        ("to_close_date", "2027-06-30"),
        ("amount", 1),
        ("changed_at", "2026-01-01T00:00:00Z"),
        ("changed_by_id", "{rep_b}"),
    ],
)
def test_the_history_is_read_only_for_everyone(
    devices: dict[str, Device], state: ServerState, field: str, value: Any
) -> None:
    rep = devices["rep_a"]
    opportunity = _opportunity(rep, rep.user_id)
    change = rep.create("opportunity_stage_change", _change(opportunity, rep.user_id))
    for device in (rep, devices["manager"], devices["admin"]):
        result = _refused(
            state,
            device,
            MutationOp.SET,
            "opportunity_stage_change",
            change,
            field=field,
            value=devices["rep_b"].user_id if value == "{rep_b}" else value,
            base_version=1,
        )
        assert result.code == "history_read_only"


def test_the_history_is_never_deleted(devices: dict[str, Device], state: ServerState) -> None:
    rep = devices["rep_a"]
    opportunity = _opportunity(rep, rep.user_id)
    change = rep.create("opportunity_stage_change", _change(opportunity, rep.user_id))
    for device in (rep, devices["manager"], devices["admin"]):
        result = _refused(
            state, device, MutationOp.DELETE, "opportunity_stage_change", change, base_version=1
        )
        assert result.code == "history_read_only"


def test_closing_lost_needs_the_reason(devices: dict[str, Device], state: ServerState) -> None:
    rep = devices["rep_a"]
    opportunity = _opportunity(rep, rep.user_id)
    result = _refused(
        state,
        rep,
        MutationOp.SET,
        "opportunity",
        opportunity,
        field="stage",
        value="closed_lost",
        base_version=1,
    )
    assert result.code == "reason_required"
    account = rep.create("account", account_values(rep.user_id))
    values = {"account_id": account, "owner_id": rep.user_id, "name": "X", "amount": 5}
    created = _refused(
        state,
        rep,
        MutationOp.CREATE,
        "opportunity",
        new_id(),
        value=values | {"stage": "closed_lost", "lost_reason": "  "},
    )
    assert created.code == "reason_required"
    # the reason first, then the stage (the order the client's outbox keeps)
    assert rep.set("opportunity", opportunity, "lost_reason", "Precio", base=1).status == "applied"
    assert rep.set("opportunity", opportunity, "stage", "closed_lost", base=2).status == "applied"
    # and reopening a lost deal is allowed
    assert rep.set("opportunity", opportunity, "stage", "proposal", base=3).status == "applied"
