"""The collector pause: off inside, back on after, however uses nest or overlap (threads)."""

from __future__ import annotations

import gc
import threading
import weakref

import pytest

from sfa_desktop.store.collector import collect_young, collector_paused


def test_off_inside_and_on_after_even_on_an_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner use did not turn it on under the outer one
        raise RuntimeError
    assert gc.isenabled()


def test_overlapping_uses_of_two_threads_never_leave_it_off() -> None:
    """The second thread's use starts inside the first one's and ends after it: the collector
    is on again once the use that turned it off ended, and stays on."""
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def second() -> None:
        first_in.wait()
        with collector_paused():
            seen.append(gc.isenabled())
            second_in.set()
            first_out.wait()
        seen.append(gc.isenabled())

    thread = threading.Thread(target=second)
    thread.start()
    with collector_paused():
        first_in.set()
        second_in.wait()
    seen.append(gc.isenabled())
    first_out.set()
    thread.join()
    assert seen == [False, True, True]
    assert gc.isenabled()


def test_young_cycles_are_freed_while_paused() -> None:
    class Node:
        other: object = None

    with collector_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        ref = weakref.ref(a)
        del a, b
        assert ref() is not None  # a cycle: reference counting alone does not free it
        collect_young()
        assert ref() is None
