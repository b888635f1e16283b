"""The visits agenda's read queries: a user's activities in a range, one activity, and the
planned visits the calendar export writes.

``mine`` stands for the current user (:mod:`.current_user`); without a signed-in user it
selects every activity in the local file. The SQL lives in
:mod:`sfa_desktop.store.repositories.visits`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from sfa_desktop.store.repositories import visits as agenda_rows
from sfa_desktop.store.repositories.visits import AgendaRow, get_agenda_row

from .current_user import current_user_id

__all__ = ["AgendaRow", "calendar_visits", "count_agenda", "get_agenda_row", "list_agenda"]


def _owner(session: Session, mine: bool | None) -> str | None:
    return current_user_id(session) if mine else None


def list_agenda(session: Session, *, mine: bool | None = False, **query: Any) -> list[AgendaRow]:
    """One page of the live activities planned in ``[start, end)`` (``mine``: the current
    user's only), in time order; ``query``: the range, statuses, sort and paging of
    :func:`sfa_desktop.store.repositories.visits.list_agenda`."""
    return agenda_rows.list_agenda(session, owner_id=_owner(session, mine), **query)


def count_agenda(session: Session, *, mine: bool | None = False, **query: Any) -> int:
    """How many activities :func:`list_agenda` pages through (``query``: range, statuses)."""
    return agenda_rows.count_agenda(session, owner_id=_owner(session, mine), **query)


def calendar_visits(
    session: Session, *, start: dt.datetime, end: dt.datetime, mine: bool
) -> list[dict[str, Any]]:
    """The planned visits of ``[start, end)`` (``mine``: the current user's) for the export."""
    return agenda_rows.calendar_entries(
        session, start=start, end=end, owner_id=_owner(session, mine)
    )
