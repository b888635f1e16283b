"""How many quotes await the current user's approval, re-read when it may have changed.

:class:`ApprovalsCounter` reads the count on the database thread
(:func:`~sfa_desktop.services.quote_review.awaiting_my_approval_count`, "today" from its clock)
and reports it by :attr:`ApprovalsCounter.count_changed`; the composition root refreshes it at
start, after each sync and after a quote changed in the app.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from sfa_desktop.services.quote_review import awaiting_my_approval_count
from sfa_desktop.ui.tasks import TaskRunner

_log = logging.getLogger(__name__)


class ApprovalsCounter(QObject):
    """The count of quotes awaiting the user's approval (0 for a rep)."""

    #: the count changed (or was read for the first time)
    count_changed = Signal(int)

    def __init__(
        self,
        runner: TaskRunner,
        *,
        today: Callable[[], dt.date],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._today = today
        self._count: int | None = None

    @property
    def count(self) -> int | None:
        """The last count read (None before the first)."""
        return self._count

    def refresh(self) -> None:
        """Re-read the count (database thread)."""
        if self._runner.is_shut_down or self._runner.database is None:
            return
        today = self._today()
        self._runner.run_db(
            lambda session: awaiting_my_approval_count(session, today=today),
            on_done=self._counted,
            on_error=lambda error: _log.warning("cannot count quotes awaiting approval: %s", error),
            key=(id(self), "count"),
            owner=self,
        )

    def _counted(self, count: int) -> None:
        if count != self._count:
            self._count = count
            self.count_changed.emit(count)
