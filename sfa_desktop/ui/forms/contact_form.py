"""The contact dialog, with the marketing consent rules.

Consent is given or not; when given it has a date (ticking the box fills in now) and a source
(required: where the contact agreed, e.g. "trade fair form"). Unticking it clears both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import QCheckBox, QWidget

from sfa_desktop.domain.errors import ValidationError
from sfa_desktop.i18n import _
from sfa_desktop.ui.tasks import TaskRunner

from .date_editors import DateTimeEditor
from .record_dialog import RecordDialog
from .record_form import RecordForm
from .reference_picker import ContactSource

CONTACT_COLUMNS = (
    ("account_id", "first_name", "last_name", "job_title", "purchase_role", "preferred_channel"),
    ("email", "phone", "mobile", "marketing_consent", "consent_at", "consent_source"),
)
CONTACT_WIDE = ("notes",)


def consent_rules(values: Mapping[str, Any]) -> list[ValidationError]:
    """Consent given needs its date and its source."""
    if not values.get("marketing_consent"):
        return []
    return [
        ValidationError("required", field=name)
        for name in ("consent_at", "consent_source")
        if values.get(name) in (None, "")
    ]


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def contact_dialog(
    runner: TaskRunner,
    *,
    record_id: str | None = None,
    initial: Mapping[str, Any] | None = None,
    now: Callable[[], dt.datetime] = _utc_now,
    parent: QWidget | None = None,
) -> RecordDialog:
    """A dialog creating a contact (``record_id`` ``None``) or editing one."""
    form = RecordForm(
        runner,
        "contact",
        CONTACT_COLUMNS,
        wide=CONTACT_WIDE,
        references={"contact": ContactSource()},
        hints={
            "email": lambda: _("name@company.com"),
            "consent_source": lambda: _("Where they agreed, e.g. trade fair form"),
        },
    )
    _wire_consent(form, now)
    dialog = RecordDialog(
        runner,
        form,
        title=(lambda: _("New contact")) if record_id is None else (lambda: _("Edit contact")),
        record_id=record_id,
        initial=initial,
        rules=consent_rules,
        parent=parent,
    )
    dialog.resize(820, dialog.sizeHint().height())
    return dialog


def _wire_consent(form: RecordForm, now: Callable[[], dt.datetime]) -> None:
    consent = form.editor("marketing_consent").widget
    when = form.editor("consent_at")
    source = form.editor("consent_source")
    assert isinstance(when, DateTimeEditor) and isinstance(consent, QCheckBox)

    def follow(given: bool) -> None:
        when.widget.setEnabled(given)
        source.widget.setEnabled(given)

    def on_clicked(given: bool) -> None:  # the user's own click, not loading a record
        if given and when.value() is None:
            when.set_value(now().replace(second=0, microsecond=0))
            source.focus_widget().setFocus()
        if not given:
            when.set_value(None)
            source.set_value(None)

    if when.set_check is not None:  # the consent box says whether there is a date
        when.set_check.hide()
    consent.toggled.connect(follow)
    consent.clicked.connect(on_clicked)
    follow(False)
