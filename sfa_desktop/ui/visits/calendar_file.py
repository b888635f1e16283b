"""Exporting the agenda's planned visits as an iCalendar (.ics) file.

Reading the visits, building the calendar and writing the file all happen on the database
thread; the UI only picks the file name (``QFileDialog``) and reports the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from sfa_desktop.i18n import _, enum_label, pgettext
from sfa_desktop.services.agenda import calendar_visits
from sfa_desktop.services.exports.icalendar_export import export_visits
from sfa_desktop.ui.tasks import Task, TaskRunner
from sync_server.protocol.catalog import ACTIVITY_KINDS


@dataclass(frozen=True)
class CalendarWritten:
    path: Path
    exported: int


def calendar_labels() -> dict[str, str]:
    """The export's labels in the current language (read on the UI thread)."""
    labels = {kind: enum_label("activity_kind", kind) for kind in ACTIVITY_KINDS}
    labels["contact"] = pgettext("calendar", "Contact")
    labels["next_step"] = pgettext("calendar", "Next step")
    return labels


def write_calendar(
    runner: TaskRunner,
    *,
    path: Path,
    start: dt.datetime,
    end: dt.datetime,
    mine: bool,
    calendar_name: str,
    now: Callable[[], dt.datetime],
    on_done: Callable[[CalendarWritten], None],
    on_error: Callable[[BaseException], None],
    owner: QObject | None = None,
) -> Task:
    """Write the planned visits of ``[start, end)`` (``mine``: the user's) to ``path``."""
    labels = calendar_labels()

    def export(session: Any) -> CalendarWritten:
        visits = calendar_visits(session, start=start, end=end, mine=mine)
        calendar = export_visits(visits, calendar_name=calendar_name, now=now(), labels=labels)
        path.write_bytes(calendar.data)
        return CalendarWritten(path, calendar.exported)

    return runner.run_db(export, on_done=on_done, on_error=on_error, owner=owner)


class CalendarExport(QObject):
    """Asks for a file name (a save dialog) and writes the agenda's planned visits there."""

    #: The file was written (a :class:`CalendarWritten`).
    written = Signal(object)
    #: Writing failed (the exception).
    failed = Signal(object)

    def __init__(
        self,
        runner: TaskRunner,
        window: QWidget,
        *,
        now: Callable[[], dt.datetime],
        native_dialogs: bool = True,
    ) -> None:
        super().__init__(window)
        self._runner = runner
        self._window = window
        self._now = now
        self._native_dialogs = native_dialogs
        self._dialog: QFileDialog | None = None

    @property
    def dialog(self) -> QFileDialog | None:
        """The save dialog while it is open."""
        return self._dialog

    def ask(self, suggested_name: str, write: Callable[[Path], None]) -> QFileDialog:
        """Open the save dialog; ``write(path)`` runs once a file is chosen."""
        dialog = QFileDialog(self._window, _("Export to calendar"))
        dialog.setObjectName("calendarFileDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter(_("iCalendar files (*.ics)"))
        dialog.setDefaultSuffix("ics")
        dialog.setDirectory(QDir.homePath())
        dialog.selectFile(suggested_name)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, not self._native_dialogs)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda name: write(Path(name)))
        dialog.finished.connect(self._closed)
        self._dialog = dialog
        dialog.open()
        return dialog

    def _closed(self) -> None:
        self._dialog = None

    def write(
        self, path: Path, *, start: dt.datetime, end: dt.datetime, calendar_name: str
    ) -> None:
        """Write the user's planned visits of ``[start, end)`` to ``path``."""
        write_calendar(
            self._runner,
            path=path,
            start=start,
            end=end,
            mine=True,
            calendar_name=calendar_name,
            now=self._now,
            on_done=self.written.emit,
            on_error=self.failed.emit,
            owner=self,
        )
