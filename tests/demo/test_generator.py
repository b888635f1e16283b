"""The demo generator's contract: deterministic, catalog-valid, referentially sound, streamed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest

from sfa_desktop.demo.generator import BATCH_SIZE, demo_user_id, generate
from sync_server.protocol.catalog import (
    CATALOG,
    COMMON_FIELD_NAMES,
    COMMON_FIELDS,
    ENTITIES,
    FieldType,
)
from sync_server.protocol.values import check_wire_value, to_wire

from .conftest import SMALL_ACCOUNTS, TODAY, Rows, collect

_PYTHON_TYPES: dict[FieldType, tuple[type, ...]] = {
    FieldType.TEXT: (str,),
    FieldType.INT: (int,),
    FieldType.MONEY: (int,),
    FieldType.FLOAT: (float,),
    FieldType.BOOL: (bool,),
    FieldType.DECIMAL: (Decimal,),
    FieldType.DATE: (dt.date,),
    FieldType.DATETIME: (dt.datetime,),
    FieldType.REF: (str,),
    FieldType.ENUM: (str,),
    FieldType.TAGS: (list,),
    FieldType.JSON: (dict, list),  # a saved segment's definition
}


def _digest(**kwargs: Any) -> str:
    digest = hashlib.sha256()
    for entity, rows in generate(**kwargs):
        spec = CATALOG[entity]
        fields = (*COMMON_FIELDS, *spec.fields)
        for row in rows:
            wire = {f.name: to_wire(f, row[f.name]) for f in fields}
            digest.update(entity.encode())
            digest.update(json.dumps(wire, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def test_same_arguments_give_identical_data() -> None:
    first = _digest(accounts=SMALL_ACCOUNTS, today=TODAY)
    assert _digest(accounts=SMALL_ACCOUNTS, today=TODAY) == first
    assert _digest(accounts=SMALL_ACCOUNTS, today=TODAY, seed=7) != first
    assert _digest(accounts=SMALL_ACCOUNTS, today=TODAY + dt.timedelta(days=1)) != first


def test_accounts_do_not_depend_on_the_visit_volume() -> None:
    few, _ = collect(generate(accounts=30, today=TODAY, visits_per_account=1))
    many, _ = collect(generate(accounts=30, today=TODAY, visits_per_account=12))
    assert few["account"] == many["account"]
    assert few["contact"] == many["contact"]
    assert len(many["visit"]) > 4 * len(few["visit"])


def test_every_row_has_exactly_the_catalog_fields_with_python_types(small: Rows) -> None:
    for entity, rows in small.items():
        spec = CATALOG[entity]
        expected = COMMON_FIELD_NAMES | set(spec.field_names)
        for row in rows:
            assert set(row) == expected, entity
            assert row["deleted_at"] is None
            for f in spec.fields:
                value = row[f.name]
                if value is not None:
                    assert isinstance(value, _PYTHON_TYPES[f.type]), (entity, f.name, value)
                    if f.type is FieldType.DATE:
                        assert not isinstance(value, dt.datetime)
                    if isinstance(value, dt.datetime):
                        assert value.utcoffset() == dt.timedelta(0)
                    if f.type in (FieldType.INT, FieldType.MONEY):
                        assert not isinstance(value, bool)


def test_every_value_passes_the_wire_check(small: Rows) -> None:
    for entity, rows in small.items():
        spec = CATALOG[entity]
        for row in rows:
            for f in (*COMMON_FIELDS, *spec.fields):
                check_wire_value(f, to_wire(f, row[f.name]))


def test_every_reference_points_to_an_earlier_record_of_the_right_entity(
    small_stream: list[tuple[str, list[dict[str, Any]]]],
) -> None:
    seen: dict[str, set[str]] = {}
    for entity, rows in small_stream:
        spec = CATALOG[entity]
        refs = [f for f in spec.fields if f.type is FieldType.REF and f.ref]
        for row in rows:
            for f in refs:
                value = row[f.name]
                if value is not None:
                    assert value in seen.get(f.ref or "", set()), (entity, f.name)
            seen.setdefault(entity, set()).add(row["id"])


def test_ids_are_unique_uuid7_matching_creation_time(small: Rows) -> None:
    ids = [row["id"] for rows in small.values() for row in rows]
    assert len(ids) == len(set(ids))
    for rows in small.values():
        for row in rows:
            parsed = uuid.UUID(row["id"])
            assert parsed.version == 7
            assert parsed.int >> 80 == int(row["created_at"].timestamp() * 1000)


def test_timestamps_are_consistent_and_not_in_the_future(small: Rows) -> None:
    now = dt.datetime(2026, 11, 25, 6, 45, tzinfo=dt.UTC)  # 07:45 in Madrid
    for entity, rows in small.items():
        for row in rows:
            assert row["created_at"] <= row["updated_at"] <= now, entity


def test_batches_are_bounded_and_parents_come_first() -> None:
    _, order = collect(generate(accounts=2_500, today=TODAY, visits_per_account=4))
    assert all(0 < size <= BATCH_SIZE for _, size in order)
    first_seen: dict[str, int] = {}
    for position, (entity, _) in enumerate(order):
        first_seen.setdefault(entity, position)
    names = [e.name for e in ENTITIES if e.name in first_seen]
    assert sorted(names, key=first_seen.__getitem__) == names
    assert sum(size for entity, size in order if entity == "account") == 2_500
    assert len([e for e, _ in order if e == "account"]) >= 3  # streamed in chunks


def test_volumes_follow_the_options() -> None:
    rows, _ = collect(
        generate(accounts=400, today=TODAY, visits_per_account=10, contacts_per_account=2)
    )
    assert len(rows["account"]) == 400
    assert 0.9 * 4_000 <= len(rows["visit"]) <= 1.1 * 4_000 + 20
    assert 0.9 * 800 <= len(rows["contact"]) <= 1.1 * 800
    assert "conflict" not in rows


def test_zero_accounts_still_gives_the_reference_data() -> None:
    rows, _ = collect(generate(accounts=0, today=TODAY))
    assert {"user", "product", "price_list", "price_list_item", "quota"} <= set(rows)
    assert "account" not in rows


@pytest.mark.parametrize("reps", [1, 2, 9])
def test_any_team_size_works(reps: int) -> None:
    rows, _ = collect(generate(accounts=40, today=TODAY, reps=reps))
    owners = {a["owner_id"] for a in rows["account"]}
    me = demo_user_id(today=TODAY, reps=reps)
    assert me in owners
    assert sum(1 for u in rows["user"] if u["role"] == "rep") == reps


def test_negative_volumes_are_refused() -> None:
    with pytest.raises(ValueError):
        next(generate(accounts=-1, today=TODAY))
    with pytest.raises(ValueError):
        next(generate(accounts=1, reps=0, today=TODAY))
