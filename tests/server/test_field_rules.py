"""The server checks every pushed value with the rules the client uses (the catalog's formats and
bounds, bounded decimals): a raw push cannot store what the app would refuse."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sync_server.api.deps import ServerState
from sync_server.db.records import records_of_entity
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import MutationOp

from .helpers import Device, account_values, build_account_tree, stored_counts


@pytest.mark.parametrize(
    ("values", "code"),
    [
        ({"email": "not-an-email"}, "invalid_email"),
        ({"phone": "abc"}, "invalid_phone"),
        ({"phone": "976 00 00 00"}, "invalid_phone"),  # the wire carries E.164, no region
        ({"phone": "+34 123"}, "invalid_phone"),
        ({"website": "javascript:alert(1)"}, "invalid_url"),
        ({"website": "https://user:pw@example.com"}, "invalid_url"),
        ({"tax_id": "B12345678"}, "invalid_tax_id"),  # wrong check digit for Spain
        ({"tax_id": "ABC", "country": "ES"}, "invalid_tax_id"),
        ({"country": "E1"}, "invalid_country"),
        ({"latitude": 91.0}, "out_of_range"),
        ({"longitude": -180.5}, "out_of_range"),
        ({"visit_cadence_days": 0}, "out_of_range"),
        ({"email": ""}, "required"),
    ],
)
def test_bad_account_values_are_refused_and_nothing_is_written(
    devices: dict[str, Device], state: ServerState, values: dict[str, Any], code: str
) -> None:
    rep = devices["rep_a"]
    before = stored_counts(state)
    create = rep.mutation(
        MutationOp.CREATE, "account", new_id(), value=account_values(rep.user_id) | values
    )
    (result,) = rep.push(create)
    assert (result.status, result.code) == ("rejected", code), result
    assert stored_counts(state) == before


def test_bad_values_in_a_set_are_refused(devices: dict[str, Device], state: ServerState) -> None:
    rep = devices["rep_a"]
    tree = build_account_tree(rep, rep.user_id)
    cases = [
        ("account", "email", "not-an-email", "invalid_email"),
        ("account", "website", "javascript:alert(1)", "invalid_url"),
        ("contact", "phone", "abc", "invalid_phone"),
        ("contact", "mobile", "+34 1", "invalid_phone"),
        ("contact", "email", "ana@@example.com", "invalid_email"),
        ("opportunity", "amount", -1, "out_of_range"),
        ("opportunity", "probability", 101, "out_of_range"),
        ("opportunity", "currency", "QQQ", "invalid_currency"),
        ("quote_line", "quantity", "1e-999999", "too_many_decimals"),
        ("quote_line", "quantity", "-2", "out_of_range"),
        ("quote_line", "quantity", "1e13", "out_of_range"),
        ("quote_line", "quantity", "1" * 41, "out_of_range"),
        ("quote_line", "discount_pct", "150", "out_of_range"),
        ("quote_line", "discount_pct", "12.3456789", "too_many_decimals"),
        ("quote_line", "tax_rate_pct", "-21", "out_of_range"),
        ("quote_line", "unit_price", -5, "out_of_range"),
        ("quote_line", "position", -1, "out_of_range"),
        ("quote", "revision", 0, "out_of_range"),
    ]
    for entity, field, value, code in cases:
        before = stored_counts(state)
        result = rep.set(entity, tree[entity], field, value, base=1)
        assert (result.status, result.code) == ("rejected", code), (field, value, result)
        assert stored_counts(state) == before


def test_a_country_change_keeps_the_tax_id_valid(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    foreign = rep.create(
        "account", account_values(rep.user_id) | {"country": "FR", "tax_id": "FR12345678901"}
    )
    refused = rep.set("account", foreign, "country", "ES", base=1)
    assert (refused.status, refused.code) == ("rejected", "invalid_tax_id")
    spanish = rep.create("account", account_values(rep.user_id) | {"tax_id": "b-1234567 4"})
    assert rep.set("account", spanish, "country", "FR", base=1).status == "applied"


def test_valid_values_are_stored_in_canonical_form(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep = devices["rep_a"]
    account = rep.create(
        "account",
        account_values(rep.user_id)
        | {
            "email": "Compras@Ferreteria-Martinez.ES",
            "phone": "+34 976 00 00 00",
            "website": "Ferreteria-Martinez.es/Tienda",
            "tax_id": "b-1234567 4",
            "country": "es",
        },
    )
    rep.sync()
    values = rep.of("account")[account].values
    assert values["email"] == "Compras@ferreteria-martinez.es"
    assert values["phone"] == "+34976000000"
    assert values["website"] == "https://ferreteria-martinez.es/Tienda"
    assert (values["tax_id"], values["country"]) == ("B12345674", "ES")


def test_absurd_decimals_cannot_blow_up_storage(
    devices: dict[str, Device], state: ServerState
) -> None:
    """Five creates in a 2 KB push once became 5 MB stored and a 5 MB pull page."""
    rep, manager = devices["rep_a"], devices["manager"]
    quote = build_account_tree(rep, rep.user_id)["quote"]
    creates = [
        rep.mutation(
            MutationOp.CREATE,
            "quote_line",
            new_id(),
            value={"quote_id": quote, "description": "x", "unit_price": 1, "quantity": quantity},
        )
        for quantity in ("1e-999999", "1E-999999", "-1e-999999", "9e999999", "1e-7")
    ]
    before = stored_counts(state)
    results = rep.push(*creates)
    assert {(r.status, r.code) for r in results} <= {
        ("rejected", "too_many_decimals"),
        ("rejected", "out_of_range"),
        ("rejected", "bad_value"),
    }
    assert stored_counts(state) == before
    with state.database.read_session() as session:
        stored = records_of_entity(session, entity="quote_line")
    assert max(len(json.dumps(r.data)) for r in stored) < 1000
    manager.sync()  # and the manager's pull stays small
    assert all(len(json.dumps(c.values)) < 2000 for c in manager.mirror.values())
