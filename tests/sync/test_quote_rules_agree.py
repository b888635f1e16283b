"""The app and the server give every quote rule the same answer (a table test).

Each case builds a quote through the real app and server (the rep's and the manager's
laptops, syncing), then makes one last edit twice: once through the app's edit checks, once
with those checks switched off so only the server decides (its refusal comes back as a
rejected mutation). Both must refuse with the same code, or both accept.

Quote numbers: the app checks them against the quotes it has (its store would not even take a
second one); a number only the server knows is refused by the server alone, with the same code.
Number leases keep numbers apart in the first place.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from sfa_desktop.domain.errors import ValidationError, ValidationErrors
from sfa_desktop.services import editing
from sfa_desktop.store.models import RejectedMutation

from .harness import Fleet, Profile

_NUMBERS = itertools.count(1)
FAR_PAST = dt.date(2020, 1, 31)
FAR_FUTURE = dt.date(2099, 12, 31)


@dataclass
class Case:
    name: str
    #: the quote's line discounts (percent; the rep's limit is the default 10)
    discounts: tuple[str, ...]
    #: the status the quote is brought to first (approvals by the rep's manager)
    status: str
    #: who makes the last edit, and the edit: (profile, quote id, line id, other quote id)
    edit: Callable[[Profile, str, str, str], None]
    by: str = "rep"
    expected: str | None = None
    valid_until: dt.date = FAR_FUTURE
    #: the edit the server alone judges, when the app's store would not even take ``edit``
    unchecked: Callable[[Profile, str, str, str], None] | None = None


def _set(**changes: Any) -> Callable[[Profile, str, str, str], None]:
    return lambda p, quote, _line, _other: _ignore(p.edit("quote", quote, **changes))


def _set_line(**changes: Any) -> Callable[[Profile, str, str, str], None]:
    return lambda p, _quote, line, _other: _ignore(p.edit("quote_line", line, **changes))


def _ignore(_result: object) -> None:
    return None


def _add_line(p: Profile, quote: str, _line: str, _other: str) -> None:
    p.create("quote_line", quote_id=quote, description="Más", unit_price=100)


def _delete_line(p: Profile, _quote: str, line: str, _other: str) -> None:
    p.delete("quote_line", line)


def _delete_quote(p: Profile, quote: str, _line: str, _other: str) -> None:
    p.delete("quote", quote)


def _take_number(p: Profile, quote: str, _line: str, other: str) -> None:
    taken = p.get("quote", other)
    assert taken is not None
    p.edit("quote", quote, number=taken["number"])


def _take_a_hidden_number(p: Profile, quote: str, _line: str, _other: str) -> None:
    """The number of a quote the rep cannot see (their local store has no unique clash)."""
    p.edit("quote", quote, number=HIDDEN_NUMBER)


HIDDEN_NUMBER = "Q-MANAGER-1"


def _revise_with_another_number(p: Profile, quote: str, _line: str, other: str) -> None:
    """A "revision 2" of the other quote that does not carry its number."""
    account = p.get("quote", quote)
    assert account is not None
    p.create(
        "quote",
        account_id=account["account_id"],
        number=f"Q-AGREE-{next(_NUMBERS)}",
        revision=2,
        previous_quote_id=other,
    )


SENT = {"sent_at": dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC), "pdf_sha256": "c" * 64}

CASES = [
    Case("self-approval within the limit", ("0", "10"), "draft", _set(status="approved")),
    Case(
        "self-approval above the limit",
        ("0", "25"),
        "draft",
        _set(status="approved"),
        expected="forbidden_transition",
    ),
    Case(
        "the manager approves above the limit",
        ("25",),
        "pending_approval",
        _set(status="approved"),
        by="manager",
    ),
    Case("the rep withdraws a request", ("25",), "pending_approval", _set(status="draft")),
    Case(
        "an approved quote's terms",
        ("5",),
        "approved",
        _set(terms="Otras"),
        expected="quote_frozen",
    ),
    Case(
        "an approved quote's line, by the manager",
        ("5",),
        "approved",
        _set_line(discount_pct=Decimal("1")),
        by="manager",
        expected="quote_frozen",
    ),
    Case("a new line on a sent quote", ("5",), "sent", _add_line, expected="quote_frozen"),
    Case(
        "a line of an approved quote deleted",
        ("5",),
        "approved",
        _delete_line,
        expected="quote_frozen",
    ),
    Case("an approved quote deleted", ("5",), "approved", _delete_quote, expected="quote_frozen"),
    Case("a draft's line", ("5",), "draft", _set_line(discount_pct=Decimal("50"))),
    Case("sending an approved quote", ("5",), "approved", _set(status="sent", **SENT)),
    Case(
        "sending before approval",
        ("25",),
        "pending_approval",
        _set(status="sent", **SENT),
        expected="forbidden_transition",
    ),
    Case(
        "a rejection without a reason",
        ("5",),
        "sent",
        _set(status="rejected"),
        expected="reason_required",
    ),
    Case(
        "a rejection with the customer's reason",
        ("5",),
        "sent",
        _set(status="rejected", rejection_reason="Plazo de entrega"),
    ),
    Case("expiry after the date", ("5",), "sent", _set(status="expired"), valid_until=FAR_PAST),
    Case(
        "expiry before the date",
        ("5",),
        "approved",
        _set(status="expired"),
        expected="forbidden_transition",
    ),
    Case(
        "a draft never expires",
        ("5",),
        "draft",
        _set(status="expired"),
        valid_until=FAR_PAST,
        expected="forbidden_transition",
    ),
    Case(
        "another quote's number",
        ("5",),
        "draft",
        _take_number,
        expected="duplicate_number",
        unchecked=_take_a_hidden_number,
    ),
    Case(
        "a revision with another quote's lineage",
        ("5",),
        "draft",
        _revise_with_another_number,
        expected="invalid_revision",
    ),
    Case(
        "the decision note is the manager's",
        ("5",),
        "pending_approval",
        _set(decision_note="Aprobado por mí"),
        expected="manager_only_field",
    ),
]


@dataclass
class Laptops:
    rep: Profile
    manager: Profile

    def of(self, who: str) -> Profile:
        return self.rep if who == "rep" else self.manager

    def sync_all(self) -> None:
        for profile in (self.rep, self.manager, self.rep):
            report = profile.sync()
            assert report.rejected == 0, report


@pytest.fixture
def laptops(fleet: Fleet) -> Laptops:
    both = Laptops(
        fleet.profile("rep", fleet.team.rep_a), fleet.profile("manager", fleet.team.manager)
    )
    both.sync_all()  # the users (the manager tree, the discount limits)
    manager = both.manager
    account = manager.create("account", name="Cuenta de Mario", owner_id=manager.user_id)
    manager.create("quote", account_id=account, number=HIDDEN_NUMBER, owner_id=manager.user_id)
    both.sync_all()
    assert all(q["number"] != HIDDEN_NUMBER for q in _local_quotes(both.rep))
    return both


def _local_quotes(profile: Profile) -> list[dict[str, Any]]:
    return [q for i in profile.ids("quote") if (q := profile.get("quote", i)) is not None]


def _quote(laptops: Laptops, case: Case) -> tuple[str, str]:
    """The case's quote (with its lines) brought to ``case.status``: (quote id, first line)."""
    rep = laptops.rep
    account = rep.create("account", name="Talleres Ruiz")
    quote = rep.create(
        "quote",
        account_id=account,
        number=f"Q-AGREE-{next(_NUMBERS)}",
        valid_until=case.valid_until,
    )
    lines = [
        rep.create(
            "quote_line",
            quote_id=quote,
            description=f"Línea {i}",
            unit_price=10_000,
            discount_pct=Decimal(d),
            position=i,
        )
        for i, d in enumerate(case.discounts)
    ]
    if case.status != "draft":
        rep.edit("quote", quote, status="pending_approval")
    laptops.sync_all()
    if case.status in ("approved", "sent"):
        manager = laptops.manager
        manager.edit("quote", quote, status="approved", approved_by_id=manager.user_id)
        laptops.sync_all()
    if case.status == "sent":
        rep.edit("quote", quote, status="sent", **SENT)
        laptops.sync_all()
    return quote, lines[0]


@contextmanager
def _without_app_checks(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with monkeypatch.context() as patch:
        for name in ("check_new", "check_changes", "check_removal"):
            patch.setattr(editing, name, lambda *args, **kwargs: None)
        yield


def _rejected_codes(profile: Profile) -> set[str]:
    with profile.database.session() as session:
        return set(session.scalars(select(RejectedMutation.code)))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_app_and_server_agree(
    laptops: Laptops, case: Case, monkeypatch: pytest.MonkeyPatch
) -> None:
    other, _ = _quote(laptops, Case("other", ("0",), "draft", _set()))
    editor = laptops.of(case.by)

    quote, line = _quote(laptops, case)
    try:
        case.edit(editor, quote, line, other)
    except (ValidationError, ValidationErrors) as error:
        first = error.errors[0] if isinstance(error, ValidationErrors) else error
        app_code: str | None = first.code
    else:
        app_code = None

    quote, line = _quote(laptops, case)
    before = _rejected_codes(editor)
    with _without_app_checks(monkeypatch):
        (case.unchecked or case.edit)(editor, quote, line, other)
    editor.sync()
    server_codes = _rejected_codes(editor) - before
    server_code = next(iter(server_codes)) if server_codes else None

    assert len(server_codes) <= 1, server_codes
    assert (app_code, server_code) == (case.expected, case.expected)
