"""Exporting contacts as a vCard file: ask where (a save dialog), then write it off the UI thread."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDir, QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from sfa_desktop.i18n import _
from sfa_desktop.services.exports.vcard import contacts_to_vcards
from sfa_desktop.services.record_lists import show_record
from sfa_desktop.ui.tasks import TaskRunner


def write_vcards(session: Any, contact_ids: list[str], path: Path) -> int:
    """Database thread: write the contacts as one UTF-8 ``.vcf`` file; returns how many."""
    contacts = [record for i in contact_ids if (record := show_record(session, "contact", i))]
    names: dict[str, str] = {}
    for contact in contacts:
        account = show_record(session, "account", contact["account_id"])
        if account is not None:
            names[contact["account_id"]] = account["name"]
    path.write_text(contacts_to_vcards(contacts, account_names=names), encoding="utf-8")
    return len(contacts)


class VcardExport(QObject):
    """One "Export vCard…" at a time: the file dialog, then the write."""

    #: The file was written: (how many contacts, the file's name).
    exported = Signal(int, str)
    #: Writing failed (database or file error).
    failed = Signal(object)

    def __init__(self, runner: TaskRunner, window: QWidget, *, native_dialogs: bool = True) -> None:
        super().__init__(window)
        self._runner = runner
        self._window = window
        self._native_dialogs = native_dialogs
        self._dialog: QFileDialog | None = None

    @property
    def dialog(self) -> QFileDialog | None:
        """The file dialog while it is open."""
        return self._dialog

    def start(self, contact_ids: list[str], suggested_name: str) -> None:
        """Ask where to save ``contact_ids`` (ignored while a dialog is already open)."""
        if not contact_ids or self._dialog is not None:
            return
        dialog = QFileDialog(self._window, _("Export vCard"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter(_("vCard files (*.vcf)"))
        dialog.setDefaultSuffix("vcf")
        dialog.setDirectory(QDir.homePath())
        dialog.selectFile(f"{suggested_name}.vcf")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, not self._native_dialogs)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        ids = list(contact_ids)
        dialog.fileSelected.connect(lambda name: self._write(ids, Path(name)))
        dialog.finished.connect(self._closed)
        self._dialog = dialog
        dialog.open()

    def _write(self, ids: list[str], path: Path) -> None:
        self._runner.run_db(
            lambda session: write_vcards(session, ids, path),
            on_done=lambda count: self.exported.emit(count, path.name),
            on_error=self.failed.emit,
            owner=self,
        )

    def _closed(self) -> None:
        self._dialog = None
