"""Ctrl+Shift+L on an account's page logs a call, e-mail or note; Ctrl+Enter saves it and the
timeline shows it at once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from store.account_history import ACCOUNT_ID, History, add_history

from sfa_desktop.i18n import set_language
from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.records import get_record
from sfa_desktop.ui.account_page import AccountPageView
from sfa_desktop.ui.account_page.log_dialog import LogInteractionDialog
from sfa_desktop.ui.account_page.timeline_view import icon_name
from sfa_desktop.ui.models.paged_model import ROW_ID_ROLE
from sfa_desktop.ui.tasks import TaskRunner

from .conftest import NOW, WAIT_MS


@pytest.fixture
def history(database: Database) -> History:
    with database.session() as session:
        return add_history(session, NOW)


@pytest.fixture
def page(qtbot: QtBot, db_runner: TaskRunner, history: History) -> Iterator[AccountPageView]:
    view = AccountPageView(db_runner, now=lambda: NOW)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        view.show_account(ACCOUNT_ID)
    yield view


def _open_by_keyboard(qtbot: QtBot, page: AccountPageView) -> LogInteractionDialog:
    page.activateWindow()
    page.setFocus()
    QTest.keyClick(
        page,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    dialog = page.open_dialog
    assert isinstance(dialog, LogInteractionDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_log_an_email_by_keyboard_and_see_it_in_the_timeline(
    qtbot: QtBot, page: AccountPageView, database: Database
) -> None:
    dialog = _open_by_keyboard(qtbot, page)
    assert dialog.form.editor("planned_start").value() == NOW  # now by default
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("email"))
    subject = dialog.form.editor("subject").focus_widget()
    assert dialog.focusWidget() is subject
    QTest.keyClicks(subject, "Tarifa 2027 enviada")
    dialog.form.editor("outcome").set_value("Pide respuesta el lunes")
    contact_id = page.contacts.data(page.contacts.index(1, 0), ROW_ID_ROLE)
    dialog.form.editor("contact_id").set_value(contact_id)
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        QTest.keyClick(subject, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.open_dialog is None
    timeline = page.timeline
    entries = [timeline.entry_at(row) for row in range(timeline.rowCount())]
    logged = [e for e in entries if e.title == "Tarifa 2027 enviada"]
    assert len(logged) == 1
    entry = logged[0]
    assert (entry.event, entry.status, entry.outcome) == (
        "email",
        "done",
        "Pide respuesta el lunes",
    )
    assert icon_name(entry) == "email"
    assert entry.contact_name == "Lucía Suárez"
    with database.session() as session:
        record = get_record(session, "visit", entry.record_id)
    assert record is not None and record["account_id"] == ACCOUNT_ID


def test_a_note_is_kept_as_a_done_task(qtbot: QtBot, page: AccountPageView) -> None:
    dialog = page.log_interaction()
    assert isinstance(dialog, LogInteractionDialog)
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("note"))
    dialog.form.editor("subject").set_value("Prefiere llamadas por la tarde")
    with qtbot.waitSignal(page.loaded, timeout=WAIT_MS):
        dialog.save()
    entries = [page.timeline.entry_at(r) for r in range(page.timeline.rowCount())]
    note = next(e for e in entries if e.title == "Prefiere llamadas por la tarde")
    assert (note.event, note.status) == ("task", "done")


def test_without_a_subject_the_dialog_stays_open_and_says_why(
    qtbot: QtBot, page: AccountPageView
) -> None:
    dialog = page.log_interaction()
    assert isinstance(dialog, LogInteractionDialog)
    rows = page.timeline.rowCount()
    with qtbot.waitSignal(dialog.save_finished, timeout=WAIT_MS) as finished:
        dialog.save()
    assert finished.args == [False]
    assert dialog.isVisible() and page.open_dialog is dialog
    assert dialog.form.error_text("subject") != ""
    assert page.timeline.rowCount() == rows
    dialog.reject()


def test_the_dialog_speaks_spanish(qtbot: QtBot, page: AccountPageView) -> None:
    set_language("es")
    try:
        page.retranslate()
        dialog = page.log_interaction()
        assert isinstance(dialog, LogInteractionDialog)
        assert dialog.windowTitle() == "Registrar llamada, correo o nota"
        kinds = [dialog.kind_box.itemText(row) for row in range(dialog.kind_box.count())]
        assert kinds == ["Llamada", "Correo", "Nota"]
        dialog.reject()
    finally:
        set_language("en")
