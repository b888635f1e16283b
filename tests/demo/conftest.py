"""A small demo data set, generated once per test session."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pytest

from sfa_desktop.demo.generator import generate

TODAY = dt.date(2026, 11, 25)
SMALL_ACCOUNTS = 60

Rows = dict[str, list[dict[str, Any]]]


def collect(batches: Any) -> tuple[Rows, list[tuple[str, int]]]:
    """Rows per entity, and the (entity, size) of every batch in stream order."""
    rows: Rows = defaultdict(list)
    order: list[tuple[str, int]] = []
    for entity, batch in batches:
        rows[entity].extend(batch)
        order.append((entity, len(batch)))
    return dict(rows), order


@pytest.fixture(scope="session")
def small_stream() -> list[tuple[str, list[dict[str, Any]]]]:
    return list(generate(accounts=SMALL_ACCOUNTS, today=TODAY))


@pytest.fixture(scope="session")
def small(small_stream: list[tuple[str, list[dict[str, Any]]]]) -> Rows:
    return collect(small_stream)[0]


@pytest.fixture(scope="session")
def by_id(small: Rows) -> dict[str, dict[str, dict[str, Any]]]:
    """entity → id → row"""
    return {entity: {r["id"]: r for r in rows} for entity, rows in small.items()}
