"""Won deals from the years before the last one: the purchase history that customer value,
lifetime value, customer age and the lapsed customers of the affinity classes are read from.

The rest of the demo's deals close within the last year, so without these every customer would
be a year old at most and none lapsed. They draw on their own random stream (and their stage
history on another), so the rest of the data set does not depend on them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from .accounts import AccountInfo
from .context import Clock, Row, base_row
from .texts import OPPORTUNITY_NAMES

#: chance that a customer (or a lapsed one) bought in each earlier year of its history
_YEARLY_PURCHASE = {"customer": 0.7, "lapsed": 0.55}
#: a lapsed customer's last purchase is at least this old (the affinity classes call an account
#: lapsed after 365 days without buying)
_LAPSED_AFTER_DAYS = 400
_YEAR = dt.timedelta(days=365)

#: sizes a deal of a product family (the demo's own rule, :func:`.sales._amount`)
DealAmount = Callable[[random.Random, str], int]


class PastSalesFactory:
    """The won deals of one account's earlier years (``closed_won``, ``closed`` in the forecast)."""

    def __init__(self, rng: random.Random, clock: Clock) -> None:
        self.rng = rng
        self.clock = clock

    def make(self, account: AccountInfo, amount: DealAmount) -> list[Row]:
        chance = _YEARLY_PURCHASE.get(account.lifecycle)
        if chance is None:
            return []
        today = self.clock.today
        first = account.created.date() + dt.timedelta(days=30)
        gap = _LAPSED_AFTER_DAYS if account.lifecycle == "lapsed" else 366
        last = today - dt.timedelta(days=gap)
        rows: list[Row] = []
        start = first
        while start <= last:
            end = min(start + _YEAR, last)
            if self.rng.random() < chance:
                for _ in range(self.rng.choice((1, 1, 2))):
                    close = start + dt.timedelta(days=self.rng.randint(0, (end - start).days))
                    rows.append(self._deal(account, close, amount))
            start += _YEAR
        if account.lifecycle == "lapsed" and not rows and first <= last:
            close = first + dt.timedelta(days=self.rng.randint(0, (last - first).days))
            rows.append(self._deal(account, close, amount))
        return rows

    def _deal(self, account: AccountInfo, close: dt.date, amount: DealAmount) -> Row:
        rng, clock = self.rng, self.clock
        family = rng.choice(account.industry.families)
        closed_at = clock.local(close, rng.randint(9 * 60, 19 * 60))
        start = max(account.created, closed_at - dt.timedelta(days=120))
        created = clock.between(rng, start, max(start, closed_at - dt.timedelta(days=10)))
        row = base_row(rng, created, max(created, closed_at))
        row.update(
            account_id=account.id,
            owner_id=account.owner.id,
            name=rng.choice(OPPORTUNITY_NAMES[family]).format(year=close.year),
            stage="closed_won",
            amount=amount(rng, family),
            currency="EUR",
            probability=100,
            expected_close_date=close,
            forecast_category="closed",
            lost_reason=None,
            next_step=None,
        )
        return row
