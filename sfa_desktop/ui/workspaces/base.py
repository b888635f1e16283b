"""What every workspace (a page reached from the sidebar) offers the main window."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QLabel, QWidget

from sfa_desktop.ui.icons import icon


class Workspace(QWidget):
    """Base class of the workspaces. Subclasses set :attr:`view_id` and the texts.

    :attr:`ready` is emitted once the workspace shows its data (used by ``--screenshot``);
    workspaces without data are ready as soon as they exist.
    """

    #: Stable identifier, used by ``--view`` and the preferences ("accounts").
    view_id: str = ""
    #: Its key in the View menu; None: Ctrl+ its position in the sidebar (Ctrl+1 …).
    shortcut: str | None = None
    #: Emitted once, when the workspace first shows its content.
    ready = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"workspace_{self.view_id}")
        self._ready = False

    def title(self) -> str:
        """The workspace's name in the current language (sidebar, View menu, header)."""
        raise NotImplementedError

    def description(self) -> str:
        """One short sentence for the sidebar tooltip, in the current language."""
        raise NotImplementedError

    def icon(self) -> QIcon:
        return icon(self.view_id)

    def retranslate(self) -> None:
        """Re-read every visible text after a language switch."""

    def focus_search(self) -> bool:
        """Put the keyboard focus in the workspace's search box; ``False`` if it has none."""
        return False

    def is_ready(self) -> bool:
        return self._ready

    def _mark_ready(self) -> None:
        if not self._ready:
            self._ready = True
            self.ready.emit()


def header_label(parent: QWidget) -> QLabel:
    """A workspace's big title label."""
    label = QLabel(parent)
    label.setObjectName("workspaceTitle")
    font: QFont = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    label.setFont(font)
    return label
