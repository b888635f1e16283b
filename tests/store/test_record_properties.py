"""Property tests: the store accepts exactly what the sync protocol accepts, and stores it exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from sfa_desktop.store.errors import InvalidRecord
from sfa_desktop.store.repositories.record_values import record_checker
from sfa_desktop.store.repositories.records import get_record, insert_record
from sync_server.protocol.catalog import CATALOG, ENTITIES, FieldSpec, FieldType
from sync_server.protocol.values import ValueRejected, check_wire_value, to_python, to_wire

from .conftest import NOW, add_user

FIELDS = [
    (entity.name, field)
    for entity in ENTITIES
    for field in entity.fields
    if field.type is not FieldType.JSON
]

values = st.one_of(
    st.none(),
    st.text(max_size=250),
    st.sampled_from(["prospect", "draft", "0192f1c2-3b4a-7c5d-8e6f-0123456789ab", "", " "]),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.booleans(),
    st.floats(),
    st.decimals(),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(dt.UTC)),
    st.lists(st.text(max_size=70), max_size=5),
)


def python_type_fits(field: FieldSpec, value: Any) -> bool:
    """The Python types the store documents for each catalog type."""
    number = isinstance(value, int) and not isinstance(value, bool)
    match field.type:
        case FieldType.TEXT | FieldType.REF | FieldType.ENUM:
            return isinstance(value, str)
        case FieldType.INT | FieldType.MONEY:
            return number
        case FieldType.FLOAT:
            return number or isinstance(value, float)
        case FieldType.BOOL:
            return isinstance(value, bool)
        case FieldType.DECIMAL:
            return number or isinstance(value, Decimal)
        case FieldType.DATE:
            return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        case FieldType.DATETIME:
            return isinstance(value, dt.datetime) and value.utcoffset() is not None
        case FieldType.TAGS:
            return isinstance(value, list) and all(isinstance(t, str) for t in value)
    raise AssertionError(field.type)


def protocol_accepts(field: FieldSpec, value: Any) -> bool:
    if value is not None and not python_type_fits(field, value):
        return False
    try:
        check_wire_value(field, to_wire(field, value))
    except ValueRejected:
        return False
    return True


@given(st.sampled_from(FIELDS), values)
def test_store_accepts_exactly_what_the_protocol_accepts(
    entity_field: tuple[str, FieldSpec], value: Any
) -> None:
    entity, field = entity_field
    checker = record_checker(CATALOG[entity])
    try:
        got = checker.check(field.name, value)
    except InvalidRecord as exc:
        assert exc.field == field.name
        assert not protocol_accepts(field, value)
    else:
        assert protocol_accepts(field, value)
        assert got == to_python(field, check_wire_value(field, to_wire(field, value)))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.text(min_size=1, max_size=200).filter(lambda s: s.strip() and "\x00" not in s),
    tags=st.lists(st.text(max_size=60), max_size=5),
    latitude=st.floats(allow_nan=False, allow_infinity=False) | st.none(),
    cadence=st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1),
)
def test_accounts_round_trip_through_the_file(
    session: Session, name: str, tags: list[str], latitude: float | None, cadence: int
) -> None:
    owner = add_user(session, rep_code="P")
    values = {"name": name, "owner_id": owner, "tags": tags, "latitude": latitude}
    values["visit_cadence_days"] = cadence
    record_id = insert_record(session, "account", values, now=NOW)
    stored = get_record(session, "account", record_id)
    assert stored is not None
    assert stored["name"] == name
    assert stored["tags"] == check_wire_value(CATALOG["account"].field("tags"), tags)
    assert stored["latitude"] == latitude
    assert stored["visit_cadence_days"] == cadence


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    quantity=st.decimals(
        allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9
    ),
    when=st.datetimes(
        min_value=dt.datetime(1970, 1, 1),
        max_value=dt.datetime(2200, 1, 1),
        timezones=st.just(dt.UTC),
    ),
)
def test_decimals_and_datetimes_are_exact(
    session: Session, quantity: Decimal, when: dt.datetime
) -> None:
    quote_line = insert_record(
        session,
        "quote_line",
        {
            "quote_id": "0192f1c2-3b4a-7c5d-8e6f-0123456789ab",
            "description": "x",
            "quantity": quantity,
            "unit_price": 1,
        },
        now=when,
        check_refs=False,
    )
    stored = get_record(session, "quote_line", quote_line)
    assert stored is not None
    assert stored["quantity"] == quantity
    assert stored["created_at"] == when
