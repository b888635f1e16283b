"""Generic record CRUD: typed values checked against the catalog, nothing half-written."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from sfa_desktop.store.database import Database
from sfa_desktop.store.errors import InvalidRecord, RecordDeleted, RecordNotFound
from sfa_desktop.store.repositories import records
from sfa_desktop.store.repositories.records import (
    bulk_insert,
    get_record,
    insert_record,
    soft_delete,
    update_record,
)
from sync_server.protocol.catalog import CATALOG, COMMON_FIELD_NAMES

from .conftest import NOW, add_account, add_user

LATER = NOW + dt.timedelta(hours=1)


def count(session: Session, table: str) -> int:
    return int(session.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


# --- insert / get ------------------------------------------------------------------------------


def test_insert_fills_id_defaults_and_timestamps(session: Session) -> None:
    owner = add_user(session)
    account_id = add_account(session, owner, "Aceites Málaga S.L.")
    assert uuid.UUID(account_id).version == 7
    record = get_record(session, "account", account_id)
    assert record is not None
    assert set(record) == COMMON_FIELD_NAMES | set(CATALOG["account"].field_names)
    assert record["name"] == "Aceites Málaga S.L."
    assert record["country"] == "ES"
    assert record["lifecycle_stage"] == "prospect"
    assert record["preferred_channel"] == "visit"
    assert record["visit_cadence_days"] == 30
    assert record["tags"] == []
    assert record["created_at"] == record["updated_at"] == NOW
    assert record["created_at"].tzinfo is not None
    assert record["deleted_at"] is None


def test_every_value_type_round_trips(session: Session) -> None:
    owner = add_user(session, discount_limit_pct=Decimal("12.50"))
    account = add_account(
        session, owner, "Bodegas", latitude=36.72, longitude=-4.42, tags=["vip", " vip", "norte"]
    )
    quote = insert_record(
        session,
        "quote",
        {
            "number": "Q-ANA-2026-0001",
            "account_id": account,
            "owner_id": owner,
            "issue_date": dt.date(2026, 11, 25),
            "approved_at": dt.datetime(
                2026, 11, 25, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1))
            ),
        },
        now=NOW,
    )
    line = insert_record(
        session,
        "quote_line",
        {
            "quote_id": quote,
            "description": "Aceite 5 l",
            "quantity": Decimal("2.500"),
            "unit_price": 1999,
        },
        now=NOW,
    )
    conflict = insert_record(
        session,
        "conflict",
        {
            "entity": "account",
            "record_id": account,
            "field": "name",
            "kept_value": {"a": [1, "b"]},
            "lost_value": 5,
            "occurred_at": NOW,
        },
        now=NOW,
    )
    user_row = get_record(session, "user", owner)
    account_row = get_record(session, "account", account)
    quote_row = get_record(session, "quote", quote)
    line_row = get_record(session, "quote_line", line)
    conflict_row = get_record(session, "conflict", conflict)
    assert user_row and account_row and quote_row and line_row and conflict_row
    assert user_row["discount_limit_pct"] == Decimal("12.5")
    assert user_row["active"] is True
    assert account_row["latitude"] == 36.72
    assert account_row["tags"] == ["vip", "norte"]
    assert quote_row["issue_date"] == dt.date(2026, 11, 25)
    assert quote_row["approved_at"] == dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    assert quote_row["revision"] == 1 and quote_row["status"] == "draft"
    assert quote_row["currency"] == "EUR"
    assert line_row["quantity"] == Decimal("2.5") and isinstance(line_row["quantity"], Decimal)
    assert line_row["tax_rate_pct"] == Decimal("21")
    assert line_row["discount_pct"] == Decimal("0")
    assert conflict_row["kept_value"] == {"a": [1, "b"]} and conflict_row["lost_value"] == 5
    assert conflict_row["resolved"] is False


def test_an_explicit_id_is_kept_in_canonical_form(session: Session) -> None:
    raw = "0192F1C2-3B4A-7C5D-8E6F-0123456789AB"
    assert add_user(session, id=raw) == raw.lower()
    assert get_record(session, "user", raw.lower()) is not None


def test_missing_record(session: Session) -> None:
    assert get_record(session, "account", str(uuid.uuid4())) is None


BAD_VALUES: list[tuple[str, dict[str, Any], str]] = [
    ("name", {"name": 5}, "expected text"),
    ("name", {"name": "   "}, "required"),
    ("name", {"name": "x" * 201}, "at most 200"),
    ("name", {"name": "a\x00b"}, "NUL"),
    ("lifecycle_stage", {"lifecycle_stage": "friend"}, "expected one of"),
    ("owner_id", {"owner_id": "not-a-uuid"}, "not a valid id"),
    ("visit_cadence_days", {"visit_cadence_days": True}, "whole number"),
    ("visit_cadence_days", {"visit_cadence_days": 2.5}, "whole number"),
    ("latitude", {"latitude": float("nan")}, "finite"),
    ("latitude", {"latitude": "36.7"}, "a number"),
    ("tags", {"tags": "vip"}, "list of text"),
    ("tags", {"tags": ["x" * 61]}, "60 characters"),
    ("country", {"country": None}, "required"),
    ("notes", {"notes": b"bytes"}, "expected text"),
    ("nickname", {"nickname": "x"}, "no such field"),
]


@pytest.mark.parametrize(("field", "values", "reason"), BAD_VALUES, ids=[b[2] for b in BAD_VALUES])
def test_bad_account_values_are_refused(
    session: Session, field: str, values: dict[str, Any], reason: str
) -> None:
    owner = add_user(session)
    fields = {"name": "Acme", "owner_id": owner, **values}
    with pytest.raises(InvalidRecord) as caught:
        insert_record(session, "account", fields, now=NOW)
    assert caught.value.code == "invalid_record"
    assert caught.value.entity == "account"
    assert caught.value.field == field
    assert reason in caught.value.reason
    assert count(session, "accounts") == 0


@pytest.mark.parametrize(
    ("entity", "values", "field"),
    [
        ("quote_line", {"quantity": 1.5}, "quantity"),
        ("quote_line", {"quantity": "1.5"}, "quantity"),
        ("quote_line", {"unit_price": Decimal("10")}, "unit_price"),
        ("quote", {"issue_date": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)}, "issue_date"),
        ("quote", {"issue_date": "2026-01-01"}, "issue_date"),
        ("quote", {"approved_at": dt.datetime(2026, 1, 1)}, "approved_at"),
        ("conflict", {"kept_value": {1, 2}}, "kept_value"),
    ],
)
def test_bad_typed_values_are_refused(
    session: Session, entity: str, values: dict[str, Any], field: str
) -> None:
    spec = CATALOG[entity]
    with pytest.raises(InvalidRecord) as caught:
        records.record_checker(spec).check_fields(values)
    assert caught.value.field == field


def test_unknown_entity(session: Session) -> None:
    with pytest.raises(InvalidRecord, match="unknown entity"):
        insert_record(session, "invoice", {}, now=NOW)
    with pytest.raises(InvalidRecord, match="unknown entity"):
        get_record(session, "invoice", "x")


def test_a_required_field_without_default_is_required(session: Session) -> None:
    with pytest.raises(InvalidRecord) as caught:
        insert_record(session, "account", {"name": "Acme"}, now=NOW)
    assert caught.value.field == "owner_id"


def test_timestamps_belong_to_the_store(session: Session) -> None:
    owner = add_user(session)
    with pytest.raises(InvalidRecord, match="timestamps"):
        add_account(session, owner, "Acme", created_at=NOW)


def test_now_must_be_aware(session: Session) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        insert_record(session, "user", {"name": "A"}, now=dt.datetime(2026, 1, 1))


def test_a_duplicate_id_is_refused(session: Session) -> None:
    owner = add_user(session)
    with pytest.raises(InvalidRecord) as caught:
        add_user(session, id=owner, email="other@example.com")
    assert caught.value.field == "id"
    assert count(session, "users") == 1


def test_a_used_quote_number_is_refused_and_the_session_stays_usable(session: Session) -> None:
    owner = add_user(session)
    account = add_account(session, owner, "Acme")
    values = {"number": "Q-1", "account_id": account, "owner_id": owner}
    insert_record(session, "quote", values, now=NOW)
    with pytest.raises(InvalidRecord) as caught:
        insert_record(session, "quote", values, now=NOW)
    assert caught.value.field == "number"
    assert "already used" in caught.value.reason
    insert_record(session, "quote", {**values, "number": "Q-2"}, now=NOW)
    assert count(session, "quotes") == 2


# --- references --------------------------------------------------------------------------------


def test_a_reference_must_name_an_existing_record(session: Session) -> None:
    with pytest.raises(InvalidRecord) as caught:
        add_account(session, str(uuid.uuid4()), "Acme")
    assert caught.value.field == "owner_id"
    assert "no user" in caught.value.reason


def test_a_reference_to_a_deleted_record_is_refused(session: Session) -> None:
    owner = add_user(session)
    account = add_account(session, owner, "Acme")
    soft_delete(session, "account", account, now=LATER)
    with pytest.raises(InvalidRecord, match="has been deleted"):
        insert_record(session, "contact", {"account_id": account, "first_name": "Ana"}, now=NOW)


def test_sync_may_write_records_before_their_parents(session: Session) -> None:
    account = str(uuid.uuid4())
    contact = insert_record(
        session,
        "contact",
        {"account_id": account, "first_name": "Ana"},
        now=NOW,
        check_refs=False,
    )
    assert get_record(session, "contact", contact) is not None


# --- update ------------------------------------------------------------------------------------


def test_update_returns_only_what_changed(session: Session) -> None:
    owner = add_user(session)
    account = add_account(session, owner, "Acme", city="Málaga")
    changes = update_record(
        session,
        "account",
        account,
        {"name": "Acme", "city": "Sevilla", "tags": ["a"], "notes": None},
        now=LATER,
    )
    assert changes == {"city": ("Málaga", "Sevilla"), "tags": ([], ["a"])}
    record = get_record(session, "account", account)
    assert record is not None
    assert record["city"] == "Sevilla" and record["updated_at"] == LATER
    assert record["created_at"] == NOW


def test_an_update_that_changes_nothing_writes_nothing(session: Session) -> None:
    owner = add_user(session, discount_limit_pct=Decimal("10"))
    assert (
        update_record(session, "user", owner, {"discount_limit_pct": Decimal("10.00")}, now=LATER)
        == {}
    )
    record = get_record(session, "user", owner)
    assert record is not None and record["updated_at"] == NOW


def test_update_can_clear_an_optional_field(session: Session) -> None:
    owner = add_user(session)
    account = add_account(session, owner, "Acme", city="Málaga")
    assert update_record(session, "account", account, {"city": None}, now=LATER) == {
        "city": ("Málaga", None)
    }


def test_update_refuses_bad_values_and_writes_nothing(session: Session) -> None:
    owner = add_user(session)
    account = add_account(session, owner, "Acme", city="Málaga")
    with pytest.raises(InvalidRecord) as caught:
        update_record(session, "account", account, {"city": "Sevilla", "name": ""}, now=LATER)
    assert caught.value.field == "name"
    record = get_record(session, "account", account)
    assert record is not None and record["city"] == "Málaga"


@pytest.mark.parametrize("field", ["id", "created_at", "updated_at", "deleted_at"])
def test_update_refuses_common_fields(session: Session, field: str) -> None:
    owner = add_user(session)
    with pytest.raises(InvalidRecord, match="no such field"):
        update_record(session, "user", owner, {field: None}, now=LATER)


def test_update_checks_new_references(session: Session) -> None:
    owner = add_user(session)
    account = add_account(session, owner, "Acme")
    with pytest.raises(InvalidRecord) as caught:
        update_record(session, "account", account, {"owner_id": str(uuid.uuid4())}, now=LATER)
    assert caught.value.field == "owner_id"


def test_update_of_a_missing_or_deleted_record(session: Session) -> None:
    with pytest.raises(RecordNotFound) as missing:
        update_record(session, "account", str(uuid.uuid4()), {"name": "X"}, now=LATER)
    assert missing.value.code == "record_not_found"
    owner = add_user(session)
    account = add_account(session, owner, "Acme")
    soft_delete(session, "account", account, now=LATER)
    with pytest.raises(RecordDeleted) as deleted:
        update_record(session, "account", account, {"name": "X"}, now=LATER)
    assert deleted.value.code == "record_deleted"


def test_update_to_a_used_quote_number_is_refused(session: Session) -> None:
    owner = add_user(session)
    account = add_account(session, owner, "Acme")
    base = {"account_id": account, "owner_id": owner}
    insert_record(session, "quote", {**base, "number": "Q-1"}, now=NOW)
    second = insert_record(session, "quote", {**base, "number": "Q-2"}, now=NOW)
    with pytest.raises(InvalidRecord) as caught:
        update_record(session, "quote", second, {"number": "Q-1", "notes": "n"}, now=LATER)
    assert caught.value.field == "number"
    record = get_record(session, "quote", second)
    assert record is not None and record["number"] == "Q-2" and record["notes"] is None


# --- soft delete -------------------------------------------------------------------------------


def test_soft_delete_leaves_a_tombstone(session: Session) -> None:
    owner = add_user(session)
    account = add_account(session, owner, "Acme")
    assert soft_delete(session, "account", account, now=LATER) is True
    assert soft_delete(session, "account", account, now=LATER + dt.timedelta(1)) is False
    record = get_record(session, "account", account)
    assert record is not None
    assert record["deleted_at"] == LATER and record["updated_at"] == LATER
    with pytest.raises(RecordNotFound):
        soft_delete(session, "account", str(uuid.uuid4()), now=LATER)


# --- bulk insert -------------------------------------------------------------------------------


def test_bulk_insert_is_all_or_nothing(db: Database) -> None:
    owner = str(uuid.uuid4())
    rows: list[dict[str, Any]] = [{"name": f"A{i}", "owner_id": owner} for i in range(10)]
    rows[7]["lifecycle_stage"] = "bogus"
    with pytest.raises(InvalidRecord) as caught, db.session() as session:
        bulk_insert(session, "account", rows, now=NOW)
    assert caught.value.field == "lifecycle_stage"
    with db.session() as session:
        assert count(session, "accounts") == 0


def test_bulk_insert_in_batches(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(records, "BULK_BATCH_SIZE", 7)
    owner = str(uuid.uuid4())
    rows = [
        {"name": f"A{i}", "owner_id": owner, "updated_at": NOW + dt.timedelta(minutes=i)}
        for i in range(30)
    ]
    bulk_insert(session, "account", rows, now=NOW)
    assert count(session, "accounts") == 30
    assert count(session, "accounts WHERE updated_at > created_at") == 29


def test_bulk_insert_refuses_duplicates(session: Session) -> None:
    same = str(uuid.uuid4())
    rows = [{"id": same, "name": "A", "email": "a@x.es", "rep_code": "A"}] * 2
    with pytest.raises(InvalidRecord, match="twice"):
        bulk_insert(session, "user", rows, now=NOW)
    bulk_insert(session, "user", rows[:1], now=NOW)
    with pytest.raises(InvalidRecord) as caught:
        bulk_insert(session, "user", rows[:1], now=NOW)
    assert caught.value.field == "id"
    assert count(session, "users") == 1


def test_bulk_insert_needs_timestamps_or_now(session: Session) -> None:
    with pytest.raises(InvalidRecord) as caught:
        bulk_insert(session, "user", [{"name": "A", "email": "a@x.es", "rep_code": "A"}])
    assert caught.value.field == "created_at"
    bulk_insert(
        session, "user", [{"name": "A", "email": "a@x.es", "rep_code": "A", "created_at": NOW}]
    )
    assert count(session, "users") == 1


def test_bulk_and_single_inserts_store_identical_rows(session: Session) -> None:
    values = {
        "name": "Ana",
        "email": "a@x.es",
        "rep_code": "A",
        "discount_limit_pct": Decimal("7.50"),
        "manager_id": None,
    }
    single = add_user(session, **values)
    bulk_insert(session, "user", [{**values, "id": str(uuid.uuid4())}], now=NOW)
    raw = session.execute(
        text("SELECT * FROM users ORDER BY id = :single"), {"single": single}
    ).all()
    assert len(raw) == 2
    assert raw[0][1:] == raw[1][1:]  # every column but the id, as stored
