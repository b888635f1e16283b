"""The deterministic demo data set, generated as a stream of row batches.

:func:`generate` yields ``(entity, rows)`` with parents before children, in batches small
enough that a 100,000-account data set never sits in memory at once. Rows hold Python values
(see :mod:`sync_server.protocol.values`) keyed by the catalog's field names plus the common
fields, every field present. The same arguments always produce the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Generator
from dataclasses import dataclass

from .accounts import AccountFactory, AccountInfo
from .activities import ActivityFactory
from .catalogue import Catalogue
from .contacts import ContactFactory
from .context import Clock, Row, batched, stream
from .forecasts import DealFigures, forecast_rows, quota_rows
from .letterhead import company_row
from .sales import SalesFactory
from .segments import segment_rows
from .showcase import ShowcaseFactory
from .team import Member, Team

DEFAULT_SEED = 20261125
DEFAULT_ACCOUNTS = 250
BATCH_SIZE = 5_000
#: accounts generated together with all their children
CHUNK_ACCOUNTS = 1_000
#: planned visits today for the demo user (the others get fewer)
AGENDA_SIZE = (6, 8)

Batch = tuple[str, list[Row]]


def generate(
    *,
    accounts: int = DEFAULT_ACCOUNTS,
    seed: int = DEFAULT_SEED,
    today: dt.date,
    reps: int = 4,
    visits_per_account: float = 6.0,
    contacts_per_account: float = 3.0,
) -> Generator[Batch, None, None]:
    """Yield ``(entity name, rows)`` batches of the demo data set, parents first.

    The first user of role ``rep`` is the demo profile's user (see :func:`demo_user_id`).
    """
    if accounts < 0 or visits_per_account < 0 or contacts_per_account < 0:
        raise ValueError("volumes must not be negative")
    clock = Clock(today)
    team = Team(stream(seed, "team"), clock, reps)
    yield "user", team.rows
    catalogue = Catalogue(stream(seed, "catalogue"), clock)
    yield "product", catalogue.product_rows
    yield "price_list", catalogue.price_list_rows
    yield from batched("price_list_item", catalogue.item_rows, BATCH_SIZE)
    yield "quota", quota_rows(stream(seed, "quota"), clock, team, accounts)
    yield "company", [company_row(stream(seed, "company"), clock)]

    sales = SalesFactory(
        stream(seed, "sales"),
        clock,
        team,
        catalogue,
        stream(seed, "stage_history"),
        past=(stream(seed, "past_sales"), stream(seed, "past_stage_history")),
    )
    factories = _Factories(
        accounts=AccountFactory(stream(seed, "accounts"), clock, team, accounts),
        contacts=ContactFactory(stream(seed, "contacts"), clock, contacts_per_account),
        activities=ActivityFactory(stream(seed, "visits"), clock, visits_per_account),
        sales=sales,
        showcase=ShowcaseFactory(stream(seed, "showcase"), clock, team, catalogue, sales.quotes),
        agenda_rng=stream(seed, "agenda"),
        team=team,
        deals=DealFigures(),
    )
    for start in range(0, accounts, CHUNK_ACCOUNTS):
        yield from factories.chunk(start, min(start + CHUNK_ACCOUNTS, accounts))
    forecasts = forecast_rows(
        stream(seed, "forecast"), clock, team, factories.deals, sales.totals.account_names
    )
    yield from batched("forecast_submission", forecasts.submissions, BATCH_SIZE)
    yield from batched("forecast_adjustment", forecasts.adjustments, BATCH_SIZE)
    yield "saved_segment", segment_rows(stream(seed, "segments"), clock, team)


@dataclass
class _Factories:
    """The makers of accounts and of everything below them, each on its own random stream."""

    accounts: AccountFactory
    contacts: ContactFactory
    activities: ActivityFactory
    sales: SalesFactory
    showcase: ShowcaseFactory
    agenda_rng: random.Random
    team: Team
    #: the live figures of the deals made so far, for the forecasts
    deals: DealFigures

    def chunk(self, start: int, stop: int) -> Generator[Batch, None, None]:
        """The accounts ``start`` to ``stop`` (excluded) and all their children, in batches."""
        infos: list[AccountInfo] = []
        account_rows: list[Row] = []
        for index in range(start, stop):
            row, info = self.accounts.make(index)
            account_rows.append(row)
            infos.append(info)
        contacts: list[Row] = []
        for info in infos:
            contacts += self.contacts.make(info, self.contacts.count())
        visits: list[Row] = []
        for info in infos:
            visits += self.activities.make(info)
        if start == 0:
            visits += self._agendas(infos)
        opportunities: list[Row] = []
        quotes: list[Row] = []
        lines: list[Row] = []
        changes: list[Row] = []
        for info in infos:
            new_opportunities, new_quotes, new_lines, new_changes = self.sales.make(info)
            opportunities += new_opportunities
            quotes += new_quotes
            lines += new_lines
            changes += new_changes
        if start == 0:
            new_opportunities, new_quotes, new_lines = self.showcase.make(infos)
            opportunities += new_opportunities
            for opportunity in new_opportunities:
                changes += self.sales.history.make(opportunity)
            quotes += new_quotes
            lines += new_lines
        for opportunity in opportunities:
            self.deals.add(opportunity)
        yield from batched("account", account_rows, BATCH_SIZE)
        yield from batched("contact", contacts, BATCH_SIZE)
        yield from batched("visit", visits, BATCH_SIZE)
        yield from batched("opportunity", opportunities, BATCH_SIZE)
        yield from batched("opportunity_stage_change", changes, BATCH_SIZE)
        yield from batched("quote", quotes, BATCH_SIZE)
        yield from batched("quote_line", lines, BATCH_SIZE)

    def _agendas(self, infos: list[AccountInfo]) -> list[Row]:
        """Each rep's planned visits today (the demo user's agenda is the fullest)."""
        visits: list[Row] = []
        team, rng = self.team, self.agenda_rng
        for member in team.reps:
            size = rng.randint(*AGENDA_SIZE) if member is team.me else rng.randint(2, 5)
            visits += self.activities.agenda(member, infos, size)
        return visits


def demo_team(*, seed: int = DEFAULT_SEED, today: dt.date, reps: int = 4) -> Team:
    """The demo's team (its manager, reps and admin), without generating everything."""
    return Team(stream(seed, "team"), Clock(today), reps)


def demo_user(*, seed: int = DEFAULT_SEED, today: dt.date, reps: int = 4) -> Member:
    """The demo profile's user (the first rep), without generating everything."""
    return demo_team(seed=seed, today=today, reps=reps).me


def demo_user_id(*, seed: int = DEFAULT_SEED, today: dt.date, reps: int = 4) -> str:
    """The id of :func:`demo_user`."""
    return demo_user(seed=seed, today=today, reps=reps).id
