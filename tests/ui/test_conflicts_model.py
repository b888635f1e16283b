"""Conflict values as people read them (names, money, labels, dates) and the table models."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from sfa_desktop.i18n import set_language
from sfa_desktop.services.conflict_review import (
    ConflictItem,
    RejectedItem,
    ShownValue,
    load_shown_value,
)
from sfa_desktop.services.conflicts import ConflictRow, RejectedRow
from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.records import bulk_insert
from sfa_desktop.ui.sync.conflict_values import one_line, show_value
from sfa_desktop.ui.sync.conflicts_model import ITEM_ROLE, ConflictsModel, RejectedModel
from sync_server.protocol.catalog import FieldType

from .conftest import NOW, USERS
from .locale_text import medium_date, money

ACCOUNT = "01900000-0000-7000-9000-000000000001"
OPPORTUNITY = "01900000-0000-7000-a000-000000000001"


def shown(entity: str, field: str, kind: FieldType | None, value: Any, **extra: Any) -> str:
    return show_value(ShownValue(entity, field, kind, value, **extra))


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Customer",
                "Yes",
                money("1234.50", "EUR", "en"),
                medium_date(dt.date(2026, 11, 25), "en"),
                "vip, hardware",
                "(empty)",
                "Deleted",
                "Not deleted",
                "976 22 22 22",
                "21.5",
            ],
        ),
        (
            "es",
            [
                "Cliente",
                "Sí",
                money("1234.50", "EUR", "es"),
                medium_date(dt.date(2026, 11, 25), "es"),
                "vip, hardware",
                "(vacío)",
                "Eliminado",
                "No eliminado",
                "976 22 22 22",
                "21,5",
            ],
        ),
    ],
)
def test_values_are_shown_in_the_users_language(language: str, expected: list[str]) -> None:
    set_language(language)
    assert [
        shown("account", "lifecycle_stage", FieldType.ENUM, "customer"),
        shown("contact", "marketing_consent", FieldType.BOOL, True),
        shown("opportunity", "amount", FieldType.MONEY, 123450, currency="EUR"),
        shown("visit", "follow_up_date", FieldType.DATE, dt.date(2026, 11, 25)),
        shown("account", "tags", FieldType.TAGS, ["vip", "hardware"]),
        shown("account", "phone", FieldType.TEXT, None),
        shown("account", "deleted_at", FieldType.DATETIME, NOW),
        shown("account", "deleted_at", FieldType.DATETIME, None),
        shown("account", "phone", FieldType.TEXT, "+34976222222"),
        shown("quote_line", "tax_rate", FieldType.DECIMAL, Decimal("21.5")),
    ] == expected


def test_long_texts_keep_one_line_in_the_table() -> None:
    assert one_line("First line\nsecond line") == "First line …"
    assert one_line("x" * 100) == "x" * 79 + "…"
    assert one_line("short") == "short"


def test_references_and_amounts_are_looked_up_in_the_database(database: Database) -> None:
    with database.session() as session:
        bulk_insert(
            session,
            "opportunity",
            [
                {
                    "id": OPPORTUNITY,
                    "account_id": ACCOUNT,
                    "owner_id": USERS[0]["id"],
                    "name": "Renovación",
                    "amount": 650000,
                    "currency": "EUR",
                }
            ],
            now=NOW,
        )
        owner = load_shown_value(session, "account", ACCOUNT, "owner_id", USERS[1]["id"])
        amount = load_shown_value(session, "opportunity", OPPORTUNITY, "amount", 700000)
        gone = load_shown_value(session, "account", ACCOUNT, "owner_id", "no-such-user")
        odd = load_shown_value(session, "account", ACCOUNT, "no_such_field", {"a": 1})
    assert show_value(owner) == "Luis Pérez"
    assert show_value(amount) == money("7000", "EUR", "en")
    assert show_value(gone) == "no-such-user"
    assert show_value(odd) == '{"a": 1}'


def conflict_item(number: int, **changes: Any) -> ConflictItem:
    row = ConflictRow(
        id=f"c{number}",
        entity="account",
        record_id=ACCOUNT,
        record_title=f"Ferretería {number:03d} S.L.",
        field="city",
        kept_value="Huesca",
        lost_value="Teruel",
        kept_by="Luis Pérez",
        lost_by="Ana García",
        kept_by_id=str(USERS[1]["id"]),
        lost_by_id=str(USERS[0]["id"]),
        reason="concurrent_edit",
        occurred_at=NOW,
        resolved=False,
    )
    row = ConflictRow(**{**row.__dict__, **changes})
    return ConflictItem(
        row,
        ShownValue("account", row.field, FieldType.TEXT, row.kept_value),
        ShownValue("account", row.field, FieldType.TEXT, row.lost_value),
    )


def test_the_conflicts_model(qtmodeltester: Any) -> None:
    model = ConflictsModel()
    qtmodeltester.check(model)  # empty
    items = [
        conflict_item(1),
        conflict_item(2, kept_by=None, kept_by_id=None, record_title=None),
        conflict_item(3, lost_value="Calle Mayor 1\nBajo", field="address"),
    ]
    model.set_items(items, user_id=str(USERS[0]["id"]))
    qtmodeltester.check(model)
    rows = [[model.index(r, c).data() for c in range(7)] for r in range(3)]
    when = rows[0][6]
    assert rows[0] == [
        "Account · Ferretería 001 S.L.",
        "City",
        "Huesca",
        "Luis Pérez",
        "Teruel",
        "You",
        when,
    ]
    assert rows[1][0] == "Account" and rows[1][3] == "Someone"
    assert rows[2][1:5:3] == ["Address", "Calle Mayor 1 …"]
    assert model.index(2, 4).data(Qt.ItemDataRole.ToolTipRole) == "Calle Mayor 1\nBajo"
    assert model.index(0, 0).data(ITEM_ROLE) is items[0]
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_the_refused_changes_model(qtmodeltester: Any) -> None:
    def item(op: str, field: str | None, value: Any, code: str, message: str | None) -> Any:
        row = RejectedRow(1, "account", ACCOUNT, op, field, value, code, message, NOW)
        kind = FieldType.TEXT if field else None
        return RejectedItem(row, ShownValue("account", field or "", kind, value), "Óptica 001")

    model = RejectedModel()
    model.set_items(
        [
            item("set", "city", "Soria", "forbidden", "records can only be assigned…"),
            item("delete", None, None, "not_found", None),
            item("set", "name", "x", "brand_new_code", "the server's own words"),
        ]
    )
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(4)] == [
        "Account · Óptica 001",
        "City",
        "Soria",
        "You are not allowed to make this change.",
    ]
    assert model.index(1, 1).data() == "Deletion"
    assert model.index(2, 3).data() == "the server's own words"
    set_language("es")
    model.retranslate()
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Motivo del rechazo"
    assert model.index(1, 1).data() == "Eliminación"


def test_conflict_times_read_like_every_other_list() -> None:
    from sfa_desktop.ui.account_page.display import show_datetime
    from sfa_desktop.ui.sync.conflicts_model import moment

    when = dt.datetime(2026, 11, 25, 13, 45, tzinfo=dt.UTC)
    set_language("es")
    try:
        shown = moment(when)
        assert shown == show_datetime(when)
        assert "nov 2026" in shown and "/" not in shown  # "25 nov 2026, 14:45", not "25/11/26"
    finally:
        set_language("en")
