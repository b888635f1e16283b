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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from sfa_desktop.domain.errors import ValidationError, ValidationErrors
from sfa_desktop.i18n import _
from sfa_desktop.services.editing import create_record, load_edit_context, update_record
from sfa_desktop.store.repositories.record_values import default_for
from sfa_desktop.store.repositories.records import get_record
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.tasks import TaskRunner

from .record_form import RecordForm

#: Checks over several fields that the form makes before saving: the values the record would
#: have (initial + changed) → the errors found.
FormRule = Callable[[Mapping[str, Any]], list[ValidationError]]


class RecordDialog(QDialog):
    """OK/Cancel around a :class:`RecordForm`; saves without blocking the UI."""

    #: The record was saved; the argument is its id.
    saved = Signal(str)
    #: Editing: the record's current values are shown (the form is ready).
    record_loaded = Signal()
    #: A save attempt ended: ``True`` when saved, ``False`` when errors are shown.
    save_finished = Signal(bool)

    def __init__(
        self,
        runner: TaskRunner,
        form: RecordForm,
        *,
        title: Callable[[], str],
        record_id: str | None = None,
        initial: Mapping[str, Any] | None = None,
        rules: FormRule | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{form.entity}Dialog")
        self._runner = runner
        self._form = form
        self._title = title
        self._record_id = record_id
        self._rules = rules
        self._saving = False
        self._task_key = ("record-dialog", id(self))
        form.setParent(self)

        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._buttons.accepted.connect(self.save)
        self._buttons.rejected.connect(self.reject)
        self._status = QLabel(self)
        self._status.setObjectName("dialogStatus")
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.activated.connect(self.save)

        layout = QVBoxLayout(self)
        layout.addWidget(form)
        layout.addWidget(self._status)
        layout.addWidget(self._buttons)
        self.retranslate()

        if record_id is None:
            defaults = {name: default_for(form.editor(name).spec) for name in form.field_names()}
            form.set_record({**defaults, **(initial or {})})
            form.focus_first_empty()
        else:
            self._set_busy(True, _("Loading…"))
            self._load(record_id)

    @property
    def form(self) -> RecordForm:
        return self._form

    @property
    def record_id(self) -> str | None:
        """The edited record (``None`` while creating one, until it is saved)."""
        return self._record_id

    @property
    def is_saving(self) -> bool:
        return self._saving

    def save_button(self) -> Any:
        return self._buttons.button(QDialogButtonBox.StandardButton.Save)

    # --- loading ---------------------------------------------------------------------------

    def _load(self, record_id: str) -> None:
        entity = self._form.entity
        self._runner.run_db(
            lambda session: get_record(session, entity, record_id),
            on_done=self._loaded,
            on_error=self._failed,
            key=self._task_key,
            owner=self,
        )

    def _loaded(self, record: dict[str, Any] | None) -> None:
        self._set_busy(False)
        if record is None or record.get("deleted_at") is not None:
            self._form.show_message(_("This record no longer exists."))
            self.save_button().setEnabled(False)
            return
        self._form.set_record(record)
        self._form.editor(self._form.field_names()[0]).focus_widget().setFocus()
        self.record_loaded.emit()

    # --- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        """Check what the form can, then save on the database thread."""
        if self._saving or not self.save_button().isEnabled():
            return
        creating = self._record_id is None
        try:
            values = self._form.values(changed_only=not creating)
        except ValidationErrors as errors:
            self._show_errors(errors.errors)
            return
        if creating:
            values = {name: value for name, value in values.items() if value is not None}
        if self._rules is not None:
            merged = {**self._form.values(changed_only=False), **values}
            problems = self._rules(merged)
            if problems:
                self._show_errors(problems)
                return
        if not creating and not values:
            self.accept()  # nothing changed: nothing to write
            return
        self._form.clear_errors()
        entity, record_id = self._form.entity, self._record_id

        def write(session: Any) -> str:
            context = load_edit_context(session)
            if record_id is None:
                return create_record(session, context, entity, values)
            update_record(session, context, entity, record_id, values)
            return record_id

        self._set_busy(True, _("Saving…"))
        self._runner.run_db(
            write, on_done=self._saved, on_error=self._failed, key=self._task_key, owner=self
        )

    def _saved(self, record_id: str) -> None:
        self._set_busy(False)
        self._record_id = record_id
        self.saved.emit(record_id)
        self.save_finished.emit(True)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, ValidationErrors):
            self._show_errors(error.errors)
        elif isinstance(error, ValidationError):
            self._show_errors([error])
        else:
            self._form.show_message(describe_error(error))
            self._fit_height()
            self.save_finished.emit(False)

    def _show_errors(self, errors: list[ValidationError]) -> None:
        self._form.set_errors(errors)
        self._fit_height()
        self.save_finished.emit(False)

    def _fit_height(self) -> None:
        """Grow to fit error lines that wrapped (a form layout does not ask for it itself)."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._saving = busy
        self._status.setText(text if busy else "")
        self._buttons.setEnabled(not busy)
        self._form.setEnabled(not busy)

    def reject(self) -> None:
        """Esc/Cancel: close without saving (not while a save is being written)."""
        if not self._saving:
            super().reject()

    # --- texts -----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.setWindowTitle(self._title())
        save = self.save_button()
        save.setText(_("&Save"))
        save.setToolTip(_("Save the changes (Ctrl+Enter)"))
        cancel = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setToolTip(_("Close without saving (Esc)"))
        self._form.retranslate()

    def keyPressEvent(self, event: Any) -> None:
        # Enter in a line edit must not save by accident: only Ctrl+Enter or the button does.
        # (Ctrl+Enter is also a shortcut; this catches it when the window is not active.)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.save()
            return
        super().keyPressEvent(event)
