"""Client and server apply one definition of a valid value (Hypothesis).

For every formatted field: whatever the app accepts (and would push, in canonical form) the
server accepts unchanged; whatever the server accepts from a raw push the app accepts too,
giving the same stored value. The app side is the real edit check
(:func:`check_record_changes`); the server side is what a push runs on each value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError
from sfa_desktop.domain.validation import cif_control, nie_check_letter, nif_check_letter
from sfa_desktop.services.record_rules import check_record_changes
from sfa_desktop.store.database import open_database
from sync_server.protocol.catalog import ACCOUNT, OPPORTUNITY, QUOTE_LINE, EntitySpec
from sync_server.protocol.field_rules import check_field_rules
from sync_server.protocol.values import ValueRejected, check_wire_value, to_wire

RULES = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    database = open_database(tmp_path_factory.mktemp("rules") / "sfa.sqlite3")
    with database.session() as session:
        yield session
    database.close()


def _client(
    session: Session, spec: EntitySpec, name: str, value: Any, record: Mapping[str, Any]
) -> tuple[bool, Any]:
    """(accepted, wire value the app would push)."""
    current = {f.name: record.get(f.name) for f in spec.fields}
    try:
        checked = check_record_changes(session, spec, current, {name: value})
    except DomainError:
        return False, None
    return True, to_wire(spec.field(name), checked.get(name))


def _server(spec: EntitySpec, name: str, value: Any, record: Mapping[str, Any]) -> tuple[bool, Any]:
    """(accepted, stored value) for a pushed ``value``."""
    field = spec.field(name)
    try:
        wire = check_wire_value(field, value)
        return True, check_field_rules(field, wire, record={**record, name: wire})
    except ValueRejected:
        return False, None


def _agree(
    session: Session, spec: EntitySpec, name: str, typed: Any, record: Mapping[str, Any]
) -> None:
    accepted, pushed = _client(session, spec, name, typed, record)
    if accepted:
        assert _server(spec, name, pushed, record) == (True, pushed), (typed, pushed)
    raw = str(typed) if isinstance(typed, Decimal) else typed  # what a raw push may carry
    stored_ok, stored = _server(spec, name, raw, record)
    if stored_ok:
        assert (accepted, pushed) == (True, stored), (typed, stored)


def _dni(number: int) -> str:
    return f"{number:08d}{nif_check_letter(number)}"


TAX_IDS = (
    st.integers(0, 99_999_999).map(_dni)
    | st.integers(0, 9_999_999).map(lambda n: f"X{n:07d}{nie_check_letter('X', n)}")
    | st.tuples(st.sampled_from("ABPQ"), st.integers(0, 9_999_999)).map(
        lambda p: f"{p[0]}-{p[1]:07d} {cif_control(p[0], p[1])}"
    )
    | st.from_regex(r"(ES)?[A-Z0-9 .\-]{0,14}", fullmatch=True)
    | st.text(max_size=22)
)
EMAILS = st.emails() | st.from_regex(r"[a-zA-Z.@ ]{0,20}", fullmatch=True) | st.text(max_size=30)
PHONES = (
    st.from_regex(r"(\+|00)?(34|33|1|44)? ?[6-9][0-9 ]{7,12}", fullmatch=True)
    | st.from_regex(r"[0-9+() \-]{0,20}", fullmatch=True)
    | st.text(max_size=20)
)
URLS = st.from_regex(
    r"((https?|ftp|javascript)://)?(user@)?[a-zA-Z0-9\-]{1,10}(\.[a-zA-Z]{1,4}){0,2}"
    r"(:[0-9]{1,6})?(/[A-Za-z ]{0,6})?",
    fullmatch=True,
) | st.text(max_size=30)
DECIMALS = (
    st.decimals(allow_nan=False, allow_infinity=False)
    | st.decimals(min_value=-200, max_value=200, places=7)
    | st.integers(-(10**13), 10**13).map(Decimal)
)


@given(value=EMAILS, field=st.sampled_from(["email"]))
@example(value="not-an-email", field="email")
@example(value=" Compras@Example.COM ", field="email")
@RULES
def test_emails(session: Session, value: str, field: str) -> None:
    _agree(session, ACCOUNT, field, value, {"country": "ES"})


@given(value=PHONES, country=st.sampled_from(["ES", "FR", "US"]))
@example(value="abc", country="ES")
@example(value="+34 976 12 34 56", country="FR")
@RULES
def test_phones(session: Session, value: str, country: str) -> None:
    _agree(session, ACCOUNT, "phone", value, {"country": country})


@given(value=URLS)
@example(value="javascript:alert(1)")
@example(value="example.com/" + "a" * 285)
@RULES
def test_websites(session: Session, value: str) -> None:
    _agree(session, ACCOUNT, "website", value, {"country": "ES"})


@given(value=TAX_IDS, country=st.sampled_from(["ES", "FR", "PT"]))
@example(value="b-1234567 4", country="ES")
@example(value="ESB12345674", country="FR")
@RULES
def test_tax_ids(session: Session, value: str, country: str) -> None:
    _agree(session, ACCOUNT, "tax_id", value, {"country": country})


@given(value=st.text(max_size=4), field=st.sampled_from(["country"]))
@RULES
def test_countries(session: Session, value: str, field: str) -> None:
    _agree(session, ACCOUNT, field, value, {"country": "ES"})


@given(value=st.text(max_size=4) | st.sampled_from(["eur", "USD", "QQQ", " gbp "]))
@RULES
def test_currencies(session: Session, value: str) -> None:
    _agree(session, OPPORTUNITY, "currency", value, {})


@given(value=DECIMALS, field=st.sampled_from(["quantity", "discount_pct", "tax_rate_pct"]))
@example(value=Decimal("1e-999999"), field="quantity")
@example(value=Decimal("100.000001"), field="discount_pct")
@RULES
def test_decimals(session: Session, value: Decimal, field: str) -> None:
    _agree(session, QUOTE_LINE, field, value, {})


@given(
    value=st.floats(allow_nan=False, allow_infinity=False),
    field=st.sampled_from(["latitude", "longitude"]),
)
@RULES
def test_coordinates(session: Session, value: float, field: str) -> None:
    _agree(session, ACCOUNT, field, value, {"country": "ES"})


@given(value=st.integers(-(2**40), 2**40), field=st.sampled_from(["visit_cadence_days"]))
@RULES
def test_bounded_integers(session: Session, value: int, field: str) -> None:
    _agree(session, ACCOUNT, field, value, {"country": "ES"})
