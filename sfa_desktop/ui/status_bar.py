"""The status bar: sync state, pending changes, conflicts, quotes awaiting the user's approval
and the open profile.

Everything it shows is permanent (right-hand side), so a transient message on the left never
hides where sync stands. Clicking the conflicts count opens the Conflicts view; clicking the
approvals count (shown only when some quote awaits the user) opens the Quotes awaiting it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QStatusBar, QToolButton, QWidget

from sfa_desktop.i18n import _, format_count, ngettext
from sfa_desktop.ui.profile import Profile
from sfa_desktop.ui.sync.state_text import state_text, state_tooltip
from sfa_desktop.ui.sync.status_bar_state import SyncState, SyncStateKind

MESSAGE_TIMEOUT_MS = 8000
#: The sync state never takes more than this; longer texts end in "…" (full text in the tooltip).
STATE_MAX_WIDTH = 460


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class _StatusLabel(QLabel):
    """A status bar label; optionally clickable, optionally eliding a long text."""

    clicked = Signal()

    def __init__(self, parent: QWidget, name: str, *, elide: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setContentsMargins(10, 0, 10, 0)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._elide = elide
        if elide:
            self.setMaximumWidth(STATE_MAX_WIDTH)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), 120), hint.height()) if self._elide else hint

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._elide:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text
        )

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(
            event.position().toPoint()
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)


class AppStatusBar(QStatusBar):
    """Always says where sync stands, what is waiting to sync and who is working."""

    #: the conflicts count was clicked
    conflicts_clicked = Signal()
    #: the "quotes awaiting your approval" count was clicked
    approvals_clicked = Signal()

    def __init__(
        self,
        profile: Profile,
        parent: QWidget | None = None,
        *,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._now = now
        self._state = SyncState()
        self._pending = 0
        self._conflicts = 0
        self._awaiting = 0
        self._sync_button = QToolButton(self)
        self._sync_button.setObjectName("syncNowButton")
        self._sync_button.setAutoRaise(True)
        self._sync_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self._sync_button.setIconSize(QSize(16, 16))
        self._sync_button.hide()
        self._sync_label = _StatusLabel(self, "syncState", elide=True)
        self._sync_label.setContentsMargins(2, 0, 10, 0)
        self._pending_label = _StatusLabel(self, "pendingChanges")
        self._conflicts_label = _StatusLabel(self, "conflicts")
        self._conflicts_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self._conflicts_label.clicked.connect(self.conflicts_clicked)
        self._normal_palette = QPalette(self._conflicts_label.palette())
        self._approvals_label = _StatusLabel(self, "awaitingApproval")
        self._approvals_label.setCursor(Qt.CursorShape.PointingHandCursor)
        self._approvals_label.clicked.connect(self.approvals_clicked)
        self._approvals_label.hide()
        self._profile_label = _StatusLabel(self, "profile")
        for widget in (
            self._sync_button,
            self._sync_label,
            self._pending_label,
            self._conflicts_label,
            self._approvals_label,
            self._profile_label,
        ):
            self.addPermanentWidget(widget)
        self.retranslate()

    # --- what the window sets --------------------------------------------------------------------

    def set_profile(self, profile: Profile) -> None:
        self._profile = profile
        self.retranslate()

    def set_sync_action(self, action: QAction) -> None:
        """Show ``action`` (Sync now) as a small button before the sync state."""
        self._sync_button.setDefaultAction(action)
        self._sync_button.show()

    def set_sync_state(self, state: SyncState) -> None:
        self._state = state
        self._show_state()

    def set_counts(self, *, pending: int, conflicts: int) -> None:
        """Show how many local changes wait to be pushed and how many conflicts are open."""
        self._pending, self._conflicts = pending, conflicts
        self.retranslate()

    def set_awaiting_approval(self, count: int) -> None:
        """Show how many quotes await the user's approval (hidden when none)."""
        self._awaiting = count
        self._approvals_label.setVisible(count > 0)
        self.retranslate()

    def set_clock(self, now: Callable[[], dt.datetime]) -> None:
        self._now = now
        self._show_state()

    def show_error(self, message: str) -> None:
        """A transient message (for a background task that failed)."""
        self.showMessage(message, MESSAGE_TIMEOUT_MS)

    def show_notice(self, message: str) -> None:
        """A transient message (e.g. "Signed in as …")."""
        self.showMessage(message, MESSAGE_TIMEOUT_MS)

    # --- what tests read ---------------------------------------------------------------------------

    @property
    def sync_state(self) -> SyncState:
        return self._state

    def sync_text(self) -> str:
        return self._sync_label.text()

    def pending_text(self) -> str:
        return self._pending_label.text()

    def conflicts_text(self) -> str:
        return self._conflicts_label.text()

    @property
    def conflicts_label(self) -> QLabel:
        return self._conflicts_label

    def approvals_text(self) -> str:
        return self._approvals_label.text()

    @property
    def approvals_label(self) -> QLabel:
        return self._approvals_label

    # --- texts -------------------------------------------------------------------------------------

    def _show_state(self) -> None:
        now = self._now()
        self._sync_label.setText(state_text(self._state, now))
        self._sync_label.setToolTip(state_tooltip(self._state, now))
        failed = self._state.kind is SyncStateKind.ERROR
        font: QFont = self._sync_label.font()
        font.setBold(failed)
        self._sync_label.setFont(font)
        palette = QPalette(self._normal_palette)
        if failed:
            palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.darkRed)
        self._sync_label.setPalette(palette)
        self._sync_label.update()

    def retranslate(self) -> None:
        self._show_state()
        self._pending_label.setText(
            ngettext("{count} pending change", "{count} pending changes", self._pending).format(
                count=format_count(self._pending)
            )
        )
        self._pending_label.setToolTip(_("Changes made here that the server has not received"))
        # The demo profile never syncs (it cannot sign in): a count of changes "waiting to be
        # sent" would only grow with every edit, so it is not shown.
        self._pending_label.setHidden(self._profile.is_demo)
        self._conflicts_label.setText(
            ngettext("{count} conflict", "{count} conflicts", self._conflicts).format(
                count=format_count(self._conflicts)
            )
        )
        self._conflicts_label.setToolTip(
            _("Values changed by someone else at the same time; nothing is lost")
            + "\n"
            + _("Click to open the Conflicts view.")
        )
        palette = QPalette(self._normal_palette)
        if self._conflicts:
            palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.darkRed)
        self._conflicts_label.setPalette(palette)
        self._approvals_label.setText(
            ngettext(
                "{count} quote awaiting your approval",
                "{count} quotes awaiting your approval",
                self._awaiting,
            ).format(count=format_count(self._awaiting))
        )
        self._approvals_label.setToolTip(
            _("Quotes of your team with discounts above their limit")
            + "\n"
            + _("Click to list them in the Quotes view.")
        )
        bold: QFont = self._approvals_label.font()
        bold.setBold(True)
        self._approvals_label.setFont(bold)
        self._profile_label.setText(self._profile.display_name())
        self._profile_label.setToolTip(
            _("Data folder: {path}").format(path=str(self._profile.data_dir))
        )
