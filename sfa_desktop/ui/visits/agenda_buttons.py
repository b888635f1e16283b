"""The Visits workspace's buttons: navigation, day/week, the visit actions; each has a keyboard
shortcut, named in its tooltip.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from sfa_desktop.i18n import _

#: (button, shortcut) in the order they are laid out.
NAVIGATION = (("previous", "Alt+Left"), ("today", "Ctrl+T"), ("next", "Alt+Right"))
MODES = (("day", "Ctrl+Shift+D"), ("week", "Ctrl+Shift+W"))
ACTIONS = (
    ("plan", "Ctrl+N"),
    ("check_in", "Ctrl+I"),
    ("outcome", "Ctrl+L"),
    ("cancel", "Ctrl+Shift+X"),
    ("no_show", "Ctrl+Shift+N"),
    ("export", "Ctrl+E"),
)
#: The actions that need a planned visit selected.
VISIT_ACTIONS = ("check_in", "outcome", "cancel", "no_show")


def _texts() -> dict[str, tuple[str, str]]:
    return {
        "previous": (_("◀ Previous"), _("Previous day or week (Alt+Left)")),
        "today": (_("Today"), _("Go to today (Ctrl+T)")),
        "next": (_("Next ▶"), _("Next day or week (Alt+Right)")),
        "day": (_("Day"), _("Show one day (Ctrl+Shift+D)")),
        "week": (_("Week"), _("Show the whole week (Ctrl+Shift+W)")),
        "plan": (_("Plan a visit…"), _("Plan a visit or another activity (Ctrl+N)")),
        "check_in": (_("Check in"), _("Record that you arrived, now (Ctrl+I)")),
        "outcome": (_("Log outcome…"), _("Close the visit with how it went (Ctrl+L)")),
        "cancel": (_("Cancel visit"), _("Mark the visit as cancelled (Ctrl+Shift+X)")),
        "no_show": (_("No-show"), _("The customer was not there (Ctrl+Shift+N)")),
        "export": (
            _("Export .ics…"),
            _("Save the planned visits shown as an iCalendar file (Ctrl+E)"),
        ),
    }


class AgendaButtons:
    """Builds the buttons on ``owner`` and binds each (and its shortcut) to ``slots[name]``."""

    def __init__(self, owner: QWidget, slots: Mapping[str, Callable[[], object]]) -> None:
        self._buttons: dict[str, QPushButton] = {}
        for name, sequence in (*NAVIGATION, *MODES, *ACTIONS):
            button = QPushButton(owner)
            button.setObjectName(f"visits_{name}")
            button.clicked.connect(lambda _checked=False, run=slots[name]: run())
            QShortcut(QKeySequence(sequence), owner).activated.connect(slots[name])
            self._buttons[name] = button
        self._modes = QButtonGroup(owner)
        self._modes.setExclusive(True)
        for name, _sequence in MODES:
            self._buttons[name].setCheckable(True)
            self._modes.addButton(self._buttons[name])
        self._buttons["day"].setChecked(True)

    def button(self, name: str) -> QPushButton:
        return self._buttons[name]

    def row(self, names: tuple[tuple[str, str], ...]) -> QHBoxLayout:
        layout = QHBoxLayout()
        layout.setSpacing(6)
        for name, _sequence in names:
            layout.addWidget(self._buttons[name])
        return layout

    def show_week(self, week: bool) -> None:
        self._buttons["week" if week else "day"].setChecked(True)

    def enable_visit_actions(self, enabled: bool) -> None:
        for name in VISIT_ACTIONS:
            self._buttons[name].setEnabled(enabled)

    def retranslate(self) -> None:
        for name, (text, tip) in _texts().items():
            self._buttons[name].setText(text)
            self._buttons[name].setToolTip(tip)
