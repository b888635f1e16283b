"""The main window shell: navigation, shortcuts, live language switching, no untranslated text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sfa_desktop.i18n import _, current_language
from sfa_desktop.ui.language import LanguageSwitcher
from sfa_desktop.ui.main_window import MainWindow
from sfa_desktop.ui.profile import Profile
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces import VIEW_IDS, AccountsWorkspace, create_workspaces

from .conftest import WAIT_MS

#: Words that are the same in English and Spanish (or proper names that are never translated).
SAME_IN_BOTH_LANGUAGES = {"Email", "SFA Desktop", "English", "Español", "Chat", "Total", "Rev."}


@pytest.fixture
def window(qtbot: QtBot, db_runner: TaskRunner, profile_dir: Path) -> Iterator[MainWindow]:
    language = LanguageSwitcher()
    language.apply("en")
    main_window = MainWindow(
        workspaces=create_workspaces(db_runner),
        profile=Profile(profile_dir, is_demo=True, user_name="Ana García"),
        language=language,
    )
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    main_window.activateWindow()
    qtbot.waitUntil(main_window.workspace("accounts").is_ready, timeout=WAIT_MS)
    yield main_window
    language.uninstall()


def test_the_shell(window: MainWindow) -> None:
    assert window.windowTitle() == "SFA Desktop — Ana García (demo)"
    assert (window.width(), window.height()) == (1280, 800)
    assert [menu.title() for menu in _menus(window)] == ["&File", "&View", "&Language", "&Help"]
    assert window.view_ids == VIEW_IDS
    assert window.current_view() == "today"
    assert [button.text() for button in window.sidebar.buttons] == [
        "Today",
        "Accounts",
        "Contacts",
        "Visits",
        "Pipeline",
        "Quotes",
        "Forecast",
        "Customers",
        "Scorecard",
        "Conflicts",
    ]
    status = {label.objectName(): label.text() for label in window.status.findChildren(QLabel)}
    assert status["syncState"] == "Offline — not signed in"
    assert status["pendingChanges"] == "0 pending changes"
    assert status["conflicts"] == "0 conflicts"
    assert status["profile"] == "Ana García (demo)"
    window.status.set_counts(pending=1, conflicts=3)
    assert window.status.findChild(QLabel, "pendingChanges").text() == "1 pending change"


def test_every_workspace_has_a_key_of_its_own(window: MainWindow) -> None:
    keys = [
        window.workspace(view_id).shortcut or f"Ctrl+{number}"
        for number, view_id in enumerate(VIEW_IDS, start=1)
    ]
    assert len(set(keys)) == len(keys)
    assert all(len(key.removeprefix("Ctrl+")) == 1 for key in keys)  # one digit each


def test_every_workspace_is_reachable_by_its_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    for number, view_id in reversed(list(enumerate(VIEW_IDS, start=1))):
        own = window.workspace(view_id).shortcut  # e.g. the Scorecard's Ctrl+0
        digit = int(own.removeprefix("Ctrl+")) if own else number
        with qtbot.waitSignal(window.view_changed, timeout=WAIT_MS) as changed:
            qtbot.keyClick(
                window, Qt.Key(Qt.Key.Key_0 + digit), Qt.KeyboardModifier.ControlModifier
            )
        assert changed.args == [view_id]
        assert window.current_view() == view_id
        assert window.current_workspace().isVisible()


def test_sidebar_buttons_switch_workspaces(qtbot: QtBot, window: MainWindow) -> None:
    quotes_button = window.sidebar.buttons[VIEW_IDS.index("quotes")]
    qtbot.mouseClick(quotes_button, Qt.MouseButton.LeftButton)
    assert window.current_view() == "quotes"
    assert quotes_button.isChecked()


def test_ctrl_f_goes_to_the_account_search(qtbot: QtBot, window: MainWindow) -> None:
    accounts = window.workspace("accounts")
    assert isinstance(accounts, AccountsWorkspace)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() == "accounts"
    qtbot.waitUntil(accounts.search_box.hasFocus, timeout=WAIT_MS)


def test_switching_language_retranslates_everything_live(qtbot: QtBot, window: MainWindow) -> None:
    accounts = window.workspace("accounts")
    assert isinstance(accounts, AccountsWorkspace)
    spanish = window.findChild(QAction, "language_es")
    with qtbot.waitSignal(window.language_chosen, timeout=WAIT_MS) as chosen:
        spanish.trigger()
    assert chosen.args == ["es"] and current_language() == "es"
    assert spanish.isChecked()
    assert window.windowTitle() == "SFA Desktop — Ana García (demostración)"
    assert [menu.title() for menu in _menus(window)] == ["&Archivo", "&Ver", "&Idioma", "A&yuda"]
    assert [button.text() for button in window.sidebar.buttons][:3] == [
        "Hoy",
        "Cuentas",
        "Contactos",
    ]
    assert accounts.count_label.text() == "450 cuentas"
    header = accounts.model.headerData(0, Qt.Orientation.Horizontal)
    assert header == "Nombre"
    assert window.status.findChild(QLabel, "conflicts").text() == "0 conflictos"
    window.findChild(QAction, "language_en").trigger()
    assert window.windowTitle() == "SFA Desktop — Ana García (demo)"


def test_about_box(qtbot: QtBot, window: MainWindow) -> None:
    window.switch_language("es")
    box = window.show_about()
    qtbot.waitExposed(box)
    assert box.windowTitle() == "Acerca de SFA Desktop"
    assert "sin conexión" in box.informativeText()
    box.done(QMessageBox.StandardButton.Close)


def test_quit_closes_the_window(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.closing, timeout=WAIT_MS):
        window.findChild(QAction, "quit").trigger()
    assert not window.isVisible()


def test_no_visible_text_stays_in_english_in_spanish(window: MainWindow) -> None:
    untranslated = _untranslated_texts(window)
    assert untranslated == [], f"still in English after switching to Spanish: {untranslated}"


def test_the_text_walk_catches_a_hard_coded_string(window: MainWindow) -> None:
    QLabel("Visits this week", window.workspace("visits"))
    assert _untranslated_texts(window) == ["Visits this week"]


def _untranslated_texts(window: MainWindow) -> list[str]:
    """Texts that stay the same when the window switches from English to Spanish."""
    window.switch_language("en")
    english = _visible_texts(window)
    window.switch_language("es")
    spanish = _visible_texts(window)
    assert len(english) > 80 and english.keys() <= spanish.keys()
    return sorted(
        {
            text
            for key, text in english.items()
            if spanish[key] == text
            and text not in SAME_IN_BOTH_LANGUAGES
            and any(character.isalpha() for character in text)
        }
    )


def _menus(window: MainWindow) -> list[QMenu]:
    return [action.menu() for action in window.menuBar().actions() if action.menu()]


def _visible_texts(window: MainWindow) -> dict[tuple[int, str], str]:
    """Every user-visible text of the window, keyed by (object, kind): all workspaces, menus,
    actions, tooltips, status bar and table headers (hidden pages included)."""
    texts: dict[tuple[int, str], str] = {}

    def add(owner: object, kind: str, text: str | None) -> None:
        if text and text.strip():
            texts[(id(owner), kind)] = text

    add(window, "title", window.windowTitle())
    for widget in [window, *window.findChildren(QWidget)]:
        for kind, text in _widget_texts(widget):
            add(widget, kind, text)
    for action in window.findChildren(QAction):
        add(action, "text", action.text())
        add(action, "tooltip", action.toolTip())
        add(action, "status tip", action.statusTip())
    QApplication.processEvents()
    return texts


def _widget_texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(kind, text) of what ``widget`` shows: tips, text, placeholder, title, table headers."""
    yield "tooltip", widget.toolTip()
    yield "status tip", widget.statusTip()
    if isinstance(widget, QLabel | QAbstractButton):
        yield "text", widget.text()
    if isinstance(widget, QLineEdit):
        yield "placeholder", widget.placeholderText()
    if isinstance(widget, QMenu | QGroupBox):
        yield "title", widget.title()
    model = widget.model() if isinstance(widget, QAbstractItemView) else None
    if model is not None:
        for column in range(model.columnCount()):
            header = model.headerData(column, Qt.Orientation.Horizontal)
            yield f"header {column}", str(header or "")


def test_a_live_switch_retranslates_open_dialogs_and_drops_a_passing_message(
    qtbot: QtBot, window: MainWindow
) -> None:
    class _Dialog(QDialog):
        def retranslate(self) -> None:
            self.setWindowTitle(_("Sign in"))

    dialog = _Dialog(window)
    dialog.retranslate()
    dialog.show()
    qtbot.waitExposed(dialog)
    window.status.showMessage("Saved.")
    window.switch_language("es")
    assert dialog.windowTitle() == "Iniciar sesión"
    assert window.status.currentMessage() == ""
    window.switch_language("en")
    assert dialog.windowTitle() == "Sign in"
    dialog.close()
