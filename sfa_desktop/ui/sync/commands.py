"""The sync commands of the window (Sign in…, Sign out, Sync now) and the dialogs they open.

The actions go in the File menu and the status bar; their enabled state follows the
controller. A sync that has a lot to receive opens the progress dialog, which can be hidden.
When the server needs a newer app, a box says so once per run (no sync works until then),
with a button to the download page when the server names one.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from sfa_desktop.i18n import _, format_count, ngettext
from sfa_desktop.services.errors import ClientOutdated
from sfa_desktop.services.messages import error_text
from sfa_desktop.services.sync_account import SignInResult
from sfa_desktop.services.sync_types import SyncPhase, SyncProgress
from sfa_desktop.ui.icons import icon

from .controller import SyncController
from .progress_dialog import SyncProgressDialog
from .sign_in_dialog import SignInDialog
from .status_bar_state import SyncState, SyncStateKind

#: A sync with at least this many changes to receive shows the progress dialog.
LARGE_SYNC = 2_000


class SyncCommands(QObject):
    """Owns the sync actions and opens the sign-in, sign-out and progress dialogs."""

    #: a short message for the status bar ("Signed in as …")
    notice = Signal(str)

    def __init__(
        self,
        controller: SyncController,
        window: QWidget,
        *,
        is_demo: bool = False,
        large_sync: int = LARGE_SYNC,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self._controller = controller
        self._window = window
        self._is_demo = is_demo
        self._large_sync = large_sync
        self._clock = clock
        self._typed: tuple[str, str] = ("", "")
        self._sign_in_dialog: SignInDialog | None = None
        self._sign_out_box: QMessageBox | None = None
        self._progress_dialog: SyncProgressDialog | None = None
        self._progress_hidden = False
        self._update_box: QMessageBox | None = None
        self._told_to_update = False

        self.sign_in_action = self._action("signIn", self.open_sign_in)
        self.sign_out_action = self._action("signOut", self.sign_out)
        self.sync_now_action = self._action("syncNow", controller.sync_now)
        self.sync_now_action.setIcon(icon("sync"))
        self.sync_now_action.setShortcuts([QKeySequence("F5"), QKeySequence("Ctrl+Shift+S")])

        controller.state_changed.connect(self._on_state)
        controller.account_changed.connect(lambda _account: self._update_actions())
        controller.progressed.connect(self._on_progress)
        controller.sign_in_needed.connect(self._on_sign_in_needed)
        self.retranslate()

    def _action(self, name: str, slot: Callable[[], object]) -> QAction:
        action = QAction(self._window)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def actions(self) -> list[QAction]:
        """For the File menu, in order."""
        return [self.sync_now_action, self.sign_in_action, self.sign_out_action]

    @property
    def sign_in_dialog(self) -> SignInDialog | None:
        return self._sign_in_dialog

    @property
    def sign_out_box(self) -> QMessageBox | None:
        return self._sign_out_box

    @property
    def update_box(self) -> QMessageBox | None:
        """The "update the app" box, while it is open."""
        return self._update_box

    @property
    def progress_dialog(self) -> SyncProgressDialog | None:
        return self._progress_dialog

    # --- texts -----------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.sign_in_action.setText(_("Sign &in…"))
        self.sign_out_action.setText(_("Sign &out"))
        self.sync_now_action.setText(_("&Sync now"))
        shortcut = self.sync_now_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.sync_now_action.setToolTip(
            _("Send your changes and receive your colleagues' now ({shortcut})").format(
                shortcut=shortcut
            )
        )
        if self._is_demo:
            demo_tip = _("The demo data is not synced: open your own profile to sign in.")
            for action in self.actions():
                action.setStatusTip(demo_tip)
        else:
            self.sign_in_action.setStatusTip(_("Connect this profile to your company's server"))
            self.sign_out_action.setStatusTip(
                _("Stop syncing; your data and unsent changes stay on this computer")
            )
            self.sync_now_action.setStatusTip(
                _("Send your changes and receive your colleagues' now")
            )
        for dialog in (self._sign_in_dialog, self._progress_dialog):
            if dialog is not None:
                dialog.retranslate()
        self._update_actions()

    def _update_actions(self) -> None:
        account = self._controller.account
        signed_in = account.signed_in and not self._is_demo
        syncing = self._controller.is_syncing
        self.sign_in_action.setEnabled(not self._is_demo and not signed_in)
        self.sign_out_action.setEnabled(signed_in and not syncing)
        self.sync_now_action.setEnabled(signed_in and not syncing)
        if account.identity is not None and not signed_in:
            self.sign_in_action.setText(_("Sign &in again…"))
        else:
            self.sign_in_action.setText(_("Sign &in…"))

    # --- signing in and out ----------------------------------------------------------------------

    def open_sign_in(self) -> SignInDialog | None:
        """Open the sign-in dialog (window-modal); returns it (or the one already open)."""
        if self._is_demo:
            return None
        if self._sign_in_dialog is not None:
            self._sign_in_dialog.raise_()
            self._sign_in_dialog.activateWindow()
            return self._sign_in_dialog
        account = self._controller.account
        server, email = self._typed
        if account.identity is not None:
            server = server or account.identity.server_url
            email = email or account.identity.email
        dialog = SignInDialog(
            self._controller,
            server=server,
            email=email,
            ca_file=account.identity.ca_file if account.identity else None,
            keyring_available=account.keyring_available,
            parent=self._window,
        )
        dialog.signed_in.connect(self._signed_in)
        dialog.finished.connect(lambda _result: self._sign_in_closed(dialog))
        self._sign_in_dialog = dialog
        dialog.open()
        return dialog

    def _sign_in_closed(self, dialog: SignInDialog) -> None:
        self._typed = (dialog.server_field.text().strip(), dialog.email_field.text().strip())
        if self._sign_in_dialog is dialog:
            self._sign_in_dialog = None
        dialog.deleteLater()

    def _signed_in(self, result: SignInResult) -> None:
        who = result.identity
        message = _("Signed in as {name} on {server}.").format(
            name=who.user_name or who.email, server=who.server_url
        )
        if not result.token_saved:
            message += " " + _(
                "No keyring is available: you will be asked for your password next time."
            )
        self.notice.emit(message)

    def _on_sign_in_needed(self) -> None:
        if not self._is_demo and self._window.isVisible():
            self.open_sign_in()

    def sign_out(self) -> None:
        """Sign out; asks first when changes are waiting to be sent."""
        pending = self._controller.counts.pending
        if pending == 0:
            self._controller.sign_out(on_error=self._sign_out_failed)
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Sign out"),
            ngettext(
                "{count} change has not been sent yet.",
                "{count} changes have not been sent yet.",
                pending,
            ).format(count=format_count(pending)),
            QMessageBox.StandardButton.Cancel,
            self._window,
        )
        box.setObjectName("signOutBox")
        box.setInformativeText(_("They stay on this computer and are sent when you sign in again."))
        sign_out = box.addButton(_("Sign &out"), QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered() -> None:
            if box.clickedButton() is sign_out:
                self._controller.sign_out(on_error=self._sign_out_failed)
            self._sign_out_box = None
            box.deleteLater()

        box.finished.connect(lambda _result: answered())
        self._sign_out_box = box
        box.open()

    def _sign_out_failed(self, error: BaseException) -> None:
        self.notice.emit(
            _("Signed out here, but the server could not be told: {reason}").format(
                reason=error_text(error)
            )
        )

    # --- progress of a large sync ----------------------------------------------------------------

    def _on_progress(self, progress: SyncProgress) -> None:
        if self._progress_dialog is not None:
            self._progress_dialog.update_progress(progress)
            return
        large = progress.phase is SyncPhase.PULL and (progress.total or 0) >= self._large_sync
        if large and not self._progress_hidden and self._window.isVisible():
            dialog = SyncProgressDialog(self._window, clock=self._clock)
            dialog.rejected.connect(self._progress_dialog_hidden)
            dialog.update_progress(progress)
            self._progress_dialog = dialog
            dialog.show()

    def _progress_dialog_hidden(self) -> None:
        self._progress_hidden = True
        self._close_progress_dialog()

    def _close_progress_dialog(self) -> None:
        dialog, self._progress_dialog = self._progress_dialog, None
        if dialog is not None:
            if dialog.isVisible():
                dialog.finish()
            dialog.deleteLater()

    def _on_state(self, state: SyncState) -> None:
        self._update_actions()
        if state.kind is not SyncStateKind.SYNCING:
            self._close_progress_dialog()
            self._progress_hidden = False
        if state.kind is SyncStateKind.ERROR and isinstance(state.error, ClientOutdated):
            self._tell_to_update(state.error)

    # --- an app too old for the server -----------------------------------------------------------

    def _tell_to_update(self, error: ClientOutdated) -> None:
        """Once per run: the status bar keeps the sentence, the box makes sure it is read."""
        if self._told_to_update or not self._window.isVisible():
            return
        self._told_to_update = True
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Update SFA Desktop"),
            error_text(error),
            QMessageBox.StandardButton.Close,
            self._window,
        )
        box.setObjectName("updateBox")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.setInformativeText(
            _("Your changes are kept on this computer and sent once the app is updated.")
        )
        url = error.download_url
        download = (
            box.addButton(_("Open the &download page"), QMessageBox.ButtonRole.ActionRole)
            if url
            else None
        )

        def answered() -> None:
            if url and download is not None and box.clickedButton() is download:
                QDesktopServices.openUrl(QUrl(url))
            self._update_box = None
            box.deleteLater()

        box.finished.connect(lambda _result: answered())
        self._update_box = box
        box.open()
