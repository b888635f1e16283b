"""The account page's small lists: contacts, open opportunities, open quotes.

They hold a handful of rows that arrive with the page (no paging), described with the same
:class:`~sfa_desktop.ui.models.paged_model.TableColumn` as the big lists.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from sfa_desktop.domain.validation import format_phone
from sfa_desktop.i18n import _, enum_label
from sfa_desktop.services.account_page import (
    ContactSummary,
    OpportunitySummary,
    QuoteSummary,
)
from sfa_desktop.ui.account_page.display import show_date, show_money
from sfa_desktop.ui.models.column_table import RowsTableModel
from sfa_desktop.ui.models.paged_model import RIGHT_ALIGNED, TableColumn


def _contact_phone(row: ContactSummary) -> str:
    number = row.mobile or row.phone
    return format_phone(number) if number else ""


CONTACT_COLUMNS = (
    TableColumn("full_name", lambda: _("Name")),
    TableColumn("job_title", lambda: _("Job title")),
    TableColumn(
        "purchase_role",
        lambda: _("Role"),
        text=lambda value: enum_label("purchase_role", value),
    ),
    TableColumn("phone", lambda: _("Phone"), cell=_contact_phone),
)

OPPORTUNITY_COLUMNS = (
    TableColumn("name", lambda: _("Opportunity")),
    TableColumn(
        "stage", lambda: _("Stage"), text=lambda value: enum_label("opportunity_stage", value)
    ),
    TableColumn(
        "amount",
        lambda: _("Amount"),
        cell=lambda r: show_money(r.amount, r.currency),
        alignment=RIGHT_ALIGNED,
    ),
    TableColumn(
        "expected_close_date",
        lambda: _("Expected close"),
        text=show_date,
    ),
)

QUOTE_COLUMNS = (
    TableColumn("number", lambda: _("Quote")),
    TableColumn(
        "shown_status",
        lambda: _("Status"),
        cell=lambda r: enum_label("quote_status", r.shown_status or r.status),
    ),
    TableColumn(
        "net_amount",
        lambda: _("Net amount"),
        cell=lambda r: show_money(r.net_amount, r.currency),
        alignment=RIGHT_ALIGNED,
    ),
    TableColumn("valid_until", lambda: _("Valid until"), text=show_date),
)


def contacts_model(parent: QObject | None = None) -> RowsTableModel[ContactSummary]:
    return RowsTableModel(CONTACT_COLUMNS, parent=parent)


def opportunities_model(parent: QObject | None = None) -> RowsTableModel[OpportunitySummary]:
    return RowsTableModel(OPPORTUNITY_COLUMNS, parent=parent)


def quotes_model(parent: QObject | None = None) -> RowsTableModel[QuoteSummary]:
    return RowsTableModel(QUOTE_COLUMNS, parent=parent)
