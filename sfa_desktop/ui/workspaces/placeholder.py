"""A workspace that is not built yet: its title and an empty state explaining what comes."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from sfa_desktop.ui.widgets.empty_state import EmptyState
from sfa_desktop.ui.workspaces.base import Workspace, header_label


class PlaceholderWorkspace(Workspace):
    """Shows :meth:`empty_title` and :meth:`empty_message` until a real workspace replaces it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title_label = header_label(self)
        self._empty_state = EmptyState(self)
        self._empty_state.set_icon(self.icon())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self._title_label)
        layout.addWidget(self._empty_state, 1)
        self.retranslate()
        self._mark_ready()

    def empty_title(self) -> str:
        raise NotImplementedError

    def empty_message(self) -> str:
        raise NotImplementedError

    def retranslate(self) -> None:
        self._title_label.setText(self.title())
        self._empty_state.set_text(self.empty_title(), self.empty_message())

    @property
    def empty_state(self) -> EmptyState:
        return self._empty_state
