"""The main window: a shell of menus, a sidebar, the workspace area and the status bar.

It knows nothing about data: the composition root (``sfa_desktop.app``) builds the
workspaces and hands them in. Every text is set in :meth:`MainWindow.retranslate`, so a
language switch updates the whole window live.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from sfa_desktop.i18n import LANGUAGE_NAMES, SUPPORTED_LANGUAGES, _
from sfa_desktop.ui.icons import icon
from sfa_desktop.ui.language import LanguageSwitcher
from sfa_desktop.ui.profile import Profile
from sfa_desktop.ui.sidebar import Sidebar
from sfa_desktop.ui.status_bar import AppStatusBar
from sfa_desktop.ui.version import app_version
from sfa_desktop.ui.workspaces.base import Workspace

DEFAULT_SIZE = (1280, 800)
APP_NAME = "SFA Desktop"


class MainWindow(QMainWindow):
    """Menus (File, View, Language, Help), sidebar, stacked workspaces and status bar."""

    #: The user picked a language in the Language menu (after the window re-translated).
    language_chosen = Signal(str)
    #: Another workspace is shown; the argument is its view id.
    view_changed = Signal(str)
    #: The window is closing.
    closing = Signal()

    def __init__(
        self,
        *,
        workspaces: Sequence[Workspace],
        profile: Profile,
        language: LanguageSwitcher,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._workspaces = {workspace.view_id: workspace for workspace in workspaces}
        self._profile = profile
        self._language = language
        self.setWindowIcon(icon("app"))
        self.resize(*DEFAULT_SIZE)
        self.setMinimumSize(900, 600)

        self._stack = QStackedWidget(self)
        for workspace in workspaces:
            self._stack.addWidget(workspace)
        self._view_group = QActionGroup(self)
        self._view_group.setExclusive(True)
        self._view_actions: dict[str, QAction] = {}
        for number, workspace in enumerate(workspaces, start=1):
            action = QAction(workspace.icon(), "", self)
            action.setObjectName(f"view_{workspace.view_id}")
            action.setCheckable(True)
            action.setShortcut(QKeySequence(workspace.shortcut or f"Ctrl+{number}"))
            action.setData(workspace.view_id)
            action.triggered.connect(
                lambda _checked=False, view=workspace.view_id: self.show_view(view)
            )
            self._view_group.addAction(action)
            self._view_actions[workspace.view_id] = action

        self._sidebar = Sidebar(self._view_actions.values(), self)
        central = QWidget(self)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self._sidebar)
        separator = QFrame(central)
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Plain)
        separator.setForegroundRole(QPalette.ColorRole.Mid)
        row.addWidget(separator)
        row.addWidget(self._stack, 1)
        self.setCentralWidget(central)

        self._status_bar = AppStatusBar(profile, self)
        self._status_bar.conflicts_clicked.connect(self.show_conflicts)
        self.setStatusBar(self._status_bar)
        self._build_menus()
        self.retranslate()
        if workspaces:
            self.show_view(workspaces[0].view_id)

    # --- menus -------------------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._file_menu = QMenu(self)
        self._quit_action = QAction(self)
        self._quit_action.setObjectName("quit")
        self._quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self._quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self._quit_action.triggered.connect(self.close)
        self._file_menu.addAction(self._quit_action)

        self._view_menu = QMenu(self)
        self._view_menu.addActions(list(self._view_actions.values()))
        self._view_menu.addSeparator()
        self._find_action = QAction(self)
        self._find_action.setObjectName("find")
        self._find_action.setShortcut(QKeySequence("Ctrl+F"))
        self._find_action.triggered.connect(self.focus_search)
        self._view_menu.addAction(self._find_action)

        self._language_menu = QMenu(self)
        self._language_group = QActionGroup(self)
        self._language_actions: dict[str, QAction] = {}
        for code in SUPPORTED_LANGUAGES:
            action = QAction(LANGUAGE_NAMES[code], self)
            action.setObjectName(f"language_{code}")
            action.setCheckable(True)
            action.triggered.connect(lambda _checked=False, lang=code: self.switch_language(lang))
            self._language_group.addAction(action)
            self._language_menu.addAction(action)
            self._language_actions[code] = action

        self._help_menu = QMenu(self)
        self._about_action = QAction(self)
        self._about_action.setObjectName("about")
        self._about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self._about_action.triggered.connect(self.show_about)
        self._help_menu.addAction(self._about_action)

        for menu in (self._file_menu, self._view_menu, self._language_menu, self._help_menu):
            bar.addMenu(menu)

    # --- navigation --------------------------------------------------------------------------

    @property
    def view_ids(self) -> tuple[str, ...]:
        return tuple(self._workspaces)

    def workspace(self, view_id: str) -> Workspace:
        return self._workspaces[view_id]

    def current_view(self) -> str:
        current = self._stack.currentWidget()
        assert isinstance(current, Workspace)
        return current.view_id

    def current_workspace(self) -> Workspace:
        return self._workspaces[self.current_view()]

    def show_view(self, view_id: str) -> None:
        """Bring workspace ``view_id`` to the front (``KeyError`` for an unknown id)."""
        workspace = self._workspaces[view_id]
        self._view_actions[view_id].setChecked(True)
        if self._stack.currentWidget() is not workspace:
            self._stack.setCurrentWidget(workspace)
            self.view_changed.emit(view_id)

    def show_conflicts(self) -> None:
        """The Conflicts view (from the status bar's conflicts count), if there is one."""
        if "conflicts" in self._workspaces:
            self.show_view("conflicts")

    def refresh_workspaces(self) -> None:
        """Data changed underneath (a sync): workspaces that can reload (``refresh()``) do."""
        for workspace in self._workspaces.values():
            refresh = getattr(workspace, "refresh", None)
            if callable(refresh):
                refresh()

    def add_file_actions(self, actions: Sequence[QAction]) -> None:
        """Put ``actions`` (sync commands) at the top of the File menu, before Quit."""
        self._file_menu.insertActions(self._quit_action, list(actions))
        self._file_menu.insertSeparator(self._quit_action)

    def focus_search(self) -> None:
        """Ctrl+F: the current workspace's search box, else the Accounts search."""
        if self.current_workspace().focus_search():
            return
        if "accounts" in self._workspaces:
            self.show_view("accounts")
            self._workspaces["accounts"].focus_search()

    # --- language ------------------------------------------------------------------------------

    def switch_language(self, language: str) -> None:
        """Apply ``language`` and re-translate the whole window, without a restart."""
        self._language.apply(language)
        self.retranslate()
        self.language_chosen.emit(language)

    def retranslate(self) -> None:
        """Re-read every text of the window and its workspaces in the current language."""
        self.setWindowTitle(
            _("{app} — {profile}").format(app=APP_NAME, profile=self._profile.display_name())
        )
        self._file_menu.setTitle(_("&File"))
        self._quit_action.setText(_("&Quit"))
        self._quit_action.setStatusTip(_("Close SFA Desktop"))
        self._view_menu.setTitle(_("&View"))
        for workspace in self._workspaces.values():
            action = self._view_actions[workspace.view_id]
            action.setText(workspace.title())
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{workspace.description()} ({shortcut})")
            action.setStatusTip(workspace.description())
            workspace.retranslate()
        self._find_action.setText(_("&Find…"))
        self._find_action.setStatusTip(_("Search the current list"))
        self._language_menu.setTitle(_("&Language"))
        for code, action in self._language_actions.items():
            action.setChecked(code == self._language.current())
        self._help_menu.setTitle(_("&Help"))
        self._about_action.setText(_("&About SFA Desktop"))
        self._about_action.setStatusTip(_("Version and licence information"))
        self._status_bar.retranslate()
        self._status_bar.clearMessage()  # a passing message is in the language it was said in
        for dialog in self.findChildren(QDialog):  # open dialogs of this window, too
            retranslate = getattr(dialog, "retranslate", None)
            if dialog.isVisible() and callable(retranslate):
                retranslate()

    # --- profile, status and dialogs -----------------------------------------------------------

    @property
    def status(self) -> AppStatusBar:
        return self._status_bar

    @property
    def sidebar(self) -> Sidebar:
        return self._sidebar

    @property
    def profile(self) -> Profile:
        return self._profile

    def set_profile(self, profile: Profile) -> None:
        self._profile = profile
        self._status_bar.set_profile(profile)
        self.retranslate()

    def show_error(self, message: str) -> None:
        """Report a background failure without interrupting the user."""
        self._status_bar.show_error(message)

    def show_about(self) -> QMessageBox:
        """Open the About box (window-modal, does not block the caller)."""
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIconPixmap(icon("app").pixmap(64, 64))
        box.setWindowTitle(_("About SFA Desktop"))
        box.setText(f"<b>{APP_NAME}</b> {app_version()}")
        box.setInformativeText(
            _(
                "Offline-first sales-force automation: your accounts, visits, pipeline, "
                "quotes and forecast, with or without a connection."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Close)
        box.open()
        return box

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)

    def createPopupMenu(self) -> QMenu | None:
        return None  # no "hide the toolbar" context menu on the window
