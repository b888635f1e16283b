"""Visit use cases on a real SQLite file: plan, reschedule, check in, log outcome + follow-up,
cancel, no-show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sfa_desktop.domain.agenda import task_due_times
from sfa_desktop.domain.errors import ValidationErrors
from sfa_desktop.services.editing import EditContext, load_edit_context
from sfa_desktop.services.visits import (
    AgendaClock,
    LoggedInteraction,
    VisitOutcome,
    VisitPlan,
    cancel_visit,
    check_in,
    complete_task,
    log_interaction,
    log_outcome,
    mark_no_show,
    overlapping_visits,
    plan_visit,
    reschedule_visit,
    schedule_warnings,
)
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.errors import RecordNotFound
from sfa_desktop.store.meta import MetaKey, set_meta
from sfa_desktop.store.models import OutboxEntry
from sfa_desktop.store.repositories.records import get_record, insert_record

MADRID = ZoneInfo("Europe/Madrid")
NOW = dt.datetime(2026, 11, 25, 9, 15, tzinfo=dt.UTC)
START = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    with open_database(tmp_path / "sfa.sqlite3") as database:
        yield database


@pytest.fixture
def ids(db: Database) -> dict[str, str]:
    with db.session() as session:
        user = insert_record(
            session, "user", {"name": "Ana", "email": "a@x.es", "rep_code": "ANA"}, now=NOW
        )
        set_meta(session, MetaKey.USER_ID, user)
        account = insert_record(
            session, "account", {"name": "Óptica Sol", "owner_id": user}, now=NOW
        )
        other = insert_record(session, "account", {"name": "Bar Luna", "owner_id": user}, now=NOW)
        contact = insert_record(
            session, "contact", {"account_id": account, "first_name": "Eva"}, now=NOW
        )
        stranger = insert_record(
            session, "contact", {"account_id": other, "first_name": "Leo"}, now=NOW
        )
    return {
        "user": user,
        "account": account,
        "other": other,
        "contact": contact,
        "stranger": stranger,
    }


def context(session: Session, now: dt.datetime = NOW) -> EditContext:
    return load_edit_context(session, now=lambda: now)


def planned(db: Database, ids: dict[str, str], **changes: Any) -> str:
    values: dict[str, Any] = {
        "account_id": ids["account"],
        "contact_id": ids["contact"],
        "start": START,
        "end": START + dt.timedelta(hours=1),
        "subject": "Presentar la gama",
        "notes": "Llevar muestras",
    }
    values.update(changes)
    with db.session() as session:
        return plan_visit(session, context(session), VisitPlan(**values))


def visit(db: Database, visit_id: str) -> dict[str, Any]:
    with db.session() as session:
        record = get_record(session, "visit", visit_id)
    assert record is not None
    return record


def outbox_count(db: Database) -> int:
    with db.session() as session:
        return int(session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one())


def codes(errors: ValidationErrors) -> dict[str | None, str]:
    return {error.field: error.code for error in errors}


def test_plan_visit_creates_a_planned_visit_for_the_user_and_queues_it(
    db: Database, ids: dict[str, str]
) -> None:
    visit_id = planned(db, ids)
    record = visit(db, visit_id)
    assert record["status"] == "planned"
    assert record["owner_id"] == ids["user"]
    assert (record["planned_start"], record["planned_end"]) == (
        START,
        START + dt.timedelta(hours=1),
    )
    assert (record["subject"], record["notes"], record["kind"]) == (
        "Presentar la gama",
        "Llevar muestras",
        "visit",
    )
    assert outbox_count(db) == 1


def test_plan_visit_reports_every_bad_field_and_writes_nothing(
    db: Database, ids: dict[str, str]
) -> None:
    with pytest.raises(ValidationErrors) as raised:
        planned(db, ids, end=START - dt.timedelta(minutes=30), subject="x" * 300)
    assert codes(raised.value) == {"planned_end": "end_before_start", "subject": "too_long"}
    with pytest.raises(ValidationErrors) as raised:
        planned(db, ids, account_id=None, start=None, contact_id=None)
    assert codes(raised.value) == {"account_id": "required", "planned_start": "required"}
    with pytest.raises(ValidationErrors) as raised:
        planned(db, ids, contact_id=ids["stranger"])
    assert codes(raised.value) == {"contact_id": "contact_of_other_account"}
    with pytest.raises(ValidationErrors) as raised:
        planned(db, ids, end=START)
    assert codes(raised.value) == {"planned_end": "zero_duration"}
    assert outbox_count(db) == 0


def test_check_in_records_the_time_now_once(db: Database, ids: dict[str, str]) -> None:
    visit_id = planned(db, ids)
    with db.session() as session:
        assert check_in(session, context(session), visit_id) == NOW
    later = NOW + dt.timedelta(minutes=20)
    with db.session() as session:
        assert check_in(session, context(session, later), visit_id) == NOW
    record = visit(db, visit_id)
    assert (record["checked_in_at"], record["status"]) == (NOW, "planned")


def test_log_outcome_closes_the_visit_and_plans_the_linked_follow_up(
    db: Database, ids: dict[str, str]
) -> None:
    visit_id = planned(db, ids)
    follow_up_day = dt.date(2027, 3, 28)  # the day clocks go forward in Madrid
    outcome = VisitOutcome(
        outcome="Interesados en la gama nueva",
        notes="Llevar muestras. Piden precios.",
        next_step="Enviar presupuesto",
        follow_up_date=follow_up_day,
    )
    with db.session() as session:
        logged = log_outcome(session, context(session), visit_id, outcome, tz=MADRID)
    record = visit(db, visit_id)
    assert record["status"] == "done"
    assert (record["outcome"], record["next_step"], record["follow_up_date"]) == (
        "Interesados en la gama nueva",
        "Enviar presupuesto",
        follow_up_day,
    )
    assert logged.follow_up_id is not None
    follow_up = visit(db, logged.follow_up_id)
    start, end = task_due_times(follow_up_day, MADRID)
    assert follow_up["follow_up_of_id"] == visit_id
    assert (follow_up["planned_start"], follow_up["planned_end"]) == (start, end)
    assert follow_up["planned_start"].astimezone(MADRID).time() == dt.time(0, 0)
    assert end - start == dt.timedelta(hours=23)  # the whole local day (clocks go forward)
    assert (follow_up["status"], follow_up["subject"]) == ("planned", "Enviar presupuesto")
    assert follow_up["kind"] == "task"  # a to-do in Today's follow-ups, not a visit in the route
    assert (follow_up["account_id"], follow_up["contact_id"], follow_up["owner_id"]) == (
        ids["account"],
        ids["contact"],
        ids["user"],
    )


def test_log_outcome_needs_an_outcome_and_an_open_visit(db: Database, ids: dict[str, str]) -> None:
    visit_id = planned(db, ids)
    with db.session() as session, pytest.raises(ValidationErrors) as raised:
        log_outcome(session, context(session), visit_id, VisitOutcome(outcome="  "))
    assert codes(raised.value) == {"outcome": "required"}
    with db.session() as session:
        assert (
            log_outcome(session, context(session), visit_id, VisitOutcome("Bien")).follow_up_id
            is None
        )
    for use_case in (check_in, cancel_visit, mark_no_show):
        with db.session() as session, pytest.raises(ValidationErrors) as raised:
            use_case(session, context(session), visit_id)
        assert codes(raised.value) == {"status": "visit_closed"}


@pytest.mark.parametrize(
    ("use_case", "status"), [(cancel_visit, "cancelled"), (mark_no_show, "no_show")]
)
def test_cancel_and_no_show(db: Database, ids: dict[str, str], use_case: Any, status: str) -> None:
    visit_id = planned(db, ids)
    with db.session() as session:
        use_case(session, context(session), visit_id)
    assert visit(db, visit_id)["status"] == status
    with db.session() as session, pytest.raises(RecordNotFound):
        use_case(session, context(session), "01900000-0000-7000-8000-00000000dead")


def test_the_agenda_clock_reads_today_in_its_zone() -> None:
    late = dt.datetime(2026, 11, 25, 23, 30, tzinfo=dt.UTC)
    assert AgendaClock.fixed(late, MADRID).today() == dt.date(2026, 11, 26)
    assert AgendaClock.fixed(late, ZoneInfo("UTC")).today() == dt.date(2026, 11, 25)
    with pytest.raises(ValueError, match="aware"):
        AgendaClock.fixed(dt.datetime(2026, 11, 25, 9, 0))


def test_a_next_step_without_a_date_is_a_task_for_the_next_working_day(
    db: Database, ids: dict[str, str]
) -> None:
    friday = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
    visit_id = planned(db, ids, start=friday, end=friday + dt.timedelta(hours=1))
    outcome = VisitOutcome(outcome="Bien", next_step="Llamar para confirmar")
    with db.session() as session:
        logged = log_outcome(session, context(session), visit_id, outcome, tz=MADRID)
    assert logged.follow_up_id is not None
    task = visit(db, logged.follow_up_id)
    assert task["kind"] == "task" and task["subject"] == "Llamar para confirmar"
    monday = dt.date(2026, 11, 30)
    assert visit(db, visit_id)["follow_up_date"] == monday
    assert (task["planned_start"], task["planned_end"]) == task_due_times(monday, MADRID)
    # without a next step nor a date, nothing follows
    other = planned(db, ids)
    with db.session() as session:
        assert (
            log_outcome(session, context(session), other, VisitOutcome("Bien")).follow_up_id is None
        )


def test_complete_task_ticks_off_a_task_and_refuses_a_visit(
    db: Database, ids: dict[str, str]
) -> None:
    start, end = task_due_times(dt.date(2026, 11, 26), MADRID)
    task_id = planned(db, ids, start=start, end=end, kind="task")
    visit_id = planned(db, ids)
    with db.session() as session:
        complete_task(session, context(session), task_id)
    assert visit(db, task_id)["status"] == "done"
    with db.session() as session, pytest.raises(ValidationErrors) as refused:
        complete_task(session, context(session), visit_id)
    assert [(e.code, e.field) for e in refused.value] == [("invalid_choice", "kind")]
    assert visit(db, visit_id)["status"] == "planned"
    with db.session() as session, pytest.raises(ValidationErrors):
        complete_task(session, context(session), task_id)  # already done


def _logged(db: Database, ids: dict[str, str], **changes: Any) -> str:
    values: dict[str, Any] = {
        "account_id": ids["account"],
        "kind": "call",
        "subject": "Pregunta por la tarifa",
        "at": NOW - dt.timedelta(minutes=10),
        "outcome": "Le envío precios",
    }
    values.update(changes)
    with db.session() as session:
        return log_interaction(session, context(session), LoggedInteraction(**values))


@pytest.mark.parametrize(
    ("kind", "stored"), [("call", "call"), ("email", "email"), ("note", "task")]
)
def test_log_interaction_records_a_done_activity_and_queues_it(
    db: Database, ids: dict[str, str], kind: str, stored: str
) -> None:
    record = visit(db, _logged(db, ids, kind=kind, contact_id=ids["contact"]))
    assert (record["kind"], record["status"], record["owner_id"]) == (stored, "done", ids["user"])
    assert (record["subject"], record["outcome"]) == ("Pregunta por la tarifa", "Le envío precios")
    assert record["planned_start"] == record["planned_end"] == NOW - dt.timedelta(minutes=10)
    assert record["contact_id"] == ids["contact"]
    assert outbox_count(db) == 1


def test_log_interaction_reports_every_bad_field_and_writes_nothing(
    db: Database, ids: dict[str, str]
) -> None:
    with pytest.raises(ValidationErrors) as raised:
        _logged(db, ids, kind="fax", subject="  ", at=None, outcome="x" * 2001)
    assert codes(raised.value) == {
        "kind": "invalid_choice",
        "subject": "required",
        "planned_start": "required",
        "outcome": "too_long",
    }
    with pytest.raises(ValidationErrors) as raised:
        _logged(db, ids, contact_id=ids["stranger"])
    assert codes(raised.value) == {"contact_id": "contact_of_other_account"}
    assert outbox_count(db) == 0


def test_overlapping_planned_visits_of_the_same_user(db: Database, ids: dict[str, str]) -> None:
    hour = dt.timedelta(hours=1)
    first = planned(db, ids)  # START-START+1h
    later = planned(db, ids, start=START + 2 * hour, end=START + 3 * hour)
    cancelled = planned(db, ids, start=START, end=START + hour)
    with db.session() as session:
        cancel_visit(session, context(session), cancelled)
        user = ids["user"]
        inside = overlapping_visits(session, user, START + hour / 2, START + 2 * hour + hour / 4)
        assert [row.id for row in inside] == [first, later]  # time order; cancelled ignored
        # touching ends do not overlap; no end: the default hour
        assert overlapping_visits(session, user, START + hour, START + 2 * hour) == []
        assert [r.id for r in overlapping_visits(session, user, START + hour / 2, None)] == [first]
        # the visit itself, another user, or nobody signed in: nothing
        assert overlapping_visits(session, user, START, START + hour, exclude_id=first) == []
        assert overlapping_visits(session, ids["account"], START, START + hour) == []
        assert overlapping_visits(session, None, START, START + hour) == []


def test_reschedule_moves_a_planned_visit_and_queues_the_times(
    db: Database, ids: dict[str, str]
) -> None:
    visit_id = planned(db, ids)
    before = outbox_count(db)
    later = START + dt.timedelta(days=1, minutes=45)
    with db.session() as session:
        changed = reschedule_visit(
            session, context(session), visit_id, later, later + dt.timedelta(minutes=30)
        )
    assert set(changed) == {"planned_start", "planned_end"}
    record = visit(db, visit_id)
    assert (record["planned_start"], record["planned_end"]) == (
        later,
        later + dt.timedelta(minutes=30),
    )
    assert outbox_count(db) == before + 2


def test_reschedule_refuses_closed_visits_and_bad_times(db: Database, ids: dict[str, str]) -> None:
    visit_id = planned(db, ids)
    with db.session() as session, pytest.raises(ValidationErrors) as raised:
        reschedule_visit(session, context(session), visit_id, START, START - dt.timedelta(hours=1))
    assert codes(raised.value) == {"planned_end": "end_before_start"}
    with db.session() as session:
        cancel_visit(session, context(session), visit_id)
    with db.session() as session, pytest.raises(ValidationErrors) as raised:
        reschedule_visit(session, context(session), visit_id, START, None)
    assert codes(raised.value) == {"status": "visit_closed"}
    assert visit(db, visit_id)["planned_start"] == START


def test_schedule_warnings_say_past_and_overlaps_but_not_the_visit_itself(
    db: Database, ids: dict[str, str]
) -> None:
    hour = dt.timedelta(hours=1)
    first = planned(db, ids)
    second = planned(db, ids, start=START + 2 * hour, end=START + 3 * hour)
    with db.session() as session:
        ctx = context(session)
        assert not schedule_warnings(session, ctx, START, START + hour, exclude_id=first)
        onto = schedule_warnings(session, ctx, START + 2 * hour, START + 3 * hour, exclude_id=first)
        assert [row.id for row in onto.overlaps] == [second] and not onto.past
        yesterday = schedule_warnings(session, ctx, NOW - dt.timedelta(days=1), None)
        assert yesterday.past and not yesterday.overlaps and bool(yesterday)
    # a task takes no time: it neither overlaps nor is overlapped
    planned(db, ids, kind="task", start=START, end=START + 2 * hour)
    with db.session() as session:
        ctx = context(session)
        assert not schedule_warnings(session, ctx, START, START + hour, kind="task")
        found = schedule_warnings(session, ctx, START, START + hour).overlaps
        assert [row.id for row in found] == [first]
