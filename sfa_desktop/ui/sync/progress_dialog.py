"""The first sync of a large territory: records received, what is left, and a Hide button.

Hiding only closes the dialog: the sync keeps running in the background and its progress
stays in the status bar.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.i18n import _, format_count, ngettext
from sfa_desktop.services.sync_types import SyncPhase, SyncProgress
from sfa_desktop.ui.icons import icon

#: Seconds of progress needed before a time estimate is shown.
ESTIMATE_AFTER_S = 3.0


def remaining_time_text(seconds: float) -> str:
    if seconds < 60:
        return _("Less than a minute left")
    minutes = math.ceil(seconds / 60)
    return ngettext("About {count} minute left", "About {count} minutes left", minutes).format(
        count=format_count(minutes)
    )


class SyncProgressDialog(QDialog):
    """Non-modal: the app stays usable; :meth:`finish` closes it when the sync ends."""

    def __init__(
        self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self.setObjectName("syncProgressDialog")
        self.setWindowIcon(icon("app"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setMinimumWidth(460)
        self._clock = clock
        self._started: tuple[float, int] | None = None
        self._progress: SyncProgress | None = None

        self._heading = QLabel(self)
        font: QFont = self._heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self._heading.setFont(font)
        self._explanation = QLabel(self)
        self._explanation.setWordWrap(True)
        self._bar = QProgressBar(self)
        self._bar.setObjectName("syncProgressBar")
        self._bar.setTextVisible(False)
        self._bar.setRange(0, 0)
        self._counts = QLabel(self)
        self._counts.setObjectName("syncProgressCounts")
        self._estimate = QLabel(self)
        self._estimate.setObjectName("syncProgressEstimate")
        self._buttons = QDialogButtonBox(self)
        self._hide_button = QPushButton(self)
        self._hide_button.setObjectName("hideSyncProgress")
        self._buttons.addButton(self._hide_button, QDialogButtonBox.ButtonRole.RejectRole)
        self._buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self._heading)
        layout.addWidget(self._explanation)
        layout.addWidget(self._bar)
        numbers = QHBoxLayout()
        numbers.addWidget(self._counts)
        numbers.addStretch(1)
        numbers.addWidget(self._estimate)
        layout.addLayout(numbers)
        layout.addStretch(1)
        layout.addWidget(self._buttons)
        self.retranslate()

    @property
    def hide_button(self) -> QPushButton:
        return self._hide_button

    def counts_text(self) -> str:
        return self._counts.text()

    def estimate_text(self) -> str:
        return self._estimate.text()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Sync"))
        self._heading.setText(_("Receiving your data"))
        self._explanation.setText(
            _(
                "The first sync brings your whole territory to this computer. You can keep "
                "working, or hide this window: sync goes on in the background and its "
                "progress stays in the status bar."
            )
        )
        self._hide_button.setText(_("&Hide"))
        self._show_progress()

    def update_progress(self, progress: SyncProgress) -> None:
        if progress.phase is SyncPhase.PULL and self._started is None:
            self._started = (self._clock(), progress.done)
        self._progress = progress
        self._show_progress()

    def finish(self) -> None:
        self.accept()

    def _show_progress(self) -> None:
        progress = self._progress
        if progress is None or progress.phase is not SyncPhase.PULL:
            self._bar.setRange(0, 0)
            self._counts.setText(_("Sending your changes first…") if progress else "")
            self._estimate.setText("")
            return
        total = progress.total or 0
        if total >= progress.done and total > 0:
            self._bar.setRange(0, total)
            self._bar.setValue(progress.done)
            self._counts.setText(
                _("{done} of {total} records received").format(
                    done=format_count(progress.done), total=format_count(total)
                )
            )
        else:
            self._bar.setRange(0, 0)
            self._counts.setText(
                ngettext(
                    "{count} record received", "{count} records received", progress.done
                ).format(count=format_count(progress.done))
            )
        self._estimate.setText(self._estimate_for(progress))

    def _estimate_for(self, progress: SyncProgress) -> str:
        if not progress.total or progress.total <= progress.done:
            return ""
        left = progress.total - progress.done
        left_text = ngettext(
            "About {count} record left", "About {count} records left", left
        ).format(count=format_count(left))
        if self._started is None:
            return left_text
        started_at, started_done = self._started
        elapsed = self._clock() - started_at
        received = progress.done - started_done
        if elapsed < ESTIMATE_AFTER_S or received <= 0:
            return left_text
        return f"{left_text} · {remaining_time_text(left * elapsed / received)}"
