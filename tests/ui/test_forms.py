"""Record forms: editors per catalog type, inline errors, reference picking, the save dialog."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from sfa_desktop.domain.errors import ValidationError, ValidationErrors
from sfa_desktop.i18n import set_language
from sfa_desktop.store.database import Database
from sfa_desktop.store.repositories.records import get_record
from sfa_desktop.ui.forms import RecordDialog, RecordForm, account_dialog
from sfa_desktop.ui.forms.date_editors import DateTimeEditor
from sfa_desktop.ui.forms.field_editors import (
    EnumEditor,
    IntEditor,
    MoneyEditor,
    NumberEditor,
    PhoneEditor,
    TagsEditor,
    TextEditor,
)
from sfa_desktop.ui.forms.reference_picker import ReferencePicker
from sfa_desktop.ui.tasks import TaskRunner
from sync_server.protocol.catalog import ACCOUNT, CONTACT, OPPORTUNITY, PRODUCT
from sync_server.protocol.catalog import ACTIVITY as VISIT

from .conftest import USERS, WAIT_MS

ACCOUNT_3 = "01900000-0000-7000-9000-000000000003"


@pytest.fixture
def host(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_text_keeps_the_catalog_limit_and_blank_is_none(host: QWidget) -> None:
    editor = TextEditor("account", ACCOUNT.field("postal_code"), host)
    assert editor.widget.maxLength() == 12
    editor.set_value("  41003 ")
    assert editor.value() == "41003"
    editor.set_value("   ")
    assert editor.value() is None


def test_numbers_and_money_follow_the_language(host: QWidget) -> None:
    amount = MoneyEditor("opportunity", OPPORTUNITY.field("amount"), host)
    rate = NumberEditor("product", PRODUCT.field("tax_rate_pct"), host)
    amount.widget.setText("1,234.50")
    rate.widget.setText("12.5")
    assert (amount.value(), rate.value()) == (123450, Decimal("12.5"))
    set_language("es")
    amount.widget.setText("1.234,50 €")
    rate.widget.setText("12,5")
    assert (amount.value(), rate.value()) == (123450, Decimal("12.5"))
    amount.set_value(99)
    assert amount.widget.text() == "0,99"
    amount.widget.setText("1,234.50")  # English grouping is not a Spanish number
    with pytest.raises(ValidationError) as error:
        amount.value()
    assert (error.value.code, error.value.field) == ("invalid_money", "amount")


def test_an_enum_offers_translated_labels_and_none_when_optional(host: QWidget) -> None:
    editor = EnumEditor("contact", CONTACT.field("purchase_role"), host)
    assert editor.widget.itemText(0) == "—" and editor.value() is None
    editor.set_value("decision_maker")
    assert (editor.value(), editor.widget.currentText()) == ("decision_maker", "Decision maker")
    set_language("es")
    editor.retranslate()
    assert editor.widget.currentText() == "Decisor"
    required = EnumEditor("account", ACCOUNT.field("lifecycle_stage"), host)
    assert required.widget.count() == 4


def test_an_optional_whole_number_has_a_none_step(host: QWidget) -> None:
    editor = IntEditor("account", ACCOUNT.field("visit_cadence_days"), host)
    editor.set_value(None)
    assert editor.value() is None and editor.widget.text() == "—"
    editor.set_value(45)
    assert editor.value() == 45


def test_tags_and_phones(host: QWidget) -> None:
    tags = TagsEditor("account", ACCOUNT.field("tags"), host)
    tags.widget.setText("bakery, wholesale ,, bakery")
    assert tags.value() == ["bakery", "wholesale"]
    phone = PhoneEditor("account", ACCOUNT.field("phone"), host)
    phone.set_value("+34954012966")
    assert phone.widget.text() == "954 01 29 66"
    assert phone.value() == "+34954012966"  # unchanged: the stored form comes back
    phone.widget.setText("954 01 29 67")
    assert phone.value() == "954 01 29 67"  # the rules normalize what the user typed


def test_an_optional_date_can_be_left_empty(host: QWidget) -> None:
    now = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
    editor = DateTimeEditor("visit", VISIT.field("follow_up_date"), host, now=lambda: now)
    assert editor.value() is None and not editor.date_edit.isEnabled()
    assert editor.date_edit.text() == "—"
    assert editor.set_check is not None
    editor.set_check.setChecked(True)
    assert editor.value() == now.astimezone().date()
    editor.set_value(dt.date(2027, 1, 31))
    assert editor.value() == dt.date(2027, 1, 31) and editor.set_check.isChecked()
    editor.set_check.setChecked(False)
    assert editor.value() is None


def test_a_date_time_comes_back_as_aware_utc(host: QWidget) -> None:
    editor = DateTimeEditor("visit", VISIT.field("planned_start"), host)
    start = dt.datetime(2026, 12, 1, 8, 15, tzinfo=dt.UTC)
    editor.set_value(start)
    assert editor.value() == start


def test_the_form_reports_changed_values_only(qtbot: QtBot, runner: TaskRunner) -> None:
    form = RecordForm(runner, "contact", [["first_name", "last_name", "email", "notes"]])
    qtbot.addWidget(form)
    form.set_record({"first_name": "Lucía", "last_name": "Suárez", "notes": "Old"})
    assert form.values() == {}
    form.editor("last_name").set_value("Suárez Gil")
    form.editor("notes").set_value("")
    assert form.values() == {"last_name": "Suárez Gil", "notes": None}
    assert form.values(changed_only=False)["first_name"] == "Lucía"


def test_errors_show_under_their_fields_in_the_current_language(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    form = RecordForm(runner, "account", [["name", "email"]], wide=["notes"])
    qtbot.addWidget(form)
    form.show()
    errors = ValidationErrors(
        [
            ValidationError("required", field="name"),
            ValidationError("invalid_email", field="email", params={"value": "x@"}),
            ValidationError("something_else", field=None),
        ]
    )
    form.set_errors(errors)
    assert form.error_text("name") == "A value is required."
    assert form.error_text("email") == "“x@” is not a valid email address."
    assert form.error_text("notes") == ""
    assert "something_else" in form.message_text()
    assert form.focusWidget() is form.editor("name").widget
    set_language("es")
    form.retranslate()
    assert form.error_text("email") == "«x@» no es una dirección de correo electrónico válida."
    form.clear_errors()
    assert (form.error_text("name"), form.message_text()) == ("", "")


def test_unreadable_input_is_reported_before_saving(qtbot: QtBot, runner: TaskRunner) -> None:
    form = RecordForm(runner, "opportunity", [["name", "amount", "account_id"]])
    qtbot.addWidget(form)
    form.editor("amount").widget.setText("12,34,5")  # type: ignore[attr-defined]
    form.editor("account_id").widget.setText("An account nobody picked")  # type: ignore[attr-defined]
    with pytest.raises(ValidationErrors) as raised:
        form.values()
    assert {(e.field, e.code) for e in raised.value} == {
        ("amount", "invalid_money"),
        ("account_id", "invalid_choice"),
    }


def test_the_reference_picker_searches_and_picks(
    qtbot: QtBot, host: QWidget, db_runner: TaskRunner
) -> None:
    picker = ReferencePicker(
        "contact", CONTACT.field("account_id"), host, runner=db_runner, source=_accounts()
    )
    with qtbot.waitSignal(picker.choices_loaded, timeout=WAIT_MS):
        picker.search("bilbao ferre")
    choices = picker.choices
    assert choices and all("Bilbao" in c.label and "Ferretería" in c.label for c in choices)
    picker.choose(choices[0])
    assert picker.value() == choices[0].id
    picker.widget.setText(picker.widget.text() + "x")
    with pytest.raises(ValidationError):
        picker.value()
    with qtbot.waitSignal(picker.label_loaded, timeout=WAIT_MS):
        picker.set_value(ACCOUNT_3)
    assert picker.value() == ACCOUNT_3 and picker.widget.text().startswith("Panadería 003")


def test_the_owner_picker_lists_users(qtbot: QtBot, host: QWidget, db_runner: TaskRunner) -> None:
    from sfa_desktop.ui.forms import UserSource

    picker = ReferencePicker(
        "account", ACCOUNT.field("owner_id"), host, runner=db_runner, source=UserSource()
    )
    with qtbot.waitSignal(picker.choices_loaded, timeout=WAIT_MS):
        picker.search("perez")  # accents do not matter
    assert [c.label for c in picker.choices] == ["Luis Pérez"]


def _accounts():  # type: ignore[no-untyped-def]
    from sfa_desktop.ui.forms import AccountSource

    return AccountSource()


# --- the dialog ------------------------------------------------------------------------------


def _open_new_account(qtbot: QtBot, runner: TaskRunner) -> RecordDialog:
    dialog = account_dialog(runner)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_failed_save_keeps_the_dialog_open_with_inline_errors(
    qtbot: QtBot, db_runner: TaskRunner, database: Database
) -> None:
    dialog = _open_new_account(qtbot, db_runner)
    form = dialog.form
    form.editor("name").set_value("Óptica Nueva S.L.")
    form.editor("email").set_value("not-an-email")
    form.editor("tax_id").set_value("B12345670")  # wrong check digit
    with qtbot.waitSignal(dialog.save_finished, timeout=WAIT_MS):
        qtbot.keyClick(
            form.editor("name").widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
        )
    assert dialog.isVisible() and dialog.result() == 0
    assert form.error_text("email") == "“not-an-email” is not a valid email address."
    assert form.error_text("tax_id") == "“B12345670” is not a valid tax ID."
    assert form.error_text("name") == ""
    form.editor("email").set_value("hola@opticanueva.es")
    form.editor("tax_id").set_value("B12345674")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        dialog.save_button().click()
    assert not dialog.isVisible()
    with database.session() as session:
        record = get_record(session, "account", saved.args[0])
    assert record is not None
    assert (record["name"], record["email"], record["owner_id"]) == (
        "Óptica Nueva S.L.",
        "hola@opticanueva.es",
        USERS[0]["id"],  # the signed-in user owns what they create
    )


def test_editing_loads_the_record_and_saves_only_the_changes(
    qtbot: QtBot, db_runner: TaskRunner, database: Database
) -> None:
    dialog = account_dialog(db_runner, record_id=ACCOUNT_3)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.record_loaded, timeout=WAIT_MS):
        dialog.show()
    form = dialog.form
    assert form.editor("name").value() == "Panadería 003 S.L."
    assert form.values() == {}
    form.editor("city").set_value("Écija")
    assert form.values() == {"city": "Écija"}
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    with database.session() as session:
        record = get_record(session, "account", ACCOUNT_3)
    assert record is not None and (record["city"], record["phone"]) == ("Écija", "+34910000003")


def test_escape_cancels_without_saving(qtbot: QtBot, db_runner: TaskRunner) -> None:
    dialog = _open_new_account(qtbot, db_runner)
    dialog.form.editor("name").set_value("Never saved")
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT_MS):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert db_runner.pending_count == 0


def test_enter_alone_does_not_save(qtbot: QtBot, db_runner: TaskRunner) -> None:
    dialog = _open_new_account(qtbot, db_runner)
    qtbot.keyClick(dialog.form.editor("name").widget, Qt.Key.Key_Return)
    assert dialog.isVisible() and not dialog.is_saving and db_runner.pending_count == 0


def test_a_second_account_with_the_tax_id_shows_it_under_the_field(
    qtbot: QtBot, db_runner: TaskRunner
) -> None:
    first = _open_new_account(qtbot, db_runner)
    first.form.editor("name").set_value("Óptica Nueva S.L.")
    first.form.editor("tax_id").set_value("B12345674")
    with qtbot.waitSignal(first.saved, timeout=WAIT_MS):
        first.save()
    second = _open_new_account(qtbot, db_runner)
    second.form.editor("name").set_value("Óptica Otra S.A.")
    second.form.editor("tax_id").set_value("b-1234567-4")  # the same, typed another way
    with qtbot.waitSignal(second.save_finished, timeout=WAIT_MS) as finished:
        second.save()
    assert finished.args == [False] and second.isVisible()
    assert second.form.error_text("tax_id") == "Another account already has this tax id."
    set_language("es")
    second.retranslate()
    assert second.form.error_text("tax_id") == "Ya hay otra cuenta con este NIF."


def test_a_similar_account_in_the_city_warns_and_saving_again_saves(
    qtbot: QtBot, db_runner: TaskRunner, database: Database
) -> None:
    dialog = _open_new_account(qtbot, db_runner)
    form = dialog.form
    form.editor("name").set_value("PANADERIA 003")
    form.editor("city").set_value("valencia")
    with qtbot.waitSignal(dialog.save_finished, timeout=WAIT_MS) as first:
        dialog.save()
    assert first.args == [False] and dialog.isVisible()
    assert dialog.warning_text().splitlines() == [
        "Accounts with a similar name in the same city:",
        "• Panadería 003 S.L. · Valencia · Luis Pérez",
        "If this is a different customer, save again (Save anyway).",
    ]
    assert dialog.save_button().text() == "Save &anyway"
    set_language("es")
    dialog.retranslate()
    assert dialog.save_button().text() == "&Guardar de todos modos"
    assert dialog.warning_text().startswith("Cuentas con un nombre parecido en la misma ciudad:")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS) as saved:
        dialog.save()  # the user confirms: the account is created
    with database.session() as session:
        record = get_record(session, "account", saved.args[0])
    assert record is not None and record["name"] == "PANADERIA 003"


def test_a_new_name_in_the_city_saves_at_once_and_editing_rechecks_only_name_or_city(
    qtbot: QtBot, db_runner: TaskRunner
) -> None:
    dialog = _open_new_account(qtbot, db_runner)
    dialog.form.editor("name").set_value("Panadería 004")  # account 4 is not a bakery
    dialog.form.editor("city").set_value("Valencia")
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    assert dialog.warning_text() == ""
    edit = account_dialog(db_runner, record_id=ACCOUNT_3)
    qtbot.addWidget(edit)
    with qtbot.waitSignal(edit.record_loaded, timeout=WAIT_MS):
        edit.show()
    edit.form.editor("phone").set_value("+34910000099")
    with qtbot.waitSignal(edit.saved, timeout=WAIT_MS):
        edit.save()  # its own name is not a duplicate of itself


def test_the_rep_sets_the_annual_potential(
    qtbot: QtBot, db_runner: TaskRunner, database: Database
) -> None:
    dialog = account_dialog(db_runner, record_id=ACCOUNT_3)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.record_loaded, timeout=WAIT_MS):
        dialog.show()
    editor = dialog.form.editor("annual_potential")
    editor.widget.setText("45000")  # type: ignore[attr-defined]
    assert dialog.form.values() == {"annual_potential": 4_500_000}
    with qtbot.waitSignal(dialog.saved, timeout=WAIT_MS):
        dialog.save()
    with database.session() as session:
        record = get_record(session, "account", ACCOUNT_3)
    assert record is not None and record["annual_potential"] == 4_500_000
