"""The kill switch behind ``SFA_FAULT`` / ``SFA_SERVER_FAULT``: what it accepts, and that it
kills at the nth arrival only (in a child process)."""

from __future__ import annotations

import pytest

from sfa_desktop.sync import faults as client_faults
from sync_server import faults as server_faults
from sync_server.protocol.faults import KillSwitch, parse

from .child import SfaRunner, pass_point

POINTS = frozenset({"a.b", "c.d"})  # as in child.pass_point


def test_the_variable_names_a_point_and_how_many_times_it_is_passed() -> None:
    assert parse("a.b", POINTS) == ("a.b", 1)
    assert parse(" c.d:3 ", POINTS) == ("c.d", 3)
    for wrong in ("a.x", "a.b:0", "a.b:-1", "a.b:two", ""):
        with pytest.raises(ValueError):
            parse(wrong, POINTS)


def test_each_side_declares_its_points() -> None:
    assert (client_faults.ENV_VAR, server_faults.ENV_VAR) == ("SFA_FAULT", "SFA_SERVER_FAULT")
    assert {"push.after_send", "pull.mid_page"} <= client_faults.POINTS
    assert sorted(server_faults.POINTS) == ["push.after_commit", "push.before_commit"]


def test_without_the_variable_nothing_happens(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SFA_TEST_SWITCH", raising=False)
    switch = KillSwitch("SFA_TEST_SWITCH", POINTS)
    for _ in range(3):
        switch.reached("a.b")


@pytest.mark.parametrize(
    ("point", "times", "exitcode"), [("a.b", 2, 0), ("c.d", 5, 0), ("a.b", 3, -9)]
)
def test_the_process_dies_by_sigkill_at_the_nth_arrival(
    point: str, times: int, exitcode: int, sfa_runner: SfaRunner
) -> None:
    process = sfa_runner.context.Process(target=pass_point, args=(point, times))
    process.start()
    process.join(30)
    assert process.exitcode == exitcode
