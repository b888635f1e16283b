"""Rescheduling a visit from the week calendar, on the database thread.

One task asks :func:`~sfa_desktop.services.visits.schedule_warnings` (the time has passed, it
overlaps other planned visits: the same warnings as planning) and, when there is nothing to say
or the rep already said "Move anyway", writes
:func:`~sfa_desktop.services.visits.reschedule_visit`. Warnings open a question (Move anyway /
Keep); keeping it, or a refusal from the use case, reports :attr:`VisitMover.kept` so the
calendar puts the block back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from sfa_desktop.domain.errors import ValidationErrors
from sfa_desktop.i18n import _
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.visits import (
    AgendaClock,
    ScheduleWarnings,
    reschedule_visit,
    schedule_warnings,
)
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.tasks import TaskRunner

from .display import day_heading, time_range, warning_lines


def refusal_text(error: BaseException) -> str:
    """Why the move was refused: each rule broken, in words (there is no form to show it)."""
    if isinstance(error, ValidationErrors):
        return " ".join(describe_error(each) for each in error.errors)
    return describe_error(error)


class VisitMover(QObject):
    """Moves visits; asks first when the new time deserves a warning."""

    #: The visit was moved (argument: the message to show).
    moved = Signal(str)
    #: The visit stays where it was: (visit id, message; empty when the rep chose to keep it).
    kept = Signal(str, str)

    def __init__(self, runner: TaskRunner, clock: AgendaClock, parent: QWidget) -> None:
        super().__init__(parent)
        self._runner = runner
        self._clock = clock
        self._widget = parent
        self._question: QMessageBox | None = None

    @property
    def question(self) -> QMessageBox | None:
        """The "Move anyway?" question while it is open."""
        return self._question

    def move(
        self,
        visit_id: str,
        start: dt.datetime,
        end: dt.datetime | None,
        *,
        owner_id: str | None = None,
        kind: str = "visit",
        confirmed: bool = False,
    ) -> None:
        """Check, then move ``visit_id`` (an activity of ``kind``) to ``[start, end)``
        (``confirmed``: despite warnings)."""
        now = self._clock.now

        def write(session: Any) -> ScheduleWarnings | None:
            context = load_edit_context(session, now=now)
            if not confirmed:
                warnings = schedule_warnings(
                    session,
                    context,
                    start,
                    end,
                    owner_id=owner_id,
                    exclude_id=visit_id,
                    kind=kind,
                )
                if warnings:
                    return warnings
            reschedule_visit(session, context, visit_id, start, end)
            return None

        def done(warnings: ScheduleWarnings | None) -> None:
            if warnings is None:
                self.moved.emit(self._moved_text(start, end))
            else:
                self._ask(visit_id, start, end, owner_id, kind, warnings)

        def failed(error: BaseException) -> None:
            self.kept.emit(visit_id, refusal_text(error))

        self._runner.run_db(write, on_done=done, on_error=failed, owner=self)

    def _moved_text(self, start: dt.datetime, end: dt.datetime | None) -> str:
        local = start.astimezone(self._clock.tz)
        return _("Visit moved: {day}, {time}.").format(
            day=day_heading(local.date()), time=time_range(start, end, self._clock.tz)
        )

    def _ask(
        self,
        visit_id: str,
        start: dt.datetime,
        end: dt.datetime | None,
        owner_id: str | None,
        kind: str,
        warnings: ScheduleWarnings,
    ) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _("Move visit"),
            "\n".join(warning_lines(warnings, self._clock.tz)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._widget,
        )
        box.setObjectName("moveQuestion")
        box.setInformativeText(_("Move it anyway?"))
        box.setWindowModality(Qt.WindowModality.WindowModal)
        yes = box.button(QMessageBox.StandardButton.Yes)
        no = box.button(QMessageBox.StandardButton.No)
        yes.setText(_("Move anyway"))
        no.setText(_("Keep it where it was"))
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered() -> None:
            self._question = None
            if box.clickedButton() is yes:
                self.move(visit_id, start, end, owner_id=owner_id, kind=kind, confirmed=True)
            else:  # "Keep", Esc or the window closed
                self.kept.emit(visit_id, "")

        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(answered)
        self._question = box
        box.open()
