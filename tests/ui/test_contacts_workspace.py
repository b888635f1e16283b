"""The Contacts workspace: paged list, search, account filter, editor, delete, vCard export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import vobject
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from sfa_desktop.i18n import set_language
from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.records import bulk_insert
from sfa_desktop.ui.forms import contact_dialog
from sfa_desktop.ui.forms.contact_form import consent_rules
from sfa_desktop.ui.forms.date_editors import DateTimeEditor
from sfa_desktop.ui.tasks import TaskRunner
from sfa_desktop.ui.workspaces.contacts import ContactsWorkspace

from .conftest import NOW, WAIT_MS, account_rows
from .record_dialogs import open_record_dialog, save_and_reload, stored
from .shown_workspace import shown_when_ready

CONTACT_COUNT = 250
FIRST_NAMES = ("Lucía", "Íñigo", "María", "José", "Nuria")
ACCOUNT_1 = str(account_rows(1)[0]["id"])


def _contact_id(number: int) -> str:
    return f"01900000-0000-7000-b000-{number:012d}"


@pytest.fixture
def contacts(database: Database) -> int:
    """250 contacts: contact n works at account n % 50 + 1 (so account 1 has five)."""
    accounts = account_rows(50)
    rows = [
        {
            "id": _contact_id(number),
            "account_id": accounts[number % 50]["id"],
            "first_name": FIRST_NAMES[number % len(FIRST_NAMES)],
            "last_name": f"Apellido {number:03d}",
            "email": f"persona{number}@example.es",
            "mobile": f"+346{number:08d}",
            "purchase_role": "influencer",
            "marketing_consent": False,
        }
        for number in range(CONTACT_COUNT)
    ]
    with database.session() as session:
        bulk_insert(session, "contact", rows, now=NOW)
    return CONTACT_COUNT


@pytest.fixture
def workspace(qtbot: QtBot, db_runner: TaskRunner, contacts: int) -> Iterator[ContactsWorkspace]:
    workspace = shown_when_ready(qtbot, ContactsWorkspace(db_runner, native_dialogs=False))
    yield workspace


def test_the_list_pages_sorts_and_searches(
    qtbot: QtBot, workspace: ContactsWorkspace, qtmodeltester: ModelTester
) -> None:
    model = workspace.model
    qtmodeltester.check(model)
    assert (model.rowCount(), model.total_count) == (200, CONTACT_COUNT)
    assert workspace.count_label.text() == "250 contacts"
    assert model.data(model.index(0, 0)) == "Lucía Apellido 000"
    assert model.data(model.index(0, 1)) == "Talleres 001 S.L."
    assert model.data(model.index(0, 3)) == "Influencer"
    assert model.data(model.index(0, 4)) == "600 00 00 00"
    with qtbot.waitSignal(model.rowsInserted, timeout=WAIT_MS):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == CONTACT_COUNT and not model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        model.sort(1, Qt.SortOrder.DescendingOrder)
    assert model.query.sort == "account_name" and model.query.descending
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        qtbot.keyClicks(workspace.search_box, "inigo")  # accents folded
    assert model.total_count == CONTACT_COUNT // len(FIRST_NAMES)
    assert {model.contact_at(r).first_name for r in range(model.rowCount())} == {"Íñigo"}
    with qtbot.waitSignal(model.loaded, timeout=WAIT_MS):
        workspace.search_box.setText("nadie")
    assert workspace.showing_empty_state()
    assert workspace.empty_state.title() == "No contacts match “nadie”"


def test_the_account_filter(qtbot: QtBot, workspace: ContactsWorkspace) -> None:
    picker = workspace.account_filter
    with qtbot.waitSignal(picker.choices_loaded, timeout=WAIT_MS):
        picker.search("Talleres 001")
    choice = next(c for c in picker.choices if c.id == ACCOUNT_1)
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        picker.choose(choice)
    assert workspace.model.total_count == CONTACT_COUNT // 50
    assert {workspace.model.contact_at(r).account_id for r in range(5)} == {ACCOUNT_1}
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        picker.set_value(None)
        picker.changed.emit()
    assert workspace.model.total_count == CONTACT_COUNT


def test_an_account_without_contacts(qtbot: QtBot, workspace: ContactsWorkspace) -> None:
    far = str(account_rows(60)[59]["id"])
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        workspace.model.set_filter("account_id", far)
    assert workspace.showing_empty_state()
    assert workspace.empty_state.title() == "No contacts at this account yet"


def test_no_contacts_at_all(qtbot: QtBot, db_runner: TaskRunner) -> None:
    workspace = ContactsWorkspace(db_runner)
    qtbot.addWidget(workspace)
    qtbot.waitUntil(workspace.is_ready, timeout=WAIT_MS)
    assert workspace.showing_empty_state()
    assert workspace.empty_state.title() == "No contacts yet"
    assert "Ctrl+N" in workspace.empty_state.message()
    set_language("es")
    workspace.retranslate()
    assert workspace.empty_state.title() == "Todavía no hay contactos"


def test_create_a_contact_with_errors_shown_inline(
    qtbot: QtBot, workspace: ContactsWorkspace, database: Database
) -> None:
    workspace.new_contact()
    dialog = open_record_dialog(workspace)
    form = dialog.form
    with qtbot.waitSignal(dialog.save_finished, timeout=WAIT_MS):
        dialog.save()  # nothing filled in
    assert form.error_text("first_name") == "A value is required."
    assert form.error_text("account_id") == "A value is required."
    picker = form.editor("account_id")
    with qtbot.waitSignal(picker.label_loaded, timeout=WAIT_MS):  # type: ignore[attr-defined]
        picker.set_value(ACCOUNT_1)
    form.editor("first_name").set_value("Zoe")
    form.editor("last_name").set_value("Zúñiga")
    form.editor("email").set_value("zoe@@example.es")
    form.editor("mobile").set_value("12")
    with qtbot.waitSignal(dialog.save_finished, timeout=WAIT_MS):
        dialog.save()
    assert "not a valid email address" in form.error_text("email")
    assert "not a valid phone number" in form.error_text("mobile")
    assert form.error_text("first_name") == ""
    form.editor("email").set_value("zoe@example.es")
    form.editor("mobile").set_value("612 345 678")
    saved: list[str] = []
    dialog.saved.connect(saved.append)
    save_and_reload(qtbot, dialog, workspace)
    assert workspace.model.total_count == CONTACT_COUNT + 1
    record = stored(database, "contact", saved[0])
    assert record is not None
    assert (record["account_id"], record["mobile"]) == (ACCOUNT_1, "+34612345678")


def test_enter_edits_the_contact(
    qtbot: QtBot, workspace: ContactsWorkspace, database: Database
) -> None:
    table = workspace.table
    table.setCurrentIndex(workspace.model.index(1, 0))
    contact = workspace.model.contact_at(1)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = open_record_dialog(workspace)
    assert dialog.windowTitle() == "Edit contact"
    qtbot.waitUntil(
        lambda: dialog.form.editor("first_name").value() == contact.first_name, timeout=WAIT_MS
    )
    dialog.form.editor("job_title").set_value("Jefa de compras")
    save_and_reload(qtbot, dialog, workspace)
    record = stored(database, "contact", contact.id)
    assert record is not None and record["job_title"] == "Jefa de compras"


def test_delete_asks_first(
    qtbot: QtBot,
    workspace: ContactsWorkspace,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    def ask(parent, title, text, buttons, default):  # type: ignore[no-untyped-def]
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", ask)
    workspace.table.selectRow(0)
    workspace.table.setFocus()
    contact = workspace.model.contact_at(0)
    with qtbot.waitSignal(workspace.model.loaded, timeout=WAIT_MS):
        qtbot.keyClick(workspace.table, Qt.Key.Key_Delete)
    assert asked == ["Delete the contact “Lucía Apellido 000”?"]
    assert workspace.model.total_count == CONTACT_COUNT - 1
    record = stored(database, "contact", contact.id)
    assert record is not None and record["deleted_at"] is not None


def test_consent_needs_a_date_and_a_source(
    qtbot: QtBot, db_runner: TaskRunner, contacts: int, database: Database
) -> None:
    now = dt.datetime(2026, 11, 25, 10, 42, 17, tzinfo=dt.UTC)
    dialog = contact_dialog(db_runner, record_id=_contact_id(7), now=lambda: now)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.record_loaded, timeout=WAIT_MS):
        dialog.show()
    form = dialog.form
    consent = form.editor("marketing_consent").widget
    when = form.editor("consent_at")
    source = form.editor("consent_source")
    assert isinstance(when, DateTimeEditor)
    assert not when.widget.isEnabled() and not source.widget.isEnabled()
    consent.click()  # ticking it: given now
    assert when.value() == now.replace(second=0)
    assert when.widget.isEnabled() and source.widget.isEnabled()
    with qtbot.waitSignal(dialog.save_finished, timeout=WAIT_MS):
        dialog.save()
    assert form.error_text("consent_source") == "A value is required."
    assert dialog.isVisible()
    source.set_value("Formulario de la feria")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    record = stored(database, "contact", _contact_id(7))
    assert record is not None
    assert (record["marketing_consent"], record["consent_at"], record["consent_source"]) == (
        True,
        now.replace(second=0),
        "Formulario de la feria",
    )


def test_withdrawing_consent_clears_date_and_source(qtbot: QtBot, runner: TaskRunner) -> None:
    dialog = contact_dialog(runner)
    qtbot.addWidget(dialog)
    form = dialog.form
    consent = form.editor("marketing_consent").widget
    consent.click()
    form.editor("consent_source").set_value("Web")
    consent.click()
    values = form.values(changed_only=False)
    assert (values["marketing_consent"], values["consent_at"], values["consent_source"]) == (
        False,
        None,
        None,
    )
    assert consent_rules(values) == []
    assert [e.field for e in consent_rules({"marketing_consent": True})] == [
        "consent_at",
        "consent_source",
    ]


def test_export_vcards_of_the_selected_contacts(
    qtbot: QtBot, workspace: ContactsWorkspace, tmp_path: Path
) -> None:
    table = workspace.table
    table.selectRow(0)
    table.selectionModel().select(
        workspace.model.index(1, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    assert len(workspace.selected_ids()) == 2
    workspace.export_selected()  # Ctrl+E
    dialog = workspace.file_dialog
    assert isinstance(dialog, QFileDialog)
    assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
    target = tmp_path / "mis contactos.vcf"
    with qtbot.waitSignal(workspace.notice_shown, timeout=WAIT_MS):
        dialog.selectFile(str(target))
        dialog.accept()
    assert workspace.notice.text() == "2 contacts exported to mis contactos.vcf"
    text = target.read_bytes().decode("utf-8")
    cards = list(vobject.readComponents(text))
    assert [card.fn.value for card in cards] == ["Lucía Apellido 000", "Íñigo Apellido 001"]
    first = cards[0]
    assert first.org.value == ["Talleres 001 S.L."]
    assert first.email.value == "persona0@example.es"
    assert first.tel.value == "+34600000000"
    assert first.uid.value.startswith(_contact_id(0))


def test_export_needs_a_selection(workspace: ContactsWorkspace) -> None:
    workspace.export_selected()
    assert workspace.file_dialog is None
    buttons = {b.objectName(): b for b in workspace.findChildren(QPushButton)}
    assert not buttons["exportVcard"].isEnabled()
    assert "Ctrl+E" in buttons["exportVcard"].toolTip()
