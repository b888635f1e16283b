"""Hybrid logical clock: monotonic, merges remote stamps, clamps stamps from the future."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync_server.protocol.hlc import (
    DEFAULT_MAX_DRIFT_MS,
    HybridLogicalClock,
    InvalidStamp,
    Stamp,
    clamp,
)


class FakeWall:
    def __init__(self, ms: int) -> None:
        self.ms = ms

    def __call__(self) -> int:
        return self.ms


def test_text_form_sorts_like_the_stamp() -> None:
    a, b = Stamp(1_000, 5, "dev-b"), Stamp(1_000, 12, "dev-a")
    assert a < b and str(a) < str(b)
    assert Stamp.parse(str(a)) == a


_NODES = st.from_regex(r"[A-Za-z0-9_.:\-]{1,64}", fullmatch=True)


@given(st.integers(0, 10**15 - 1), st.integers(0, 999_999), _NODES, st.sampled_from(["", "\n"]))
def test_a_parsed_stamp_writes_the_text_its_parts_make(
    wall_ms: int, counter: int, node: str, tail: str
) -> None:
    made = Stamp(wall_ms, counter, node)
    parsed = Stamp.parse(f"{wall_ms:015d}-{counter:06d}-{node}{tail}")
    assert parsed == made
    assert str(parsed) == str(made) == f"{wall_ms:015d}-{counter:06d}-{node}"


@pytest.mark.parametrize("bad", ["", "x", "123-000001-dev", "000000000001000-1-dev", None, 5])
def test_parse_rejects_garbage(bad: object) -> None:
    with pytest.raises(InvalidStamp):
        Stamp.parse(bad)  # type: ignore[arg-type]


def test_now_is_monotonic_when_the_wall_clock_goes_back() -> None:
    wall = FakeWall(10_000)
    clock = HybridLogicalClock("dev", wall=wall)
    first = clock.now()
    wall.ms = 5_000  # the OS clock was set back an hour
    second = clock.now()
    assert second > first and second.wall_ms == 10_000 and second.counter == 1


def test_observe_moves_past_a_remote_stamp() -> None:
    clock = HybridLogicalClock("a", wall=FakeWall(1_000))
    after = clock.observe(Stamp(2_000, 7, "b"))
    assert after > Stamp(2_000, 7, "b")
    assert clock.now() > after


def test_stamps_too_far_ahead_are_clamped() -> None:
    clock = HybridLogicalClock("a", wall=FakeWall(1_000))
    merged = clock.observe(Stamp(10**12, 0, "liar"))
    assert merged.wall_ms == 1_000 + DEFAULT_MAX_DRIFT_MS
    assert clamp(Stamp(50, 3, "x"), 100) == Stamp(50, 3, "x")


def test_clock_restarts_from_its_last_stamp() -> None:
    clock = HybridLogicalClock("a", wall=FakeWall(0), last=Stamp(9_000, 4, "a"))
    assert clock.now() == Stamp(9_000, 5, "a")


def test_bad_node_id_is_refused() -> None:
    with pytest.raises(ValueError):
        HybridLogicalClock("has space")


@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("tick"), st.integers(0, 10**6)),
            st.tuples(st.just("recv"), st.integers(0, 10**6), st.integers(0, 50)),
        ),
        max_size=60,
    )
)
def test_every_stamp_is_later_than_all_before_it(events: list[tuple[int, ...]]) -> None:
    wall = FakeWall(0)
    clock = HybridLogicalClock("me", wall=wall)
    seen: list[Stamp] = []
    for event in events:
        wall.ms = int(event[1])
        if event[0] == "tick":
            stamp = clock.now()
        else:
            remote = Stamp(int(event[1]) + 10, int(event[2]), "peer")
            stamp = clock.observe(remote)
            assert stamp > clamp(remote, wall.ms)
        assert all(stamp > s for s in seen)
        seen.append(stamp)
