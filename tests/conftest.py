"""Shared test setup: Qt renders offscreen (set before any test creates the QApplication);
objects a test's app froze out of the garbage collector's reach (the value warm-up's
``gc.freeze``) are given back to it after the test, so a test process does not keep them."""

import gc
import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _unfreeze_after_the_test() -> Iterator[None]:
    yield
    if gc.get_freeze_count():
        gc.unfreeze()
