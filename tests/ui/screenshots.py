"""``sfa-desktop --screenshot`` in-process on the fixed clock, and the check that a PNG it wrote
is a real 1280×800 picture rather than a blank window."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtGui import QImage

from sfa_desktop import app

from .fixed_clock import CLOCK


def run_app(args: Sequence[str]) -> int:
    """``sfa-desktop ARGS`` in this process, its agenda (and a new demo) on :data:`CLOCK`."""
    return app.main(args, clock=CLOCK)


def screenshot_args(data_dir: Path, shot: Path, *extra: str) -> list[str]:
    """The arguments for a screenshot of the profile in ``data_dir``, written to ``shot``."""
    return ["--data-dir", str(data_dir), "--screenshot", str(shot), *extra]


def assert_real_screenshot(shot: Path) -> QImage:
    """The PNG at ``shot`` is the window's size and not blank; returns it for further checks."""
    image = QImage(str(shot))
    assert not image.isNull() and (image.width(), image.height()) == (1280, 800)
    sample = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 800, 16)}
    assert len(sample) > 10, "the screenshot looks blank"
    return image
