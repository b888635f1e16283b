"""The "Plan a visit" dialog: account (search), one of its contacts, kind, times, subject, notes.

Saves through :func:`sfa_desktop.services.visits.plan_visit`; the times are checked by
:func:`sfa_desktop.domain.agenda.validate_visit_times` there, and every error appears under
its field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtWidgets import QWidget

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.i18n import _
from sfa_desktop.services.visits import (
    AgendaClock,
    ScheduleWarnings,
    VisitPlan,
    plan_visit,
    schedule_warnings,
)
from sfa_desktop.ui.forms import ContactSource, RecordForm
from sfa_desktop.ui.forms.date_editors import DateTimeEditor
from sfa_desktop.ui.tasks import TaskRunner

from .display import warning_lines
from .use_case_dialog import UseCaseDialog, WarningCheck, Write

DEFAULT_DURATION = dt.timedelta(hours=1)
#: Planning for another day starts at this local hour by default.
DEFAULT_HOUR = 9
_SLOT = dt.timedelta(minutes=30)


def default_start(day: dt.date, clock: AgendaClock) -> dt.datetime:
    """Today: the next half hour from now; another day: 09:00 local (aware UTC)."""
    if day == clock.today():
        now = clock.local_now()
        base = now.replace(minute=0, second=0, microsecond=0)
        while base <= now:
            base += _SLOT
        return base.astimezone(dt.UTC)
    local = dt.datetime.combine(day, dt.time(DEFAULT_HOUR), tzinfo=clock.tz)
    return local.astimezone(dt.UTC)


class PlanVisitDialog(UseCaseDialog):
    """Plan an activity; ``account_id`` preselects the account (from its page or Today).

    ``follow_up_of_id``: the activity is the follow-up of that done one (linked on save).
    """

    def __init__(
        self,
        runner: TaskRunner,
        *,
        clock: AgendaClock,
        day: dt.date,
        account_id: str | None = None,
        follow_up_of_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        contacts = ContactSource(account_id)
        form = RecordForm(
            runner,
            "visit",
            [["account_id", "contact_id", "kind"], ["planned_start", "planned_end", "subject"]],
            wide=["notes"],
            references={"contact": contacts},
            hints={"subject": lambda: _("What is it about? (optional)")},
        )
        super().__init__(runner, form, clock=clock, parent=parent)
        self.setObjectName("planVisitDialog")
        self._contacts = contacts
        self._follow_up_of_id = follow_up_of_id
        start = default_start(day, clock)
        self._duration = DEFAULT_DURATION
        form.set_record(
            {
                "account_id": account_id,
                "kind": "visit",
                "planned_start": start,
                "planned_end": start + DEFAULT_DURATION,
            }
        )
        form.editor("account_id").changed.connect(self._account_changed)
        form.editor("planned_start").changed.connect(self._start_changed)
        form.editor("planned_end").changed.connect(self._end_changed)
        self.retranslate()
        self.resize(760, self.sizeHint().height())
        form.focus_first_empty()

    def _account_changed(self) -> None:
        try:
            account_id = self.form.editor("account_id").value()
        except ValidationError:
            return  # still typing
        if account_id != self._contacts.account_id:
            self._contacts.account_id = account_id
            self.form.editor("contact_id").set_value(None)

    def _account_chosen(self) -> bool:
        try:
            return bool(self.form.editor("account_id").value())
        except ValidationError:
            return False

    def _kind(self) -> str:
        try:
            return str(self.form.editor("kind").value() or "visit")
        except ValidationError:
            return "visit"

    def _times(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        start = self.form.editor("planned_start").value()
        end = self.form.editor("planned_end").value()
        return start, end

    def _start_changed(self) -> None:
        """Moving the start moves the end with it (the duration stays)."""
        start, _end = self._times()
        if start is None:
            return
        end_editor = self.form.editor("planned_end")
        assert isinstance(end_editor, DateTimeEditor)
        end_editor.set_value(start + self._duration)

    def _end_changed(self) -> None:
        start, end = self._times()
        if start is not None and end is not None and end > start:
            self._duration = end - start

    def read_form(self) -> Write:
        values: dict[str, Any] = self.form.values(changed_only=False)
        plan = VisitPlan(
            account_id=values.get("account_id"),
            contact_id=values.get("contact_id"),
            kind=values.get("kind") or "visit",
            start=values.get("planned_start"),
            end=values.get("planned_end"),
            subject=values.get("subject"),
            notes=values.get("notes"),
            follow_up_of_id=self._follow_up_of_id,
        )
        return lambda session, context: plan_visit(session, context, plan)

    def warning_check(self) -> WarningCheck | None:
        """Warn (the user may still plan it) when the time has passed or the visit overlaps
        another planned one of the same user (:func:`~sfa_desktop.services.visits.schedule_warnings`)."""
        start, end = self._times()
        if start is None or end is None or end <= start or not self._account_chosen():
            return None  # the errors come first: planning reports them
        tz = self._clock.tz
        kind = self._kind()

        def read(session: Any, context: Any) -> ScheduleWarnings:
            return schedule_warnings(session, context, start, end, kind=kind)

        def describe(found: ScheduleWarnings) -> str:
            lines = warning_lines(found, tz)
            if lines:
                lines.append(_("Plan it anyway? Save again to confirm."))
            return "\n".join(lines)

        return read, describe

    def retranslate(self) -> None:
        self.setWindowTitle(_("Plan a visit"))
        super().retranslate()
        self.save_button().setText(_("&Plan"))
        self.save_button().setToolTip(_("Plan the visit (Ctrl+Enter)"))
        self.retranslate_warning()
