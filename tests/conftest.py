"""Shared test setup: Qt renders offscreen (set before any test creates the QApplication)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
