"""The Conflicts view's tables: open conflicts and changes the server refused.

The services read both lists (:func:`sfa_desktop.services.conflict_review.load_conflicts`,
database thread); :class:`ConflictsModel` and :class:`RejectedModel` are
:class:`~sfa_desktop.ui.models.column_table.RowsTableModel` tables over them: a cell shows
the first line of a long value, its tooltip the whole value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QObject

from sfa_desktop.i18n import _, pgettext
from sfa_desktop.services.conflict_review import ConflictItem, RejectedItem, ShownValue
from sfa_desktop.ui.account_page.display import show_datetime
from sfa_desktop.ui.forms.field_labels import field_label
from sfa_desktop.ui.models.column_table import RowsTableModel
from sfa_desktop.ui.models.list_query import ROW_ROLE, TableColumn

from .conflict_values import one_line, show_value

#: ``data(index, ITEM_ROLE)`` gives the row's :class:`ConflictItem` / :class:`RejectedItem`.
ITEM_ROLE = ROW_ROLE


# --- words ---------------------------------------------------------------------------------------


def entity_label(entity: str) -> str:
    """What kind of record, in the current language ("Account")."""
    labels = {
        "account": pgettext("record kind", "Account"),
        "contact": pgettext("record kind", "Contact"),
        "visit": pgettext("record kind", "Visit"),
        "opportunity": pgettext("record kind", "Opportunity"),
        "opportunity_stage_change": pgettext("record kind", "Stage change"),
        "quote": pgettext("record kind", "Quote"),
        "quote_line": pgettext("record kind", "Quote line"),
        "forecast_submission": pgettext("record kind", "Forecast"),
        "forecast_adjustment": pgettext("record kind", "Forecast adjustment"),
        "conflict": pgettext("record kind", "Conflict"),
    }
    return labels.get(entity, entity.replace("_", " "))


def record_text(entity: str, title: str | None) -> str:
    """``Account · Ferretería Martínez`` (or just the kind when the record is not here)."""
    kind = entity_label(entity)
    return f"{kind} · {title}" if title else kind


def conflict_field_label(entity: str, field: str) -> str:
    if field == "deleted_at":
        return pgettext("conflict", "Deletion")
    return field_label(entity, field)


def conflict_reason_text(reason: str | None) -> str:
    reasons = {
        "concurrent_edit": _("Two people changed this field at the same time."),
        "record_deleted": _("The change reached a record that had been deleted."),
        "deleted_after_edit": _("The record was deleted after a change its author had not seen."),
        "edited_after_delete": _("The record was changed after a delete, so it was kept."),
    }
    return reasons.get(reason or "", "")


def rejection_reason_text(code: str, message: str | None) -> str:
    reasons = {
        "not_found": _("You may not change this record, or it no longer exists on the server."),
        "forbidden": _("You are not allowed to make this change."),
        "bad_reference": _("It refers to a record that does not exist on the server."),
        "read_only": _("This cannot be changed here: it is managed by the server."),
        "bad_value": _("The server did not accept the value."),
        "required": _("A value is required."),
        "parent_deleted": _("The record it belongs to has been deleted: restore that one first."),
        "create_refused": _(
            "The new record was not accepted, so this change to it was not saved either."
        ),
        "push_failed": _(
            "The server failed on this change several times: it was set aside so that the "
            "rest could sync."
        ),
        "unsendable": _("This change could not be sent: it is not valid."),
    }
    return reasons.get(code) or message or code


def moment(value: dt.datetime) -> str:
    """As every list shows an instant: ``25 nov 2026, 14:45``."""
    return show_datetime(value)


# --- models --------------------------------------------------------------------------------------


def _conflict_record(item: ConflictItem) -> str:
    return record_text(item.row.entity, item.row.record_title)


def _conflict_reason(item: ConflictItem) -> str | None:
    return conflict_reason_text(item.row.reason) or None


def _conflict_field(item: ConflictItem) -> str:
    return conflict_field_label(item.row.entity, item.row.field)


def _value_column(
    attribute: str, title: Callable[[], str], side: Callable[[ConflictItem], ShownValue]
) -> TableColumn:
    """One side of a conflict: its first line in the cell, the whole value as the tooltip."""
    return TableColumn(
        attribute,
        title,
        cell=lambda item: one_line(show_value(side(item))),
        tooltip=lambda item: show_value(side(item)) or None,
    )


class ConflictsModel(RowsTableModel[ConflictItem]):
    """Open conflicts, newest first: record, field, the two values, who and when."""

    RECORD, FIELD, KEPT, KEPT_BY, LOST, LOST_BY, WHEN = range(7)

    def __init__(self, parent: QObject | None = None) -> None:
        columns = (
            TableColumn(
                "record",
                lambda: pgettext("conflict", "Record"),
                cell=_conflict_record,
                tooltip=_conflict_reason,
            ),
            TableColumn("field", lambda: pgettext("conflict", "Field"), cell=_conflict_field),
            _value_column("kept", lambda: _("Value kept"), lambda item: item.kept),
            TableColumn("kept_by", lambda: _("Changed by"), cell=self._kept_by),
            _value_column("lost", lambda: _("Value not kept"), lambda item: item.lost),
            TableColumn("lost_by", lambda: _("Changed by"), cell=self._lost_by),
            TableColumn(
                "when",
                lambda: pgettext("conflict", "When"),
                cell=lambda item: moment(item.row.occurred_at),
            ),
        )
        super().__init__(columns, row_id=lambda item: item.row.id, parent=parent)
        self._user_id: str | None = None

    def set_items(self, items: list[ConflictItem], user_id: str | None) -> None:
        self._user_id = user_id
        self.set_rows(items)

    def item(self, row: int) -> ConflictItem:
        return self.row_at(row)

    def items(self) -> list[ConflictItem]:
        return self.rows()

    def _kept_by(self, item: ConflictItem) -> str:
        return self._person(item.row.kept_by, item.row.kept_by_id)

    def _lost_by(self, item: ConflictItem) -> str:
        return self._person(item.row.lost_by, item.row.lost_by_id)

    def _person(self, name: str | None, user_id: str | None) -> str:
        if user_id is not None and user_id == self._user_id:
            return pgettext("conflict", "You")
        return name or pgettext("conflict", "Someone")


def _rejected_record(item: RejectedItem) -> str:
    return record_text(item.row.entity, item.record_title)


def _rejected_field(item: RejectedItem) -> str:
    row = item.row
    if row.op == "create":
        return pgettext("conflict", "New record")
    if row.op == "delete":
        return pgettext("conflict", "Deletion")
    return conflict_field_label(row.entity, row.field or "")


def _rejected_value(item: RejectedItem) -> str | None:
    """The whole refused value; ``None`` for a refused create or delete."""
    return None if item.row.op in ("create", "delete") else show_value(item.value)


class RejectedModel(RowsTableModel[RejectedItem]):
    """Changes the server refused: record, field, value and why."""

    RECORD, FIELD, VALUE, REASON, WHEN = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        columns = (
            TableColumn("record", lambda: pgettext("conflict", "Record"), cell=_rejected_record),
            TableColumn("field", lambda: pgettext("conflict", "Field"), cell=_rejected_field),
            TableColumn(
                "value",
                lambda: _("Value"),
                cell=lambda item: one_line(_rejected_value(item) or ""),
                tooltip=_rejected_value,
            ),
            TableColumn(
                "reason",
                lambda: _("Why it was refused"),
                cell=lambda item: rejection_reason_text(item.row.code, item.row.message),
            ),
            TableColumn(
                "when",
                lambda: pgettext("conflict", "When"),
                cell=lambda item: moment(item.row.rejected_at),
            ),
        )
        super().__init__(columns, row_id=lambda item: str(item.row.id), parent=parent)

    def set_items(self, items: list[RejectedItem]) -> None:
        self.set_rows(items)

    def item(self, row: int) -> RejectedItem:
        return self.row_at(row)
