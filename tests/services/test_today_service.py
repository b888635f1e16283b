"""The Today data on the demo data set: route order, unlocated stops, follow-ups, overdue order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.domain.agenda import day_bounds, local_date
from sfa_desktop.domain.cadence import is_overdue, next_visit_due
from sfa_desktop.domain.day_route import RouteSettings, TimedStop, plan_day
from sfa_desktop.services.preferences import Preferences
from sfa_desktop.services.today import StartPoint, account_values, load_today, route_settings
from sfa_desktop.services.visits import AgendaClock
from sfa_desktop.store.database import Database, open_database
from sfa_desktop.store.meta import MetaKey, get_meta
from sfa_desktop.store.models import Account, Visit
from sfa_desktop.store.repositories.accounts import list_accounts
from sfa_desktop.store.repositories.records import update_record
from sfa_desktop.store.repositories.today import OpportunityFact

TODAY = dt.date(2026, 11, 25)
MADRID = ZoneInfo("Europe/Madrid")
CLOCK = AgendaClock.fixed(dt.datetime(2026, 11, 25, 7, 0, tzinfo=dt.UTC), MADRID)
ON_SITE = ("visit", "meeting")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("today-demo"), accounts=150, today=TODAY)


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


def todays_visits(session: Session) -> list[TimedStop]:
    """The user's on-site plans today as route stops, in time order — by hand."""
    user = get_meta(session, MetaKey.USER_ID)
    start, end = day_bounds(TODAY, MADRID)
    rows = session.execute(
        select(
            Visit.id, Account.latitude, Account.longitude, Visit.planned_start, Visit.planned_end
        )
        .join(Account, Account.id == Visit.account_id)
        .where(
            Visit.owner_id == user,
            Visit.deleted_at.is_(None),
            Visit.status == "planned",
            Visit.kind.in_(ON_SITE),
            Visit.planned_start >= start,
            Visit.planned_start < end,
        )
        .order_by(Visit.planned_start, Visit.id)
    )
    midnight = dt.datetime.combine(TODAY, dt.time(), tzinfo=MADRID)
    return [
        TimedStop(
            str(r[0]),
            r[1],
            r[2],
            (r[4] - r[3]).total_seconds() / 60,
            at=(r[3] - midnight).total_seconds() / 60,
        )
        for r in rows
    ]


def test_the_route_keeps_appointment_times_from_the_first_visit(db: Database) -> None:
    with db.session() as session:
        expected_stops = todays_visits(session)
        data = load_today(session, clock=CLOCK)
    assert len(expected_stops) >= 5
    first = next(stop.point for stop in expected_stops if stop.point is not None)
    plan = plan_day(first, expected_stops)
    assert [stop.stop.visit_id for stop in data.stops] == [p.stop.key for p in plan.stops]
    assert [stop.position for stop in data.stops] == list(range(1, len(data.stops) + 1))
    assert data.total_km == pytest.approx(plan.total_km)
    assert [stop.leg_km for stop in data.stops] == pytest.approx([p.leg_km for p in plan.stops])
    # appointments only: visited in time order, arrivals on or before the time unless late
    starts = [stop.stop.planned_start for stop in data.stops]
    assert starts == sorted(starts)  # type: ignore[type-var]
    for stop in data.stops:
        assert stop.arrival is not None and stop.stop.planned_start is not None
        assert stop.late == (stop.arrival > stop.stop.planned_start + dt.timedelta(seconds=1))
    assert data.start_is_first_visit and data.start is not None
    assert data.day == TODAY


def test_a_chosen_start_point_and_unlocated_accounts_last(db: Database) -> None:
    office = StartPoint("Oficina", 40.4168, -3.7038)
    with db.session() as session:
        stops = todays_visits(session)
        moved = stops[0].key
        account_id = session.get(Visit, moved).account_id  # type: ignore[union-attr]
        update_record(
            session, "account", account_id, {"latitude": None, "longitude": None}, now=CLOCK.now()
        )
        data = load_today(session, clock=CLOCK, start_point=office)
    plan = plan_day((office.latitude, office.longitude), [s for s in stops if s.key != moved])
    assert [s.stop.visit_id for s in data.stops] == [p.stop.key for p in plan.stops] + [moved]
    last = data.stops[-1]
    assert (last.position, last.leg_km, last.located, last.arrival) == (None, None, False, None)
    assert data.unlocated_count == 1
    assert (data.start, data.start_is_first_visit) == (office, False)


def test_visits_without_a_time_fit_between_appointments_and_done_ones_stay(
    db: Database,
) -> None:
    """A visit planned at local midnight is "any time": it goes where it fits; a done visit
    stays in Today, ticked, out of the route."""
    office = StartPoint("Oficina", 40.4168, -3.7038)
    midnight = dt.datetime.combine(TODAY, dt.time(), tzinfo=MADRID).astimezone(dt.UTC)
    with db.session() as session:
        stops = todays_visits(session)
        flexible, done = stops[1].key, stops[2].key
        update_record(
            session,
            "visit",
            flexible,
            {"planned_start": midnight, "planned_end": midnight + dt.timedelta(days=1)},
            now=CLOCK.now(),
        )
        update_record(session, "visit", done, {"status": "done"}, now=CLOCK.now())
        data = load_today(session, clock=CLOCK, start_point=office)
    assert data.stops[0].stop.visit_id == done and data.stops[0].done
    assert data.stops[0].position is None and data.done_count == 1
    routed = [s for s in data.stops if s.located]
    by_id = {s.stop.visit_id: s for s in routed}
    assert by_id[flexible].flexible and by_id[flexible].arrival is not None
    fixed = [s.stop.planned_start for s in routed if not s.flexible]
    assert fixed == sorted(fixed)  # type: ignore[type-var]
    others = [s for s in stops if s.key not in (flexible, done)]
    baseline = plan_day((office.latitude, office.longitude), others)
    if not baseline.late:
        assert not [s for s in routed if s.late and not s.flexible]


def test_route_settings_from_preferences() -> None:
    assert route_settings(Preferences()) == RouteSettings()
    chosen = route_settings(
        Preferences(route_road_factor="1.5", route_speed_kmh="40", working_hours="09:00-17:30")
    )
    assert chosen == RouteSettings(1.5, 40.0, 540, 1050)
    assert route_settings(Preferences(route_speed_kmh="fast", working_hours="9-")) == (
        RouteSettings()
    )
    assert route_settings(Preferences(route_road_factor="0.2")) == RouteSettings()


def test_follow_ups_due_and_overdue_accounts_most_valuable_first(db: Database) -> None:
    with db.session() as session:
        data = load_today(session, clock=CLOCK)
        user = get_meta(session, MetaKey.USER_ID)
        accounts = session.execute(
            select(Account.id, Account.visit_cadence_days, Account.created_at).where(
                Account.owner_id == user, Account.deleted_at.is_(None)
            )
        ).all()
        visits = session.execute(
            select(Visit.account_id, Visit.status, Visit.planned_start, Visit.checked_in_at).where(
                Visit.deleted_at.is_(None)
            )
        ).all()
    assert data.follow_ups, "the demo plants follow-ups due for its user"
    assert all(row.follow_up_date <= TODAY for row in data.follow_ups)
    assert [row.follow_up_date for row in data.follow_ups] == sorted(
        row.follow_up_date for row in data.follow_ups
    )
    # Overdue, worked out by hand from every visit.
    expected: set[str] = set()
    for account_id, cadence, created in accounts:
        if not cadence:
            continue
        mine = [v for v in visits if v.account_id == account_id]
        done = [v.checked_in_at or v.planned_start for v in mine if v.status == "done"]
        last = max(done) if done else None
        plans = [v.planned_start for v in mine if v.status == "planned"]
        due = next_visit_due(
            local_date(last, MADRID) if last else None, cadence, created=local_date(created, MADRID)
        )
        planned = local_date(min(plans), MADRID) if plans else None
        if is_overdue(due, planned, TODAY):
            expected.add(account_id)
    assert {account.account_id for account in data.overdue} == expected
    with db.session() as session:  # the Accounts workspace's "overdue" filter agrees
        filtered = list_accounts(session, owner_id=user, overdue_on=TODAY, limit=10_000)
    assert {row.id for row in filtered} == expected
    values = [account.value for account in data.overdue]
    assert values == sorted(values, reverse=True)
    assert values[0] > 0


def test_account_values_count_recent_wins_and_half_the_weighted_pipeline() -> None:
    def fact(
        stage: str, amount: int, probability: int | None = None, close: dt.date | None = None
    ) -> OpportunityFact:
        return OpportunityFact("a", stage, amount, "EUR", probability, close)

    values = account_values(
        [
            fact("closed_won", 1000_00, close=TODAY - dt.timedelta(days=30)),
            fact("closed_won", 5000_00, close=TODAY - dt.timedelta(days=400)),  # too old
            fact("proposal", 2000_00, probability=40),  # 800 weighted → 400
            fact("negotiation", 1000_00),  # stage default 75 % → 750 → 375
            OpportunityFact("b", "proposal", 100_00, "XXX?", None, None),  # unknown currency
        ],
        today=TODAY,
    )
    assert values == {"a": Decimal("1775")}


def test_start_points_round_trip_through_the_preferences() -> None:
    point = StartPoint("Oficina, planta 2", 40.4168, -3.7038)
    assert StartPoint.from_preference(point.to_preference()) == point
    for text in (None, "", "40.4,-3.7", "a,b,c", "95,0,Polo"):
        assert StartPoint.from_preference(text) is None
    with pytest.raises(ValueError):
        StartPoint("x", float("nan"), 0.0)


def test_no_signed_in_user_means_an_empty_today(tmp_path: Path) -> None:
    with open_database(tmp_path / "empty.sqlite3") as database, database.session() as session:
        data = load_today(session, clock=CLOCK)
    assert (data.stops, data.follow_ups, data.overdue, data.user_id) == ([], [], [], None)


def test_without_a_start_point_the_route_starts_at_the_first_appointment(db: Database) -> None:
    """A visit without a time (planned at midnight, so first in time order) is not the start."""
    midnight = dt.datetime.combine(TODAY, dt.time(), tzinfo=MADRID).astimezone(dt.UTC)
    with db.session() as session:
        stops = [s for s in todays_visits(session) if s.point is not None]
        flexible = stops[-1].key
        update_record(
            session,
            "visit",
            flexible,
            {"planned_start": midnight, "planned_end": midnight + dt.timedelta(hours=1)},
            now=CLOCK.now(),
        )
        data = load_today(session, clock=CLOCK)
    first = stops[0].point
    assert data.start is not None and data.start_is_first_visit
    assert first is not None and (data.start.latitude, data.start.longitude) == first
