"""What the Conflicts view lists, read in one go on the database thread: the open conflicts
and the changes the server refused, each value typed and with what showing it needs (the name
a reference points to, the currency of an amount). Formatting them for people is the UI's job.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from sync_server.protocol.catalog import CATALOG, COMMON_FIELDS, FieldSpec, FieldType
from sync_server.protocol.values import to_python

from .conflicts import ConflictRow, RejectedRow, list_conflicts, list_rejected, stored_record
from .current_user import current_user_id

_COMMON = {spec.name: spec for spec in COMMON_FIELDS}


@dataclass(frozen=True)
class ShownValue:
    """One side of a conflict, typed, with what formatting it needs from the database."""

    entity: str
    field: str
    type: FieldType | None
    value: Any
    currency: str | None = None
    ref_title: str | None = None


@dataclass(frozen=True)
class ConflictItem:
    """An open conflict with its two values: the one kept and the one not kept."""

    row: ConflictRow
    kept: ShownValue
    lost: ShownValue


@dataclass(frozen=True)
class RejectedItem:
    """A change the server refused, with the value it carried and the record's name."""

    row: RejectedRow
    value: ShownValue
    record_title: str | None


@dataclass(frozen=True)
class ConflictsSnapshot:
    """Everything the Conflicts view lists."""

    conflicts: list[ConflictItem]
    rejected: list[RejectedItem]
    #: the signed-in user ("you" in the lists)
    user_id: str | None


def load_conflicts(session: Session) -> ConflictsSnapshot:
    """Open conflicts and undismissed rejected changes, ready to show."""
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
    return ConflictsSnapshot(conflicts, rejected, current_user_id(session))


def _created_title(row: RejectedRow) -> str | None:
    """A refused create is removed locally: its name travels in the refused values."""
    spec = CATALOG.get(row.entity)
    if spec is None or not isinstance(row.value, dict):
        return None
    title = row.value.get(spec.title_field)
    return str(title) if title else None


def field_spec(entity: str, field: str) -> FieldSpec | None:
    spec = CATALOG.get(entity)
    if spec is not None and spec.has_field(field):
        return spec.field(field)
    return _COMMON.get(field)


def load_shown_value(
    session: Session, entity: str, record_id: str, field: str, wire: Any
) -> ShownValue:
    """Convert ``wire`` and look up a reference's name or a currency."""
    spec = field_spec(entity, field)
    if spec is None:
        return ShownValue(entity, field, None, wire)
    try:
        value = to_python(spec, wire)
    except (TypeError, ValueError, ArithmeticError):
        return ShownValue(entity, field, None, wire)
    if spec.type is FieldType.REF and spec.ref and isinstance(value, str):
        return ShownValue(
            entity, field, spec.type, value, ref_title=record_title(session, spec.ref, value)
        )
    if spec.type is FieldType.MONEY and spec.currency_field:
        record = stored_record(session, entity, record_id)
        currency = record.get(spec.currency_field) if record else None
        return ShownValue(entity, field, spec.type, value, currency=currency)
    return ShownValue(entity, field, spec.type, value)


def record_title(session: Session, entity: str, record_id: str) -> str | None:
    """The record's name (its catalog title field), if it is stored here."""
    spec = CATALOG.get(entity)
    record = stored_record(session, entity, record_id)
    if spec is None or record is None:
        return None
    title = record.get(spec.title_field)
    return str(title) if title else None
