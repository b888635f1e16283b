"""The ORM models match the entity catalog, field by field."""

from __future__ import annotations

import pytest
from sqlalchemy import JSON, Boolean, Date, Float, Integer, String, Table

from sfa_desktop.store.models import MODEL_BY_ENTITY, SYNCED_MODELS
from sfa_desktop.store.models.base import ID_LENGTH
from sfa_desktop.store.models.local import AppMeta
from sfa_desktop.store.search import ACCOUNT_SEARCH_COLUMNS, CONTACT_SEARCH_COLUMNS
from sfa_desktop.store.types import ExactDecimal, UTCDateTime
from sync_server.protocol.catalog import (
    CATALOG,
    COMMON_FIELDS,
    ENTITIES,
    EntitySpec,
    FieldSpec,
    FieldType,
)

LOCAL_ONLY = {"account": {"search_text"}, "contact": {"search_text"}}


def expected_type(spec: FieldSpec) -> type:
    return {
        FieldType.TEXT: String,
        FieldType.INT: Integer,
        FieldType.MONEY: Integer,
        FieldType.FLOAT: Float,
        FieldType.BOOL: Boolean,
        FieldType.DECIMAL: ExactDecimal,
        FieldType.DATE: Date,
        FieldType.DATETIME: UTCDateTime,
        FieldType.REF: String,
        FieldType.ENUM: String,
        FieldType.TAGS: JSON,
        FieldType.JSON: JSON,
    }[spec.type]


def table_of(entity: str) -> Table:
    table = MODEL_BY_ENTITY[entity].__table__
    assert isinstance(table, Table)
    return table


def test_every_catalog_entity_has_exactly_one_model() -> None:
    assert set(MODEL_BY_ENTITY) == set(CATALOG)
    assert len(SYNCED_MODELS) == len(ENTITIES)
    for name, model in MODEL_BY_ENTITY.items():
        assert model.entity_name == name


@pytest.mark.parametrize("spec", ENTITIES, ids=lambda e: e.name)
def test_columns_match_the_catalog_fields(spec: EntitySpec) -> None:
    table = table_of(spec.name)
    fields = (*COMMON_FIELDS, *spec.fields)
    expected_names = {f.name for f in fields} | LOCAL_ONLY.get(spec.name, set())
    assert set(table.columns.keys()) == expected_names
    for field in fields:
        column = table.c[field.name]
        assert isinstance(column.type, expected_type(field)), (field.name, column.type)
        if field.name != "id":
            assert column.nullable is (not field.required), field.name
        if field.type is FieldType.TEXT:
            assert isinstance(column.type, String)
            assert column.type.length == field.max_length, field.name
        if field.type is FieldType.REF:
            assert isinstance(column.type, String)
            assert column.type.length == ID_LENGTH
        if field.type is FieldType.ENUM:
            assert isinstance(column.type, String) and column.type.length is not None
            assert all(len(choice) <= column.type.length for choice in field.choices)
    assert [c.name for c in table.primary_key.columns] == ["id"]


def test_no_foreign_keys_on_synced_tables() -> None:
    # Records may arrive from sync in any order: see models/base.py.
    for model in SYNCED_MODELS:
        assert not model.__table__.foreign_keys, model.__tablename__


def test_search_columns_cover_the_catalogs_searchable_fields() -> None:
    for entity, columns in (
        ("account", ACCOUNT_SEARCH_COLUMNS),
        ("contact", CONTACT_SEARCH_COLUMNS),
    ):
        searchable = {f.name for f in CATALOG[entity].fields if f.searchable}
        assert searchable <= set(columns)


def test_app_meta_is_a_local_table() -> None:
    assert AppMeta.__tablename__ == "app_meta"
    assert "app_meta" not in {m.__tablename__ for m in SYNCED_MODELS}
