"""Date and date-time editors, with a "not set" state for optional fields.

An optional date shows a check box before the date: unticked, the date is greyed out and reads
"—" (the value is ``None``); ticking it fills in today (or now) so the user only adjusts it.
Dates are shown in the UI locale with a four-digit year and a calendar pop-up. Date-times are
edited in local time and returned as timezone-aware UTC datetimes, as the store keeps them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime
from PySide6.QtWidgets import QCheckBox, QDateEdit, QDateTimeEdit, QHBoxLayout, QWidget

from sfa_desktop.i18n import _
from sync_server.protocol.catalog import FieldSpec, FieldType

from .field_editors import NO_VALUE, FieldEditor

_NONE_DATE = QDate(1900, 1, 1)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def date_display_format() -> str:
    """The locale's short date format with a four-digit year (``d/M/yyyy`` in Spanish)."""
    pattern = QLocale().dateFormat(QLocale.FormatType.ShortFormat)
    if "yyyy" not in pattern:
        pattern = pattern.replace("yy", "yyyy")
    return pattern


def datetime_display_format() -> str:
    return f"{date_display_format()} {QLocale().timeFormat(QLocale.FormatType.ShortFormat)}"


class DateTimeEditor(FieldEditor):
    """Edits a DATE or DATETIME field; optional ones can be "not set"."""

    def __init__(
        self,
        entity: str,
        spec: FieldSpec,
        parent: QWidget,
        *,
        now: Callable[[], dt.datetime] = _utc_now,
    ) -> None:
        super().__init__(entity, spec, parent)
        self._now = now
        self._with_time = spec.type is FieldType.DATETIME
        self._container = QWidget(parent)
        self._container.setObjectName(f"field_{spec.name}")
        self._edit: QDateEdit | QDateTimeEdit = (
            QDateTimeEdit(self._container) if self._with_time else QDateEdit(self._container)
        )
        self._edit.setCalendarPopup(True)
        self._edit.setMinimumDate(_NONE_DATE)
        self._edit.setSpecialValueText(NO_VALUE)
        self._set_check: QCheckBox | None = None
        row = QHBoxLayout(self._container)
        row.setContentsMargins(0, 0, 0, 0)
        if not spec.required:
            self._set_check = QCheckBox(self._container)
            self._set_check.setObjectName(f"field_{spec.name}_set")
            self._set_check.toggled.connect(self._on_set_toggled)
            row.addWidget(self._set_check)
        row.addWidget(self._edit)
        row.addStretch(1)
        self._edit.dateTimeChanged.connect(self.changed)
        self.retranslate()
        current = self._now()
        initial = current if self._with_time else current.astimezone().date()
        self.set_value(None if self._set_check is not None else initial)

    @property
    def widget(self) -> QWidget:
        return self._container

    @property
    def date_edit(self) -> QDateEdit | QDateTimeEdit:
        return self._edit

    @property
    def set_check(self) -> QCheckBox | None:
        """The "has a date" check box of an optional field (``None`` if required)."""
        return self._set_check

    def focus_widget(self) -> QWidget:
        return self._edit

    def is_set(self) -> bool:
        return self._set_check is None or self._set_check.isChecked()

    def value(self) -> dt.date | dt.datetime | None:
        if not self.is_set():
            return None
        if self._with_time:
            seconds = self._edit.dateTime().toSecsSinceEpoch()
            return dt.datetime.fromtimestamp(seconds, dt.UTC)
        qdate = self._edit.date()
        return dt.date(qdate.year(), qdate.month(), qdate.day())

    def set_value(self, value: Any) -> None:
        if value is None:
            self._show(None)
            if self._set_check is not None:
                self._set_check.setChecked(False)
            return
        self._show(value)
        if self._set_check is not None:
            blocked = self._set_check.blockSignals(True)
            self._set_check.setChecked(True)
            self._set_check.blockSignals(blocked)
            self._edit.setEnabled(True)

    def _show(self, value: dt.date | dt.datetime | None) -> None:
        blocked = self._edit.blockSignals(True)
        try:
            if value is None:
                self._edit.setDate(_NONE_DATE)
                self._edit.setEnabled(self._set_check is None)
            elif isinstance(value, dt.datetime):
                local = QDateTime.fromSecsSinceEpoch(int(value.timestamp()))
                self._edit.setDateTime(local)
            else:
                self._edit.setDate(QDate(value.year, value.month, value.day))
        finally:
            self._edit.blockSignals(blocked)

    def _on_set_toggled(self, checked: bool) -> None:
        if checked:
            now = self._now()
            self._show(now if self._with_time else now.astimezone().date())
            if self._with_time:  # whole minutes: nobody types seconds
                shown = self._edit.dateTime()
                self._edit.setDateTime(
                    QDateTime(shown.date(), QTime(shown.time().hour(), shown.time().minute()))
                )
            self._edit.setEnabled(True)
        else:
            self._show(None)
        self.changed.emit()

    def retranslate(self) -> None:
        self._edit.setLocale(QLocale())
        self._edit.setDisplayFormat(
            datetime_display_format() if self._with_time else date_display_format()
        )
        if self._set_check is not None:
            self._set_check.setToolTip(_("Tick to set a date; untick to leave it empty"))
