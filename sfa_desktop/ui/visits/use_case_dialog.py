"""A dialog around a :class:`~sfa_desktop.ui.forms.RecordForm` that runs a visit use case.

:class:`~sfa_desktop.ui.forms.RecordDialog` saves a record with ``create_record`` /
``update_record``; planning a visit or logging its outcome are use cases of
:mod:`sfa_desktop.services.visits` (several records, state rules), so this dialog runs a
*write* function instead: ``write(session, context)`` on the database thread, in one
transaction. Validation errors come back inline under their fields, translated; the dialog
stays open with everything typed. Ctrl+Enter saves, Esc cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from sfa_desktop.domain.errors import ValidationError, ValidationErrors
from sfa_desktop.i18n import _
from sfa_desktop.services.editing import EditContext, load_edit_context
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.forms import RecordForm
from sfa_desktop.ui.tasks import TaskRunner

Write = Callable[[Any, EditContext], Any]


class UseCaseDialog(QDialog):
    """Save/Cancel around a form; :meth:`write` runs the use case (override it)."""

    #: The use case ran; the argument is what it returned.
    saved = Signal(object)
    #: A save attempt ended: ``True`` when saved, ``False`` when errors are shown.
    save_finished = Signal(bool)

    def __init__(
        self,
        runner: TaskRunner,
        form: RecordForm,
        *,
        clock: AgendaClock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._form = form
        self._clock = clock
        self._saving = False
        self._task_key = ("use-case-dialog", id(self))
        form.setParent(self)
        self._intro = QLabel(self)
        self._intro.setObjectName("dialogIntro")
        self._intro.setWordWrap(True)
        self._intro.hide()
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._buttons.accepted.connect(self.save)
        self._buttons.rejected.connect(self.reject)
        self._status = QLabel(self)
        self._status.setObjectName("dialogStatus")
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(sequence), self).activated.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addWidget(form)
        layout.addWidget(self._status)
        layout.addWidget(self._buttons)

    @property
    def form(self) -> RecordForm:
        return self._form

    @property
    def is_saving(self) -> bool:
        return self._saving

    def save_button(self) -> Any:
        return self._buttons.button(QDialogButtonBox.StandardButton.Save)

    def set_intro(self, text: str) -> None:
        """A line above the form (what the dialog is about)."""
        self._intro.setText(text)
        self._intro.setVisible(bool(text))

    # --- the use case ----------------------------------------------------------------------

    def read_form(self) -> Write:
        """Read the form and return the write to run (raise ``ValidationErrors`` if unreadable)."""
        raise NotImplementedError

    def save(self) -> None:
        """Read the form, then run the use case on the database thread."""
        if self._saving or not self.save_button().isEnabled():
            return
        try:
            write = self.read_form()
        except ValidationErrors as errors:
            self._show_errors(errors.errors)
            return
        except ValidationError as error:
            self._show_errors([error])
            return
        self._form.clear_errors()
        now = self._clock.now

        def run(session: Any) -> Any:
            return write(session, load_edit_context(session, now=now))

        self._set_busy(True, _("Saving…"))
        self._runner.run_db(
            run, on_done=self._saved, on_error=self._failed, key=self._task_key, owner=self
        )

    def _saved(self, result: object) -> None:
        self._set_busy(False)
        self.saved.emit(result)
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
        if not self._saving:
            super().reject()

    def retranslate(self) -> None:
        save = self.save_button()
        save.setText(_("&Save"))
        save.setToolTip(_("Save (Ctrl+Enter)"))
        cancel = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setToolTip(_("Close without saving (Esc)"))
        self._form.retranslate()

    def keyPressEvent(self, event: Any) -> None:
        # Enter in a line edit must not save by accident: only Ctrl+Enter or the button does.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.save()
            return
        super().keyPressEvent(event)
