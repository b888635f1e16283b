"""Which profile the window shows: its data folder and, once known, the user's name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sfa_desktop.i18n import _


@dataclass(frozen=True)
class Profile:
    """The open profile (shown in the window title and the status bar)."""

    data_dir: Path
    is_demo: bool = False
    user_name: str | None = None

    def display_name(self) -> str:
        """ "Ana García (demo)", "Ana García" or the data folder's name, in the UI language."""
        if self.is_demo:
            if self.user_name:
                return _("{user} (demo)").format(user=self.user_name)
            return _("Demo data")
        return self.user_name or self.data_dir.name or str(self.data_dir)
