"""An account's tax id is unique (issue 12): the server refuses a second account with the tax
id of another one — even one the writer cannot see, whatever way the id was typed — with
``duplicate_tax_id``, and writes nothing. Accounts without a tax id never clash."""

from __future__ import annotations

from typing import Any

from sync_server.api.deps import ServerState
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import MutationOp, MutationResult

from .helpers import Device, account_values, stored_counts

BASE = 1000
TAX_ID = "B12345674"  # a valid CIF, stored as is


def _refused(
    state: ServerState, device: Device, op: MutationOp, record_id: str, **kw: Any
) -> MutationResult:
    before = stored_counts(state)
    (result,) = device.push(device.mutation(op, "account", record_id, **kw))
    assert result.status == "rejected", result
    assert stored_counts(state) == before, "a refused mutation wrote something"
    return result


def test_a_second_account_with_a_tax_id_is_refused(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep_a, rep_b = devices["rep_a"], devices["rep_b"]
    first = rep_a.create("account", account_values(rep_a.user_id) | {"tax_id": TAX_ID})
    # rep_b cannot see rep_a's account, and types the id another way
    values = account_values(rep_b.user_id, "Otra") | {"tax_id": "b-1234567-4"}
    created = _refused(state, rep_b, MutationOp.CREATE, new_id(), value=values)
    assert created.code == "duplicate_tax_id"
    second = rep_b.create("account", account_values(rep_b.user_id, "Otra"))
    changed = _refused(
        state, rep_b, MutationOp.SET, second, field="tax_id", value=TAX_ID, base_version=BASE
    )
    assert changed.code == "duplicate_tax_id"
    # the account keeps its own tax id when something else changes
    result = rep_a.set("account", first, "name", "Ferretería Martínez S.L.", base=BASE)
    assert result.status == "applied", result


def test_accounts_without_a_tax_id_never_clash(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    for _ in range(2):
        rep.create("account", account_values(rep.user_id))
    first, second = rep.push(
        *(
            rep.mutation(MutationOp.CREATE, "account", new_id(), value=account_values(rep.user_id))
            for _ in range(2)
        )
    )
    assert (first.status, second.status) == ("applied", "applied")


def test_two_accounts_with_one_tax_id_in_one_push(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    values = account_values(rep.user_id) | {"tax_id": TAX_ID}
    first, second = rep.push(
        rep.mutation(MutationOp.CREATE, "account", new_id(), value=values),
        rep.mutation(MutationOp.CREATE, "account", new_id(), value=values),
    )
    assert first.status == "applied"
    assert (second.status, second.code) == ("rejected", "duplicate_tax_id")
