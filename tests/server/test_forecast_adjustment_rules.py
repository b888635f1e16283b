"""Managers' forecast adjustments on the server (issue 11): only a manager above the owner (or an
admin) makes one, in their own name; each is a record of its own that nobody changes or
deletes, so the history is kept. Quotas stay server-managed. Each refusal has its code and
writes nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

from typing import Any

import pytest

from sync_server.api.deps import ServerState
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import MutationOp, MutationResult

from .helpers import Device, stored_counts


def _refused(
    state: ServerState, device: Device, op: MutationOp, entity: str, record_id: str, **kw: Any
) -> MutationResult:
    before = stored_counts(state)
    (result,) = device.push(device.mutation(op, entity, record_id, **kw))
    assert result.status == "rejected", result
    assert stored_counts(state) == before, "a refused mutation wrote something"
    return result


def _adjustment(owner_id: str, adjusted_by: str, **extra: Any) -> dict[str, Any]:
    return {
        "owner_id": owner_id,
        "period": "2026-Q4",
        "scope": "rep",
        "currency": "EUR",
        "amount": -250_000,
        "note": "Talleres Ruiz se retrasa a enero",
        "adjusted_by_id": adjusted_by,
        "adjusted_at": "2026-11-25T10:00:00Z",
    } | extra


def test_managers_above_adjust_and_the_rep_sees_every_adjustment(
    devices: dict[str, Device],
) -> None:
    rep, manager, admin = devices["rep_a"], devices["manager"], devices["admin"]
    first = manager.create("forecast_adjustment", _adjustment(rep.user_id, manager.user_id))
    second = manager.create(
        "forecast_adjustment", _adjustment(rep.user_id, manager.user_id, amount=100_000)
    )
    by_admin = admin.create("forecast_adjustment", _adjustment(rep.user_id, admin.user_id))
    rep.sync()
    pulled = rep.of("forecast_adjustment")
    assert set(pulled) == {first, second, by_admin}
    assert pulled[second].values["amount"] == 100_000
    # outside the rep's chain, the adjustments are as invisible as the rep's forecast
    devices["rep_c"].sync()
    devices["manager_c"].sync()
    assert devices["rep_c"].of("forecast_adjustment") == {}
    assert devices["manager_c"].of("forecast_adjustment") == {}


@pytest.mark.parametrize(
    ("writer", "owner", "code"),
    [
        ("rep_a", "rep_a", "manager_only"),  # a rep adjusting their own call
        ("manager", "manager", "manager_only"),  # a manager adjusting their own (team) call
    ],
)
def test_nobody_adjusts_their_own_forecast(
    devices: dict[str, Device], state: ServerState, writer: str, owner: str, code: str
) -> None:
    device, owner_id = devices[writer], devices[owner].user_id
    for scope in ("rep", "team"):
        values = _adjustment(owner_id, device.user_id, scope=scope)
        result = _refused(
            state, device, MutationOp.CREATE, "forecast_adjustment", new_id(), value=values
        )
        assert result.code == code


@pytest.mark.parametrize("writer", ["rep_b", "manager_c", "rep_c"])
def test_a_peer_or_an_outsider_cannot_adjust(
    devices: dict[str, Device], state: ServerState, writer: str
) -> None:
    device = devices[writer]
    values = _adjustment(devices["rep_a"].user_id, device.user_id)
    result = _refused(
        state, device, MutationOp.CREATE, "forecast_adjustment", new_id(), value=values
    )
    # the shared rule answers first, as on the client
    assert result.code == "manager_only"


def test_an_adjustment_is_made_in_ones_own_name(
    devices: dict[str, Device], state: ServerState
) -> None:
    manager, admin = devices["manager"], devices["admin"]
    values = _adjustment(devices["rep_a"].user_id, admin.user_id)
    result = _refused(
        state, manager, MutationOp.CREATE, "forecast_adjustment", new_id(), value=values
    )
    assert result.code == "must_be_actor"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", 1),
        ("note", "otra nota"),
        ("period", "2026-12"),
        ("scope", "team"),
        ("currency", "USD"),
        ("adjusted_at", "2026-11-26T09:00:00Z"),
    ],
)
def test_an_adjustment_is_never_changed(
    devices: dict[str, Device], state: ServerState, field: str, value: Any
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    made = manager.create("forecast_adjustment", _adjustment(rep.user_id, manager.user_id))
    for device in (manager, devices["admin"]):
        result = _refused(
            state,
            device,
            MutationOp.SET,
            "forecast_adjustment",
            made,
            field=field,
            value=value,
            base_version=1,
        )
        assert result.code == "history_read_only"


def test_an_adjustment_is_never_deleted(devices: dict[str, Device], state: ServerState) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    made = manager.create("forecast_adjustment", _adjustment(rep.user_id, manager.user_id))
    for device in (manager, devices["admin"]):
        result = _refused(
            state, device, MutationOp.DELETE, "forecast_adjustment", made, base_version=1
        )
        assert result.code == "history_read_only"


def test_a_team_adjustment_by_the_managers_manager(devices: dict[str, Device]) -> None:
    manager, admin = devices["manager"], devices["admin"]
    values = _adjustment(manager.user_id, admin.user_id, scope="team", amount=500_000)
    made = admin.create("forecast_adjustment", values)
    manager.sync()
    assert manager.of("forecast_adjustment")[made].values["scope"] == "team"


def test_quotas_are_the_servers(devices: dict[str, Device], state: ServerState) -> None:
    manager = devices["manager"]
    values = {
        "user_id": devices["rep_a"].user_id,
        "period": "2026-Q4",
        "amount": 1,
        "currency": "EUR",
        "scope": "team",
    }
    result = _refused(state, manager, MutationOp.CREATE, "quota", new_id(), value=values)
    assert result.code == "read_only"
