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

from PySide6.QtWidgets import QWidget

from sfa_desktop.domain.errors import ValidationError, ValidationErrors
from sfa_desktop.services.editing import EditContext, load_edit_context
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.ui.forms import RecordForm
from sfa_desktop.ui.forms.form_dialog import FormDialog
from sfa_desktop.ui.tasks import TaskRunner

Write = Callable[[Any, EditContext], Any]
#: What to check before the first save: ``(read(session, context), describe(result))``.
WarningCheck = tuple[Callable[[Any, EditContext], Any], Callable[[Any], str]]


class UseCaseDialog(FormDialog):
    """Save/Cancel around a form; :meth:`read_form` returns the use case to run (override it)."""

    def __init__(
        self,
        runner: TaskRunner,
        form: RecordForm,
        *,
        clock: AgendaClock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, form, parent)
        self._clock = clock

    def read_form(self) -> Write:
        """Read the form and return the write to run (raise ``ValidationErrors`` if unreadable)."""
        raise NotImplementedError

    def warning_check(self) -> WarningCheck | None:
        """A non-blocking warning to check before saving (override it); None: none."""
        return None

    def save(self) -> None:
        """Read the form, then run the use case on the database thread (after the
        :meth:`warning_check`, if any, when it has something to say: see
        :meth:`~sfa_desktop.ui.forms.form_dialog.FormDialog.write_unless_warned`)."""
        if not self.can_save():
            return
        try:
            write = self.read_form()
        except ValidationErrors as errors:
            self.show_errors(errors.errors)
            return
        except ValidationError as error:
            self.show_errors([error])
            return
        now = self._clock.now

        def run(session: Any) -> Any:
            return write(session, load_edit_context(session, now=now))

        check = self.warning_check()
        if check is None:
            self.run_write(run)
            return
        read, describe = check
        self.write_unless_warned(
            lambda session: read(session, load_edit_context(session, now=now)), describe, run
        )
