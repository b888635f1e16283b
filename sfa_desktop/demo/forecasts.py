"""Quotas and forecasts of the demo: quotas for the reps and an explicit team quota for the
manager; weekly forecast submissions that track the demo's deals; the manager's adjustments.

The submissions follow the shared forecast rules (:mod:`sync_server.protocol.forecast_rules`):
each is a snapshot of a rep's figures for a period (a month or a quarter) — closed, commit
(closed included), best case, pipeline — made on the Monday of each week of the period up to
today. The figures *track the deals*: :class:`DealFigures` computes every rep's live figures
per period from the demo's opportunity rows with the rules, and

* in a period still running, the latest submission is exactly the live figures, and earlier
  ones lead up to them (less closed, a commit off by a per-period bias that fades out);
* in a period that has ended, the closed amount grows to what was actually won, and the
  commit is the rep's call of it with a bias that stays: the last call against the amount won
  gives an accuracy between about 60 and 100 %.

Some submissions carry the rep's own adjustment with a note; the manager adjusts some calls
(``forecast_adjustment`` records, each with a note: their history), and the admin adjusts the
manager's team call for the current quarter. Everything is in EUR, like the demo's deals.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from sync_server.protocol.forecast_rules import Figures, Period, period_ended

from .context import Clock, Row, base_row, workday
from .team import Member, Team
from .texts import MANAGER_FORECAST_NOTES, REP_FORECAST_NOTES, TEAM_FORECAST_NOTES

#: expected sales per account and month (minor units), the yardstick for quotas
SALES_PER_ACCOUNT_MONTH = 45_000
MIN_MONTHLY_QUOTA = 300_000
#: August and December are slow months in Spain
SEASON = (1.0, 1.0, 1.1, 1.0, 1.1, 1.1, 0.9, 0.5, 1.0, 1.1, 1.1, 0.8)
#: months with submissions: this one and the ones before it
HISTORY_MONTHS = 6
#: the manager's team quota: a stretch above the sum of the reps' quotas
TEAM_QUOTA_STRETCH = 1.05
#: the per-period bias of a rep's call (the forecast error): accuracy stays above ~60 %
CALL_BIAS = (-0.25, 0.2)
REP_ADJUSTED = 0.25
MANAGER_ADJUSTED = 0.3
CURRENCY = "EUR"


def monthly_quota(team: Team, rep: Member, accounts: int, month: int) -> int:
    """The quota of ``rep`` for ``month`` of the current year, in whole hundreds of euros."""
    share = team.expected_share(rep) * 0.92 + 0.03 / len(team.reps)
    amount = max(MIN_MONTHLY_QUOTA, accounts * share * SALES_PER_ACCOUNT_MONTH) * SEASON[month - 1]
    return _hundreds(amount)


def quota_rows(rng: random.Random, clock: Clock, team: Team, accounts: int) -> list[Row]:
    """A personal quota per rep for every month and quarter of the current year, and the
    manager's team quota for every quarter (set explicitly: above the sum of the reps')."""
    year = clock.today.year
    created = clock.local(dt.date(year - 1, 12, 15), 10 * 60)
    created = min(created, clock.now - dt.timedelta(days=1))
    rows: list[Row] = []
    quarters = [0] * 4
    for rep in team.reps:
        months = [monthly_quota(team, rep, accounts, m) for m in range(1, 13)]
        periods = [(f"{year}-{m:02d}", months[m - 1]) for m in range(1, 13)]
        periods += [(f"{year}-Q{q}", sum(months[3 * q - 3 : 3 * q])) for q in range(1, 5)]
        for q in range(4):
            quarters[q] += sum(months[3 * q : 3 * q + 3])
        for period, amount in periods:
            row = base_row(rng, created, created)
            row.update(
                user_id=rep.id, period=period, amount=amount, currency=CURRENCY, scope="personal"
            )
            rows.append(row)
    for q, total in enumerate(quarters, start=1):
        row = base_row(rng, created, created)
        amount = _hundreds(total * TEAM_QUOTA_STRETCH)
        row.update(
            user_id=team.manager.id,
            period=f"{year}-Q{q}",
            amount=amount,
            currency=CURRENCY,
            scope="team",
        )
        rows.append(row)
    return rows


# --- the deals' figures --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _RowDeal:
    """An opportunity row as the rules read a deal."""

    owner_id: str
    stage: str
    forecast_category: str
    amount: int
    currency: str
    probability: int | None
    expected_close_date: dt.date | None


class DealFigures:
    """Every owner's live figures per month and quarter, from the opportunity rows, by the
    rules (the figures a forecast workspace computes from the same deals)."""

    def __init__(self) -> None:
        self._figures: dict[tuple[str, str], Figures] = {}

    def add(self, row: Row) -> None:
        close = row.get("expected_close_date")
        if row.get("deleted_at") is not None or close is None or row["currency"] != CURRENCY:
            return
        deal = _RowDeal(
            row["owner_id"],
            row["stage"],
            row["forecast_category"],
            row["amount"],
            row["currency"],
            row.get("probability"),
            close,
        )
        figures = Figures.of_deal(deal)
        for kind in ("month", "quarter"):
            key = (deal.owner_id, str(Period.of(close, kind)))
            found = self._figures.get(key)
            self._figures[key] = figures if found is None else found + figures

    def of(self, owner_id: str, period: Period) -> Figures:
        return self._figures.get((owner_id, str(period)), Figures(CURRENCY))


# --- the submissions ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Forecasts:
    submissions: list[Row]
    adjustments: list[Row]


def forecast_periods(today: dt.date) -> list[Period]:
    """The periods with submissions: the last :data:`HISTORY_MONTHS` months and the previous
    and current quarters, oldest first (months before quarters of the same start)."""
    month = Period.of(today, "month")
    months = [month]
    while len(months) < HISTORY_MONTHS:
        months.insert(0, months[0].previous())
    quarter = Period.of(today, "quarter")
    return sorted([*months, quarter.previous(), quarter], key=lambda p: (p.start, p.kind))


def forecast_rows(
    rng: random.Random,
    clock: Clock,
    team: Team,
    deals: DealFigures,
    account_names: dict[str, list[str]],
) -> Forecasts:
    """The submissions and adjustments of every rep for :func:`forecast_periods`, oldest
    first."""
    submissions: list[Row] = []
    adjustments: list[Row] = []
    for period in forecast_periods(clock.today):
        for rep in team.reps:
            names = account_names.get(rep.id) or ["un cliente"]
            maker = _RepPeriod(rng, clock, team, rep, period, deals.of(rep.id, period), names)
            for submission, adjustment in maker.rows():
                submissions.append(submission)
                if adjustment is not None:
                    adjustments.append(adjustment)
    adjustments.append(_team_adjustment(rng, clock, team, submissions))
    submissions.sort(key=lambda r: (r["submitted_at"], r["id"]))
    adjustments.sort(key=lambda r: (r["adjusted_at"], r["id"]))
    return Forecasts(submissions, adjustments)


@dataclass
class _RepPeriod:
    rng: random.Random
    clock: Clock
    team: Team
    rep: Member
    period: Period
    target: Figures
    names: list[str]

    def moments(self) -> list[tuple[dt.date, dt.datetime]]:
        """The Monday (or next working day) of each week of the period, at 08:30–11:00 local,
        up to now."""
        found = []
        day = self.period.start + dt.timedelta(days=(7 - self.period.start.weekday()) % 7)
        while day <= self.period.end:
            submitted_day = workday(day)
            at = self.clock.local(submitted_day, self.rng.randint(8 * 60 + 30, 11 * 60))
            if at > self.clock.now:
                break
            found.append((submitted_day, at))
            day += dt.timedelta(days=7)
        return found

    def rows(self) -> Iterator[tuple[Row, Row | None]]:
        moments = self.moments()
        if not moments:
            return
        ended = period_ended(self.period, self.clock.today)
        bias = self.rng.uniform(*CALL_BIAS)
        horizon = self.period.end if ended else moments[-1][0]
        span = (horizon - self.period.start).days + 1
        for index, (day, at) in enumerate(moments):
            progress = min(1.0, ((day - self.period.start).days + 1) / span)
            exact = not ended and index == len(moments) - 1
            figures = _snapshot(self.target, progress, bias, ended=ended, exact=exact)
            following = moments[index + 1][1] if index + 1 < len(moments) else self.clock.now
            submission = self._submission(at, figures)
            yield submission, self._adjustment(at, following, figures[1])

    def _submission(self, at: dt.datetime, figures: tuple[int, int, int, int]) -> Row:
        closed, commit, best_case, pipeline = figures
        adjusted = commit > 0 and self.rng.random() < REP_ADJUSTED
        row = base_row(self.rng, at, at)
        row.update(
            owner_id=self.rep.id,
            period=str(self.period),
            currency=CURRENCY,
            commit_amount=commit,
            best_case_amount=best_case,
            pipeline_amount=pipeline,
            closed_amount=closed,
            rep_adjustment=_euros(commit * self.rng.uniform(-0.06, 0.06)) if adjusted else None,
            rep_note=self._note(REP_FORECAST_NOTES) if adjusted else None,
            submitted_at=at,
            manager_id=None,
            manager_adjustment=None,
            manager_note=None,
            manager_adjusted_at=None,
        )
        return row

    def _adjustment(self, after: dt.datetime, before: dt.datetime, commit: int) -> Row | None:
        """The manager's adjustment of this call, made before the rep's next submission."""
        if commit <= 0 or self.rng.random() >= MANAGER_ADJUSTED:
            return None
        latest = min(after + dt.timedelta(days=3), before - dt.timedelta(minutes=5))
        if latest <= after + dt.timedelta(minutes=5):
            return None
        at = self.clock.between(self.rng, after + dt.timedelta(hours=2), latest)
        amount = _euros(commit * self.rng.uniform(-0.08, 0.05))
        if amount == 0:
            return None
        row = base_row(self.rng, at, at)
        row.update(
            owner_id=self.rep.id,
            period=str(self.period),
            scope="rep",
            currency=CURRENCY,
            amount=amount,
            note=self._note(MANAGER_FORECAST_NOTES),
            adjusted_by_id=self.team.manager.id,
            adjusted_at=at,
        )
        return row

    def _note(self, notes: tuple[str, ...]) -> str:
        return self.rng.choice(notes).format(account=self.rng.choice(self.names))


def _snapshot(
    target: Figures, progress: float, bias: float, *, ended: bool, exact: bool
) -> tuple[int, int, int, int]:
    """(closed, commit, best case, pipeline) of a submission made ``progress`` (0–1) of the way
    to the period's end (ended) or to the latest submission (running), which is ``target``
    exactly. Always closed ≤ commit ≤ best case, and pipeline ≥ best case − closed."""
    if exact:
        return target.closed, target.commit, target.best_case, target.pipeline
    closed = min(target.closed, _euros(target.closed * progress**1.5))
    goal = target.closed if ended else target.commit
    weight = 1 - 0.1 * progress if ended else 1 - progress
    commit = max(closed, _euros(goal * (1 + bias * weight)))
    spread = max(target.best_case - target.commit, _euros(goal * 0.1))
    best_case = commit + _euros(spread * (1 + 0.5 * (1 - progress)))
    pipeline = max(
        best_case - closed, _euros(max(target.pipeline, best_case) * (1 + 0.4 * (1 - progress)))
    )
    return closed, commit, best_case, pipeline


def _team_adjustment(rng: random.Random, clock: Clock, team: Team, submissions: list[Row]) -> Row:
    """The admin's adjustment of the manager's team call for the current quarter."""
    quarter = str(Period.of(clock.today, "quarter"))
    latest: dict[str, Row] = {}
    for row in submissions:
        if row["period"] == quarter:
            latest[row["owner_id"]] = row
    commit = sum(r["commit_amount"] for r in latest.values())
    made = max((r["submitted_at"] for r in latest.values()), default=clock.now)
    at = clock.between(rng, made + dt.timedelta(hours=2), clock.now - dt.timedelta(minutes=5))
    row = base_row(rng, at, at)
    row.update(
        owner_id=team.manager.id,
        period=quarter,
        scope="team",
        currency=CURRENCY,
        amount=-max(_hundreds(commit * 0.04), 100_000),
        note=rng.choice(TEAM_FORECAST_NOTES),
        adjusted_by_id=team.admin.id,
        adjusted_at=at,
    )
    return row


def _hundreds(amount: float) -> int:
    """Minor units rounded to whole hundreds of euros."""
    return int(round(amount / 10_000) * 10_000)


def _euros(amount: float) -> int:
    """Minor units rounded to whole euros."""
    return int(round(amount / 100) * 100)
