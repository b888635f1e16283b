"""Running a visit use case (check in, cancel, no-show, tick off a task) on the database thread.

Today and Visits both offer these one-click actions; each runs one use case of
:mod:`sfa_desktop.services.visits` in one transaction, with an edit context whose clock is the
app's :class:`~sfa_desktop.services.visits.AgendaClock`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject

from sfa_desktop.i18n import _
from sfa_desktop.services.editing import EditContext, load_edit_context
from sfa_desktop.services.visits import (
    AgendaClock,
    cancel_visit,
    check_in,
    complete_task,
    mark_no_show,
)
from sfa_desktop.ui.tasks import Task, TaskRunner

T = TypeVar("T")
VisitChange = Callable[[Any, EditContext, str], object]

#: The one-click changes, by name: (use case, message shown once it is done).
CHANGES: dict[str, VisitChange] = {
    "check_in": check_in,
    "cancel": cancel_visit,
    "no_show": mark_no_show,
    "complete_task": complete_task,
}


def change_done_message(change: str) -> str:
    """What the status bar says after ``change``."""
    return {
        "check_in": _("Checked in."),
        "cancel": _("Visit cancelled."),
        "no_show": _("Marked as no-show."),
        "complete_task": _("Task done."),
    }[change]


def run_visit_change(
    runner: TaskRunner,
    clock: AgendaClock,
    change: str,
    visit_id: str,
    *,
    on_done: Callable[[object], None],
    on_error: Callable[[BaseException], None],
    owner: QObject | None = None,
) -> Task:
    """Run the use case ``change`` ("check_in", "cancel", "no_show", "complete_task") on ``visit_id``."""
    use_case = CHANGES[change]
    now = clock.now

    def write(session: Any) -> object:
        return use_case(session, load_edit_context(session, now=now), visit_id)

    return runner.run_db(write, on_done=on_done, on_error=on_error, owner=owner)
