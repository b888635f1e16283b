"""The status bar: sync state, pending changes, conflicts and the open profile."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QLabel, QStatusBar, QWidget

from sfa_desktop.i18n import _, format_count, ngettext
from sfa_desktop.ui.profile import Profile

MESSAGE_TIMEOUT_MS = 8000


def _separated_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setContentsMargins(10, 0, 10, 0)
    label.setFrameShape(QFrame.Shape.NoFrame)
    return label


class AppStatusBar(QStatusBar):
    """Always says whether we are connected, what is waiting to sync and who is working."""

    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._profile = profile
        self._pending = 0
        self._conflicts = 0
        self._sync_label = _separated_label(self, "syncState")
        self._pending_label = _separated_label(self, "pendingChanges")
        self._conflicts_label = _separated_label(self, "conflicts")
        self._profile_label = _separated_label(self, "profile")
        self.addWidget(self._sync_label)
        self.addPermanentWidget(self._pending_label)
        self.addPermanentWidget(self._conflicts_label)
        self.addPermanentWidget(self._profile_label)
        self.retranslate()

    def set_profile(self, profile: Profile) -> None:
        self._profile = profile
        self.retranslate()

    def set_counts(self, *, pending: int, conflicts: int) -> None:
        """Show how many local changes wait to be pushed and how many conflicts are open."""
        self._pending, self._conflicts = pending, conflicts
        self.retranslate()

    def show_error(self, message: str) -> None:
        """A transient message (for a background task that failed)."""
        self.showMessage(message, MESSAGE_TIMEOUT_MS)

    def retranslate(self) -> None:
        self._sync_label.setText(_("Offline — not signed in"))
        self._sync_label.setToolTip(
            _("Your changes are kept on this computer and sent when you sync.")
        )
        self._pending_label.setText(
            ngettext("{count} pending change", "{count} pending changes", self._pending).format(
                count=format_count(self._pending)
            )
        )
        self._pending_label.setToolTip(_("Changes made here that the server has not received"))
        self._conflicts_label.setText(
            ngettext("{count} conflict", "{count} conflicts", self._conflicts).format(
                count=format_count(self._conflicts)
            )
        )
        self._conflicts_label.setToolTip(
            _("Values changed by someone else at the same time; nothing is lost")
        )
        self._profile_label.setText(self._profile.display_name())
        self._profile_label.setToolTip(
            _("Data folder: {path}").format(path=str(self._profile.data_dir))
        )
