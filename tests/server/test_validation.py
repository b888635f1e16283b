"""Bad mutations are rejected with a code, and nothing of them is written."""

from __future__ import annotations

from typing import Any

import pytest

from sync_server.api.deps import ServerState
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import MutationOp

from .helpers import Device, account_values, stored_counts


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"name": "Sin dueño"}, "required"),
        ({"name": "  ", "owner_id": "{rep}"}, "required"),
        ({"name": "X" * 201, "owner_id": "{rep}"}, "too_long"),
        ({"name": "Enum", "owner_id": "{rep}", "lifecycle_stage": "friend"}, "invalid_choice"),
        ({"name": "Tipo", "owner_id": "{rep}", "visit_cadence_days": "30"}, "bad_type"),
        ({"name": "Lat", "owner_id": "{rep}", "latitude": "north"}, "bad_type"),
        ({"name": "Ref", "owner_id": "not-a-uuid"}, "bad_value"),
        ({"name": "Campo", "owner_id": "{rep}", "colour": "red"}, "unknown_field"),
        ({"name": "Nadie", "owner_id": "{nobody}"}, "forbidden"),
        ({"name": "Otro", "owner_id": "{other}"}, "forbidden"),
    ],
)
def test_bad_creates_are_rejected_with_a_code_and_write_nothing(
    devices: dict[str, Device], state: ServerState, values: dict[str, Any], code: str
) -> None:
    rep = devices["rep_a"]
    fill = {"{rep}": rep.user_id, "{other}": devices["rep_b"].user_id, "{nobody}": new_id()}
    values = {k: fill.get(v, v) if isinstance(v, str) else v for k, v in values.items()}
    before = stored_counts(state)
    (result,) = rep.push(rep.mutation(MutationOp.CREATE, "account", new_id(), value=values))
    assert result.status == "rejected" and result.code == code, result
    assert result.message
    assert stored_counts(state) == before


def test_managers_may_create_for_their_team_but_not_for_unknown_users(
    devices: dict[str, Device],
) -> None:
    manager = devices["manager"]
    ok = manager.mutation(
        MutationOp.CREATE, "account", new_id(), value=account_values(devices["rep_b"].user_id)
    )
    nobody = manager.mutation(
        MutationOp.CREATE, "account", new_id(), value=account_values(new_id())
    )
    outside = manager.mutation(
        MutationOp.CREATE, "account", new_id(), value=account_values(devices["rep_c"].user_id)
    )
    assert [(r.status, r.code) for r in manager.push(ok, nobody, outside)] == [
        ("applied", None),
        ("rejected", "forbidden"),
        ("rejected", "forbidden"),
    ]
    admin = devices["admin"]
    ghost = admin.mutation(MutationOp.CREATE, "account", new_id(), value=account_values(new_id()))
    assert admin.push(ghost)[0].code == "bad_reference"


@pytest.mark.parametrize("entity", ["user", "product", "price_list", "price_list_item", "quota"])
def test_server_managed_entities_are_read_only(devices: dict[str, Device], entity: str) -> None:
    admin = devices["admin"]
    create = admin.mutation(MutationOp.CREATE, entity, new_id(), value={"name": "x"})
    change = admin.mutation(
        MutationOp.SET, entity, admin.user_id, field="name", value="x", base_version=9
    )
    delete = admin.mutation(MutationOp.DELETE, entity, admin.user_id, base_version=9)
    assert {r.code for r in admin.push(create, change, delete)} == {"read_only"}


def test_conflicts_only_take_resolution_fields(devices: dict[str, Device]) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    account = rep.create("account", account_values(rep.user_id))
    manager.set("account", account, "city", "Fraga", base=1)
    conflict_id = rep.set("account", account, "city", "Mequinenza", base=1).conflict_id
    assert conflict_id
    lost = rep.set("conflict", conflict_id, "lost_value", "Borrado", base=9)
    assert (lost.status, lost.code) == ("rejected", "read_only")
    deleted = rep.delete("conflict", conflict_id, base=9)
    assert (deleted.status, deleted.code) == ("rejected", "read_only")
    created = rep.push(rep.mutation(MutationOp.CREATE, "conflict", new_id(), value={}))[0]
    assert created.code == "read_only"
    resolved = manager.set("conflict", conflict_id, "resolved", True, base=1)
    assert resolved.status == "applied"
    rep.sync()
    assert rep.mirror[conflict_id].values["resolved"] is True


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"entity": "spaceship"}, "unknown_entity"),
        ({"record_id": "12"}, "bad_id"),
        ({"hlc": "yesterday"}, "bad_hlc"),
        ({"field": "deleted_at"}, "read_only"),
        ({"field": "colour"}, "unknown_field"),
        ({"field": None}, "bad_mutation"),
        ({"value": 12}, "bad_type"),
        ({"value": None, "field": "name"}, "required"),
    ],
)
def test_bad_sets_are_rejected(
    devices: dict[str, Device], state: ServerState, overrides: dict[str, Any], code: str
) -> None:
    rep = devices["rep_a"]
    account = rep.create("account", account_values(rep.user_id))
    fields = {"field": "city", "value": "Sabiñánigo", "base_version": 1} | overrides
    entity = fields.pop("entity", "account")
    record_id = fields.pop("record_id", account)
    hlc = fields.pop("hlc", None)
    before = stored_counts(state)
    mutation = rep.mutation(MutationOp.SET, entity, record_id, hlc=hlc, **fields)
    (result,) = rep.push(mutation)
    assert (result.status, result.code) == ("rejected", code)
    assert stored_counts(state) == before


def test_a_second_create_of_the_same_record(devices: dict[str, Device]) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    values = account_values(rep.user_id)
    account = rep.create("account", values)
    same = manager.push(manager.mutation(MutationOp.CREATE, "account", account, value=values))[0]
    assert same.status == "applied"
    other = manager.push(
        manager.mutation(MutationOp.CREATE, "account", account, value=values | {"city": "Jaca"})
    )[0]
    assert other.status == "conflict" and other.kept  # decided like a concurrent set
    taken = rep.push(
        rep.mutation(
            MutationOp.CREATE,
            "contact",
            account,
            value={"account_id": account, "first_name": "Eva"},
        )
    )[0]
    assert taken.code == "id_taken"
