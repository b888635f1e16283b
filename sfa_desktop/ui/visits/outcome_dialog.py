"""The "Log outcome" dialog: how the visit went, notes, the next step and a follow-up date.

It loads the visit first (its notes are kept and can be added to); saving runs
:func:`sfa_desktop.services.visits.log_outcome`, which closes the visit as done and, with a
follow-up date (or a next step: the next working day), creates the follow-up task (linked
to this one).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from sfa_desktop.i18n import _
from sfa_desktop.services.agenda import AgendaRow, get_agenda_row
from sfa_desktop.services.visits import AgendaClock, VisitOutcome, log_outcome
from sfa_desktop.ui.error_text import describe_error
from sfa_desktop.ui.forms import RecordForm
from sfa_desktop.ui.tasks import TaskRunner

from .display import day_heading, kind_label, status_text, time_range
from .use_case_dialog import UseCaseDialog, Write


class OutcomeDialog(UseCaseDialog):
    """Close the planned activity ``visit_id`` with its outcome."""

    #: The visit is shown (the form can be filled in).
    visit_loaded = Signal()

    def __init__(
        self,
        runner: TaskRunner,
        *,
        clock: AgendaClock,
        visit_id: str,
        parent: QWidget | None = None,
    ) -> None:
        form = RecordForm(
            runner,
            "visit",
            [["outcome", "next_step", "follow_up_date"]],
            wide=["notes"],
            hints={"next_step": lambda: _("What happens next? (optional)")},
        )
        super().__init__(runner, form, clock=clock, parent=parent)
        self.setObjectName("outcomeDialog")
        self._visit_id = visit_id
        self._visit: AgendaRow | None = None
        self.retranslate()
        self.resize(640, self.sizeHint().height())
        self.save_button().setEnabled(False)
        runner.run_db(
            lambda session: get_agenda_row(session, visit_id),
            on_done=self._loaded,
            on_error=lambda error: self.form.show_message(describe_error(error)),
            owner=self,
        )

    @property
    def visit_id(self) -> str:
        return self._visit_id

    @property
    def visit(self) -> AgendaRow | None:
        return self._visit

    def _loaded(self, visit: AgendaRow | None) -> None:
        if visit is None:
            self.form.show_message(_("This visit no longer exists."))
            return
        self._visit = visit
        self.form.set_record({"notes": visit.notes})
        if visit.status == "planned":
            self.save_button().setEnabled(True)
        else:
            self.form.show_message(
                _("This activity is already closed ({status}).").format(
                    status=status_text(visit.status, None, self._clock.tz)
                )
            )
        self.retranslate()
        self.form.editor("outcome").focus_widget().setFocus()
        self.visit_loaded.emit()

    def read_form(self) -> Write:
        values: dict[str, Any] = self.form.values(changed_only=False)
        outcome = VisitOutcome(
            outcome=values.get("outcome") or "",
            notes=values.get("notes"),
            next_step=values.get("next_step"),
            follow_up_date=values.get("follow_up_date"),
        )
        visit_id, tz = self._visit_id, self._clock.tz
        return lambda session, context: log_outcome(session, context, visit_id, outcome, tz=tz)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Log outcome"))
        visit, tz = self._visit, self._clock.tz
        if visit is not None:
            when = ""
            if visit.planned_start is not None:
                day = day_heading(visit.planned_start.astimezone(tz).date())
                when = f"{day}, {time_range(visit.planned_start, visit.planned_end, tz)}"
            parts = [kind_label(visit.kind), visit.account_name or "", when]
            self.set_intro(" · ".join(part for part in parts if part))
        super().retranslate()
        self.save_button().setToolTip(
            _(
                "Close the visit as done; a next step or a follow-up date creates a follow-up "
                "task (by default for the next working day) (Ctrl+Enter)"
            )
        )
