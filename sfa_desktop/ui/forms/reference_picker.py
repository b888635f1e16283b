"""Picking the record a REF field points to (an account, a contact, an owner) by typing.

The picker is a line edit with a completion pop-up: each pause in typing runs the source's
search on the database thread and lists the matches; choosing one sets the value (its id).
Text that does not name a chosen record is an error (``invalid_choice``), never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.i18n import _
from sfa_desktop.services.record_lists import (
    list_accounts,
    list_contacts,
    matching_owners,
    show_record,
)
from sfa_desktop.ui.tasks import TaskRunner
from sync_server.protocol.catalog import FieldSpec

from .field_editors import FieldEditor

SEARCH_DELAY_MS = 200
CHOICE_LIMIT = 30
_ID_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ReferenceChoice:
    id: str
    label: str


class ReferenceSource(Protocol):
    """Where a picker's choices come from (both methods run on the database thread)."""

    def search(self, session: Any, text: str, limit: int) -> list[ReferenceChoice]: ...

    def label(self, session: Any, record_id: str) -> str | None: ...


class UserSource:
    """Active users (owners), matched anywhere in their name, accents ignored."""

    def search(self, session: Any, text: str, limit: int) -> list[ReferenceChoice]:
        return [
            ReferenceChoice(owner.id, owner.name) for owner in matching_owners(session, text, limit)
        ]

    def label(self, session: Any, record_id: str) -> str | None:
        user = show_record(session, "user", record_id)
        return str(user["name"]) if user else None


class AccountSource:
    """Live accounts, by the accounts search (name, tax ID, city, region)."""

    def search(self, session: Any, text: str, limit: int) -> list[ReferenceChoice]:
        rows = list_accounts(session, search=text.strip() or None, limit=limit)
        return [ReferenceChoice(row.id, _account_label(row.name, row.city)) for row in rows]

    def label(self, session: Any, record_id: str) -> str | None:
        account = show_record(session, "account", record_id)
        return _account_label(account["name"], account["city"]) if account else None


def _account_label(name: str, city: str | None) -> str:
    return f"{name} · {city}" if city else name


class ContactSource:
    """Live contacts, of one account when ``account_id`` is given."""

    def __init__(self, account_id: str | None = None) -> None:
        self.account_id = account_id

    def search(self, session: Any, text: str, limit: int) -> list[ReferenceChoice]:
        rows = list_contacts(
            session, search=text.strip() or None, account_id=self.account_id, limit=limit
        )
        return [
            ReferenceChoice(row.id, _person(row.first_name, row.last_name, row.account_name))
            for row in rows
        ]

    def label(self, session: Any, record_id: str) -> str | None:
        contact = show_record(session, "contact", record_id)
        if not contact:
            return None
        return _person(contact["first_name"], contact["last_name"], None)


def _person(first: str, last: str | None, account: str | None) -> str:
    name = " ".join(part for part in (first, last) if part)
    return f"{name} · {account}" if account else name


class ReferencePicker(FieldEditor):
    """Edits a REF field: type to search, pick from the list."""

    #: A search's choices are listed.
    choices_loaded = Signal()
    #: :meth:`set_value` found the label of the record it shows.
    label_loaded = Signal()

    def __init__(
        self,
        entity: str,
        spec: FieldSpec,
        parent: QWidget,
        *,
        runner: TaskRunner,
        source: ReferenceSource,
    ) -> None:
        super().__init__(entity, spec, parent)
        self._runner = runner
        self._source = source
        self._chosen: ReferenceChoice | None = None
        #: the id :meth:`set_value` was given while its label is still loading
        self._pending: str | None = None
        self._task_key = ("reference-picker", id(self))
        self._edit = QLineEdit(parent)
        self._edit.setObjectName(f"field_{spec.name}")
        self._edit.setClearButtonEnabled(True)
        self._choices = QStandardItemModel(self)
        self._completer = QCompleter(self._choices, self._edit)
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._edit.setCompleter(self._completer)
        self._completer.activated[QModelIndex].connect(self._on_chosen)  # type: ignore[index]
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search)
        self._edit.textEdited.connect(self._on_text_edited)
        self.retranslate()

    @property
    def widget(self) -> QLineEdit:
        return self._edit

    @property
    def choices(self) -> list[ReferenceChoice]:
        """The choices listed now (the latest search's results)."""
        return [
            ReferenceChoice(str(item.data(_ID_ROLE)), item.text())
            for item in (self._choices.item(row) for row in range(self._choices.rowCount()))
        ]

    def value(self) -> str | None:
        text = self._edit.text().strip()
        if not text:
            return self._pending
        if self._chosen is not None and text == self._chosen.label:
            return self._chosen.id
        raise ValidationError("invalid_choice", field=self.name, params={"value": text})

    def set_value(self, value: Any) -> None:
        self._chosen = None
        self._pending = None
        self._edit.clear()
        if value is None:
            return
        record_id = self._pending = str(value)
        source = self._source
        self._runner.run_db(
            lambda session: source.label(session, record_id),
            on_done=lambda label: self._show_label(record_id, label),
            key=(*self._task_key, "label"),
            owner=self,
        )

    def choose(self, choice: ReferenceChoice) -> None:
        """Set the value to ``choice`` (what picking it from the list does)."""
        self._chosen = choice
        self._pending = None
        self._edit.setText(choice.label)
        self.changed.emit()

    def search(self, text: str) -> None:
        """List the choices matching ``text`` (what typing does after a pause)."""
        self._edit.setText(text)
        self._search()

    def _show_label(self, record_id: str, label: str | None) -> None:
        if record_id != self._pending:
            return  # the user chose something else meanwhile
        self._pending = None
        self._chosen = ReferenceChoice(record_id, label or record_id)
        self._edit.setText(self._chosen.label)
        self.label_loaded.emit()

    def _on_text_edited(self, _text: str) -> None:
        self._pending = None
        self.changed.emit()
        self._timer.start()

    def _search(self) -> None:
        self._timer.stop()
        text, source = self._edit.text(), self._source
        self._runner.run_db(
            lambda session: source.search(session, text, CHOICE_LIMIT),
            on_done=self._show_choices,
            key=self._task_key,
            owner=self,
        )

    def _show_choices(self, choices: list[ReferenceChoice]) -> None:
        self._choices.clear()
        for choice in choices:
            item = QStandardItem(choice.label)
            item.setData(choice.id, _ID_ROLE)
            item.setEditable(False)
            self._choices.appendRow(item)
        if self._edit.hasFocus() and choices:
            self._completer.complete()
        self.choices_loaded.emit()

    def _on_chosen(self, index: QModelIndex | QPersistentModelIndex) -> None:
        record_id = index.data(_ID_ROLE)
        label = index.data(Qt.ItemDataRole.DisplayRole)
        if isinstance(record_id, str) and isinstance(label, str):
            self._chosen = ReferenceChoice(record_id, label)
            self._pending = None
            self.changed.emit()

    def retranslate(self) -> None:
        self._edit.setPlaceholderText(_("Type to search…"))
