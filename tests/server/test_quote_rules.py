"""The quote rules of issue 10, enforced by the server: a rep approves their own quote only
within their discount limit, a quote past approval is frozen with its lines, a rejection needs
the customer's reason, expiry follows the valid-until date and quote numbers are unique. Each
refusal has its own code and writes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from sync_server.api.deps import ServerState
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import MutationOp, MutationResult

from .helpers import Device, account_values, stored_counts

#: a base version above any the tests reach: these tests are about rules, not conflicts
BASE = 1000
PASSED = "2026-01-31"  # the test clock is later than this
FUTURE = "2099-12-31"


def _refused(
    state: ServerState, device: Device, op: MutationOp, entity: str, record_id: str, **kw: Any
) -> MutationResult:
    before = stored_counts(state)
    (result,) = device.push(device.mutation(op, entity, record_id, **kw))
    assert result.status == "rejected", result
    assert stored_counts(state) == before, "a refused mutation wrote something"
    return result


def _set_refused(
    state: ServerState, device: Device, entity: str, record_id: str, field: str, value: Any
) -> str | None:
    return _refused(
        state,
        device,
        MutationOp.SET,
        entity,
        record_id,
        field=field,
        value=value,
        base_version=BASE,
    ).code


def _applied(device: Device, entity: str, record_id: str, field: str, value: Any) -> None:
    result = device.set(entity, record_id, field, value, base=BASE)
    assert result.status == "applied", result


def _quote(device: Device, owner_id: str, *discounts: str, **extra: Any) -> tuple[str, list[str]]:
    """A draft quote with one item line per discount: (quote id, line ids)."""
    account = device.create("account", account_values(owner_id))
    values = {"account_id": account, "owner_id": owner_id, "number": f"Q-{new_id()[-12:]}"}
    quote = device.create("quote", values | extra)
    lines = [
        device.create(
            "quote_line",
            {
                "quote_id": quote,
                "description": f"Línea {position}",
                "unit_price": 10_000,
                "discount_pct": discount,
                "position": position,
            },
        )
        for position, discount in enumerate(discounts)
    ]
    return quote, lines


# --- approval -----------------------------------------------------------------------------------


@pytest.mark.parametrize("start", ["draft", "pending_approval"])
def test_a_rep_approves_their_own_quote_within_their_limit(
    devices: dict[str, Device], start: str
) -> None:
    rep = devices["rep_a"]
    quote, _ = _quote(rep, rep.user_id, "0", "10")  # the default limit is 10 %
    if start != "draft":
        _applied(rep, "quote", quote, "status", start)
    _applied(rep, "quote", quote, "status", "approved")


def test_above_the_limit_approval_needs_the_manager_chain(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    quote, _ = _quote(rep, rep.user_id, "5", "10.01")
    assert _set_refused(state, rep, "quote", quote, "status", "approved") == "forbidden_transition"
    _applied(rep, "quote", quote, "status", "pending_approval")
    assert _set_refused(state, rep, "quote", quote, "status", "approved") == "forbidden_transition"
    _applied(manager, "quote", quote, "decision_note", "De acuerdo por volumen")
    _applied(manager, "quote", quote, "status", "approved")


def test_section_and_text_lines_do_not_count_against_the_limit(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    quote, _ = _quote(rep, rep.user_id, "5")
    rep.create(
        "quote_line",
        {"quote_id": quote, "description": "Montaje", "kind": "section", "unit_price": 0},
    )
    _applied(rep, "quote", quote, "status", "approved")


def test_a_line_pushed_with_the_approval_counts(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep = devices["rep_a"]
    quote, _ = _quote(rep, rep.user_id, "5")
    line = {"quote_id": quote, "description": "Extra", "unit_price": 500, "discount_pct": "40"}
    create = rep.mutation(MutationOp.CREATE, "quote_line", new_id(), value=line)
    approve = rep.mutation(
        MutationOp.SET, "quote", quote, field="status", value="approved", base_version=BASE
    )
    created, approved = rep.push(create, approve)
    assert created.status == "applied"
    assert (approved.status, approved.code) == ("rejected", "forbidden_transition")


def test_a_rep_withdraws_an_approval_request_to_edit_again(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    quote, _ = _quote(rep, rep.user_id, "30")
    _applied(rep, "quote", quote, "status", "pending_approval")
    _applied(rep, "quote", quote, "status", "draft")
    _applied(rep, "quote", quote, "terms", "Pago a 30 días")


def test_the_decision_note_is_the_managers(devices: dict[str, Device], state: ServerState) -> None:
    rep = devices["rep_a"]
    quote, _ = _quote(rep, rep.user_id, "30")
    assert _set_refused(state, rep, "quote", quote, "decision_note", "Yo") == "manager_only_field"


# --- frozen quotes --------------------------------------------------------------------------------


def _approved(devices: dict[str, Device]) -> tuple[str, list[str]]:
    rep = devices["rep_a"]
    quote, lines = _quote(rep, rep.user_id, "5", valid_until=FUTURE)
    _applied(rep, "quote", quote, "status", "approved")
    return quote, lines


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("terms", "Otras condiciones"),
        ("customer_note", "Estimado cliente"),
        ("valid_until", "2100-01-31"),
        ("currency", "USD"),
        ("number", "Q-OTRO-1"),
    ],
)
@pytest.mark.parametrize("who", ["rep_a", "manager", "admin"])
def test_an_approved_quote_is_frozen(
    devices: dict[str, Device], state: ServerState, field: str, value: Any, who: str
) -> None:
    quote, _ = _approved(devices)
    assert _set_refused(state, devices[who], "quote", quote, field, value) == "quote_frozen"


def test_the_lines_of_a_frozen_quote_are_frozen(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep = devices["rep_a"]
    quote, (line,) = _approved(devices)
    assert _set_refused(state, rep, "quote_line", line, "discount_pct", "50") == "quote_frozen"
    assert _set_refused(state, rep, "quote_line", line, "quantity", "3") == "quote_frozen"
    removed = _refused(state, rep, MutationOp.DELETE, "quote_line", line, base_version=BASE)
    assert removed.code == "quote_frozen"
    added = {"quote_id": quote, "description": "Más", "unit_price": 100}
    created = _refused(state, rep, MutationOp.CREATE, "quote_line", new_id(), value=added)
    assert created.code == "quote_frozen"
    deleted = _refused(state, rep, MutationOp.DELETE, "quote", quote, base_version=BASE)
    assert deleted.code == "quote_frozen"


def test_a_line_cannot_move_into_a_frozen_quote(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep = devices["rep_a"]
    frozen, _ = _approved(devices)
    _draft, (line,) = _quote(rep, rep.user_id, "0")
    assert _set_refused(state, rep, "quote_line", line, "quote_id", frozen) == "quote_frozen"


def test_sending_writes_the_sending_fields_and_moves_on(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    quote, _ = _approved(devices)
    _applied(rep, "quote", quote, "sent_at", "2026-11-26T10:00:00Z")
    _applied(rep, "quote", quote, "pdf_sha256", "a" * 64)
    _applied(rep, "quote", quote, "status", "sent")
    _applied(rep, "quote", quote, "status", "accepted")


@pytest.mark.parametrize("extra", [{"status": "sent"}, {"status": "approved"}])
def test_nobody_creates_a_quote_past_draft(
    devices: dict[str, Device], state: ServerState, extra: dict[str, Any]
) -> None:
    manager = devices["manager"]
    account = manager.create("account", account_values(manager.user_id))
    values = {"account_id": account, "owner_id": manager.user_id, "number": "Q-X-1"} | extra
    result = _refused(state, manager, MutationOp.CREATE, "quote", new_id(), value=values)
    assert result.code == "forbidden_transition"


def test_an_unapproved_quote_is_never_sent(devices: dict[str, Device], state: ServerState) -> None:
    rep = devices["rep_a"]
    quote, _ = _quote(rep, rep.user_id, "30")
    _applied(rep, "quote", quote, "status", "pending_approval")
    for who in ("rep_a", "manager", "admin"):
        assert _set_refused(state, devices[who], "quote", quote, "status", "sent") == (
            "forbidden_transition"
        )


# --- rejection and expiry ---------------------------------------------------------------------


def test_a_rejection_needs_the_customers_reason(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep = devices["rep_a"]
    quote, _ = _approved(devices)
    _applied(rep, "quote", quote, "status", "sent")
    assert _set_refused(state, rep, "quote", quote, "status", "rejected") == "reason_required"
    _applied(rep, "quote", quote, "rejection_reason", "Precio por encima de la competencia")
    _applied(rep, "quote", quote, "status", "rejected")


@pytest.mark.parametrize("start", ["pending_approval", "approved", "sent"])
def test_a_quote_expires_once_its_valid_until_has_passed(
    devices: dict[str, Device], state: ServerState, start: str
) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    quote, _ = _quote(rep, rep.user_id, "30", valid_until=FUTURE)
    _applied(rep, "quote", quote, "status", "pending_approval")
    if start != "pending_approval":
        _applied(manager, "quote", quote, "status", "approved")
    if start == "sent":
        _applied(rep, "quote", quote, "status", "sent")
    assert _set_refused(state, rep, "quote", quote, "status", "expired") == "forbidden_transition"
    if start == "pending_approval":  # still editable: the date moves back
        _applied(rep, "quote", quote, "valid_until", PASSED)
    else:
        assert _set_refused(state, rep, "quote", quote, "valid_until", PASSED) == "quote_frozen"
        return
    _applied(rep, "quote", quote, "status", "expired")


def test_a_frozen_quote_past_its_date_expires(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    quote, _ = _quote(rep, rep.user_id, "0", valid_until=PASSED)
    _applied(rep, "quote", quote, "status", "approved")
    _applied(rep, "quote", quote, "status", "expired")


def test_a_draft_does_not_expire(devices: dict[str, Device], state: ServerState) -> None:
    rep = devices["rep_a"]
    quote, _ = _quote(rep, rep.user_id, "0", valid_until=PASSED)
    assert _set_refused(state, rep, "quote", quote, "status", "expired") == "forbidden_transition"


# --- numbers ------------------------------------------------------------------------------------


def test_a_duplicate_number_is_refused(devices: dict[str, Device], state: ServerState) -> None:
    rep_a, rep_b = devices["rep_a"], devices["rep_b"]
    first, _ = _quote(rep_a, rep_a.user_id, number="Q-RA-2026-7")
    account = rep_b.create("account", account_values(rep_b.user_id))
    values = {"account_id": account, "owner_id": rep_b.user_id, "number": "Q-RA-2026-7"}
    created = _refused(state, rep_b, MutationOp.CREATE, "quote", new_id(), value=values)
    assert created.code == "duplicate_number"  # even a quote the writer cannot see
    second, _ = _quote(rep_b, rep_b.user_id)
    assert _set_refused(state, rep_b, "quote", second, "number", "Q-RA-2026-7") == (
        "duplicate_number"
    )
    # a quote keeps its own number, and a deleted quote keeps it too
    _applied(rep_a, "quote", first, "terms", "Nuevas condiciones")
    assert rep_a.delete("quote", first, base=BASE).status == "applied"
    values["number"] = "Q-RA-2026-7"
    again = _refused(state, rep_b, MutationOp.CREATE, "quote", new_id(), value=values)
    assert again.code == "duplicate_number"


def test_two_quotes_with_one_number_in_one_push(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    account = rep.create("account", account_values(rep.user_id))
    values = {"account_id": account, "owner_id": rep.user_id, "number": "Q-RA-2026-8"}
    first, second = rep.push(
        rep.mutation(MutationOp.CREATE, "quote", new_id(), value=values),
        rep.mutation(MutationOp.CREATE, "quote", new_id(), value=values),
    )
    assert first.status == "applied"
    assert (second.status, second.code) == ("rejected", "duplicate_number")


def test_the_same_create_again_is_not_a_duplicate(devices: dict[str, Device]) -> None:
    rep = devices["rep_a"]
    account = rep.create("account", account_values(rep.user_id))
    values = {"account_id": account, "owner_id": rep.user_id, "number": "Q-RA-2026-9"}
    quote = rep.create("quote", values)
    assert rep.create("quote", values, record_id=quote) == quote


# --- approval by whom, revisions ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["rep_b", "manager_c", "rep_c"])
def test_only_the_owner_s_manager_chain_approves_above_the_limit(
    devices: dict[str, Device], state: ServerState, who: str
) -> None:
    rep = devices["rep_a"]
    quote, _ = _quote(rep, rep.user_id, "30")
    _applied(rep, "quote", quote, "status", "pending_approval")
    # outside the owner's chain the quote is not even there for them
    assert _set_refused(state, devices[who], "quote", quote, "status", "approved") == "not_found"
    assert _set_refused(state, rep, "quote", quote, "approved_by_id", rep.user_id) == (
        "manager_only_field"
    )
    admin = devices["admin"]
    _applied(admin, "quote", quote, "approved_by_id", admin.user_id)
    _applied(admin, "quote", quote, "status", "approved")


def _revision(
    device: Device, previous: str, number: str, revision: int, **extra: Any
) -> dict[str, Any]:
    account = device.create("account", account_values(device.user_id))
    return {
        "account_id": account,
        "owner_id": device.user_id,
        "number": number,
        "revision": revision,
        "previous_quote_id": previous,
    } | extra


def test_a_revision_keeps_the_number_once_per_revision(
    devices: dict[str, Device], state: ServerState
) -> None:
    rep = devices["rep_a"]
    number = f"Q-REV-{new_id()[-8:]}"
    first, (line,) = _quote(rep, rep.user_id, "5", number=number, valid_until=FUTURE)
    _applied(rep, "quote", first, "status", "approved")
    second = rep.create("quote", _revision(rep, first, number, 2))
    again = _refused(
        state, rep, MutationOp.CREATE, "quote", new_id(), value=_revision(rep, first, number, 2)
    )
    assert again.code == "duplicate_number"
    # the earlier revision stays frozen, its lines too
    assert _set_refused(state, rep, "quote_line", line, "discount_pct", "1") == "quote_frozen"
    # renumbering the new revision onto the old pair is a duplicate
    assert _set_refused(state, rep, "quote", second, "revision", 1) == "duplicate_number"


@pytest.mark.parametrize("case", ["skips a revision", "another number", "unknown previous"])
def test_a_revision_must_follow_its_previous_revision(
    devices: dict[str, Device], state: ServerState, case: str
) -> None:
    rep = devices["rep_a"]
    number = f"Q-REV-{new_id()[-8:]}"
    first, _ = _quote(rep, rep.user_id, "5", number=number, valid_until=FUTURE)
    _applied(rep, "quote", first, "status", "approved")
    values = {
        "skips a revision": _revision(rep, first, number, 3),
        "another number": _revision(rep, first, number + "-X", 2),
        "unknown previous": _revision(rep, new_id(), number, 2),
    }[case]
    created = _refused(state, rep, MutationOp.CREATE, "quote", new_id(), value=values)
    assert created.code == "invalid_revision"
