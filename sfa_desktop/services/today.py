"""The Today view's data, built in one go (one database task): where to go, what is due.

* **Stops**: the user's on-site activities of today. Those done come first, ticked, in time
  order; those still planned follow in the order of
  :func:`sfa_desktop.domain.day_route.plan_day` from the user's start point (by default the
  first of them): appointments keep their time and order, visits planned without a time
  (starting at local midnight: "any time that day") go where they fit; each stop has its
  leg's distance, estimated arrival, and whether the rep will be late or it does not fit the
  working day (travel: :class:`~sfa_desktop.domain.day_route.RouteSettings`, from the
  preferences). Stops whose account has no coordinates are not in the route: they come last.
* **Follow-ups**: the user's open tasks due today or before (overdue ones flagged; looked for
  up to :data:`TASK_LOOKBACK` back), then done activities whose follow-up date has come and
  that nothing follows up yet (oldest first).
* **Overdue accounts**: accounts past their visit cadence
  (:func:`sfa_desktop.domain.cadence.overdue_accounts`), most valuable first, the value
  being :func:`sfa_desktop.domain.customer_value.account_value` (won in the last 12 months +
  half the weighted open pipeline).
* **Awaiting your approval**: for a manager (or an administrator), the quotes of their team
  pending approval (:func:`sfa_desktop.services.quote_review.awaiting_my_approval`), the
  soonest to expire first; empty for a rep.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from sfa_desktop.domain.agenda import day_bounds
from sfa_desktop.domain.cadence import DUE_IMMEDIATELY, next_visit_due
from sfa_desktop.domain.customer_value import account_value
from sfa_desktop.domain.day_route import PlannedStop, TimedStop, plan_day
from sfa_desktop.domain.day_route import RouteSettings as RouteSettings  # re-exported
from sfa_desktop.domain.errors import DomainError
from sfa_desktop.domain.money import Money
from sfa_desktop.domain.route import Stop
from sfa_desktop.domain.strategic_tiers import OTHER, TIER_CHANNELS
from sfa_desktop.store.repositories.today import (
    CadenceText,
    OpportunityFact,
    OpportunityTotal,
    StopRow,
    TaskRow,
    cadence_facts,
    follow_ups_due,
    opportunity_facts,
    opportunity_totals,
    tasks_due,
    todays_stops,
)
from sfa_desktop.store.repositories.today import (
    FollowUpRow as FollowUpRow,  # re-exported: the rows of TodayData.follow_ups
)
from sfa_desktop.store.types import parse_utc
from sync_server.protocol.catalog import STAGE_DEFAULT_PROBABILITY

from .current_user import current_user_id
from .customer_values import company_settings
from .preferences import Preferences
from .quote_review import ApprovalRow, awaiting_my_approval
from .visits import AgendaClock

#: How far back won opportunities count towards an account's value.
WON_WINDOW = dt.timedelta(days=365)
#: How far back an open task is still listed as overdue.
TASK_LOOKBACK = dt.timedelta(days=365)
#: How long a visit planned without a time is expected to take.
FLEXIBLE_VISIT_MINUTES = 30
#: A visit lasting this long or more is an all-day entry, not its duration.
_ALL_DAY = dt.timedelta(hours=12)
_ZERO = Decimal(0)


@dataclass(frozen=True)
class StartPoint:
    """Where the day's route begins: a label (an address, "Office") and its coordinates."""

    label: str
    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        lat, lon = float(self.latitude), float(self.longitude)
        if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
            raise ValueError(f"invalid coordinates {self.latitude!r}, {self.longitude!r}")

    def to_preference(self) -> str:
        """``"40.416800,-3.703800,Oficina"``: the form kept in the preferences file."""
        return f"{self.latitude:.6f},{self.longitude:.6f},{self.label}"

    @classmethod
    def from_preference(cls, text: str | None) -> StartPoint | None:
        """Read :meth:`to_preference`'s form; ``None`` for nothing or anything malformed."""
        if not text:
            return None
        parts = text.split(",", 2)
        if len(parts) != 3:
            return None
        try:
            return cls(parts[2].strip(), float(parts[0]), float(parts[1]))
        except ValueError:
            return None


@dataclass(frozen=True)
class RouteStop:
    """A stop of today with its place in the route (``None``: done, or no location)."""

    stop: StopRow
    position: int | None
    #: kilometres from the previous stop (or the start point); ``None`` when not routed
    leg_km: float | None
    #: estimated arrival (aware, UTC); ``None`` when not routed
    arrival: dt.datetime | None = None
    #: minutes after the appointment the rep is expected (0: on time)
    late_minutes: float = 0.0
    #: ``False``: a visit without a time that does not fit the working day
    fits: bool = True
    #: planned without a time ("any time that day"): placed where it fits
    flexible: bool = False

    @property
    def located(self) -> bool:
        return self.position is not None

    @property
    def done(self) -> bool:
        return self.stop.status == "done"

    @property
    def late(self) -> bool:
        return self.late_minutes > 0


@dataclass(frozen=True)
class TaskDue:
    """An open task due today or before, for the follow-ups list."""

    task: TaskRow
    due: dt.date
    overdue: bool

    @property
    def visit_id(self) -> str:
        return self.task.visit_id

    @property
    def account_id(self) -> str:
        return self.task.account_id


@dataclass(frozen=True)
class OverdueAccount:
    """An account past its visit cadence, for the Today list."""

    account_id: str
    name: str
    city: str | None
    cadence_days: int
    last_visit: dt.date | None
    #: ``None`` for an account never visited whose creation date is unknown
    days_overdue: int | None
    next_planned: dt.date | None
    value: Decimal
    #: the account's strategic tier (``None``: not computed yet)
    tier: str | None = None
    #: how to reach it, best first: a below-zero account by phone and e-mail, not a visit
    channels: tuple[str, ...] = ("visit",)


@dataclass(frozen=True)
class TodayData:
    """Everything the Today workspace shows."""

    day: dt.date
    user_id: str | None
    #: where the route begins: the chosen start point, else the first located visit
    start: StartPoint | None
    start_is_first_visit: bool
    stops: list[RouteStop]
    total_km: float
    follow_ups: list[FollowUpRow]
    overdue: list[OverdueAccount]
    #: quotes of the user's team pending their approval (none for a rep)
    awaiting_approval: list[ApprovalRow] = field(default_factory=list)
    #: open tasks due today or overdue, oldest first
    tasks: list[TaskDue] = field(default_factory=list)

    @property
    def unlocated_count(self) -> int:
        return sum(1 for stop in self.stops if not stop.located and not stop.done)

    @property
    def done_count(self) -> int:
        return sum(1 for stop in self.stops if stop.done)

    @property
    def warnings(self) -> list[RouteStop]:
        """The stops the rep will be late for, or that do not fit the working day."""
        return [stop for stop in self.stops if stop.late or not stop.fits]


def route_settings(preferences: Preferences) -> RouteSettings:
    """The route's travel estimate and working day from the preferences; each value that is
    not set, or not valid, keeps its default (preferences never stop the app)."""
    defaults = RouteSettings()
    values = {
        "road_factor": _number(preferences.route_road_factor, defaults.road_factor),
        "speed_kmh": _number(preferences.route_speed_kmh, defaults.speed_kmh),
    }
    hours = _working_hours(preferences.working_hours)
    if hours is not None:
        values["day_start"], values["day_end"] = hours
    try:
        return RouteSettings(**values)
    except DomainError:
        return defaults


def _number(text: str | None, default: float) -> float:
    try:
        return float(text) if text else default
    except ValueError:
        return default


def _working_hours(text: str | None) -> tuple[float, float] | None:
    """``"08:00-18:00"`` as minutes since midnight; ``None`` when not set or malformed."""
    try:
        start, end = (dt.time.fromisoformat(part.strip()) for part in (text or "").split("-"))
    except ValueError:
        return None
    return start.hour * 60 + start.minute, end.hour * 60 + end.minute


def load_today(
    session: Session,
    *,
    clock: AgendaClock,
    start_point: StartPoint | None = None,
    user_id: str | None = None,
    settings: RouteSettings | None = None,
) -> TodayData:
    """Build the Today view for ``user_id`` (default: the profile's user) on ``clock``'s day."""
    day = clock.today()
    user = user_id or current_user_id(session)
    if user is None:
        return TodayData(day, None, start_point, False, [], 0.0, [], [])
    start, end = day_bounds(day, clock.tz)
    stops = todays_stops(session, owner_id=user, start=start, end=end)
    done = [RouteStop(stop, None, None) for stop in stops if stop.status == "done"]
    planned = [stop for stop in stops if stop.status != "done"]
    route_start, is_first_visit = _route_start(start_point, planned, clock.tz)
    routed, total_km = suggest_route(route_start, planned, day=day, tz=clock.tz, settings=settings)
    return TodayData(
        day=day,
        user_id=user,
        start=route_start,
        start_is_first_visit=is_first_visit,
        stops=done + routed,
        total_km=total_km,
        follow_ups=follow_ups_due(session, owner_id=user, today=day),
        overdue=overdue_by_value(session, owner_id=user, clock=clock),
        awaiting_approval=awaiting_my_approval(session, today=day),
        tasks=open_tasks(session, owner_id=user, day=day, tz=clock.tz),
    )


def open_tasks(session: Session, *, owner_id: str, day: dt.date, tz: ZoneInfo) -> list[TaskDue]:
    """The user's open tasks due on ``day`` or before (up to :data:`TASK_LOOKBACK`)."""
    since, _ = day_bounds(day - TASK_LOOKBACK, tz)
    _, end = day_bounds(day, tz)
    tasks: list[TaskDue] = []
    for row in tasks_due(session, owner_id=owner_id, since=since, end=end):
        due = row.planned_start.astimezone(tz).date() if row.planned_start else day
        tasks.append(TaskDue(row, due, due < day))
    return tasks


def _route_start(
    chosen: StartPoint | None, stops: Sequence[StopRow], tz: ZoneInfo
) -> tuple[StartPoint | None, bool]:
    """The chosen start point, else the first appointment with a location (in time order),
    else the first visit without a time that has one."""
    if chosen is not None:
        return chosen, False
    ranked = sorted(stops, key=lambda stop: _is_any_time(stop, tz))  # stable: time order kept
    for stop in ranked:
        point = Stop(stop.visit_id, stop.latitude, stop.longitude).point
        if point is not None:
            return StartPoint(stop.account_name or "", point[0], point[1]), True
    return None, False


def _is_any_time(stop: StopRow, tz: ZoneInfo) -> bool:
    """Planned at local midnight (or without a time): "any time that day"."""
    start = stop.planned_start
    return start is None or start.astimezone(tz).time() == dt.time()


def suggest_route(
    start: StartPoint | None,
    stops: Sequence[StopRow],
    *,
    day: dt.date,
    tz: ZoneInfo,
    settings: RouteSettings | None = None,
) -> tuple[list[RouteStop], float]:
    """The stops in :func:`~sfa_desktop.domain.day_route.plan_day` order and the total km."""
    by_key = {stop.visit_id: stop for stop in stops}
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=tz).astimezone(dt.UTC)
    origin = (start.latitude, start.longitude) if start is not None else None
    plan = plan_day(origin, [_timed(stop, midnight, tz) for stop in stops], settings)
    return [_route_stop(by_key[p.stop.key], p, midnight) for p in plan.stops], plan.total_km


def _minutes(instant: dt.datetime, midnight: dt.datetime) -> float:
    """Minutes from midnight (UTC instant of the local one) to ``instant``: elapsed time, so
    on a clock-change day the working hours are an hour off, the arrivals are right."""
    return (instant - midnight).total_seconds() / 60


def _timed(stop: StopRow, midnight: dt.datetime, tz: ZoneInfo) -> TimedStop:
    """A visit as a route stop: at its time, or flexible when planned at local midnight."""
    start, end = stop.planned_start, stop.planned_end
    flexible = _is_any_time(stop, tz)
    length = (end - start) if start is not None and end is not None else None
    if length is None or length <= dt.timedelta(0) or length >= _ALL_DAY:
        duration = float(FLEXIBLE_VISIT_MINUTES)
    else:
        duration = length.total_seconds() / 60
    at = None if flexible or start is None else _minutes(start, midnight)
    return TimedStop(stop.visit_id, stop.latitude, stop.longitude, duration, at=at)


def _route_stop(row: StopRow, planned: PlannedStop, midnight: dt.datetime) -> RouteStop:
    arrival = None
    if planned.arrival is not None:
        arrival = (midnight + dt.timedelta(minutes=planned.arrival)).astimezone(dt.UTC)
    return RouteStop(
        stop=row,
        position=planned.position,
        leg_km=planned.leg_km,
        arrival=arrival,
        late_minutes=planned.late_by,
        fits=planned.fits,
        flexible=not planned.stop.fixed,
    )


def overdue_by_value(
    session: Session, *, owner_id: str, clock: AgendaClock
) -> list[OverdueAccount]:
    """The user's accounts past their visit cadence, most valuable first.

    "Last visit" is the last done activity of any kind (the rule the Accounts "overdue" filter
    and the account page follow too). An account whose cadence is still the catalog default
    is visited at its strategic tier's (company settings;
    :func:`sfa_desktop.domain.strategic_tiers.account_cadence`), the tier being the one last
    computed by the value table (:mod:`sfa_desktop.services.customer_values`); a below-zero
    account is suggested a call or an e-mail rather than a visit. Values come from the value
    table when it was computed today, else (only for the accounts past due) from their
    opportunities.
    """
    today, tz = clock.today(), clock.tz
    settings = company_settings(session)
    cadences, unit = settings.cadences, Decimal(1).scaleb(-settings.digits)
    past_due: list[tuple[CadenceText, dt.date | None, dt.date, dt.date | None]] = []
    day = _local_days(tz)
    facts = cadence_facts(
        session, owner_id=owner_id, today=today, tier_cadences=cadences, as_text=True
    )
    for fact in facts:
        if fact.last_done is not None:
            last = day(fact.last_done)
            due = next_visit_due(last, fact.cadence_days)
        else:
            last, due = None, next_visit_due(None, fact.cadence_days, created=day(fact.created_at))
        if due is None or today <= due:
            continue
        planned = day(fact.next_planned) if fact.next_planned is not None else None
        if planned is not None and planned <= due:
            continue
        past_due.append((fact, last, due, planned))
    if not past_due:
        return []
    missing = [fact.account_id for fact, *_ in past_due if fact.cached_value is None]
    computed = summed_account_values(session, missing, today=today) if missing else {}
    channels = {
        tier: TIER_CHANNELS.get(tier or OTHER, ("visit",)) for tier in (*TIER_CHANNELS, None)
    }
    found = [
        (
            due,
            OverdueAccount(  # positional, in field order: thousands of rows (hot loop)
                fact.account_id,
                fact.name,
                fact.city,
                fact.cadence_days,
                last,
                # days_overdue(due, today), due being before today here
                None if due == DUE_IMMEDIATELY else (today - due).days,
                planned,
                (
                    Decimal(fact.cached_value) * unit
                    if fact.cached_value is not None
                    else computed.get(fact.account_id, _ZERO)
                ),
                fact.tier,
                channels.get(fact.tier) or TIER_CHANNELS.get(fact.tier or OTHER, ("visit",)),
            ),
        )
        for fact, last, due, planned in past_due
    ]
    # the order of domain.cadence.overdue_accounts: most valuable, most overdue, name, id (two
    # stable sorts: the values compared as they are, not negated)
    found.sort(key=lambda x: (x[0], x[1].name.casefold(), x[1].account_id))
    found.sort(key=lambda x: x[1].value, reverse=True)
    return [item for _due, item in found]


def _local_days(tz: ZoneInfo) -> Callable[[str], dt.date]:
    """Stored UTC instants (ISO text) to local days in ``tz``, remembered per UTC hour (per
    minute in a zone offset by part of an hour, such as India's): the local day only depends
    on it, and thousands of instants share their hour (hot loop)."""
    memo: dict[str, dt.date] = {}
    year = dt.datetime.now(dt.UTC).year
    offsets = (
        dt.datetime(year, month, 1, tzinfo=dt.UTC).astimezone(tz).utcoffset() for month in (1, 7)
    )
    whole_hours = all(o is not None and o.total_seconds() % 3600 == 0 for o in offsets)
    length = 13 if whole_hours else 16  # "YYYY-MM-DDTHH" or "…:MM"

    def day(text: str) -> dt.date:
        key = text[:length]
        found = memo.get(key)
        if found is None:
            found = memo[key] = parse_utc(text).astimezone(tz).date()
        return found

    return day


def account_values(facts: Iterable[OpportunityFact], *, today: dt.date) -> dict[str, Decimal]:
    """Each account's value from its won-or-open opportunities (in currency units).

    Won: ``closed_won`` with an expected close date in the last 12 months. Open: any stage
    but won or lost, weighted by its probability (the stage default when not set). Amounts in
    different currencies are added at face value (a territory sells in one currency).
    """
    since = today - WON_WINDOW
    totals: list[OpportunityTotal] = []
    for fact in facts:
        if fact.stage == "closed_won":
            close = fact.expected_close_date
            if close is not None and since < close <= today:
                totals.append(OpportunityTotal(fact.account_id, fact.currency, None, fact.amount))
        elif fact.stage != "closed_lost":
            probability = fact.probability
            if probability is None:
                probability = STAGE_DEFAULT_PROBABILITY.get(fact.stage, 0)
            totals.append(
                OpportunityTotal(fact.account_id, fact.currency, probability, fact.amount)
            )
    return _values_of(totals)


def summed_account_values(
    session: Session, account_ids: Sequence[str], *, today: dt.date
) -> dict[str, Decimal]:
    """:func:`account_values` of ``account_ids``' opportunities, summed by the database (per
    account, currency and probability) rather than read one by one; should a sum not fit
    SQLite's integers, read one by one."""
    totals = opportunity_totals(
        session,
        account_ids,
        won_since=today - WON_WINDOW,
        today=today,
        stage_probability=STAGE_DEFAULT_PROBABILITY,
    )
    if totals is None:
        return account_values(opportunity_facts(session, account_ids), today=today)
    return _values_of(totals)


def _values_of(totals: Iterable[OpportunityTotal]) -> dict[str, Decimal]:
    """The accounts' values from their won (``probability`` ``None``) and open amounts."""
    won: dict[str, Decimal] = {}
    pipeline: dict[str, Decimal] = {}
    unit_of: dict[str, Decimal | None] = {}  # one currency check per currency, not per row
    for total in totals:
        if total.currency not in unit_of:
            try:
                unit_of[total.currency] = Money.from_minor(1, total.currency).amount
            except DomainError:
                unit_of[total.currency] = None  # an unknown currency: it cannot be valued
        unit = unit_of[total.currency]
        if unit is None:
            continue
        amount = total.amount * unit
        if total.probability is None:
            won[total.account_id] = won.get(total.account_id, _ZERO) + amount
        else:
            weighted = amount * Decimal(total.probability) / 100
            pipeline[total.account_id] = pipeline.get(total.account_id, _ZERO) + weighted
    return {
        account_id: account_value(won.get(account_id, _ZERO), pipeline.get(account_id, _ZERO))
        for account_id in won.keys() | pipeline.keys()
    }
