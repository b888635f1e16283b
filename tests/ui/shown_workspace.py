"""A workspace shown at a given size, once its first data has loaded."""

from __future__ import annotations

from typing import TypeVar

from pytestqt.qtbot import QtBot

from sfa_desktop.ui.workspaces.base import Workspace

from .conftest import WAIT_MS

W = TypeVar("W", bound=Workspace)


def shown_when_ready(qtbot: QtBot, workspace: W, width: int = 1200, height: int = 700) -> W:
    qtbot.addWidget(workspace)
    workspace.resize(width, height)
    workspace.show()
    qtbot.waitUntil(workspace.is_ready, timeout=WAIT_MS)
    return workspace
