"""The "Set start point…" dialog: where the day's route begins.

Three choices: the first visit of the day (the default), an account's location (searched by
name), or a place typed in (a label and its latitude/longitude, as a map app shows them:
``40.4168`` or ``40,4168``). Errors appear under the field they concern. The choice is
emitted as a :class:`~sfa_desktop.services.today.StartPoint` (``None`` for the first visit);
the workspace remembers it in the preferences.
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.i18n import _, error_message
from sfa_desktop.services.record_lists import show_record
from sfa_desktop.services.today import StartPoint
from sfa_desktop.ui.forms import AccountSource, ReferenceChoice, ReferencePicker
from sfa_desktop.ui.tasks import TaskRunner
from sync_server.protocol.catalog import ACTIVITY

_ERROR_COLOR = "#c62828"


def read_coordinate(text: str, field: str) -> float:
    """A latitude (``field`` "lat") or longitude ("lon") typed with a point or a comma as the
    decimal mark, within ±90 / ±180 degrees."""
    cleaned = text.strip().replace(",", ".")
    if not cleaned:
        raise ValidationError("required", field=field)
    try:
        value = float(cleaned)
    except ValueError:
        raise ValidationError("invalid_number", field=field, params={"value": text}) from None
    if not math.isfinite(value):
        raise ValidationError("invalid_number", field=field, params={"value": text})
    limit = 90 if field == "lat" else 180
    if abs(value) > limit:
        raise ValidationError("out_of_range", field=field, params={"min": -limit, "max": limit})
    return value


class StartPointDialog(QDialog):
    """Choose where the route starts; emits :attr:`chosen` and closes when it is valid."""

    #: The new start point (a :class:`StartPoint`, or ``None`` for "the first visit").
    chosen = Signal(object)

    def __init__(
        self, runner: TaskRunner, current: StartPoint | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("startPointDialog")
        self._runner = runner
        self._busy = False
        self._first_visit = QRadioButton(self)
        self._first_visit.setObjectName("startFirstVisit")
        self._from_account = QRadioButton(self)
        self._from_account.setObjectName("startFromAccount")
        self._from_place = QRadioButton(self)
        self._from_place.setObjectName("startFromPlace")
        self._account = ReferencePicker(
            "visit", ACTIVITY.field("account_id"), self, runner=runner, source=AccountSource()
        )
        self._account.changed.connect(lambda: self._from_account.setChecked(True))
        self._label = QLineEdit(self)
        self._label.setObjectName("startLabel")
        self._latitude = QLineEdit(self)
        self._latitude.setObjectName("startLatitude")
        self._longitude = QLineEdit(self)
        self._longitude.setObjectName("startLongitude")
        for edit in (self._label, self._latitude, self._longitude):
            edit.textEdited.connect(lambda _text: self._from_place.setChecked(True))
        self._errors = {
            name: self._error_label(name) for name in ("account", "label", "lat", "lon")
        }
        self._form = QFormLayout()
        self._account_caption = QLabel(self)
        self._label_caption = QLabel(self)
        self._lat_caption = QLabel(self)
        self._lon_caption = QLabel(self)
        self._form.addRow(self._account_caption, self._with_error(self._account.widget, "account"))
        self._form.addRow(self._label_caption, self._with_error(self._label, "label"))
        self._form.addRow(self._lat_caption, self._with_error(self._latitude, "lat"))
        self._form.addRow(self._lon_caption, self._with_error(self._longitude, "lon"))
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self._buttons.accepted.connect(self.apply)
        self._buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._first_visit)
        layout.addWidget(self._from_account)
        layout.addWidget(self._from_place)
        layout.addLayout(self._form)
        layout.addWidget(self._buttons)
        self._show_current(current)
        self.retranslate()
        self.resize(520, self.sizeHint().height())

    def _error_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(f"startError_{name}")
        label.setWordWrap(True)
        palette = label.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(_ERROR_COLOR))
        label.setPalette(palette)
        label.hide()
        return label

    def _with_error(self, editor: QWidget, name: str) -> QWidget:
        cell = QWidget(self)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(editor)
        column.addWidget(self._errors[name])
        return cell

    def _show_current(self, current: StartPoint | None) -> None:
        if current is None:
            self._first_visit.setChecked(True)
            return
        self._from_place.setChecked(True)
        self._label.setText(current.label)
        self._latitude.setText(f"{current.latitude:.6f}")
        self._longitude.setText(f"{current.longitude:.6f}")

    # --- for tests and keyboard users --------------------------------------------------------

    @property
    def account_picker(self) -> ReferencePicker:
        return self._account

    def choose_first_visit(self) -> None:
        self._first_visit.setChecked(True)

    def choose_account(self, choice: ReferenceChoice) -> None:
        self._account.choose(choice)
        self._from_account.setChecked(True)

    def enter_place(self, label: str, latitude: str, longitude: str) -> None:
        self._label.setText(label)
        self._latitude.setText(latitude)
        self._longitude.setText(longitude)
        self._from_place.setChecked(True)

    def error_text(self, name: str) -> str:
        """The error under ``name`` ("account", "label", "lat", "lon"); "" if none."""
        label = self._errors[name]
        return label.text() if not label.isHidden() else ""

    # --- applying ----------------------------------------------------------------------------

    def apply(self) -> None:
        """Check the choice; emit it and close when valid, else show what is wrong."""
        if self._busy:
            return
        self._clear_errors()
        if self._first_visit.isChecked():
            self._done(None)
        elif self._from_account.isChecked():
            self._apply_account()
        else:
            self._apply_place()

    def _apply_place(self) -> None:
        problems: list[ValidationError] = []
        label = self._label.text().strip()
        if not label:
            problems.append(ValidationError("required", field="label"))
        coordinates: list[float] = []
        for edit, field in ((self._latitude, "lat"), (self._longitude, "lon")):
            try:
                coordinates.append(read_coordinate(edit.text(), field))
            except ValidationError as error:
                problems.append(error)
        if problems:
            for problem in problems:
                self._show_error(
                    problem.field or "label", error_message(problem.code, **problem.params)
                )
            return
        self._done(StartPoint(label, coordinates[0], coordinates[1]))

    def _apply_account(self) -> None:
        try:
            account_id = self._account.value()
        except ValidationError as error:
            self._show_error("account", error_message(error.code, **error.params))
            return
        if account_id is None:
            self._show_error("account", error_message("required"))
            return
        self._busy = True
        self._runner.run_db(
            lambda session: show_record(session, "account", account_id),
            on_done=self._account_loaded,
            on_error=lambda error: self._account_loaded(None),
            owner=self,
        )

    def _account_loaded(self, account: dict[str, Any] | None) -> None:
        self._busy = False
        if account is None or account.get("deleted_at") is not None:
            self._show_error("account", _("This account no longer exists."))
            return
        lat, lon = account.get("latitude"), account.get("longitude")
        try:
            point = StartPoint(str(account["name"]), float(lat), float(lon))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self._show_error(
                "account",
                _("This account has no location. Choose another one or enter a place."),
            )
            return
        self._done(point)

    def _done(self, point: StartPoint | None) -> None:
        self.chosen.emit(point)
        self.accept()

    def _show_error(self, name: str, text: str) -> None:
        label = self._errors[name]
        label.setText(text)
        label.show()

    def _clear_errors(self) -> None:
        for label in self._errors.values():
            label.clear()
            label.hide()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Set start point"))
        self._first_visit.setText(_("The first visit of the day"))
        self._from_account.setText(_("An account's location"))
        self._from_place.setText(_("A place (address and coordinates)"))
        self._account_caption.setText(_("Account:"))
        self._label_caption.setText(_("Place:"))
        self._label.setPlaceholderText(_("e.g. Office, Home, Calle Mayor 1"))
        self._lat_caption.setText(_("Latitude:"))
        self._latitude.setPlaceholderText("40.4168")
        self._lon_caption.setText(_("Longitude:"))
        self._longitude.setPlaceholderText("-3.7038")
        self._account.retranslate()
