"""The app applies the server's write rules before queueing an edit: same codes, nothing queued."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from sfa_desktop.domain.errors import ValidationError, ValidationErrors
from sfa_desktop.services.editing import (
    EditContext,
    create_record,
    delete_record,
    load_edit_context,
    update_record,
)
from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import MetaKey, set_meta
from sfa_desktop.store.models import OutboxEntry
from sfa_desktop.store.repositories.records import insert_record

NOW = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC)
_NUMBERS = itertools.count(1)


@pytest.fixture
def people(db: Database) -> dict[str, str]:
    """admin → manager → rep (the signed-in user is chosen per test)."""
    with db.session() as session:
        admin = insert_record(
            session,
            "user",
            {"name": "Ada", "email": "ada@example.com", "rep_code": "ADA", "role": "admin"},
            now=NOW,
        )
        manager = insert_record(
            session,
            "user",
            {
                "name": "Mario",
                "email": "mario@example.com",
                "rep_code": "MAR",
                "role": "manager",
                "manager_id": admin,
            },
            now=NOW,
        )
        rep = insert_record(
            session,
            "user",
            {"name": "Ana", "email": "ana@example.com", "rep_code": "ANA", "manager_id": manager},
            now=NOW,
        )
    return {"admin": admin, "manager": manager, "rep": rep}


def _signed_in(db: Database, user_id: str) -> EditContext:
    with db.session() as session:
        set_meta(session, MetaKey.USER_ID, user_id)
        return load_edit_context(session, now=lambda: NOW)


def _queued(db: Database) -> int:
    with db.session() as session:
        return int(session.scalar(select(func.count()).select_from(OutboxEntry)) or 0)


def _code(error: ValidationError | ValidationErrors) -> str:
    return error.errors[0].code if isinstance(error, ValidationErrors) else error.code


def _refused(db: Database, ctx: EditContext, call: Any, *args: Any) -> str:
    before = _queued(db)
    with pytest.raises((ValidationError, ValidationErrors)) as caught, db.session() as session:
        call(session, ctx, *args)
    assert _queued(db) == before, "a refused edit was queued"
    return _code(caught.value)


def _quote(
    db: Database, ctx: EditContext, owner: str, *, discount: str | None = "25", **extra: Any
) -> str:
    """A draft quote; with a line ``discount`` % off (above the default 10 % limit) unless
    ``discount`` is None."""
    with db.session() as session:
        account = create_record(session, ctx, "account", {"name": "Talleres", "owner_id": owner})
        number = f"Q-{next(_NUMBERS)}"
        quote = create_record(
            session,
            ctx,
            "quote",
            {"account_id": account, "owner_id": owner, "number": number} | extra,
        )
        if discount is not None:
            line = {"quote_id": quote, "description": "Taladro", "unit_price": 8990}
            create_record(session, ctx, "quote_line", line | {"discount_pct": Decimal(discount)})
        return quote


def test_a_rep_cannot_create_or_approve_a_quote(db: Database, people: dict[str, str]) -> None:
    rep = _signed_in(db, people["rep"])
    with db.session() as session:
        account = create_record(session, rep, "account", {"name": "Talleres"})
    approved = {"account_id": account, "number": "Q-1", "status": "approved"}
    assert _refused(db, rep, create_record, "quote", approved) == "forbidden_transition"
    forged = {"account_id": account, "number": "Q-1", "approved_by_id": people["manager"]}
    assert _refused(db, rep, create_record, "quote", forged) == "manager_only_field"
    quote = _quote(db, rep, people["rep"])
    with db.session() as session:
        update_record(session, rep, "quote", quote, {"status": "pending_approval"})
    assert (
        _refused(db, rep, update_record, "quote", quote, {"status": "approved"})
        == "forbidden_transition"
    )
    assert (
        _refused(db, rep, update_record, "quote", quote, {"approved_at": NOW})
        == "manager_only_field"
    )


def test_the_manager_and_the_admin_approve(db: Database, people: dict[str, str]) -> None:
    quote = _quote(db, _signed_in(db, people["rep"]), people["rep"])
    with db.session() as session:
        update_record(
            session, _signed_in(db, people["rep"]), "quote", quote, {"status": "pending_approval"}
        )
    manager = _signed_in(db, people["manager"])
    forged = {"approved_by_id": people["admin"]}
    assert _refused(db, manager, update_record, "quote", quote, forged) == "must_be_actor"
    with db.session() as session:
        changed = update_record(
            session,
            manager,
            "quote",
            quote,
            {"status": "approved", "approved_by_id": people["manager"], "approved_at": NOW},
        )
    assert set(changed) == {"status", "approved_by_id", "approved_at"}
    admin = _signed_in(db, people["admin"])
    with db.session() as session:
        update_record(session, admin, "quote", quote, {"status": "sent"})


def _submission(owner: str) -> dict[str, Any]:
    return {
        "owner_id": owner,
        "period": "2026-11",
        "commit_amount": 100,
        "best_case_amount": 200,
        "pipeline_amount": 300,
        "closed_amount": 0,
        "submitted_at": NOW,
    }


def test_a_submitted_forecast_is_frozen_on_the_client_too(
    db: Database, people: dict[str, str]
) -> None:
    rep = _signed_in(db, people["rep"])
    adjusted = _submission(people["rep"]) | {"manager_adjustment": 50}
    assert _refused(db, rep, create_record, "forecast_submission", adjusted) == (
        "manager_only_field"
    )
    with db.session() as session:
        submission = create_record(session, rep, "forecast_submission", _submission(people["rep"]))
    change = {"commit_amount": 900}
    assert _refused(db, rep, update_record, "forecast_submission", submission, change) == (
        "snapshot_frozen"
    )
    assert _refused(db, rep, delete_record, "forecast_submission", submission) == (
        "snapshot_frozen"
    )
    manager = _signed_in(db, people["manager"])
    with db.session() as session:
        update_record(
            session,
            manager,
            "forecast_submission",
            submission,
            {"manager_adjustment": -20, "manager_note": "Enero", "manager_id": people["manager"]},
        )


def test_decimals_and_bounds_use_the_server_rules(db: Database, people: dict[str, str]) -> None:
    rep = _signed_in(db, people["rep"])
    quote = _quote(db, rep, people["rep"])
    line = {"quote_id": quote, "description": "Taladro", "unit_price": 100}
    for extra, code in (
        ({"quantity": Decimal("1e-999999")}, "too_many_decimals"),
        ({"quantity": Decimal("1e13")}, "out_of_range"),
        ({"quantity": Decimal("-1")}, "out_of_range"),
        ({"discount_pct": Decimal("100.5")}, "out_of_range"),
        ({"tax_rate_pct": Decimal("-21")}, "out_of_range"),
    ):
        assert _refused(db, rep, create_record, "quote_line", line | extra) == code, extra


# --- issue 10: the quote rules ------------------------------------------------------------------


def test_a_rep_approves_their_own_quote_within_their_limit(
    db: Database, people: dict[str, str]
) -> None:
    rep = _signed_in(db, people["rep"])
    quote = _quote(db, rep, people["rep"], discount="10")
    with db.session() as session:
        update_record(session, rep, "quote", quote, {"status": "approved"})


def test_a_frozen_quote_and_its_lines_refuse_edits(db: Database, people: dict[str, str]) -> None:
    rep = _signed_in(db, people["rep"])
    quote = _quote(db, rep, people["rep"], discount=None)
    with db.session() as session:
        line = create_record(
            session, rep, "quote_line", {"quote_id": quote, "description": "A", "unit_price": 1}
        )
        update_record(session, rep, "quote", quote, {"status": "approved"})
    for who in ("rep", "manager", "admin"):
        ctx = _signed_in(db, people[who])
        assert _refused(db, ctx, update_record, "quote", quote, {"terms": "x"}) == "quote_frozen"
        change = {"discount_pct": Decimal("1")}
        assert _refused(db, ctx, update_record, "quote_line", line, change) == "quote_frozen"
        assert _refused(db, ctx, delete_record, "quote_line", line) == "quote_frozen"
        added = {"quote_id": quote, "description": "B", "unit_price": 1}
        assert _refused(db, ctx, create_record, "quote_line", added) == "quote_frozen"
        assert _refused(db, ctx, delete_record, "quote", quote) == "quote_frozen"
    with db.session() as session:
        sent = {"status": "sent", "sent_at": NOW, "pdf_sha256": "b" * 64}
        update_record(session, rep, "quote", quote, sent)


def test_a_rejection_needs_a_reason_written_with_it(db: Database, people: dict[str, str]) -> None:
    rep = _signed_in(db, people["rep"])
    quote = _quote(db, rep, people["rep"], discount=None)
    with db.session() as session:
        update_record(session, rep, "quote", quote, {"status": "approved"})
        update_record(session, rep, "quote", quote, {"status": "sent"})
    rejected = {"status": "rejected"}
    assert _refused(db, rep, update_record, "quote", quote, rejected) == "reason_required"
    with db.session() as session:
        # the status is queued after the reason, so the server sees them in that order
        update_record(session, rep, "quote", quote, rejected | {"rejection_reason": "Caro"})
        fields = session.scalars(
            select(OutboxEntry.field)
            .where(OutboxEntry.record_id == quote)
            .order_by(OutboxEntry.seq.desc())
            .limit(2)
        ).all()
    assert fields == ["status", "rejection_reason"]


def test_expiry_follows_the_valid_until_date(db: Database, people: dict[str, str]) -> None:
    rep = _signed_in(db, people["rep"])
    future = _quote(db, rep, people["rep"], discount=None, valid_until=dt.date(2099, 1, 1))
    past = _quote(db, rep, people["rep"], discount=None, valid_until=dt.date(2020, 1, 1))
    with db.session() as session:
        update_record(session, rep, "quote", future, {"status": "approved"})
        update_record(session, rep, "quote", past, {"status": "approved"})
    expired = {"status": "expired"}
    assert _refused(db, rep, update_record, "quote", future, expired) == "forbidden_transition"
    with db.session() as session:
        update_record(session, rep, "quote", past, expired)


def test_a_duplicate_number_is_refused_on_the_client(db: Database, people: dict[str, str]) -> None:
    rep = _signed_in(db, people["rep"])
    quote = _quote(db, rep, people["rep"], discount=None, number="Q-RA-7")
    with db.session() as session:
        account = create_record(session, rep, "account", {"name": "Otra"})
    copy = {"account_id": account, "number": "Q-RA-7"}
    assert _refused(db, rep, create_record, "quote", copy) == "duplicate_number"
    other = _quote(db, rep, people["rep"], discount=None)
    change = {"number": "Q-RA-7"}
    assert _refused(db, rep, update_record, "quote", other, change) == "duplicate_number"
    with db.session() as session:
        update_record(session, rep, "quote", quote, {"terms": "Pago a 30 días"})


def test_a_second_account_with_a_tax_id_is_refused_on_the_client(
    db: Database, people: dict[str, str]
) -> None:
    rep = _signed_in(db, people["rep"])
    with db.session() as session:
        first = create_record(session, rep, "account", {"name": "Talleres", "tax_id": "B12345674"})
        other = create_record(session, rep, "account", {"name": "Otra"})
        create_record(session, rep, "account", {"name": "Sin NIF"})  # no tax id: no clash
    typed_otherwise = {"name": "Talleres Bis", "tax_id": "b-1234567-4"}
    assert _refused(db, rep, create_record, "account", typed_otherwise) == "duplicate_tax_id"
    change = {"tax_id": "B12345674"}
    assert _refused(db, rep, update_record, "account", other, change) == "duplicate_tax_id"
    with db.session() as session:
        update_record(session, rep, "account", first, {"name": "Talleres S.L."})
