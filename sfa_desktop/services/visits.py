"""Visit use cases: plan a visit, reschedule it, check in, log the outcome (and plan the
follow-up), cancel, mark a no-show.

Each function takes the caller's session (one transaction: the UI's database task or the
CLI command commits it) and an :class:`~sfa_desktop.services.editing.EditContext`, and writes
only through :mod:`sfa_desktop.services.editing`, so every change also reaches the sync
outbox. Bad input raises :class:`~sfa_desktop.domain.errors.ValidationErrors` listing every
bad field (codes, never sentences); nothing is written then.

Only a *planned* activity can be checked in, closed with an outcome, rescheduled, cancelled
or marked as a no-show; any other status raises ``visit_closed`` on field ``status``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from sfa_desktop.domain.agenda import (
    MAX_VISIT_DURATION,
    next_working_day,
    task_due_times,
    validate_visit_times,
)
from sfa_desktop.domain.errors import ValidationCollector, ValidationError, ValidationErrors
from sfa_desktop.store.errors import RecordNotFound
from sfa_desktop.store.repositories.records import get_record
from sfa_desktop.store.repositories.visits import AgendaRow, find_follow_up, list_agenda
from sync_server.protocol.catalog import ACTIVITY_KINDS, CATALOG

from .editing import EditContext, create_record, update_record, utc_now
from .record_rules import check_new_record, check_record_changes

ENTITY = "visit"
#: The agenda's time zone unless the app passes another one.
DEFAULT_TIME_ZONE = ZoneInfo("Europe/Madrid")
#: Local hour at which a follow-up is planned on its date.
FOLLOW_UP_HOUR = 9


@dataclass(frozen=True)
class AgendaClock:
    """The wall clock and the time zone of the agenda.

    Built once by the composition root and passed down, so that tests and screenshots fix
    "now" and "today" instead of reading the system clock deep inside a widget.
    """

    now: Callable[[], dt.datetime] = utc_now
    tz: ZoneInfo = DEFAULT_TIME_ZONE

    def today(self) -> dt.date:
        """The local date in :attr:`tz`."""
        return self.local_now().date()

    def local_now(self) -> dt.datetime:
        return self.now().astimezone(self.tz)

    @classmethod
    def fixed(cls, instant: dt.datetime, tz: ZoneInfo = DEFAULT_TIME_ZONE) -> AgendaClock:
        """A clock that always reads ``instant`` (aware)."""
        if instant.utcoffset() is None:
            raise ValueError("a fixed clock needs an aware datetime")
        return cls(now=lambda: instant, tz=tz)


@dataclass(frozen=True)
class VisitPlan:
    """What the rep fills in to plan an activity (``None`` for what was left blank)."""

    account_id: str | None
    start: dt.datetime | None
    end: dt.datetime | None
    kind: str = "visit"
    contact_id: str | None = None
    subject: str | None = None
    notes: str | None = None
    #: the user the activity is for; the signed-in user when ``None``
    owner_id: str | None = None
    #: the done activity this one follows up (a follow-up due, planned from Today)
    follow_up_of_id: str | None = None


@dataclass(frozen=True)
class VisitOutcome:
    """How a visit went: the outcome is required, the rest optional."""

    outcome: str
    notes: str | None = None
    next_step: str | None = None
    #: a follow-up activity is planned on this date (see :func:`log_outcome`)
    follow_up_date: dt.date | None = None


@dataclass(frozen=True)
class OutcomeLogged:
    visit_id: str
    #: the follow-up activity created (or found already planned), if a date was given
    follow_up_id: str | None = None
    changed: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)


def plan_visit(session: Session, ctx: EditContext, plan: VisitPlan) -> str:
    """Create a planned activity; returns its id.

    Checks (all reported together): account required, the contact belongs to the account,
    start and end present and valid (:func:`~sfa_desktop.domain.agenda.validate_visit_times`),
    plus every field rule of the catalog.
    """
    collector = ValidationCollector()
    if not plan.account_id:
        collector.add(ValidationError("required", field="account_id"))
    if plan.start is None:
        collector.add(ValidationError("required", field="planned_start"))
    if plan.end is None:
        collector.add(ValidationError("required", field="planned_end"))
    if plan.kind not in ACTIVITY_KINDS:
        collector.add(ValidationError("invalid_choice", field="kind", params={"value": plan.kind}))
    if plan.start is not None and plan.end is not None:
        collector.check(validate_visit_times, plan.start, plan.end)
    if plan.account_id and plan.contact_id:
        collector.check(_check_contact_of_account, session, plan.contact_id, plan.account_id)
    values: dict[str, Any] = {
        "account_id": plan.account_id,
        "contact_id": plan.contact_id or None,
        "kind": plan.kind,
        "subject": _blank_to_none(plan.subject),
        "notes": _blank_to_none(plan.notes),
        "planned_start": plan.start,
        "planned_end": plan.end,
        "status": "planned",
        "owner_id": plan.owner_id or ctx.user_id,
        "follow_up_of_id": plan.follow_up_of_id,
    }
    if collector.errors:
        _add_record_errors(collector, lambda: check_new_record(session, CATALOG[ENTITY], values))
    collector.raise_if_any()
    return create_record(session, ctx, ENTITY, values)


#: What the account page's quick log records, and the activity kind each is stored as: the
#: catalog's kinds have no "note", so a note is a done task (done: never a follow-up to do).
LOG_KINDS = {"call": "call", "email": "email", "note": "task"}


@dataclass(frozen=True)
class LoggedInteraction:
    """A call, e-mail or note that already happened (``kind`` one of :data:`LOG_KINDS`)."""

    account_id: str
    kind: str
    subject: str | None
    at: dt.datetime | None
    outcome: str | None = None
    contact_id: str | None = None


def log_interaction(session: Session, ctx: EditContext, entry: LoggedInteraction) -> str:
    """Record a call, e-mail or note with the account as a *done* activity at ``entry.at``
    (it joins the account's timeline, never the route); returns its id.

    The subject and the moment are required; the contact must belong to the account; every
    field rule of the catalog applies (all errors reported together).
    """
    collector = ValidationCollector()
    if entry.kind not in LOG_KINDS:
        collector.add(ValidationError("invalid_choice", field="kind", params={"value": entry.kind}))
    subject = _blank_to_none(entry.subject)
    if subject is None:
        collector.add(ValidationError("required", field="subject"))
    if entry.at is None:
        collector.add(ValidationError("required", field="planned_start"))
    if entry.contact_id:
        collector.check(_check_contact_of_account, session, entry.contact_id, entry.account_id)
    values: dict[str, Any] = {
        "account_id": entry.account_id,
        "contact_id": entry.contact_id or None,
        "kind": LOG_KINDS.get(entry.kind, entry.kind),
        "subject": subject,
        "outcome": _blank_to_none(entry.outcome),
        "planned_start": entry.at,
        "planned_end": entry.at,
        "status": "done",
        "owner_id": ctx.user_id,
    }
    if collector.errors:
        _add_record_errors(collector, lambda: check_new_record(session, CATALOG[ENTITY], values))
    collector.raise_if_any()
    return create_record(session, ctx, ENTITY, values)


#: A planned activity without an end is taken to last this long (for overlaps).
DEFAULT_VISIT_DURATION = dt.timedelta(hours=1)
#: At most this many overlapping activities are listed.
MAX_OVERLAPS = 10


def overlapping_visits(
    session: Session,
    owner_id: str | None,
    start: dt.datetime,
    end: dt.datetime | None,
    *,
    exclude_id: str | None = None,
) -> list[AgendaRow]:
    """The user's other *planned* activities whose time overlaps ``[start, end)`` (``end``
    None: ``start`` + :data:`DEFAULT_VISIT_DURATION`), in time order. Touching ends
    (10:00-11:00 and 11:00-12:00) do not overlap. A warning: planning one is still allowed."""
    if owner_id is None:
        return []
    finish = end if end is not None and end > start else start + DEFAULT_VISIT_DURATION
    rows = list_agenda(
        session,
        start=start - MAX_VISIT_DURATION,
        end=finish,
        owner_id=owner_id,
        statuses=["planned"],
        limit=500,
    )
    overlaps = [
        row
        for row in rows
        if row.id != exclude_id
        and row.planned_start is not None
        and _ends(row.planned_start, row.planned_end) > start
    ]
    return overlaps[:MAX_OVERLAPS]


def _ends(start: dt.datetime, end: dt.datetime | None) -> dt.datetime:
    return end if end is not None and end > start else start + DEFAULT_VISIT_DURATION


@dataclass(frozen=True)
class ScheduleWarnings:
    """What to tell the rep before planning or moving an activity to a time (warnings: it is
    still allowed once confirmed)."""

    #: the time has already passed
    past: bool = False
    #: the user's other planned activities at that time (:func:`overlapping_visits`)
    overlaps: tuple[AgendaRow, ...] = ()

    def __bool__(self) -> bool:
        return self.past or bool(self.overlaps)


def schedule_warnings(
    session: Session,
    ctx: EditContext,
    start: dt.datetime,
    end: dt.datetime | None,
    *,
    owner_id: str | None = None,
    exclude_id: str | None = None,
    kind: str = "visit",
) -> ScheduleWarnings:
    """The warnings for an activity of ``kind`` at ``[start, end)``: passed (by ``ctx``'s
    clock), overlaps with the planned activities of ``owner_id`` (default: the signed-in user)
    other than ``exclude_id`` (the one being moved). A task takes no time of the day, so it
    neither overlaps nor is overlapped. Planning and rescheduling both ask this."""
    overlaps = (
        []
        if kind == "task"
        else overlapping_visits(session, owner_id or ctx.user_id, start, end, exclude_id=exclude_id)
    )
    return ScheduleWarnings(
        past=start < ctx.now(), overlaps=tuple(row for row in overlaps if row.kind != "task")
    )


def reschedule_visit(
    session: Session,
    ctx: EditContext,
    visit_id: str,
    start: dt.datetime,
    end: dt.datetime | None,
) -> dict[str, tuple[Any, Any]]:
    """Move a *planned* activity to ``[start, end)`` (``end`` None: it keeps no end); returns
    the fields changed. A closed one raises ``visit_closed``; the times are checked by
    :func:`~sfa_desktop.domain.agenda.validate_visit_times`. Warnings
    (:func:`schedule_warnings`) are the caller's to ask first."""
    _planned_visit(session, visit_id)
    changes: dict[str, Any] = {"planned_start": start, "planned_end": end}
    collector = ValidationCollector()
    if end is not None:
        collector.check(validate_visit_times, start, end)
    collector.raise_if_any()
    return update_record(session, ctx, ENTITY, visit_id, changes)


def check_in(session: Session, ctx: EditContext, visit_id: str) -> dt.datetime:
    """Record that the rep arrived (now); returns the check-in time.

    Checking in twice keeps the first time.
    """
    visit = _planned_visit(session, visit_id)
    if visit["checked_in_at"] is not None:
        checked_in: dt.datetime = visit["checked_in_at"]
        return checked_in
    now = ctx.now().astimezone(dt.UTC)
    update_record(session, ctx, ENTITY, visit_id, {"checked_in_at": now})
    return now


def log_outcome(
    session: Session,
    ctx: EditContext,
    visit_id: str,
    outcome: VisitOutcome,
    *,
    tz: ZoneInfo = DEFAULT_TIME_ZONE,
    follow_up_hour: int = FOLLOW_UP_HOUR,
) -> OutcomeLogged:
    """Close a planned activity as done with its outcome, notes and next step.

    With a follow-up date, or a next step and no date (then the next working day after the
    activity's day: :func:`~sfa_desktop.domain.agenda.next_working_day`), a follow-up *task*
    is created on the same account and contact, for the same owner, due that day (the whole
    local day: :func:`~sfa_desktop.domain.agenda.task_due_times`; it lists in Today's
    follow-ups, not in the route), linked by ``follow_up_of_id`` and titled with the next step
    (else the original subject). ``follow_up_hour`` is kept for callers; a task has no hour.
    """
    visit = _planned_visit(session, visit_id)
    next_step = _blank_to_none(outcome.next_step)
    follow_up_date = outcome.follow_up_date
    if follow_up_date is None and next_step is not None:
        follow_up_date = next_working_day(_activity_day(visit, ctx, tz))
    changes: dict[str, Any] = {
        "status": "done",
        "outcome": _blank_to_none(outcome.outcome),
        "notes": _blank_to_none(outcome.notes),
        "next_step": next_step,
        "follow_up_date": follow_up_date,
    }
    collector = ValidationCollector()
    if changes["outcome"] is None:
        collector.add(ValidationError("required", field="outcome"))
    follow_up_times = None
    if follow_up_date is not None:
        follow_up_times = collector.check(task_due_times, follow_up_date, tz)
    if collector.errors:
        _add_record_errors(
            collector,
            lambda: check_record_changes(session, CATALOG[ENTITY], visit, changes),
        )
    collector.raise_if_any()
    changed = update_record(session, ctx, ENTITY, visit_id, changes)
    follow_up_id = None
    if follow_up_times is not None:
        follow_up_id = find_follow_up(
            session, visit_id=visit_id, account_id=visit["account_id"]
        ) or _create_follow_up(session, ctx, visit, changes, follow_up_times)
    return OutcomeLogged(visit_id=visit_id, follow_up_id=follow_up_id, changed=changed)


def complete_task(session: Session, ctx: EditContext, visit_id: str) -> None:
    """Tick off a planned task (a follow-up, a to-do) as done; only a task can be ticked off
    this way (``invalid_choice`` on ``kind``): a visit is closed with its outcome."""
    visit = _planned_visit(session, visit_id)
    if visit["kind"] != "task":
        raise ValidationErrors(
            [ValidationError("invalid_choice", field="kind", params={"value": visit["kind"]})]
        )
    update_record(session, ctx, ENTITY, visit_id, {"status": "done"})


def cancel_visit(session: Session, ctx: EditContext, visit_id: str) -> None:
    """Mark a planned activity as cancelled."""
    _planned_visit(session, visit_id)
    update_record(session, ctx, ENTITY, visit_id, {"status": "cancelled"})


def mark_no_show(session: Session, ctx: EditContext, visit_id: str) -> None:
    """Mark a planned activity as a no-show (the customer was not there)."""
    _planned_visit(session, visit_id)
    update_record(session, ctx, ENTITY, visit_id, {"status": "no_show"})


# --- helpers -------------------------------------------------------------------------------


def _planned_visit(session: Session, visit_id: str) -> dict[str, Any]:
    visit = get_record(session, ENTITY, visit_id)
    if visit is None or visit["deleted_at"] is not None:
        raise RecordNotFound(ENTITY, visit_id)
    if visit["status"] != "planned":
        raise ValidationErrors(
            [ValidationError("visit_closed", field="status", params={"status": visit["status"]})]
        )
    return visit


def _check_contact_of_account(session: Session, contact_id: str, account_id: str) -> None:
    contact = get_record(session, "contact", contact_id)
    if contact is not None and contact["account_id"] != account_id:
        raise ValidationError("contact_of_other_account", field="contact_id")


def _add_record_errors(collector: ValidationCollector, check: Callable[[], object]) -> None:
    """Add the catalog rules' errors on fields the use case has not reported already."""
    try:
        check()
    except ValidationErrors as errors:
        reported = {error.field for error in collector.errors}
        for error in errors:
            if error.field not in reported:
                collector.add(error)


def _activity_day(visit: Mapping[str, Any], ctx: EditContext, tz: ZoneInfo) -> dt.date:
    """The local day the activity was planned for (today when it has no time)."""
    start = visit["planned_start"] or ctx.now()
    day: dt.date = start.astimezone(tz).date()
    return day


def _create_follow_up(
    session: Session,
    ctx: EditContext,
    visit: Mapping[str, Any],
    changes: Mapping[str, Any],
    times: tuple[dt.datetime, dt.datetime],
) -> str:
    start, end = times
    subject = changes["next_step"] or visit["subject"]
    values = {
        "account_id": visit["account_id"],
        "contact_id": visit["contact_id"],
        "owner_id": visit["owner_id"],
        "kind": "task",
        "subject": subject[:200] if subject else None,
        "planned_start": start,
        "planned_end": end,
        "status": "planned",
        "follow_up_of_id": visit["id"],
    }
    return create_record(session, ctx, ENTITY, values)


def _blank_to_none(text: str | None) -> str | None:
    if text is None:
        return None
    stripped = text.strip()
    return stripped or None
