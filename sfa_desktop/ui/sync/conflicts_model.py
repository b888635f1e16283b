"""The Conflicts view's tables: open conflicts and changes the server refused.

:func:`load_conflicts` reads both lists (database thread, through the services);
:class:`ConflictsModel` and :class:`RejectedModel` are read-only table models over them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from babel import dates as babel_dates
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from sqlalchemy.orm import Session

from sfa_desktop.i18n import _, locale_for_formatting, pgettext
from sfa_desktop.services.conflicts import ConflictRow, RejectedRow, list_conflicts, list_rejected
from sfa_desktop.store.meta import MetaKey, get_meta
from sfa_desktop.ui.forms.field_labels import field_label
from sync_server.protocol.catalog import CATALOG

from .conflict_values import ShownValue, load_shown_value, one_line, record_title, show_value

Index = QModelIndex | QPersistentModelIndex
#: ``data(index, ITEM_ROLE)`` gives the row's :class:`ConflictItem` / :class:`RejectedItem`.
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class ConflictItem:
    row: ConflictRow
    kept: ShownValue
    lost: ShownValue


@dataclass(frozen=True)
class RejectedItem:
    row: RejectedRow
    value: ShownValue
    record_title: str | None


@dataclass(frozen=True)
class ConflictsSnapshot:
    conflicts: list[ConflictItem]
    rejected: list[RejectedItem]
    #: the signed-in user ("you" in the lists)
    user_id: str | None


def load_conflicts(session: Session) -> ConflictsSnapshot:
    """Database thread: open conflicts and undismissed rejected changes, ready to show."""
    conflicts = [
        ConflictItem(
            row,
            load_shown_value(session, row.entity, row.record_id, row.field, row.kept_value),
            load_shown_value(session, row.entity, row.record_id, row.field, row.lost_value),
        )
        for row in list_conflicts(session)
    ]
    titles = {item.row.record_id: item.row.record_title for item in conflicts}
    rejected = []
    for row in list_rejected(session):
        field = row.field or ""
        value = load_shown_value(session, row.entity, row.record_id, field, row.value)
        title = (
            titles.get(row.record_id)
            or record_title(session, row.entity, row.record_id)
            or _created_title(row)
        )
        rejected.append(RejectedItem(row, value, title))
    return ConflictsSnapshot(conflicts, rejected, get_meta(session, MetaKey.USER_ID))


def _created_title(row: RejectedRow) -> str | None:
    """A refused create is removed locally: its name travels in the refused values."""
    spec = CATALOG.get(row.entity)
    if spec is None or not isinstance(row.value, dict):
        return None
    title = row.value.get(spec.title_field)
    return str(title) if title else None


# --- words ---------------------------------------------------------------------------------------


def entity_label(entity: str) -> str:
    """What kind of record, in the current language ("Account")."""
    labels = {
        "account": pgettext("record kind", "Account"),
        "contact": pgettext("record kind", "Contact"),
        "visit": pgettext("record kind", "Visit"),
        "opportunity": pgettext("record kind", "Opportunity"),
        "quote": pgettext("record kind", "Quote"),
        "quote_line": pgettext("record kind", "Quote line"),
        "forecast_submission": pgettext("record kind", "Forecast"),
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
    locale = locale_for_formatting()
    return str(babel_dates.format_datetime(value.astimezone(), format="short", locale=locale))


# --- models --------------------------------------------------------------------------------------


class ConflictsModel(QAbstractTableModel):
    """Open conflicts, newest first: record, field, the two values, who and when."""

    RECORD, FIELD, KEPT, KEPT_BY, LOST, LOST_BY, WHEN = range(7)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[ConflictItem] = []
        self._user_id: str | None = None

    def set_items(self, items: list[ConflictItem], user_id: str | None) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._user_id = user_id
        self.endResetModel()

    def item(self, row: int) -> ConflictItem:
        return self._items[row]

    def items(self) -> list[ConflictItem]:
        return list(self._items)

    def retranslate(self) -> None:
        if self._items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, 6))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 6)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (
            pgettext("conflict", "Record"),
            pgettext("conflict", "Field"),
            _("Value kept"),
            _("Changed by"),
            _("Value not kept"),
            _("Changed by"),
            pgettext("conflict", "When"),
        )
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == ITEM_ROLE:
            return item
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(item, index.column(), short=True)
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == self.RECORD:
                return conflict_reason_text(item.row.reason) or None
            return self._text(item, index.column(), short=False) or None
        return None

    def _person(self, name: str | None, user_id: str | None) -> str:
        if user_id is not None and user_id == self._user_id:
            return pgettext("conflict", "You")
        return name or pgettext("conflict", "Someone")

    def _text(self, item: ConflictItem, column: int, *, short: bool) -> str:
        row = item.row
        if column == self.RECORD:
            return record_text(row.entity, row.record_title)
        if column == self.FIELD:
            return conflict_field_label(row.entity, row.field)
        if column in (self.KEPT, self.LOST):
            text = show_value(item.kept if column == self.KEPT else item.lost)
            return one_line(text) if short else text
        if column == self.KEPT_BY:
            return self._person(row.kept_by, row.kept_by_id)
        if column == self.LOST_BY:
            return self._person(row.lost_by, row.lost_by_id)
        if column == self.WHEN:
            return moment(row.occurred_at)
        return ""


class RejectedModel(QAbstractTableModel):
    """Changes the server refused: record, field, value and why."""

    RECORD, FIELD, VALUE, REASON, WHEN = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[RejectedItem] = []

    def set_items(self, items: list[RejectedItem]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def item(self, row: int) -> RejectedItem:
        return self._items[row]

    def retranslate(self) -> None:
        if self._items:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._items) - 1, 4))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 4)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        headers = (
            pgettext("conflict", "Record"),
            pgettext("conflict", "Field"),
            _("Value"),
            _("Why it was refused"),
            pgettext("conflict", "When"),
        )
        return headers[section] if 0 <= section < len(headers) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == ITEM_ROLE:
            return item
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        short = role == Qt.ItemDataRole.DisplayRole
        row = item.row
        column = index.column()
        if column == self.RECORD:
            return record_text(row.entity, item.record_title)
        if column == self.FIELD:
            if row.op == "create":
                return pgettext("conflict", "New record")
            if row.op == "delete":
                return pgettext("conflict", "Deletion")
            return conflict_field_label(row.entity, row.field or "")
        if column == self.VALUE:
            if row.op in ("create", "delete"):
                return "" if short else None
            text = show_value(item.value)
            return one_line(text) if short else text
        if column == self.REASON:
            return rejection_reason_text(row.code, row.message)
        if column == self.WHEN:
            return moment(row.rejected_at)
        return None
