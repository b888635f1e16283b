"""A small dialog asking for a note: why a quote goes back to its rep, why the customer said no,
a word with an approval.

With ``required`` the OK button stays disabled until the note has some text (spaces do not
count). It opens window-modal without blocking (:meth:`QDialog.open`); :attr:`NoteDialog.submitted`
carries the note (``None`` for an empty optional note).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.i18n import _

#: Longest note accepted (the catalog's long-text limit is far above; a note is a few lines).
NOTE_MAX_CHARS = 2000


class NoteDialog(QDialog):
    """Title, a question, a text box and OK / Cancel (OK named ``ok_text``)."""

    #: OK was pressed: the note (stripped; ``None`` when optional and left empty)
    submitted = Signal(object)

    def __init__(
        self,
        *,
        title: str,
        prompt: str,
        ok_text: str,
        required: bool,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("noteDialog")
        self.setWindowTitle(title)
        self._required = required
        self._prompt = QLabel(prompt, self)
        self._prompt.setWordWrap(True)
        self._edit = QPlainTextEdit(self)
        self._edit.setObjectName("noteText")
        self._edit.setPlaceholderText(placeholder)
        self._edit.setTabChangesFocus(True)
        self._prompt.setBuddy(self._edit)
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button.setText(ok_text)
        cancel = self._buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None
        cancel.setText(_("Cancel"))
        self._buttons.accepted.connect(self._submit)
        self._buttons.rejected.connect(self.reject)
        self._edit.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addWidget(self._prompt)
        layout.addWidget(self._edit, 1)
        layout.addWidget(self._buttons)
        self.resize(460, 240)
        self._update_ok()

    @property
    def ok_button(self) -> QPushButton:
        button = self._buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    @property
    def text_edit(self) -> QPlainTextEdit:
        return self._edit

    def note(self) -> str | None:
        text = self._edit.toPlainText().strip()
        return text or None

    def _update_ok(self) -> None:
        text = self._edit.toPlainText().strip()
        self.ok_button.setEnabled(bool(text or not self._required) and len(text) <= NOTE_MAX_CHARS)

    def _submit(self) -> None:
        if not self.ok_button.isEnabled():
            return
        self.submitted.emit(self.note())
        self.accept()
