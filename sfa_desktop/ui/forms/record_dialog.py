"""A dialog that creates or edits one record through the editing service.

::

    dialog = RecordDialog(runner, form, title=lambda: _("New contact"), initial={...})
    dialog.saved.connect(model.refresh)
    dialog.open()

Editing (``record_id`` given) loads the record on the database thread first. Saving runs
:func:`sfa_desktop.services.editing.create_record` / ``update_record`` on the database thread
(so the change and its outbox entries are written together); when validation fails, each
error is shown under its field and the dialog stays open with everything the user typed.
Ctrl+Enter saves, Esc cancels.

A :class:`SaveWarning` (an account whose name is like another's in its city) is checked on the
database thread before the first save: when it finds something, the dialog shows it under the
form, the Save button becomes "Save anyway", and saving again with the same warning saves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from sfa_desktop.domain.errors import ValidationError, ValidationErrors
from sfa_desktop.i18n import _
from sfa_desktop.services.editing import create_record, load_edit_context, update_record
from sfa_desktop.services.record_lists import show_record
from sfa_desktop.services.record_rules import new_record_defaults
from sfa_desktop.ui.tasks import TaskRunner

from .form_dialog import FormDialog
from .record_form import RecordForm

#: Checks over several fields that the form makes before saving: the values the record would
#: have (initial + changed) → the errors found.
FormRule = Callable[[Mapping[str, Any]], list[ValidationError]]


@dataclass(frozen=True)
class SaveWarning:
    """What to check before saving, and how to say it; saving is never blocked by it."""

    #: (all the values, the record id or None, the changed values) → the database-thread
    #: read to run, or None when nothing needs checking (an edit that changed nothing relevant)
    read: Callable[[Mapping[str, Any], str | None, Mapping[str, Any]], Callable[[Any], Any] | None]
    #: what the read returned → the warning text ("" when there is nothing to say)
    describe: Callable[[Any], str]


class RecordDialog(FormDialog):
    """Save/Cancel around a :class:`RecordForm` for one record; saves without blocking the UI."""

    #: Editing: the record's current values are shown (the form is ready).
    record_loaded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        form: RecordForm,
        *,
        title: Callable[[], str],
        record_id: str | None = None,
        initial: Mapping[str, Any] | None = None,
        rules: FormRule | None = None,
        warning: SaveWarning | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, form, parent)
        self._save_warning = warning
        self.setObjectName(f"{form.entity}Dialog")
        self._title = title
        self._record_id = record_id
        self._rules = rules
        self.retranslate()

        if record_id is None:
            defaults = new_record_defaults(form.editor(name).spec for name in form.field_names())
            form.set_record({**defaults, **(initial or {})})
            form.focus_first_empty()
        else:
            entity = form.entity
            self.run_read(lambda session: show_record(session, entity, record_id), self._loaded)

    @property
    def record_id(self) -> str | None:
        """The edited record (``None`` while creating one, until it is saved)."""
        return self._record_id

    def _loaded(self, record: dict[str, Any] | None) -> None:
        if record is None or record.get("deleted_at") is not None:
            self._form.show_message(_("This record no longer exists."))
            self.save_button().setEnabled(False)
            return
        self._form.set_record(record)
        self._form.editor(self._form.field_names()[0]).focus_widget().setFocus()
        self.record_loaded.emit()

    def save(self) -> None:
        """Check what the form can, then save on the database thread."""
        if not self.can_save():
            return
        creating = self._record_id is None
        try:
            values = self._form.values(changed_only=not creating)
        except ValidationErrors as errors:
            self.show_errors(errors.errors)
            return
        if creating:
            values = {name: value for name, value in values.items() if value is not None}
        if self._rules is not None:
            merged = {**self._form.values(changed_only=False), **values}
            problems = self._rules(merged)
            if problems:
                self.show_errors(problems)
                return
        if not creating and not values:
            self.accept()  # nothing changed: nothing to write
            return
        self._check_then_write(values)

    def _check_then_write(self, values: Mapping[str, Any]) -> None:
        rule = self._save_warning
        read = None
        if rule is not None:
            merged = {**self._form.values(changed_only=False), **values}
            read = rule.read(merged, self._record_id, values)
        if rule is None or read is None:
            self.run_write(self.writer(values))
            return
        self.write_unless_warned(read, rule.describe, self.writer(values))

    def writer(self, values: Mapping[str, Any]) -> Callable[[Any], str]:
        """The database-thread function saving ``values`` (all of a new record's, the changed
        ones of an edited record), returning the record's id: through the editing service
        here; a dialog whose entity has its own service overrides this."""
        entity, record_id = self._form.entity, self._record_id

        def write(session: Any) -> str:
            context = load_edit_context(session)
            if record_id is None:
                return create_record(session, context, entity, values)
            update_record(session, context, entity, record_id, values)
            return record_id

        return write

    def on_saved(self, result: object) -> None:
        self._record_id = str(result)

    def retranslate(self) -> None:
        self.setWindowTitle(self._title())
        super().retranslate()
        self.retranslate_warning()
