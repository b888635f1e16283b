"""Guards against Qt-binding bugs that would crash the app long after their cause."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    fired = Signal()


def test_emitting_a_signal_does_not_steal_a_reference_to_true(qapp: object) -> None:
    """PySide6 6.12.0 drops a reference to ``True`` on every ``emit()``.

    After a few thousand signals the interpreter aborts ("bool_dealloc: deallocating True or
    False"). Install a PySide6-Essentials version other than 6.12.0 (see pyproject.toml).
    """
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(100):
        emitter.fired.emit()
    lost = before - sys.getrefcount(True)
    assert lost < 50, f"each emit() lost a reference to True ({lost} in 100 emits)"
