"""An account's timeline: every interaction with it, newest first, a page at a time.

The entries come from the local tables, unioned and ordered by time:

* each **visit/activity** (visit, call, e-mail, meeting, task) at the moment it happened
  (check-in, else the planned start, else when it was recorded), with its outcome, notes and
  next step. Activities still planned for the future are not history: they are left out.
* each **quote** — each revision is a quote of its own: ``created`` (when it was created),
  ``approved`` (when approved, by whom, with the manager's note), ``sent`` (when sent, to the
  contact), and its current status at its last change when that is a decision or a step not
  dated otherwise: ``pending_approval``, ``accepted``, ``rejected`` (with the customer's
  reason), ``expired``, or ``returned`` (a draft sent back by a manager, with their note).
* each **opportunity**: ``created``, and after a later change ``won``/``lost`` when closed,
  else ``updated`` with its current stage. The local file keeps current values only (the
  change history lives on the server), so intermediate stages are not listed.

Paging is keyset based (:class:`TimelineCursor`): records added while the user reads do not
shift later pages. The account's rows are found through ``ix_visits_account_live``,
``ix_quotes_account_live`` and ``ix_opportunities_account_live``; an account with thousands
of activities sorts them in a few milliseconds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from sync_server.protocol.catalog import ACTIVITY_KINDS

from ..types import format_utc, parse_utc

TIMELINE_PAGE_SIZE = 50

VISIT = "visit"
QUOTE = "quote"
OPPORTUNITY = "opportunity"
#: What the timeline can be narrowed to: each activity kind, quotes, opportunities.
TIMELINE_KINDS = (*ACTIVITY_KINDS, QUOTE, OPPORTUNITY)


@dataclass(frozen=True)
class TimelineCursor:
    """Where a page ended: the next page starts strictly after (older than) this entry."""

    at: str
    key: str


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened with the account.

    ``event`` is the activity kind for visits (``"visit"``, ``"call"``…); ``"created"`` or the
    quote status for quotes; ``"created"``, ``"updated"``, ``"won"`` or ``"lost"`` for
    opportunities. ``status`` is the activity status, quote status or opportunity stage;
    ``title`` the activity subject, quote number or opportunity name. ``amount`` (minor units
    of ``currency``) is set for opportunities; ``revision`` for quotes. For a quote,
    ``outcome`` is the manager's note (approved, returned) or the customer's reason (rejected),
    and ``owner_name`` the approver's for ``approved``.
    """

    source: str
    event: str
    record_id: str
    at: dt.datetime
    title: str | None
    status: str | None
    outcome: str | None = None
    notes: str | None = None
    next_step: str | None = None
    follow_up_date: dt.date | None = None
    amount: int | None = None
    currency: str | None = None
    contact_name: str | None = None
    owner_name: str | None = None
    cursor: TimelineCursor | None = None
    revision: int | None = None
    contact_email: str | None = None


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    #: pass as ``before`` to get the next (older) page; ``None`` when there is no more
    next_cursor: TimelineCursor | None


# Each branch yields the same columns; sort_key breaks ties between entries at one instant.
_EVENTS = """
SELECT 'visit' AS source, kind AS event, id AS record_id,
       coalesce(checked_in_at, planned_start, created_at) AS at,
       id || '|v' AS sort_key, subject AS title, status, outcome, notes, next_step,
       follow_up_date, NULL AS amount, NULL AS currency, contact_id, owner_id,
       NULL AS revision
  FROM visits
 WHERE account_id = :account_id AND deleted_at IS NULL
   AND NOT (status = 'planned' AND coalesce(planned_start, created_at) > :now)
UNION ALL
SELECT 'quote', 'created', id, created_at, id || '|q0', number, status,
       NULL, notes, NULL, NULL, NULL, currency, contact_id, owner_id, revision
  FROM quotes
 WHERE account_id = :account_id AND deleted_at IS NULL
UNION ALL
SELECT 'quote', 'approved', id, approved_at, id || '|q1', number, status,
       decision_note, NULL, NULL, NULL, NULL, currency, contact_id,
       coalesce(approved_by_id, owner_id), revision
  FROM quotes
 WHERE account_id = :account_id AND deleted_at IS NULL AND approved_at IS NOT NULL
UNION ALL
SELECT 'quote', 'sent', id, sent_at, id || '|q2', number, status,
       NULL, NULL, NULL, NULL, NULL, currency, contact_id, owner_id, revision
  FROM quotes
 WHERE account_id = :account_id AND deleted_at IS NULL AND sent_at IS NOT NULL
UNION ALL
SELECT 'quote', CASE status WHEN 'draft' THEN 'returned' ELSE status END, id, updated_at,
       id || '|q3', number, status,
       CASE status WHEN 'rejected' THEN rejection_reason
                   WHEN 'draft' THEN decision_note END,
       NULL, NULL, NULL, NULL, currency, contact_id, owner_id, revision
  FROM quotes
 WHERE account_id = :account_id AND deleted_at IS NULL AND updated_at > created_at
   AND (status IN ('pending_approval', 'accepted', 'rejected', 'expired')
        OR (status = 'draft' AND decision_note IS NOT NULL)
        OR (status = 'approved' AND approved_at IS NULL)
        OR (status = 'sent' AND sent_at IS NULL))
UNION ALL
SELECT 'opportunity', 'created', id, created_at, id || '|o0', name, stage,
       NULL, NULL, next_step, NULL, amount, currency, NULL, owner_id, NULL
  FROM opportunities
 WHERE account_id = :account_id AND deleted_at IS NULL
UNION ALL
SELECT 'opportunity',
       CASE stage WHEN 'closed_won' THEN 'won' WHEN 'closed_lost' THEN 'lost' ELSE 'updated' END,
       id, updated_at, id || '|o1', name, stage,
       lost_reason, NULL, next_step, NULL, amount, currency, NULL, owner_id, NULL
  FROM opportunities
 WHERE account_id = :account_id AND deleted_at IS NULL AND updated_at > created_at
"""

_PAGE = f"""
SELECT e.*, c.first_name, c.last_name, c.email AS contact_email, u.name AS owner_name
  FROM (SELECT * FROM ({_EVENTS}) AS events
         WHERE (:before_at IS NULL OR (at, sort_key) < (:before_at, :before_key))
           AND (:kind IS NULL OR CASE source WHEN 'visit' THEN event ELSE source END = :kind)
         ORDER BY at DESC, sort_key DESC
         LIMIT :limit) AS e
  LEFT JOIN contacts AS c ON c.id = e.contact_id
  LEFT JOIN users AS u ON u.id = e.owner_id
 ORDER BY e.at DESC, e.sort_key DESC
"""


def load_timeline(
    session: Session,
    account_id: str,
    *,
    now: dt.datetime,
    before: TimelineCursor | None = None,
    limit: int = TIMELINE_PAGE_SIZE,
    kind: str | None = None,
) -> TimelinePage:
    """The ``limit`` newest entries of the account's timeline (older than ``before``).

    ``kind`` keeps one kind of entry: an activity kind (``"visit"``, ``"call"``, ``"email"``…),
    ``"quote"`` or ``"opportunity"`` (:data:`TIMELINE_KINDS`); ``None`` keeps all.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit!r}")
    if kind is not None and kind not in TIMELINE_KINDS:
        raise ValueError(f"unknown timeline kind {kind!r}")
    rows = session.execute(
        text(_PAGE),
        {
            "account_id": account_id,
            "now": format_utc(now),
            "before_at": before.at if before else None,
            "before_key": before.key if before else None,
            "limit": limit + 1,
            "kind": kind,
        },
    ).all()
    entries = [_entry(row._mapping) for row in rows[:limit]]
    more = len(rows) > limit and entries
    return TimelinePage(entries, entries[-1].cursor if more else None)


def _entry(row: Any) -> TimelineEntry:
    contact = " ".join(part for part in (row["first_name"], row["last_name"]) if part)
    follow_up = row["follow_up_date"]
    return TimelineEntry(
        source=row["source"],
        event=row["event"],
        record_id=row["record_id"],
        at=parse_utc(row["at"]),
        title=row["title"],
        status=row["status"],
        outcome=row["outcome"],
        notes=row["notes"],
        next_step=row["next_step"],
        follow_up_date=dt.date.fromisoformat(follow_up) if follow_up else None,
        amount=row["amount"],
        currency=row["currency"],
        contact_name=contact or None,
        owner_name=row["owner_name"],
        cursor=TimelineCursor(row["at"], row["sort_key"]),
        revision=row["revision"],
        contact_email=row["contact_email"],
    )
