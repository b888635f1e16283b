"""The visits agenda: a user's activities in a time range, and one activity with its names.

Every query here is a range over ``planned_start`` and walks ``ix_visits_owner_live``
(``owner_id, planned_start``) when an owner is given, or ``ix_visits_status_live`` /
a scan otherwise. Account and contact names come from outer joins, so an activity whose
account has not synced yet is still listed (with ``account_name`` ``None``).

Rows are plain frozen dataclasses, safe to hand from the database thread to the UI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, func, select
from sqlalchemy.orm import Session

from ..models import Account, Contact, Visit
from .listing import check_paging

AGENDA_SORT_KEYS = ("planned_start",)


@dataclass(frozen=True)
class AgendaRow:
    """One activity as the agenda shows it."""

    id: str
    account_id: str
    account_name: str | None
    contact_id: str | None
    contact_name: str | None
    owner_id: str
    kind: str
    subject: str | None
    planned_start: dt.datetime | None
    planned_end: dt.datetime | None
    status: str
    checked_in_at: dt.datetime | None
    outcome: str | None
    notes: str | None
    next_step: str | None
    follow_up_date: dt.date | None
    follow_up_of_id: str | None


_v: Table = Visit.__table__  # type: ignore[assignment]
_a: Table = Account.__table__  # type: ignore[assignment]
_c: Table = Contact.__table__  # type: ignore[assignment]


#: Activities with their account and contact rows (``None`` columns while those are not here).
VISITS_WITH_NAMES = _v.outerjoin(_a, _a.c.id == _v.c.account_id).outerjoin(
    _c, _c.c.id == _v.c.contact_id
)


def contact_display_name(first: Any, last: Any) -> str | None:
    """ "Ana García" from the two name columns (``None`` when both are empty)."""
    parts = [str(part).strip() for part in (first, last) if part and str(part).strip()]
    return " ".join(parts) or None


def with_contact_name(row: Any) -> dict[str, Any]:
    """A row's values, its ``first_name`` and ``last_name`` made into ``contact_name``."""
    values = dict(row._mapping)
    values["contact_name"] = contact_display_name(values.pop("first_name"), values.pop("last_name"))
    return values


def _select_agenda_rows() -> Select[Any]:
    return select(
        _v.c.id,
        _v.c.account_id,
        _a.c.name.label("account_name"),
        _v.c.contact_id,
        _c.c.first_name,
        _c.c.last_name,
        _v.c.owner_id,
        _v.c.kind,
        _v.c.subject,
        _v.c.planned_start,
        _v.c.planned_end,
        _v.c.status,
        _v.c.checked_in_at,
        _v.c.outcome,
        _v.c.notes,
        _v.c.next_step,
        _v.c.follow_up_date,
        _v.c.follow_up_of_id,
    ).select_from(VISITS_WITH_NAMES)


def _agenda_row(row: Any) -> AgendaRow:
    return AgendaRow(**with_contact_name(row))


def _range_conditions(
    start: dt.datetime,
    end: dt.datetime,
    owner_id: str | None,
    statuses: Sequence[str] | None,
) -> list[ColumnElement[bool]]:
    if start.utcoffset() is None or end.utcoffset() is None:
        raise ValueError("the agenda range needs timezone-aware datetimes")
    conditions: list[ColumnElement[bool]] = [
        _v.c.deleted_at.is_(None),
        _v.c.planned_start >= start,
        _v.c.planned_start < end,
    ]
    if owner_id is not None:
        conditions.append(_v.c.owner_id == owner_id)
    if statuses is not None:
        conditions.append(_v.c.status.in_(list(statuses)))
    return conditions


def list_agenda(
    session: Session,
    *,
    start: dt.datetime,
    end: dt.datetime,
    owner_id: str | None = None,
    statuses: Sequence[str] | None = None,
    sort: str = "planned_start",
    descending: bool = False,
    offset: int = 0,
    limit: int = 100,
) -> list[AgendaRow]:
    """One page of live activities planned in ``[start, end)``, in time order (then by id)."""
    if sort not in AGENDA_SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}; expected one of {AGENDA_SORT_KEYS}")
    check_paging(offset=offset, limit=limit)
    order = [_v.c.planned_start, _v.c.id]
    query = (
        _select_agenda_rows()
        .where(*_range_conditions(start, end, owner_id, statuses))
        .order_by(*(column.desc() if descending else column.asc() for column in order))
        .offset(offset)
        .limit(limit)
    )
    return [_agenda_row(row) for row in session.execute(query)]


def count_agenda(
    session: Session,
    *,
    start: dt.datetime,
    end: dt.datetime,
    owner_id: str | None = None,
    statuses: Sequence[str] | None = None,
) -> int:
    """How many activities :func:`list_agenda` pages through."""
    query = (
        select(func.count())
        .select_from(_v)
        .where(*_range_conditions(start, end, owner_id, statuses))
    )
    return int(session.execute(query).scalar_one())


def get_agenda_row(session: Session, visit_id: str) -> AgendaRow | None:
    """The live activity ``visit_id`` with its account and contact names, or ``None``."""
    query = _select_agenda_rows().where(_v.c.id == visit_id, _v.c.deleted_at.is_(None))
    row = session.execute(query).one_or_none()
    return _agenda_row(row) if row is not None else None


def find_follow_up(session: Session, *, visit_id: str, account_id: str) -> str | None:
    """The id of a live activity that follows up ``visit_id`` (on the same account), if any.

    Follow-ups are planned on the visit's account, so the account's visits index finds them.
    """
    query = (
        select(_v.c.id)
        .where(
            _v.c.account_id == account_id,
            _v.c.deleted_at.is_(None),
            _v.c.follow_up_of_id == visit_id,
        )
        .order_by(_v.c.planned_start, _v.c.id)
        .limit(1)
    )
    found = session.execute(query).scalar()
    return str(found) if found is not None else None


def calendar_entries(
    session: Session,
    *,
    start: dt.datetime,
    end: dt.datetime,
    owner_id: str | None = None,
    statuses: Sequence[str] | None = ("planned",),
) -> list[dict[str, Any]]:
    """The activities of ``[start, end)`` as mappings for the iCalendar export.

    Keys: the visit's catalog fields used by the export plus ``account_name``,
    ``account_address``, ``account_postal_code``, ``account_city``, ``account_latitude``,
    ``account_longitude`` and ``contact_name``.
    """
    query = (
        select(
            _v.c.id,
            _v.c.kind,
            _v.c.status,
            _v.c.subject,
            _v.c.planned_start,
            _v.c.planned_end,
            _v.c.notes,
            _v.c.next_step,
            _v.c.updated_at,
            _a.c.name.label("account_name"),
            _a.c.address.label("account_address"),
            _a.c.postal_code.label("account_postal_code"),
            _a.c.city.label("account_city"),
            _a.c.latitude.label("account_latitude"),
            _a.c.longitude.label("account_longitude"),
            _c.c.first_name,
            _c.c.last_name,
        )
        .select_from(VISITS_WITH_NAMES)
        .where(*_range_conditions(start, end, owner_id, statuses))
        .order_by(_v.c.planned_start, _v.c.id)
    )
    return [with_contact_name(row) for row in session.execute(query)]
