"""Quotas for the current year and a history of forecast submissions per rep."""

from __future__ import annotations

import datetime as dt
import random

from .context import Clock, Row, base_row, workday
from .sales import SalesTotals
from .team import Member, Team
from .texts import MANAGER_FORECAST_NOTES, REP_FORECAST_NOTES

#: expected sales per account and month (minor units), the yardstick for quotas
SALES_PER_ACCOUNT_MONTH = 45_000
MIN_MONTHLY_QUOTA = 300_000
#: August and December are slow months in Spain
SEASON = (1.0, 1.0, 1.1, 1.0, 1.1, 1.1, 0.9, 0.5, 1.0, 1.1, 1.1, 0.8)
HISTORY_MONTHS = 6


def monthly_quota(team: Team, rep: Member, accounts: int, month: int) -> int:
    """The quota of ``rep`` for ``month`` of the current year, in whole hundreds of euros."""
    share = team.expected_share(rep) * 0.92 + 0.03 / len(team.reps)
    amount = max(MIN_MONTHLY_QUOTA, accounts * share * SALES_PER_ACCOUNT_MONTH) * SEASON[month - 1]
    return int(round(amount / 10_000) * 10_000)


def quota_rows(rng: random.Random, clock: Clock, team: Team, accounts: int) -> list[Row]:
    """A quota per rep for every month and quarter of the current year."""
    year = clock.today.year
    created = clock.local(dt.date(year - 1, 12, 15), 10 * 60)
    created = min(created, clock.now - dt.timedelta(days=1))
    rows: list[Row] = []
    for rep in team.reps:
        months = [monthly_quota(team, rep, accounts, m) for m in range(1, 13)]
        periods = [(f"{year}-{m:02d}", months[m - 1]) for m in range(1, 13)]
        periods += [(f"{year}-Q{q}", sum(months[3 * q - 3 : 3 * q])) for q in range(1, 5)]
        for period, amount in periods:
            row = base_row(rng, created, created)
            row.update(user_id=rep.id, period=period, amount=amount, currency="EUR")
            rows.append(row)
    return rows


def submission_rows(
    rng: random.Random, clock: Clock, team: Team, accounts: int, totals: SalesTotals
) -> list[Row]:
    """Monthly forecast snapshots of the last months (two for some months), oldest first."""
    rows: list[Row] = []
    for rep in team.reps:
        for back in range(HISTORY_MONTHS - 1, -1, -1):
            first = _month_start(clock.today, back)
            period = first.strftime("%Y-%m")
            quota = monthly_quota(team, rep, accounts, first.month)
            base = max(totals.won.get((rep.id, period), 0), int(quota * rng.uniform(0.6, 0.9)))
            names = totals.account_names.get(rep.id) or ["un cliente"]
            for day in (3, 15) if rng.random() < 0.4 else (10,):
                submitted_day = workday(first.replace(day=day))
                submitted = clock.local(submitted_day, rng.randint(8 * 60 + 30, 11 * 60))
                if submitted > clock.now:
                    continue
                rows.append(_submission(rng, clock, team, rep, period, base, submitted, names))
    return rows


def _submission(
    rng: random.Random,
    clock: Clock,
    team: Team,
    rep: Member,
    period: str,
    base: int,
    submitted: dt.datetime,
    names: list[str],
) -> Row:
    closed = _hundreds(base * rng.uniform(0.2, 0.6))
    commit = _hundreds(base * rng.uniform(0.85, 1.15)) - closed
    best_case = _hundreds(base * rng.uniform(0.3, 0.6))
    pipeline = _hundreds(base * rng.uniform(1.5, 3.0))
    adjusted = rng.random() < 0.3
    manager_adjusted = rng.random() < 0.35
    adjusted_at = clock.between(
        rng, submitted + dt.timedelta(hours=4), submitted + dt.timedelta(days=3)
    )
    adjusted_at = min(adjusted_at, clock.now)
    row = base_row(rng, submitted, adjusted_at if manager_adjusted else submitted)
    row.update(
        owner_id=rep.id,
        period=period,
        currency="EUR",
        commit_amount=max(commit, 0),
        best_case_amount=best_case,
        pipeline_amount=pipeline,
        closed_amount=closed,
        rep_adjustment=_hundreds(base * rng.uniform(-0.1, 0.1)) if adjusted else None,
        rep_note=rng.choice(REP_FORECAST_NOTES).format(account=rng.choice(names))
        if adjusted
        else None,
        submitted_at=submitted,
        manager_id=team.manager.id,
        manager_adjustment=_hundreds(base * rng.uniform(-0.15, 0.1)) if manager_adjusted else None,
        manager_note=rng.choice(MANAGER_FORECAST_NOTES).format(account=rng.choice(names))
        if manager_adjusted
        else None,
        manager_adjusted_at=adjusted_at if manager_adjusted else None,
    )
    return row


def _hundreds(amount: float) -> int:
    """Minor units rounded to whole hundreds of euros."""
    return int(round(amount / 10_000) * 10_000)


def _month_start(today: dt.date, back: int) -> dt.date:
    month_index = today.year * 12 + today.month - 1 - back
    return dt.date(month_index // 12, month_index % 12 + 1, 1)
