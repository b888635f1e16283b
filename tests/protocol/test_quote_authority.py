"""The quote rules as declared in the protocol, against an in-memory context (both sides
build theirs from their own records; these tests pin the decisions themselves)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync_server.protocol.authorities import QUOTE_AUTHORITY, QUOTE_LINE_AUTHORITY
from sync_server.protocol.authority import (
    Writer,
    WriteRefused,
    check_create,
    check_delete,
    check_write,
    in_write_order,
)

REP = Writer("rep", is_admin=False, manages_owner=False)
MANAGER = Writer("manager", is_admin=False, manages_owner=True)
SERVER = Writer(None, is_admin=True, manages_owner=True)
TODAY = dt.date(2026, 11, 25)


@dataclass
class Context:
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    limits: dict[str, Any] = field(default_factory=dict)

    def record(self, entity: str, record_id: str) -> Mapping[str, Any] | None:
        return self.records.get(record_id)

    def children(self, entity: str, field: str, parent_id: str) -> Sequence[Mapping[str, Any]]:
        return [r for r in self.records.values() if r.get(field) == parent_id]

    def discount_limit_pct(self, user_id: str) -> Any:
        return self.limits.get(user_id)

    def taken(self, entity: str, values: Mapping[str, Any], record_id: str | None) -> bool:
        return any(
            all(r.get(name) == value for name, value in values.items()) and i != record_id
            for i, r in self.records.items()
            if "number" in r
        )

    def today(self) -> dt.date:
        return TODAY


def _quote(status: str = "draft", **extra: Any) -> dict[str, Any]:
    return {"id": "q", "number": "Q-1", "revision": 1, "owner_id": "rep", "status": status} | extra


def _context(quote: dict[str, Any], *discounts: Any, limit: Any = "10", **kinds: str) -> Context:
    records = {"q": quote}
    for i, discount in enumerate(discounts):
        records[f"l{i}"] = {"quote_id": "q", "discount_pct": discount, "kind": kinds.get(f"l{i}")}
    return Context(records, {"rep": limit})


def _status(
    writer: Writer, quote: dict[str, Any], target: str, context: Context, **with_: Any
) -> None:
    after = quote | with_ | {"status": target}
    check_write(
        QUOTE_AUTHORITY,
        writer,
        name="status",
        value=target,
        before=quote,
        after=after,
        context=context,
        entity="quote",
    )


@pytest.mark.parametrize(
    ("discounts", "limit", "allowed"),
    [
        (("0", "10"), "10", True),
        (("10.00", Decimal("9.5")), "10", True),  # wire text and Python decimals alike
        (("10.01",), "10", False),
        (("5",), None, False),  # an unknown limit allows no discount
        (("0",), None, True),
        ((), "0", True),
    ],
)
def test_self_approval_within_the_owners_limit(
    discounts: tuple[Any, ...], limit: Any, allowed: bool
) -> None:
    quote = _quote("pending_approval")
    context = _context(quote, *discounts, limit=limit)
    if allowed:
        _status(REP, quote, "approved", context)
    else:
        with pytest.raises(WriteRefused) as refused:
            _status(REP, quote, "approved", context)
        assert refused.value.code == "forbidden_transition"
    _status(MANAGER, quote, "approved", context)  # the manager chain approves regardless


def test_headings_and_text_lines_carry_no_discount_that_counts() -> None:
    quote = _quote()
    _status(REP, quote, "approved", _context(quote, "0", "50", l1="section"))


def test_a_frozen_quote_keeps_its_content_but_moves_on() -> None:
    quote = _quote("approved")
    context = _context(quote, "0")
    for name in ("terms", "valid_until", "customer_note", "currency", "number"):
        with pytest.raises(WriteRefused) as refused:
            check_write(
                QUOTE_AUTHORITY,
                MANAGER,
                name=name,
                value="x",
                before=quote,
                after=quote | {name: "x"},
                context=context,
            )
        assert refused.value.code == "quote_frozen"
    for name in ("sent_at", "pdf_sha256", "rejection_reason", "owner_id"):
        check_write(
            QUOTE_AUTHORITY,
            REP,
            name=name,
            value="x",
            before=quote,
            after=quote | {name: "x"},
            context=context,
        )
    with pytest.raises(WriteRefused, match="frozen"):
        check_delete(QUOTE_AUTHORITY, REP, quote, context=context)
    check_write(  # the server itself is not bound by the rules
        QUOTE_AUTHORITY,
        SERVER,
        name="terms",
        value="x",
        before=quote,
        after=quote,
        context=context,
    )


def test_lines_are_frozen_with_their_quote() -> None:
    context = _context(_quote("sent"), "0")
    line = context.records["l0"]
    with pytest.raises(WriteRefused) as created:
        check_create(QUOTE_LINE_AUTHORITY, REP, {"quote_id": "q"}, context=context)
    with pytest.raises(WriteRefused) as deleted:
        check_delete(QUOTE_LINE_AUTHORITY, REP, line, context=context)
    assert created.value.code == deleted.value.code == "quote_frozen"
    draft = _context(_quote("draft"), "0")
    check_create(QUOTE_LINE_AUTHORITY, REP, {"quote_id": "q"}, context=draft)
    check_delete(QUOTE_LINE_AUTHORITY, REP, line, context=draft)


def test_a_rejection_needs_a_reason() -> None:
    quote = _quote("sent")
    context = _context(quote)
    for blank in (None, "", "   "):
        with pytest.raises(WriteRefused) as refused:
            _status(REP, quote, "rejected", context, rejection_reason=blank)
        assert (refused.value.code, refused.value.field) == ("reason_required", "rejection_reason")
    _status(REP, quote, "rejected", context, rejection_reason="Precio")


@pytest.mark.parametrize(
    ("source", "valid_until", "allowed"),
    [
        ("sent", "2026-11-24", True),
        ("approved", dt.date(2026, 11, 24), True),
        ("pending_approval", "2026-11-24", True),
        ("sent", "2026-11-25", False),  # valid through its last day
        ("sent", None, False),
        ("draft", "2020-01-01", False),
        ("accepted", "2020-01-01", False),
    ],
)
def test_expiry(source: str, valid_until: Any, allowed: bool) -> None:
    quote = _quote(source, valid_until=valid_until)
    if allowed:
        _status(REP, quote, "expired", _context(quote))
    else:
        with pytest.raises(WriteRefused, match="not allowed"):
            _status(REP, quote, "expired", _context(quote))


def _create(context: Context, **values: Any) -> None:
    check_create(
        QUOTE_AUTHORITY,
        REP,
        {"status": "draft", "owner_id": "rep"} | values,
        context=context,
        entity="quote",
    )


def test_numbers_are_unique_per_revision() -> None:
    context = _context(_quote())
    context.records["other"] = {"number": "Q-2", "revision": 1}
    with pytest.raises(WriteRefused) as refused:
        _create(context, number="Q-2", revision=1)
    assert refused.value.code == "duplicate_number"
    _create(context, number="Q-2", revision=2)  # the next revision keeps the number
    check_write(  # its own number is not a duplicate
        QUOTE_AUTHORITY,
        REP,
        name="number",
        value="Q-1",
        before=_quote() | {"number": "Q-0"},
        after=_quote(),
        context=context,
        entity="quote",
    )


def test_renumbering_a_revision_onto_a_taken_pair_is_refused() -> None:
    context = _context(_quote(revision=2))
    context.records["rev1"] = {"number": "Q-1", "revision": 1}
    with pytest.raises(WriteRefused) as refused:
        check_write(
            QUOTE_AUTHORITY,
            REP,
            name="revision",
            value=1,
            before=_quote(revision=2),
            after=_quote(revision=1),
            context=context,
            entity="quote",
        )
    assert (refused.value.code, refused.value.field) == ("duplicate_number", "revision")


@given(
    stored=st.lists(st.tuples(st.sampled_from(["Q-1", "Q-2"]), st.integers(1, 3)), max_size=6),
    new=st.tuples(st.sampled_from(["Q-1", "Q-2"]), st.integers(1, 3)),
)
def test_a_new_quote_is_refused_exactly_when_its_pair_is_taken(
    stored: list[tuple[str, int]], new: tuple[str, int]
) -> None:
    context = Context({f"s{i}": {"number": n, "revision": r} for i, (n, r) in enumerate(stored)})
    try:
        _create(context, number=new[0], revision=new[1])
    except WriteRefused as refused:
        assert refused.code == "duplicate_number"
        assert new in stored
    else:
        assert new not in stored


def test_the_status_is_written_last() -> None:
    values = {"status": "rejected", "rejection_reason": "Precio", "terms": "x"}
    assert list(in_write_order(QUOTE_AUTHORITY, values)) == ["rejection_reason", "terms", "status"]
    assert list(in_write_order(None, values)) == list(values)


@pytest.mark.parametrize(
    ("previous", "revision", "expected"),
    [
        ({"number": "Q-1", "revision": 1}, 2, None),
        ({"number": "Q-1", "revision": 2}, 3, None),
        ({"number": "Q-1", "revision": 1}, 3, "invalid_revision"),  # skips one
        ({"number": "Q-9", "revision": 1}, 2, "invalid_revision"),  # another quote
        (None, 2, "invalid_revision"),  # not known on this side
    ],
)
def test_a_revision_names_its_previous_revision(
    previous: dict[str, Any] | None, revision: int, expected: str | None
) -> None:
    context = Context({} if previous is None else {"prev": previous})
    try:
        _create(context, number="Q-1", revision=revision, previous_quote_id="prev")
    except WriteRefused as refused:
        assert (refused.code, refused.field) == (expected, "previous_quote_id")
    else:
        assert expected is None


def test_a_revision_cannot_be_renumbered_away_from_its_previous() -> None:
    context = Context({"prev": {"number": "Q-1", "revision": 1}})
    draft = _quote(revision=2, previous_quote_id="prev")
    for name, value in (("number", "Q-2"), ("revision", 3)):
        with pytest.raises(WriteRefused) as refused:
            check_write(
                QUOTE_AUTHORITY,
                REP,
                name=name,
                value=value,
                before=draft,
                after=draft | {name: value},
                context=context,
                entity="quote",
            )
        assert refused.value.code == "invalid_revision"
