"""The account dialog: every field a rep edits, in two columns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtWidgets import QWidget

from sfa_desktop.i18n import _
from sfa_desktop.services.similar_accounts import SimilarAccount, similar_accounts
from sfa_desktop.ui.tasks import TaskRunner

from .record_dialog import RecordDialog, SaveWarning
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
        "annual_potential",
        "tags",
    ),
    ("address", "postal_code", "city", "region", "country", "phone", "email", "website"),
)
ACCOUNT_WIDE = ("needs", "notes")


def _similar_read(
    values: Mapping[str, Any], record_id: str | None, changed: Mapping[str, Any]
) -> Callable[[Any], list[SimilarAccount]] | None:
    """A new account, or an edit of its name or city: look for similar accounts."""
    if record_id is not None and not ({"name", "city"} & changed.keys()):
        return None
    name, city = values.get("name"), values.get("city")
    return lambda session: similar_accounts(session, name, city, exclude_id=record_id)


def describe_similar(accounts: list[SimilarAccount]) -> str:
    """The warning listing the candidates (name · city · owner), or "" when there are none."""
    if not accounts:
        return ""
    lines = [_("Accounts with a similar name in the same city:")]
    lines += [f"• {a.name} · {a.city} · {a.owner_name or '—'}" for a in accounts]
    lines.append(_("If this is a different customer, save again (Save anyway)."))
    return "\n".join(lines)


SIMILAR_ACCOUNTS = SaveWarning(read=_similar_read, describe=describe_similar)


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
            "annual_potential": lambda: _("What it could buy from us in a year"),
        },
    )
    dialog = RecordDialog(
        runner,
        form,
        title=(lambda: _("New account")) if record_id is None else (lambda: _("Edit account")),
        record_id=record_id,
        initial=initial,
        warning=SIMILAR_ACCOUNTS,
        parent=parent,
    )
    dialog.resize(900, dialog.sizeHint().height())
    return dialog
