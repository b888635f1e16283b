"""Generating in a child process gives the very same batches, and cleans up after itself."""

from __future__ import annotations

import multiprocessing

import pytest

from sfa_desktop.demo.background import generate_in_background
from sfa_desktop.demo.generator import generate

from .conftest import TODAY


def test_background_batches_equal_the_direct_ones() -> None:
    direct = list(generate(accounts=40, today=TODAY))
    assert list(generate_in_background(accounts=40, today=TODAY)) == direct
    assert multiprocessing.active_children() == []


def test_a_failure_in_the_child_is_raised_in_the_parent() -> None:
    with pytest.raises(RuntimeError, match="at least one rep"):
        list(generate_in_background(accounts=5, reps=0, today=TODAY))
    assert multiprocessing.active_children() == []


def test_closing_early_stops_the_child() -> None:
    batches = generate_in_background(accounts=3_000, today=TODAY)
    entity, _ = next(batches)
    assert entity == "user"
    batches.close()
    assert multiprocessing.active_children() == []
