"""Manager decisions cannot be forged: manager-only fields, quote status transitions and
frozen forecast snapshots are refused with their own code, and nothing of them is written.

The quote rules of issue 10 (self-approval within the discount limit, frozen quotes and lines,
reasons, unique numbers) are in ``test_quote_rules.py``."""

from __future__ import annotations

from typing import Any

import pytest

from sync_server.api.deps import ServerState
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import MutationOp, MutationResult

from .helpers import Device, account_values, stored_counts

APPROVED_AT = "2026-11-25T10:00:00Z"


def _refused(
    state: ServerState, device: Device, op: MutationOp, entity: str, record_id: str, **kw: Any
) -> MutationResult:
    before = stored_counts(state)
    (result,) = device.push(device.mutation(op, entity, record_id, **kw))
    assert result.status == "rejected", result
    assert stored_counts(state) == before, "a refused mutation wrote something"
    return result


def _quote(device: Device, owner_id: str, *, discount: str | None = "25", **extra: Any) -> str:
    """A quote of ``owner_id``; with a line ``discount`` % off (above the default 10 % limit,
    so its owner cannot approve it alone) unless ``discount`` is None."""
    account = device.create("account", account_values(owner_id))
    values = {"account_id": account, "owner_id": owner_id, "number": f"Q-{new_id()[-12:]}"}
    quote = device.create("quote", values | extra)
    if discount is not None:
        line = {"quote_id": quote, "description": "Taladro", "unit_price": 8990}
        device.create("quote_line", line | {"discount_pct": discount})
    return quote


def _submission(owner_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "owner_id": owner_id,
        "period": "2026-11",
        "commit_amount": 1_000_000,
        "best_case_amount": 1_500_000,
        "pipeline_amount": 4_000_000,
        "closed_amount": 250_000,
        "rep_note": "Cierre de Talleres Ruiz en diciembre",
        "submitted_at": "2026-11-25T09:00:00Z",
    } | extra


# --- quotes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "code"),
    [
        ({"status": "approved"}, "forbidden_transition"),
        ({"status": "sent"}, "forbidden_transition"),
        ({"approved_by_id": "{manager}"}, "manager_only_field"),
        ({"approved_at": APPROVED_AT}, "manager_only_field"),
        (
            {"status": "approved", "approved_by_id": "{manager}", "approved_at": APPROVED_AT},
            "manager_only_field",
        ),
    ],
)
def test_a_rep_cannot_create_an_approved_quote(
    devices: dict[str, Device], state: ServerState, extra: dict[str, Any], code: str
) -> None:
    rep = devices["rep_a"]
    extra = {k: devices["manager"].user_id if v == "{manager}" else v for k, v in extra.items()}
    account = rep.create("account", account_values(rep.user_id))
    values = {"account_id": account, "owner_id": rep.user_id, "number": "Q-RA-2026-9"} | extra
    result = _refused(state, rep, MutationOp.CREATE, "quote", new_id(), value=values)
    assert result.code == code and result.message


def test_a_rep_cannot_approve_their_own_quote(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    quote = _quote(rep, rep.user_id)
    assert rep.set("quote", quote, "status", "pending_approval", base=1).status == "applied"
    approve = _refused(
        state, rep, MutationOp.SET, "quote", quote, field="status", value="approved", base_version=2
    )
    assert approve.code == "forbidden_transition"
    by = _refused(
        state,
        rep,
        MutationOp.SET,
        "quote",
        quote,
        field="approved_by_id",
        value=manager.user_id,
        base_version=2,
    )
    assert by.code == "manager_only_field"
    at = _refused(
        state, rep, MutationOp.SET, "quote", quote, field="approved_at", value=APPROVED_AT
    )
    assert at.code == "manager_only_field"
    rep.sync()
    assert rep.of("quote")[quote].values["status"] == "pending_approval"


def test_status_moves_only_along_the_declared_graph(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    quote = _quote(rep, rep.user_id)
    for status in ("sent", "accepted", "rejected", "expired"):  # skipping steps
        result = _refused(
            state, manager, MutationOp.SET, "quote", quote, field="status", value=status
        )
        assert result.code == "forbidden_transition"
    assert rep.set("quote", quote, "status", "pending_approval", base=1).status == "applied"
    assert manager.set("quote", quote, "status", "approved", base=2).status == "applied"
    back = _refused(state, rep, MutationOp.SET, "quote", quote, field="status", value="draft")
    assert back.code == "forbidden_transition"
    assert rep.set("quote", quote, "status", "sent", base=3).status == "applied"
    assert rep.set("quote", quote, "status", "accepted", base=4).status == "applied"


def test_the_owners_manager_approves_in_their_own_name(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep, manager, admin = devices["rep_a"], devices["manager"], devices["admin"]
    quote = _quote(rep, rep.user_id)
    rep.set("quote", quote, "status", "pending_approval", base=1)
    forged = _refused(
        state,
        manager,
        MutationOp.SET,
        "quote",
        quote,
        field="approved_by_id",
        value=admin.user_id,
    )
    assert forged.code == "must_be_actor"
    assert manager.set("quote", quote, "status", "approved", base=2).status == "applied"
    assert manager.set("quote", quote, "approved_by_id", manager.user_id, base=2).status == (
        "applied"
    )
    assert manager.set("quote", quote, "approved_at", APPROVED_AT, base=2).status == "applied"
    rep.sync()
    values = rep.of("quote")[quote].values
    assert (values["status"], values["approved_by_id"]) == ("approved", manager.user_id)
    # the rep moves it on, but cannot rewrite the approval
    assert rep.set("quote", quote, "status", "sent", base=5).status == "applied"
    cleared = _refused(
        state, rep, MutationOp.SET, "quote", quote, field="approved_by_id", value=None
    )
    assert cleared.code == "manager_only_field"


def test_the_admin_approves(devices: dict[str, Device]) -> None:
    rep, admin = devices["rep_a"], devices["admin"]
    quote = _quote(rep, rep.user_id)
    rep.set("quote", quote, "status", "pending_approval", base=1)
    assert admin.set("quote", quote, "status", "approved", base=2).status == "applied"
    assert admin.set("quote", quote, "approved_by_id", admin.user_id, base=2).status == "applied"


def test_a_manager_outside_the_chain_cannot_approve(
    devices: dict[str, Device], state: ServerState
) -> None:
    """Bruno is Ana's peer, not her manager; a manager approving their own quote needs theirs."""
    rep_a, rep_b, manager = devices["rep_a"], devices["rep_b"], devices["manager"]
    quote = _quote(rep_a, rep_a.user_id)
    rep_a.set("quote", quote, "status", "pending_approval", base=1)
    # rep_b and manager_c cannot see the quote at all; a manager's own quote needs the admin
    assert rep_b.set("quote", quote, "status", "approved", base=2).code == "not_found"
    assert devices["manager_c"].set("quote", quote, "status", "approved", base=2).code == (
        "not_found"
    )
    own = _quote(manager, manager.user_id)
    manager.set("quote", own, "status", "pending_approval", base=1)
    self_approval = _refused(
        state, manager, MutationOp.SET, "quote", own, field="status", value="approved"
    )
    assert self_approval.code == "forbidden_transition"
    assert devices["admin"].set("quote", own, "status", "approved", base=2).status == "applied"


def test_a_manager_can_create_a_quote_for_a_rep_only_as_a_draft(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    values = {"account_id": account, "owner_id": rep.user_id, "number": "Q-M-1"}
    approved = _refused(
        state, manager, MutationOp.CREATE, "quote", new_id(), value=values | {"status": "approved"}
    )
    assert approved.code == "forbidden_transition"
    manager.create("quote", values | {"approved_by_id": manager.user_id})


# --- forecast submissions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        {"manager_adjustment": 50_000},
        {"manager_note": "Sube el commit"},
        {"manager_adjusted_at": APPROVED_AT},
        {"manager_id": "{manager}"},
    ],
)
def test_a_rep_cannot_submit_a_forecast_with_a_manager_adjustment(
    devices: dict[str, Device], state: ServerState, extra: dict[str, Any]
) -> None:
    rep = devices["rep_a"]
    extra = {k: devices["manager"].user_id if v == "{manager}" else v for k, v in extra.items()}
    values = _submission(rep.user_id, **extra)
    result = _refused(state, rep, MutationOp.CREATE, "forecast_submission", new_id(), value=values)
    assert result.code == "manager_only_field"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("commit_amount", 9_000_000),
        ("best_case_amount", 9_000_000),
        ("pipeline_amount", 1),
        ("closed_amount", 1),
        ("rep_adjustment", 100),
        ("rep_note", "otra nota"),
        ("period", "2026-12"),
        ("submitted_at", "2026-11-26T09:00:00Z"),
        ("currency", "USD"),
        ("owner_id", "{rep_b}"),
    ],
)
def test_a_submitted_forecast_is_frozen(
    devices: dict[str, Device], state: ServerState, field: str, value: Any
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    value = devices["rep_b"].user_id if value == "{rep_b}" else value
    submission = rep.create("forecast_submission", _submission(rep.user_id))
    for device in (rep, manager, devices["admin"]):
        result = _refused(
            state,
            device,
            MutationOp.SET,
            "forecast_submission",
            submission,
            field=field,
            value=value,
            base_version=1,
        )
        assert result.code == "snapshot_frozen"


def test_a_submitted_forecast_is_never_deleted(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep, admin = devices["rep_a"], devices["admin"]
    submission = rep.create("forecast_submission", _submission(rep.user_id))
    for device in (rep, admin):
        deleted = _refused(
            state, device, MutationOp.DELETE, "forecast_submission", submission, base_version=1
        )
        assert deleted.code == "snapshot_frozen"


def test_the_manager_adjusts_a_submitted_forecast(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep, manager, admin = devices["rep_a"], devices["manager"], devices["admin"]
    submission = rep.create("forecast_submission", _submission(rep.user_id))
    by_rep = _refused(
        state,
        rep,
        MutationOp.SET,
        "forecast_submission",
        submission,
        field="manager_adjustment",
        value=-100_000,
        base_version=1,
    )
    assert by_rep.code == "manager_only_field"
    outsider = devices["manager_c"].set(
        "forecast_submission", submission, "manager_adjustment", -100_000, base=1
    )
    assert outsider.code == "not_found"
    for field, value in (
        ("manager_id", manager.user_id),
        ("manager_adjustment", -100_000),
        ("manager_note", "Talleres Ruiz se retrasa a enero"),
        ("manager_adjusted_at", APPROVED_AT),
    ):
        result = manager.set("forecast_submission", submission, field, value, base=1)
        assert result.status == "applied", (field, result)
    assert admin.set("forecast_submission", submission, "manager_note", "Visto", base=5).status == (
        "applied"
    )
    forged = _refused(
        state,
        admin,
        MutationOp.SET,
        "forecast_submission",
        submission,
        field="manager_id",
        value=devices["manager_c"].user_id,
    )
    assert forged.code == "must_be_actor"
    rep.sync()
    values = rep.of("forecast_submission")[submission].values
    assert values["manager_adjustment"] == -100_000 and values["commit_amount"] == 1_000_000


def test_a_managers_own_forecast_is_adjusted_by_their_manager(devices: dict[str, Device]) -> None:
    manager, admin = devices["manager"], devices["admin"]
    submission = manager.create("forecast_submission", _submission(manager.user_id))
    own = manager.set("forecast_submission", submission, "manager_adjustment", 1, base=1)
    assert (own.status, own.code) == ("rejected", "manager_only_field")
    assert admin.set("forecast_submission", submission, "manager_adjustment", 1, base=1).status == (
        "applied"
    )
