"""services.editing: validation, store writes and outbox entries in one transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError, ValidationErrors
from sfa_desktop.services.editing import (
    EditContext,
    create_record,
    delete_record,
    load_edit_context,
    update_record,
)
from sfa_desktop.store.database import Database
from sfa_desktop.store.errors import RecordDeleted, RecordNotFound
from sfa_desktop.store.meta import MetaKey, get_meta, set_meta
from sfa_desktop.store.models import OutboxEntry
from sfa_desktop.store.models.sync_state import ShadowValue
from sfa_desktop.store.repositories.records import get_record, insert_record
from sfa_desktop.sync import bookkeeping, outbox
from sync_server.protocol.hlc import Stamp

NOW = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC)


@pytest.fixture
def user_id(db: Database) -> str:
    with db.session() as session:
        uid = insert_record(
            session, "user", {"name": "Ana", "email": "ana@example.com", "rep_code": "ANA"}, now=NOW
        )
        set_meta(session, MetaKey.USER_ID, uid)
    return uid


@pytest.fixture
def ctx(db: Database, user_id: str) -> EditContext:
    with db.session() as session:
        return load_edit_context(session, now=lambda: NOW)


def entries(session: Session) -> list[OutboxEntry]:
    return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def test_create_writes_the_record_and_one_create_entry(db: Database, ctx: EditContext) -> None:
    with db.session() as session:
        account = create_record(
            session,
            ctx,
            "account",
            {
                "name": "  Ferretería Martínez ",
                "tax_id": "b-12345674",
                "phone": "976 12 34 56",
                "website": "Example.com",
                "tags": ["a", "a", "b"],
            },
        )
    with db.session() as session:
        row = get_record(session, "account", account)
        assert row is not None
        assert row["name"] == "Ferretería Martínez"
        assert row["owner_id"] == ctx.user_id
        assert row["phone"] == "+34976123456"
        assert row["website"] == "https://example.com"
        assert row["tax_id"] == "B12345674"
        (entry,) = entries(session)
        assert (entry.op, entry.entity, entry.record_id, entry.base_version) == (
            "create",
            "account",
            account,
            0,
        )
        assert entry.value["name"] == "Ferretería Martínez"
        assert entry.value["tags"] == ["a", "b"]
        assert entry.value["lifecycle_stage"] == "prospect"
        assert Stamp.parse(entry.hlc).node == ctx.device_id
        assert outbox.pending_fields(session, account) >= {"name", "owner_id"}


def test_every_bad_field_is_reported_and_nothing_is_written(db: Database, ctx: EditContext) -> None:
    with db.session() as session, pytest.raises(ValidationErrors) as caught:
        create_record(
            session,
            ctx,
            "account",
            {
                "name": " ",
                "email": "not-an-email",
                "phone": "12",
                "tax_id": "B12345670",
                "website": "ftp://x",
                "latitude": 123.0,
                "lifecycle_stage": "friend",
                "colour": "red",
                "visit_cadence_days": "30",
            },
        )
    codes = {(e.field, e.code) for e in caught.value.errors}
    assert codes == {
        ("name", "required"),
        ("email", "invalid_email"),
        ("phone", "invalid_phone"),
        ("tax_id", "invalid_tax_id"),
        ("website", "invalid_url"),
        ("latitude", "out_of_range"),
        ("lifecycle_stage", "invalid_choice"),
        ("colour", "unknown_field"),
        ("visit_cadence_days", "invalid_number"),
    }
    with db.session() as session:
        assert entries(session) == []


def test_update_queues_one_set_per_changed_field(db: Database, ctx: EditContext) -> None:
    with db.session() as session:
        account = create_record(session, ctx, "account", {"name": "Uno"})
        row = bookkeeping.version_row(account, "account", 3, {"name": 2, "city": 3})
        bookkeeping.save_versions(session, [row])
        session.execute(OutboxEntry.__table__.delete())
        changed = update_record(
            session, ctx, "account", account, {"name": "Dos", "city": "Soria", "country": "ES"}
        )
        assert changed == {"name": ("Uno", "Dos"), "city": (None, "Soria")}
        got = [(e.op, e.field, e.value, e.base_version) for e in entries(session)]
        assert got == [("set", "name", "Dos", 2), ("set", "city", "Soria", 3)]
        stamps = [Stamp.parse(e.hlc) for e in entries(session)]
        assert stamps[0] < stamps[1]
        assert session.get(ShadowValue, (account, "name")).value == "Uno"  # type: ignore[union-attr]
        assert update_record(session, ctx, "account", account, {"name": "Dos"}) == {}


def test_visit_rules_and_typed_values(db: Database, ctx: EditContext) -> None:
    start = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    with db.session() as session:
        account = create_record(session, ctx, "account", {"name": "Uno"})
        with pytest.raises(ValidationErrors) as caught:
            create_record(
                session,
                ctx,
                "visit",
                {
                    "account_id": account,
                    "planned_start": start,
                    "planned_end": start - dt.timedelta(hours=1),
                    "follow_up_date": "tomorrow",
                },
            )
        assert {(e.field, e.code) for e in caught.value.errors} == {
            ("planned_end", "end_before_start"),
            ("follow_up_date", "invalid_date"),
        }
        visit = create_record(
            session,
            ctx,
            "visit",
            {"account_id": account, "planned_start": start, "follow_up_date": dt.date(2026, 12, 5)},
        )
        (entry,) = [e for e in entries(session) if e.record_id == visit]
        assert entry.value["planned_start"] == "2026-12-01T09:00:00.000000Z"
        assert entry.value["follow_up_date"] == "2026-12-05"
        assert entry.value["owner_id"] == ctx.user_id
        opportunity = create_record(
            session,
            ctx,
            "opportunity",
            {"account_id": account, "name": "Big", "amount": 125000, "probability": 40},
        )
        with pytest.raises(ValidationErrors) as caught:
            update_record(session, ctx, "opportunity", opportunity, {"probability": 140})
        assert [(e.field, e.code) for e in caught.value.errors] == [("probability", "out_of_range")]
        with pytest.raises(ValidationErrors) as caught:
            create_record(session, ctx, "contact", {"account_id": "nope", "first_name": "Lu"})
        assert [(e.field, e.code) for e in caught.value.errors] == [
            ("account_id", "unknown_reference")
        ]


def test_read_only_unknown_and_deleted(db: Database, ctx: EditContext) -> None:
    with db.session() as session:
        with pytest.raises(DomainError) as caught:
            create_record(session, ctx, "product", {"sku": "X", "name": "X"})
        assert caught.value.code == "read_only"
        with pytest.raises(DomainError) as caught:
            create_record(session, ctx, "conflict", {})
        assert caught.value.code == "read_only"
        with pytest.raises(DomainError) as caught:
            create_record(session, ctx, "spaceship", {})
        assert caught.value.code == "unknown_entity"
        account = create_record(session, ctx, "account", {"name": "Uno"})
        with pytest.raises(DomainError) as caught:
            update_record(session, ctx, "account", account, {"created_at": NOW})
        assert (caught.value.code, caught.value.field) == ("read_only", "created_at")
        with pytest.raises(RecordNotFound):
            update_record(session, ctx, "account", "0190e3f4-0000-7000-8000-000000000000", {})
        delete_record(session, ctx, "account", account)
        assert entries(session)[-1].op == "delete"
        assert outbox.pending_fields(session, account) >= {"deleted_at"}
        with pytest.raises(RecordDeleted):
            update_record(session, ctx, "account", account, {"name": "Tres"})
        with pytest.raises(RecordDeleted):
            delete_record(session, ctx, "account", account)


def test_context_keeps_the_device_and_resumes_the_clock(db: Database, user_id: str) -> None:
    with db.session() as session:
        first = load_edit_context(session, now=lambda: NOW)
        create_record(session, first, "account", {"name": "Uno"})
        create_record(session, first, "account", {"name": "Dos"})
        last = first.clock.last
    earlier = NOW - dt.timedelta(hours=1)  # the laptop's clock went back
    with db.session() as session:
        again = load_edit_context(session, now=lambda: earlier)
        assert again.device_id == first.device_id == get_meta(session, MetaKey.DEVICE_ID)
        assert again.user_id == user_id
        assert again.clock.now() > last


def test_marketing_consent_needs_its_date_and_source(db: Database, ctx: EditContext) -> None:
    with db.session() as session:
        account = create_record(session, ctx, "account", {"name": "Óptica Ruiz"})
    with db.session() as session, pytest.raises(ValidationErrors) as caught:
        create_record(
            session,
            ctx,
            "contact",
            {"account_id": account, "first_name": "Begoña", "marketing_consent": True},
        )
    assert {(e.field, e.code) for e in caught.value.errors} == {
        ("consent_at", "required"),
        ("consent_source", "required"),
    }
    with db.session() as session:
        contact = create_record(
            session,
            ctx,
            "contact",
            {
                "account_id": account,
                "first_name": "Begoña",
                "marketing_consent": True,
                "consent_at": NOW,
                "consent_source": "Feria Expobiomasa",
            },
        )
    with db.session() as session, pytest.raises(ValidationErrors):
        update_record(session, ctx, "contact", contact, {"consent_source": " "})
    with db.session() as session:  # withdrawing consent needs nothing more
        update_record(session, ctx, "contact", contact, {"marketing_consent": False})
