"""The entity catalog is coherent, and changing it forces a schema version bump."""

from __future__ import annotations

from sync_server.protocol.catalog import (
    CATALOG,
    ENTITIES,
    FieldType,
    ScopeRule,
    children_of,
    scope_root,
)
from sync_server.protocol.ids import uuid7
from sync_server.protocol.versions import SCHEMA_VERSION, catalog_fingerprint

#: Update together with SCHEMA_VERSION whenever the catalog changes (and add a migration).
PINNED = {
    1: "f5d8394eadd8832c",
    2: "c119e6d0bce789e4",
    3: "ac6fd051996d039f",
    4: "0b8ba7e573433ad2",
    5: "dd2100674f86a196",
}


def test_catalog_change_requires_schema_bump() -> None:
    assert PINNED.get(SCHEMA_VERSION) == catalog_fingerprint(), (
        "The entity catalog changed: bump SCHEMA_VERSION, pin the new fingerprint here and "
        "write the client and server migrations."
    )


def test_every_reference_points_to_a_known_entity() -> None:
    for spec in ENTITIES:
        for f in spec.fields:
            if f.type is FieldType.REF and f.ref is not None:
                assert f.ref in CATALOG, f"{spec.name}.{f.name} -> {f.ref}"
            if f.type is FieldType.ENUM:
                assert f.choices and (f.default is None or f.default in f.choices)
            if f.type is FieldType.MONEY:
                assert f.currency_field


def test_parents_come_before_children_and_scopes_resolve() -> None:
    order = [e.name for e in ENTITIES]
    for spec in ENTITIES:
        if spec.scope is ScopeRule.PARENT:
            parent = spec.field(spec.scope_field or "").ref or ""
            assert order.index(parent) < order.index(spec.name)
            assert scope_root(spec).scope is not ScopeRule.PARENT
        elif spec.scope is ScopeRule.OWNER:
            assert spec.field(spec.scope_field or "").ref == "user"
    assert {c.name for c in children_of("account")} == {"contact", "visit", "opportunity", "quote"}
    assert scope_root(CATALOG["quote_line"]).name == "account"


def test_server_managed_entities() -> None:
    managed = {e.name for e in ENTITIES if e.server_managed}
    assert managed == {"user", "product", "price_list", "price_list_item", "quota", "company"}
    assert not CATALOG["conflict"].client_may_write("lost_value")
    assert CATALOG["conflict"].client_may_write("resolved")


def test_uuid7_is_time_ordered_and_versioned() -> None:
    a = uuid7(unix_ms=1_000, rand=bytes(10))
    b = uuid7(unix_ms=1_001, rand=b"\xff" * 10)
    assert a.version == 7 and b.version == 7 and str(a) < str(b)


def test_stage_history_hangs_from_the_opportunity_and_is_read_only() -> None:
    spec = CATALOG["opportunity_stage_change"]
    assert [c.name for c in children_of("opportunity")] == ["opportunity_stage_change"]
    assert scope_root(spec).name == "account"
    authority = spec.authority
    assert authority is not None and authority.frozen_after_create
    assert authority.frozen_code == "history_read_only"
    assert authority.actor_fields == {"changed_by_id"}
    opportunity = CATALOG["opportunity"].authority
    assert opportunity is not None and opportunity.status is not None
    assert opportunity.status.reasons == (("closed_lost", "lost_reason"),)
