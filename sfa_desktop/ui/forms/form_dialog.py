"""Save/Cancel around a :class:`RecordForm`, writing on the database thread.

The base of :class:`~sfa_desktop.ui.forms.RecordDialog` (one record through the editing
service) and of the visit use-case dialogs (several records, state rules). A subclass reads the
form and hands :meth:`FormDialog.run_write` the function to run; validation errors come back
inline under their fields, translated, and the dialog stays open with everything typed.
Ctrl+Enter saves, Esc cancels, Enter alone never saves by accident.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from sfa_desktop.domain.errors import ValidationError, ValidationErrors
from sfa_desktop.i18n import _
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.tasks import TaskRunner

from .record_form import RecordForm


class FormDialog(QDialog):
    """The buttons, shortcuts, busy state and error display shared by the form dialogs."""

    #: The write succeeded; the argument is what it returned (a record id, for instance).
    saved = Signal(object)
    #: A save attempt ended: ``True`` when saved, ``False`` when errors (or a warning) are shown.
    save_finished = Signal(bool)
    #: A warning is shown (see :meth:`write_unless_warned`); saving again saves.
    warned = Signal()

    def __init__(self, runner: TaskRunner, form: RecordForm, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._form = form
        self._saving = False
        #: what the shown warning was about: saving again with the same saves
        self._warned_for: Any = None
        self._describe_warning: Callable[[Any], str] | None = None
        self._task_key = ("form-dialog", id(self))
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
        self._warning = QLabel(self)
        self._warning.setObjectName("dialogWarning")
        self._warning.setWordWrap(True)
        self._warning.setTextFormat(Qt.TextFormat.PlainText)
        self._warning.setStyleSheet(
            "QLabel#dialogWarning { background: #fff4ce; border: 1px solid #e0b400;"
            " border-radius: 4px; padding: 6px; color: #3d3000; }"
        )
        self._warning.hide()
        self._status = QLabel(self)
        self._status.setObjectName("dialogStatus")
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(sequence), self).activated.connect(self.save)
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro)
        layout.addWidget(form)
        layout.addWidget(self._warning)
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

    def set_warning(self, text: str) -> None:
        """A non-blocking warning under the form ("" hides it): saving still works."""
        self._warning.setText(text)
        self._warning.setVisible(bool(text))
        self._fit_height()

    def warning_text(self) -> str:
        return self._warning.text() if self._warning.isVisible() else ""

    def save(self) -> None:
        """Read the form and write (subclasses: validate, then call :meth:`run_write`)."""
        raise NotImplementedError

    # --- for subclasses ----------------------------------------------------------------------

    def can_save(self) -> bool:
        return not self._saving and self.save_button().isEnabled()

    def run_write(self, write: Callable[[Any], Any]) -> None:
        """Run ``write(session)`` on the database thread, in one transaction."""
        self._form.clear_errors()
        self._set_busy(True, _("Saving…"))
        self._runner.run_db(
            write, on_done=self._saved, on_error=self._failed, key=self._task_key, owner=self
        )

    def write_unless_warned(
        self,
        read: Callable[[Any], Any],
        describe: Callable[[Any], str],
        write: Callable[[Any], Any],
    ) -> None:
        """Save with a non-blocking warning: run ``read(session)`` first; when ``describe`` of
        its result says something not shown yet, show it, label Save "Save anyway" and stop
        (``warned``); saving again with the same result writes."""

        def checked(result: Any) -> None:
            text = describe(result)
            if not text or (self._warned_for is not None and result == self._warned_for):
                self.run_write(write)
                return
            self._warned_for = result
            self._describe_warning = describe
            self.set_warning(text)
            self.save_button().setText(_("Save &anyway"))
            self.warned.emit()
            self.save_finished.emit(False)

        self.run_read(read, checked)

    def run_read(self, read: Callable[[Any], Any], on_done: Callable[[Any], None]) -> None:
        """Run ``read(session)`` on the database thread (loading what the form shows)."""
        self._set_busy(True, _("Loading…"))

        def done(result: Any) -> None:
            self._set_busy(False)
            on_done(result)

        self._runner.run_db(
            read, on_done=done, on_error=self._failed, key=self._task_key, owner=self
        )

    def show_errors(self, errors: list[ValidationError]) -> None:
        self._form.set_errors(errors)
        self._fit_height()
        self.save_finished.emit(False)

    def on_saved(self, result: object) -> None:
        """Called on the UI thread once the write is committed (before ``saved``)."""

    # --- internals ---------------------------------------------------------------------------

    def _saved(self, result: object) -> None:
        self._set_busy(False)
        self.on_saved(result)
        self.saved.emit(result)
        self.save_finished.emit(True)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, ValidationErrors):
            self.show_errors(error.errors)
        elif isinstance(error, ValidationError):
            self.show_errors([error])
        else:
            self._form.show_message(describe_error(error))
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

    def retranslate(self) -> None:
        save = self.save_button()
        save.setText(_("&Save"))
        save.setToolTip(_("Save the changes (Ctrl+Enter)"))
        cancel = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setToolTip(_("Close without saving (Esc)"))
        self._form.retranslate()

    def retranslate_warning(self) -> None:
        """After a subclass names its Save button: the shown warning in the new language."""
        if self._warned_for is not None and self._describe_warning is not None:
            self.save_button().setText(_("Save &anyway"))
            self.set_warning(self._describe_warning(self._warned_for))

    def keyPressEvent(self, event: Any) -> None:
        # Enter in a line edit must not save by accident: only Ctrl+Enter or the button does.
        # (Ctrl+Enter is also a shortcut; this catches it when the window is not active.)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                self.save()
            return
        super().keyPressEvent(event)
