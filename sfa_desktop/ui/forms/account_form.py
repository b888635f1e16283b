"""The account dialog: every field a rep edits, in two columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from sfa_desktop.i18n import _
from sfa_desktop.ui.tasks import TaskRunner

from .record_dialog import RecordDialog
from .record_form import RecordForm

ACCOUNT_COLUMNS = (
    (
        "name",
        "tax_id",
        "industry",
        "owner_id",
        "lifecycle_stage",
        "preferred_channel",
        "visit_cadence_days",
        "tags",
    ),
    ("address", "postal_code", "city", "region", "country", "phone", "email", "website"),
)
ACCOUNT_WIDE = ("needs", "notes")


def account_dialog(
    runner: TaskRunner,
    *,
    record_id: str | None = None,
    initial: Mapping[str, Any] | None = None,
    parent: QWidget | None = None,
) -> RecordDialog:
    """A dialog creating an account (``record_id`` ``None``) or editing one."""
    form = RecordForm(
        runner,
        "account",
        ACCOUNT_COLUMNS,
        wide=ACCOUNT_WIDE,
        hints={
            "tags": lambda: _("Comma-separated, e.g. bakery, wholesale"),
            "tax_id": lambda: _("CIF, NIF or VAT number"),
            "website": lambda: "www.example.es",
            "needs": lambda: _("What this customer needs from us, in their words"),
        },
    )
    dialog = RecordDialog(
        runner,
        form,
        title=(lambda: _("New account")) if record_id is None else (lambda: _("Edit account")),
        record_id=record_id,
        initial=initial,
        parent=parent,
    )
    dialog.resize(900, dialog.sizeHint().height())
    return dialog
