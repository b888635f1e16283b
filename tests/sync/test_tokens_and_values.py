"""Token storage (keyring or memory, never a file) and command-line value parsing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from keyring.backends import fail

from sfa_desktop.cli.values import format_money, parse_value, parse_values, split_assignments
from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.sync.tokens import SERVICE, TokenStore
from sfa_desktop.sync.transport import normalize_server_url
from sync_server.protocol.catalog import CATALOG

from .harness import MemoryKeyring


def test_tokens_go_to_the_keyring_under_server_and_email() -> None:
    backend = MemoryKeyring()
    store = TokenStore(backend)
    assert store.persistent
    assert store.save("https://sfa.example.com", "Ana@Example.com", "t0k3n") is True
    assert backend.entries == {(SERVICE, "https://sfa.example.com ana@example.com"): "t0k3n"}
    assert TokenStore(backend).load("https://sfa.example.com", "ana@example.com") == "t0k3n"
    store.delete("https://sfa.example.com", "ana@example.com")
    store.delete("https://sfa.example.com", "ana@example.com")  # twice is fine
    assert backend.entries == {}


def test_without_a_keyring_the_token_lives_in_memory_for_this_run() -> None:
    store = TokenStore(fail.Keyring())
    assert not store.persistent
    assert store.save("https://sfa.example.com", "ana@example.com", "t0k3n") is False
    assert store.load("https://sfa.example.com", "ana@example.com") == "t0k3n"
    assert TokenStore(fail.Keyring()).load("https://sfa.example.com", "ana@example.com") is None


def test_server_addresses_are_normalized() -> None:
    assert normalize_server_url("sfa.example.com/") == "https://sfa.example.com"
    assert normalize_server_url("http://127.0.0.1:8765/api/v1") == "http://127.0.0.1:8765"


def test_values_typed_on_the_command_line() -> None:
    opportunity = CATALOG["opportunity"]
    values, errors = parse_values(
        opportunity,
        split_assignments(
            ["amount=1250.5", "probability=40", "expected_close_date=2026-12-31", "name=X"]
        ),
    )
    assert errors == []
    assert values == {
        "amount": 125050,
        "probability": 40,
        "expected_close_date": dt.date(2026, 12, 31),
        "name": "X",
    }
    account = CATALOG["account"]
    assert parse_value(account.field("tags"), "a, b,,c") == (["a", "b", "c"],)
    assert parse_value(account.field("latitude"), "41,65") == (41.65,)
    assert parse_value(account.field("notes"), "") == (None,)
    contact = CATALOG["contact"]
    assert parse_value(contact.field("marketing_consent"), "sí") == (True,)
    consent = parse_value(contact.field("consent_at"), "2026-11-25T09:30Z")[0]
    assert consent == dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
    line = CATALOG["quote_line"]
    assert parse_value(line.field("discount_pct"), "12.5") == (Decimal("12.5"),)
    assert format_money(125050, "EUR") == "1250.50"
    assert format_money(1250, "JPY") == "1250"


@pytest.mark.parametrize(
    ("entity", "field", "text", "code"),
    [
        ("contact", "consent_at", "2026-11-25T09:30", "naive_datetime"),
        ("visit", "follow_up_date", "25/11/2026", "invalid_date"),
        ("opportunity", "amount", "12.345", "invalid_money"),
        ("opportunity", "probability", "lots", "invalid_number"),
        ("contact", "marketing_consent", "maybe", "invalid_value"),
    ],
)
def test_bad_values_are_reported_with_a_code(entity: str, field: str, text: str, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_value(CATALOG[entity].field(field), text)
    assert (caught.value.field, caught.value.code) == (field, code)
