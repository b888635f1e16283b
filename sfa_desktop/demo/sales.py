"""Opportunities in every stage, with quotes (and revisions) for the advanced ones, and the
stage history of each (the stages it went through, the close dates it slipped)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from sync_server.protocol.catalog import (
    OPPORTUNITY_STAGES,
    STAGE_DEFAULT_FORECAST_CATEGORY,
    STAGE_DEFAULT_PROBABILITY,
)

from .accounts import AccountInfo
from .catalogue import Catalogue
from .context import Clock, Row, Weighted, base_row
from .past_sales import PastSalesFactory
from .quotes import QuoteFactory
from .team import Team
from .texts import LOST_REASONS, OPPORTUNITY_NAMES, OPPORTUNITY_NEXT_STEPS

_COUNT = {
    "customer": Weighted([(0, 20), (1, 40), (2, 25), (3, 15)]),
    "qualified": Weighted([(0, 20), (1, 60), (2, 20)]),
    "prospect": Weighted([(0, 55), (1, 45)]),
    "lapsed": Weighted([(0, 60), (1, 40)]),
}
_STAGE = {
    "customer": Weighted(
        [
            ("closed_won", 45),
            ("proposal", 15),
            ("negotiation", 12),
            ("closed_lost", 13),
            ("prospecting", 8),
            ("qualification", 7),
        ]
    ),
    "qualified": Weighted(
        [
            ("prospecting", 10),
            ("qualification", 25),
            ("proposal", 35),
            ("negotiation", 20),
            ("closed_lost", 10),
        ]
    ),
    "prospect": Weighted([("prospecting", 50), ("qualification", 35), ("closed_lost", 15)]),
    "lapsed": Weighted([("closed_lost", 60), ("closed_won", 30), ("prospecting", 10)]),
}
_FORECAST = {
    "prospecting": Weighted([("pipeline", 90), ("omitted", 10)]),
    "qualification": Weighted([("pipeline", 90), ("omitted", 10)]),
    "proposal": Weighted([("best_case", 75), ("pipeline", 20), ("commit", 5)]),
    "negotiation": Weighted([("commit", 80), ("best_case", 20)]),
}
#: chance that an opportunity in each stage has a quote
_QUOTED = {
    "qualification": 0.15,
    "proposal": 0.9,
    "negotiation": 0.95,
    "closed_won": 0.85,
    "closed_lost": 0.6,
}
CLOSED = frozenset({"closed_won", "closed_lost"})
_OPEN_PATH = OPPORTUNITY_STAGES[:4]
#: how many times a deal's expected close date was pushed out, and by how many days each time
_SLIPS = Weighted([(0, 65), (1, 22), (2, 9), (3, 4)])
_SLIP_DAYS = (7, 14, 14, 21, 30, 30, 45, 60)
_SMALL_TICKET = frozenset({"Servicios", "Seguridad"})


@dataclass
class SalesTotals:
    """Figures the forecast history is built from (small: per owner and month)."""

    #: (owner id, "YYYY-MM") → amount won, minor units
    won: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    #: owner id → a few account names, for forecast notes
    account_names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


class SalesFactory:
    """Makes the opportunities, quotes and quote lines of one account at a time."""

    def __init__(
        self,
        rng: random.Random,
        clock: Clock,
        team: Team,
        catalogue: Catalogue,
        history_rng: random.Random,
        past: tuple[random.Random, random.Random] | None = None,
    ) -> None:
        """``past``: the random streams of the earlier years' won deals and of their stage
        history (:mod:`.past_sales`); without them, every deal is of the last year."""
        self.rng = rng
        self.clock = clock
        self.history = StageHistoryFactory(history_rng, clock)
        self.past = PastSalesFactory(past[0], clock) if past else None
        self.past_history = StageHistoryFactory(past[1], clock) if past else None
        self.quotes = QuoteFactory(rng, clock, team, catalogue)
        self.totals = SalesTotals()
        self._forced = list(OPPORTUNITY_STAGES)  # the first deals cover every stage
        self._names = {
            k: tuple(n.format(year=clock.today.year) for n in v)
            for k, v in OPPORTUNITY_NAMES.items()
        }

    def make(self, account: AccountInfo) -> tuple[list[Row], list[Row], list[Row], list[Row]]:
        """The account's opportunities, their quotes, the quotes' lines, the stage changes."""
        opportunities: list[Row] = []
        quotes: list[Row] = []
        lines: list[Row] = []
        changes: list[Row] = []
        names = self.totals.account_names[account.owner.id]
        if len(names) < 5:
            names.append(account.name)
        for _ in range(_COUNT[account.lifecycle].pick(self.rng)):
            opportunity, family = self._opportunity(account)
            opportunities.append(opportunity)
            if self.rng.random() < _QUOTED.get(opportunity["stage"], 0.0):
                new_quotes, new_lines = self.quotes.make(account, opportunity, family)
                quotes += new_quotes
                lines += new_lines
                opportunity["amount"] = self.quotes.last_total
            if opportunity["stage"] == "closed_won":
                period = opportunity["expected_close_date"].strftime("%Y-%m")
                self.totals.won[account.owner.id, period] += opportunity["amount"]
            changes += self.history.make(opportunity)
        if self.past is not None and self.past_history is not None:
            for opportunity in self.past.make(account, _amount):
                opportunities.append(opportunity)
                changes += self.past_history.make(opportunity)
        return opportunities, quotes, lines, changes

    def _opportunity(self, account: AccountInfo) -> tuple[Row, str]:
        rng, clock = self.rng, self.clock
        today = clock.today
        stage = self._forced.pop(0) if self._forced else _STAGE[account.lifecycle].pick(rng)
        family = rng.choice(account.industry.families)
        earliest = account.created + dt.timedelta(days=1)
        if stage in CLOSED:
            close = today - dt.timedelta(days=rng.randint(3, 360))
            close = max(
                close,
                min(
                    today - dt.timedelta(days=1),
                    earliest.date() + dt.timedelta(days=rng.randint(20, 60)),
                ),
            )
            closed_at = clock.local(close, rng.randint(9 * 60, 19 * 60))
            start = max(earliest, closed_at - dt.timedelta(days=120))
            created = clock.between(rng, start, max(start, closed_at - dt.timedelta(days=10)))
            updated = max(created, closed_at)
        else:
            days = -rng.randint(1, 20) if rng.random() < 0.06 else rng.randint(7, 180)
            close = today + dt.timedelta(days=days)
            created = clock.between(
                rng, max(earliest, clock.now - dt.timedelta(days=150)), clock.now
            )
            updated = clock.between(rng, created, clock.now)
        probability = STAGE_DEFAULT_PROBABILITY[stage]
        if stage not in CLOSED and rng.random() < 0.15:
            probability = max(5, min(95, probability + rng.choice((-10, -5, 5, 10, 15))))
        row = base_row(rng, created, updated)
        row.update(
            account_id=account.id,
            owner_id=account.owner.id,
            name=rng.choice(self._names[family]),
            stage=stage,
            amount=_amount(rng, family),
            currency="EUR",
            probability=probability,
            expected_close_date=close,
            forecast_category=(
                STAGE_DEFAULT_FORECAST_CATEGORY[stage]
                if stage in CLOSED
                else _FORECAST[stage].pick(rng)
            ),
            lost_reason=rng.choice(LOST_REASONS) if stage == "closed_lost" else None,
            next_step=(
                rng.choice(OPPORTUNITY_NEXT_STEPS)
                if stage not in CLOSED and rng.random() < 0.8
                else None
            ),
        )
        return row, family


def _amount(rng: random.Random, family: str) -> int:
    """A deal size between 1.500 € and 250.000 € (minor units), most of them small."""
    if family in _SMALL_TICKET:
        low, high = 1_500, 30_000
    else:
        low, high = (1_500, 60_000) if rng.random() < 0.85 else (60_000, 250_000)
    euros = low * (high / low) ** rng.random()
    return int(round(euros / 50) * 50) * 100


class StageHistoryFactory:
    """The ``opportunity_stage_change`` records of a finished opportunity row: created in an
    early stage, moved up one stage at a time to where it is now (a lost deal is lost from
    wherever it had got to), its close date pushed out now and then. The last change matches
    the row (stage and close date); the history draws on its own random stream, so the rest
    of the data set does not depend on it."""

    def __init__(self, rng: random.Random, clock: Clock) -> None:
        self.rng = rng
        self.clock = clock

    def _path(self, stage: str) -> list[str]:
        rng = self.rng
        if stage == "closed_won":
            reached = len(_OPEN_PATH)
        elif stage == "closed_lost":
            reached = rng.randint(1, len(_OPEN_PATH))
        else:
            reached = _OPEN_PATH.index(stage) + 1
        start = 0 if reached == 1 or rng.random() < 0.7 else rng.randint(0, min(1, reached - 1))
        path = list(_OPEN_PATH[start:reached])
        if stage in CLOSED:
            path.append(stage)
        return path

    def make(self, opportunity: Row) -> list[Row]:
        rng, clock = self.rng, self.clock
        stage, final_close = opportunity["stage"], opportunity["expected_close_date"]
        created, updated = opportunity["created_at"], opportunity["updated_at"]
        path = self._path(stage)
        slips = [rng.choice(_SLIP_DAYS) for _ in range(_SLIPS.pick(rng))]
        close = final_close - dt.timedelta(days=sum(slips))
        # the moves after the create, with the slips among them (a deal slips before it closes)
        events: list[tuple[str, int]] = [("stage", i) for i in range(1, len(path))]
        last = events.pop() if stage in CLOSED and events else None
        for days in slips:
            events.insert(rng.randint(0, len(events)), ("slip", days))
        if last is not None:
            events.append(last)
        times = sorted(clock.between(rng, created, updated) for _ in events)
        if stage in CLOSED and times:
            times[-1] = updated
        rows = [self._row(opportunity, None, path[0], None, close, created)]
        current = path[0]
        for (kind, value), when in zip(events, times, strict=True):
            before_stage, before_close = current, close
            if kind == "stage":
                current = path[value]
            else:
                close += dt.timedelta(days=value)
            rows.append(self._row(opportunity, before_stage, current, before_close, close, when))
        return rows

    def _row(
        self,
        opportunity: Row,
        from_stage: str | None,
        to_stage: str,
        from_close: dt.date | None,
        to_close: dt.date,
        when: dt.datetime,
    ) -> Row:
        row = base_row(self.rng, when, when)
        row.update(
            opportunity_id=opportunity["id"],
            from_stage=from_stage,
            to_stage=to_stage,
            from_close_date=from_close,
            to_close_date=to_close,
            amount=opportunity["amount"],
            currency=opportunity["currency"],
            changed_by_id=opportunity["owner_id"],
            changed_at=when,
        )
        return row
