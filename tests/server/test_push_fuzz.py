"""Random pushes never break the server (a bounded property test on both databases).

Mutations mostly carry values of the right type for their field (so they reach the merge,
conflict, delete and reassignment paths), sometimes arbitrary JSON; every mutation must get
exactly one answer and the server must never fail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sync_server.protocol.catalog import CATALOG, FieldSpec, FieldType
from sync_server.protocol.ids import new_id
from sync_server.protocol.wire import Mutation, MutationOp, MutationStatus

from .helpers import Device, build_account_tree

ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=5,
)
CLIENT_ENTITIES = [
    *("account", "contact", "visit", "opportunity", "quote", "quote_line") * 3,
    *("forecast_submission", "conflict", "product", "nonsense"),
]


def typed_value(spec: FieldSpec, ids: dict[str, str]) -> st.SearchStrategy[Any]:
    """Mostly a value of the field's type (a reference to the right kind of record)."""
    likely = ids.get(spec.ref or "")
    refs = [likely] * len(ids) if likely else []
    size = min(spec.max_length or 30, 30)
    by_type: dict[FieldType, st.SearchStrategy[Any]] = {
        FieldType.TEXT: st.text(min_size=1, max_size=size),
        FieldType.INT: st.integers(-(2**40), 2**40),
        FieldType.MONEY: st.integers(0, 10**9),
        FieldType.FLOAT: st.floats(-90, 90),
        FieldType.BOOL: st.booleans(),
        FieldType.DECIMAL: st.decimals(0, 1000, places=2).map(str),
        FieldType.DATE: st.dates().map(dt.date.isoformat),
        FieldType.DATETIME: st.datetimes(timezones=st.just(dt.UTC)).map(lambda d: d.isoformat()),
        FieldType.REF: st.sampled_from([*refs, *ids.values(), new_id()]),
        FieldType.ENUM: st.sampled_from(spec.choices or ("x",)),
        FieldType.TAGS: st.lists(st.text(max_size=10), max_size=3),
        FieldType.JSON: ANY_JSON,
    }
    return st.integers(0, 9).flatmap(lambda n: ANY_JSON if n == 0 else by_type[spec.type])


def test_random_mutations_get_one_answer_each(devices: dict[str, Device]) -> None:
    rep, manager = devices["rep_a"], devices["manager"]
    tree = build_account_tree(rep, rep.user_id)
    ids = {
        **tree,
        "user": rep.user_id,
        "rep_b": devices["rep_b"].user_id,
        "rep_c": devices["rep_c"].user_id,
    }
    seen: dict[str, int] = {}

    @st.composite
    def mutations(draw: st.DrawFn, device: Device) -> Mutation:
        entity = draw(st.sampled_from(CLIENT_ENTITIES))
        spec = CATALOG.get(entity)
        op = draw(st.sampled_from(list(MutationOp)))
        own = tree.get(entity, new_id())
        record_id = draw(st.sampled_from([own, own, own, *ids.values(), new_id()]))
        field, value = None, draw(ANY_JSON)
        if spec is not None and op is MutationOp.SET:
            field_spec = draw(st.sampled_from(spec.fields))
            field, value = field_spec.name, draw(typed_value(field_spec, ids))
        elif spec is not None and op is MutationOp.CREATE:
            record_id = new_id()
            value = {
                f.name: draw(typed_value(f, ids))
                for f in spec.fields
                if f.required or draw(st.booleans())
            }
        return device.mutation(
            op, entity, record_id, field=field, value=value, base_version=draw(st.integers(0, 8))
        )

    @st.composite
    def batches(draw: st.DrawFn) -> tuple[Device, list[Mutation]]:
        device = draw(st.sampled_from([rep, manager]))
        return device, draw(st.lists(mutations(device), min_size=1, max_size=6))

    @given(batch=batches())
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def push_them(batch: tuple[Device, list[Mutation]]) -> None:
        device, mutations = batch
        results = device.push(*mutations)
        assert [r.mutation_id for r in results] == [m.mutation_id for m in mutations]
        for result in results:
            seen[result.status] = seen.get(result.status, 0) + 1
            needs_code = result.status in (MutationStatus.REJECTED, MutationStatus.CONFLICT)
            assert (result.code is not None) == needs_code, result

    push_them()
    assert seen.get("applied", 0) > 0 and seen.get("rejected", 0) > 0
    for device in devices.values():
        device.sync()  # every scope still pulls cleanly
