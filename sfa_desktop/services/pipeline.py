"""Reading the pipeline: totals by stage (the CLI, the board's column headers), the board's
cards and the Pipeline list.

:func:`pipeline_by_stage` gives, per stage (in the catalog's order) and per currency, how many
live deals close in a period, their amount and their weighted amount (amount × probability /
100, the stage's default probability for a deal without one: the forecast rules'
:func:`~sync_server.protocol.forecast_rules.deal_probability`). Every deal in the stage counts,
whatever its forecast category: these are the board's columns, not the forecast (see
:mod:`.forecasts`). One ``GROUP BY`` query; amounts in minor units, weighted exact.
Nothing is converted between currencies (the catalog has no exchange rates): every total is
per currency, the main currency (the catalog's default) first.

The Pipeline workspace's filters (:class:`PipelineFilters`) apply to its board
(:func:`pipeline_board`: the open stages' deals, and those closed won or lost in the last
:data:`RECENTLY_CLOSED_DAYS` days, at most :data:`BOARD_COLUMN_LIMIT` cards a column, totals of
all) and to its list (:data:`DEAL_LIST`: open deals, a page at a time, sortable):

* ``owner`` — ``"mine"``, ``"team"`` (the user's and of everyone below them in the manager
  tree) or a user's id; with nobody signed in "mine" and "team" match nothing;
* ``close_period`` — :data:`CLOSE_PERIODS`: the expected close date in this month, this
  quarter, next quarter, or past (``"overdue"``: open deals only);
* ``forecast_category``; ``stalled_days`` — in their stage for more than that many days;
* ``search`` — the deal's name (contains, case ignored) or its account's name (the accounts'
  search).

Age in stage is counted from the deal's last stage change in its history (its creation
without one), as :func:`sfa_desktop.domain.opportunity_stages.stage_facts` counts it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, case, false, func, literal, or_, select
from sqlalchemy.orm import Session, aliased

from sfa_desktop.domain.opportunity_stages import CLOSED_STAGES
from sfa_desktop.services.current_user import current_user_id
from sfa_desktop.services.forecasts import deal_probability_sql, in_period
from sfa_desktop.services.quote_filters import OWNER_SCOPES, owned_below
from sfa_desktop.services.record_lists import PagedList
from sfa_desktop.store.models.customers import Account
from sfa_desktop.store.models.reference import User
from sfa_desktop.store.models.sales import Opportunity, OpportunityStageChange
from sfa_desktop.store.repositories.listing import search_filter
from sfa_desktop.store.search import search_terms
from sync_server.protocol.catalog import CATALOG, FORECAST_CATEGORIES, OPPORTUNITY_STAGES
from sync_server.protocol.forecast_rules import Period

__all__ = [
    "BOARD_CLOSED_STAGES",
    "BOARD_COLUMN_LIMIT",
    "CLOSE_PERIODS",
    "DEAL_LIST",
    "DEAL_SORT_KEYS",
    "MAIN_CURRENCY",
    "OPEN_STAGES",
    "RECENTLY_CLOSED_DAYS",
    "STALLED_DAYS",
    "BoardColumn",
    "DealRow",
    "PipelineBoard",
    "PipelineFilters",
    "StageTotal",
    "count_deals",
    "list_deals",
    "pipeline_board",
    "pipeline_by_stage",
    "pipeline_conditions",
]

#: The stages a deal is worked in (the board's main columns), in the catalog's order.
OPEN_STAGES: tuple[str, ...] = tuple(s for s in OPPORTUNITY_STAGES if s not in CLOSED_STAGES)
#: The board's last columns, after the open stages.
BOARD_CLOSED_STAGES: tuple[str, ...] = ("closed_won", "closed_lost")
#: The close-period filter's values.
CLOSE_PERIODS = ("this_month", "this_quarter", "next_quarter", "overdue")
#: The "stalled for more than N days" filter's choices.
STALLED_DAYS = (14, 30, 60, 90)
#: The board's won and lost columns show the deals closed this many days back (or in the
#: chosen close period).
RECENTLY_CLOSED_DAYS = 30
#: At most this many cards in a board column (its header still counts and sums them all).
BOARD_COLUMN_LIMIT = 2000
#: Totals list this currency first (the catalog's default); no rates: never converted.
MAIN_CURRENCY: str = str(CATALOG["opportunity"].field("currency").default or "EUR")

_accounts: Table = Account.__table__  # type: ignore[assignment]
_owner = aliased(User, name="deal_owner")


@dataclass(frozen=True)
class StageTotal:
    """The deals of one stage in one currency: ``amount`` in minor units, ``weighted`` exact."""

    stage: str
    currency: str
    count: int
    amount: int
    weighted: Decimal


@dataclass(frozen=True)
class PipelineFilters:
    """The Pipeline workspace's filters (``None``: not filtering on that)."""

    owner: str | None = None
    close_period: str | None = None
    forecast_category: str | None = None
    stalled_days: int | None = None
    search: str | None = None

    def __post_init__(self) -> None:
        if self.close_period is not None and self.close_period not in CLOSE_PERIODS:
            raise ValueError(
                f"unknown close period {self.close_period!r}; expected {', '.join(CLOSE_PERIODS)}"
            )
        if self.forecast_category is not None and (
            self.forecast_category not in FORECAST_CATEGORIES
        ):
            raise ValueError(f"unknown forecast category {self.forecast_category!r}")
        if self.stalled_days is not None and self.stalled_days < 0:
            raise ValueError("stalled_days must not be negative")


@dataclass(frozen=True, slots=True)
class DealRow:
    """One deal as the board's card and the list's row show it (amounts in minor units)."""

    id: str
    account_id: str
    account_name: str
    name: str
    stage: str
    amount: int
    currency: str
    #: the deal's probability, its stage's default when it has none
    probability: int
    expected_close_date: dt.date | None
    forecast_category: str
    owner_id: str
    owner_name: str | None
    #: whole days since the deal entered its stage
    age_in_stage_days: int

    @property
    def weighted(self) -> Decimal:
        """amount × probability / 100, in minor units (exact)."""
        return Decimal(self.amount * self.probability).scaleb(-2)

    def overdue(self, today: dt.date) -> bool:
        """Still open with its expected close date past."""
        return (
            self.stage not in CLOSED_STAGES
            and self.expected_close_date is not None
            and self.expected_close_date < today
        )


@dataclass(frozen=True)
class BoardColumn:
    """A stage's cards (at most :data:`BOARD_COLUMN_LIMIT`) and its totals per currency."""

    stage: str
    deals: tuple[DealRow, ...]
    totals: tuple[StageTotal, ...]

    @property
    def count(self) -> int:
        """How many deals the stage holds (shown or not)."""
        return sum(total.count for total in self.totals)


@dataclass(frozen=True)
class PipelineBoard:
    """The board: the open stages' columns, then won and lost."""

    columns: tuple[BoardColumn, ...] = field(default=())

    def column(self, stage: str) -> BoardColumn:
        return next(c for c in self.columns if c.stage == stage)


# --- totals ----------------------------------------------------------------------------------


def _currency_order(total: StageTotal) -> tuple[bool, str]:
    return (total.currency != MAIN_CURRENCY, total.currency)


def _stage_totals(session: Session, conditions: Sequence[ColumnElement[bool]]) -> list[StageTotal]:
    statement = (
        select(
            Opportunity.stage,
            Opportunity.currency,
            func.count().label("deals"),
            func.coalesce(func.sum(Opportunity.amount), 0).label("amount"),
            func.coalesce(func.sum(Opportunity.amount * deal_probability_sql()), 0).label(
                "weighted_percent"
            ),
        )
        .where(*conditions)
        .group_by(Opportunity.stage, Opportunity.currency)
    )
    order = {stage: index for index, stage in enumerate(OPPORTUNITY_STAGES)}
    totals = [
        StageTotal(
            stage=row.stage,
            currency=row.currency,
            count=int(row.deals),
            amount=int(row.amount),
            weighted=Decimal(int(row.weighted_percent)).scaleb(-2),
        )
        for row in session.execute(statement)
    ]
    return sorted(
        totals, key=lambda t: (order.get(t.stage, len(order)), t.stage, _currency_order(t))
    )


def pipeline_by_stage(
    session: Session, period: Period | None, *, owner_id: str | None = None
) -> list[StageTotal]:
    """Per stage and currency, the live deals closing in ``period`` (any date, deals without
    one included, when ``period`` is None); only ``owner_id``'s when given. Stages in the
    catalog's order, the main currency first then alphabetical; stages without deals are left
    out."""
    conditions: list[ColumnElement[bool]] = (
        in_period(period) if period is not None else [Opportunity.deleted_at.is_(None)]
    )
    if owner_id is not None:
        conditions.append(Opportunity.owner_id == owner_id)
    return _stage_totals(session, conditions)


# --- filters ---------------------------------------------------------------------------------


def entered_stage_sql() -> Any:
    """When the deal entered its stage: its history's last stage change (its creation without
    one). A correlated subquery over ``ix_opportunity_stage_changes_opportunity``."""
    moved = (
        select(func.max(OpportunityStageChange.changed_at))
        .where(
            OpportunityStageChange.opportunity_id == Opportunity.id,
            OpportunityStageChange.deleted_at.is_(None),
            or_(
                OpportunityStageChange.from_stage.is_(None),
                OpportunityStageChange.from_stage != OpportunityStageChange.to_stage,
            ),
        )
        .scalar_subquery()
    )
    return func.coalesce(moved, Opportunity.created_at).label("entered_stage_at")


def _close_period(name: str, today: dt.date) -> list[ColumnElement[bool]]:
    if name == "overdue":
        return [
            Opportunity.stage.not_in(sorted(CLOSED_STAGES)),
            Opportunity.expected_close_date < today,
        ]
    month = Period.of(today, "month")
    quarter = Period.of(today, "quarter")
    period = {"this_month": month, "this_quarter": quarter, "next_quarter": quarter.next()}[name]
    return in_period(period)[1:]


def _owner_condition(session: Session, owner: str) -> ColumnElement[bool]:
    if owner not in OWNER_SCOPES:
        return Opportunity.owner_id == owner
    user_id = current_user_id(session)
    if user_id is None:
        return false()
    mine = Opportunity.owner_id == user_id
    if owner == "mine":
        return mine
    return or_(mine, owned_below(Opportunity.owner_id, user_id, "pipeline_team"))


def _search(session: Session, text: str) -> ColumnElement[bool]:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    by_name = Opportunity.name.ilike(f"%{escaped}%", escape="\\")
    if not search_terms(text):
        return by_name
    by_account = search_filter(session, table=_accounts, fts_table="accounts_fts", query=text)
    return or_(by_name, Opportunity.account_id.in_(select(_accounts.c.id).where(by_account.clause)))


def pipeline_conditions(
    session: Session, filters: PipelineFilters, *, today: dt.date, now: dt.datetime
) -> list[ColumnElement[bool]]:
    """The WHERE conditions (live deals, any stage) of ``filters`` on ``today`` / ``now``."""
    conditions: list[ColumnElement[bool]] = [Opportunity.deleted_at.is_(None)]
    if filters.owner is not None:
        conditions.append(_owner_condition(session, filters.owner))
    if filters.close_period is not None:
        conditions.extend(_close_period(filters.close_period, today))
    if filters.forecast_category is not None:
        conditions.append(Opportunity.forecast_category == filters.forecast_category)
    if filters.stalled_days is not None:
        # more than N whole days: entered at least N + 1 days before now
        conditions.append(entered_stage_sql() <= now - dt.timedelta(days=filters.stalled_days + 1))
    search = (filters.search or "").strip()
    if search:
        conditions.append(_search(session, search))
    return conditions


# --- rows ------------------------------------------------------------------------------------


def _deal_query() -> Any:
    return (
        select(
            Opportunity.id,
            Opportunity.account_id,
            Account.name.label("account_name"),
            Opportunity.name,
            Opportunity.stage,
            Opportunity.amount,
            Opportunity.currency,
            deal_probability_sql().label("probability"),
            Opportunity.expected_close_date,
            Opportunity.forecast_category,
            Opportunity.owner_id,
            _owner.name.label("owner_name"),
            entered_stage_sql(),
        )
        .select_from(Opportunity)
        .outerjoin(Account, Account.id == Opportunity.account_id)
        .outerjoin(_owner, _owner.id == Opportunity.owner_id)
    )


def _rows(session: Session, statement: Any, now: dt.datetime) -> list[DealRow]:
    rows: list[DealRow] = []
    for row in session.execute(statement):
        entered: dt.datetime = row.entered_stage_at
        rows.append(
            DealRow(
                id=row.id,
                account_id=row.account_id,
                account_name=row.account_name or "",
                name=row.name,
                stage=row.stage,
                amount=int(row.amount),
                currency=row.currency,
                probability=int(row.probability),
                expected_close_date=row.expected_close_date,
                forecast_category=row.forecast_category,
                owner_id=row.owner_id,
                owner_name=row.owner_name,
                age_in_stage_days=max(0, (now - entered).days),
            )
        )
    return rows


def _closed_recently(today: dt.date) -> ColumnElement[bool]:
    return Opportunity.expected_close_date >= today - dt.timedelta(days=RECENTLY_CLOSED_DAYS)


def pipeline_board(
    session: Session,
    filters: PipelineFilters,
    *,
    today: dt.date,
    now: dt.datetime,
    limit: int = BOARD_COLUMN_LIMIT,
) -> PipelineBoard:
    """The board's columns: each open stage's deals (the soonest to close first, at most
    ``limit``) and totals, then won and lost (closed in the last :data:`RECENTLY_CLOSED_DAYS`
    days unless a close period is chosen). One query a column, one for all the totals."""
    base = pipeline_conditions(session, filters, today=today, now=now)
    recent = [] if filters.close_period else [_closed_recently(today)]
    closed = sorted(CLOSED_STAGES)
    in_scope = or_(Opportunity.stage.not_in(closed), and_(Opportunity.stage.in_(closed), *recent))
    totals = _stage_totals(session, [*base, in_scope])
    ordering = (
        Opportunity.expected_close_date.asc().nulls_last(),
        Opportunity.name,
        Opportunity.id,
    )
    columns: list[BoardColumn] = []
    for stage in (*OPEN_STAGES, *BOARD_CLOSED_STAGES):
        extra = recent if stage in CLOSED_STAGES else []
        statement = (
            _deal_query().where(*base, Opportunity.stage == stage, *extra).order_by(*ordering)
        )
        deals = _rows(session, statement.limit(limit), now)
        columns.append(
            BoardColumn(stage, tuple(deals), tuple(t for t in totals if t.stage == stage))
        )
    return PipelineBoard(tuple(columns))


#: How the list can be ordered (ties: the close date, then the name and the id).
DEAL_SORT_KEYS: dict[str, Any] = {
    "account_name": Account.name,
    "name": Opportunity.name,
    "stage": case(
        *((Opportunity.stage == s, literal(i)) for i, s in enumerate(OPPORTUNITY_STAGES)),
        else_=literal(len(OPPORTUNITY_STAGES)),
    ),
    "amount": Opportunity.amount,
    "weighted": Opportunity.amount * deal_probability_sql(),
    "expected_close_date": Opportunity.expected_close_date,
    # the oldest entry first is the longest in its stage: sorted the other way round
    "age_in_stage": None,
    "owner_name": _owner.name,
}


def _ordering(sort: str, descending: bool) -> list[Any]:
    if sort not in DEAL_SORT_KEYS:
        raise ValueError(f"unknown sort key {sort!r}; expected one of {', '.join(DEAL_SORT_KEYS)}")
    key = DEAL_SORT_KEYS[sort]
    if key is None:
        key, descending = entered_stage_sql(), not descending
    ties = [Opportunity.expected_close_date.asc().nulls_last(), Opportunity.name, Opportunity.id]
    return [(key.desc() if descending else key.asc()).nulls_last(), *ties]


def _open_conditions(
    session: Session, filters: PipelineFilters, today: dt.date, now: dt.datetime
) -> list[ColumnElement[bool]]:
    return [
        *pipeline_conditions(session, filters, today=today, now=now),
        Opportunity.stage.not_in(sorted(CLOSED_STAGES)),
    ]


def list_deals(
    session: Session,
    *,
    today: dt.date,
    now: dt.datetime,
    owner: str | None = None,
    close_period: str | None = None,
    forecast_category: str | None = None,
    stalled_days: int | None = None,
    search: str | None = None,
    sort: str = "expected_close_date",
    descending: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> list[DealRow]:
    """A page of the open deals matching the filters, the soonest to close first unless
    ``sort`` (a :data:`DEAL_SORT_KEYS` key) says otherwise. One query."""
    filters = PipelineFilters(owner, close_period, forecast_category, stalled_days, search)
    statement = (
        _deal_query()
        .where(*_open_conditions(session, filters, today, now))
        .order_by(*_ordering(sort, descending))
        .limit(limit)
        .offset(offset)
    )
    return _rows(session, statement, now)


def count_deals(
    session: Session,
    *,
    today: dt.date,
    now: dt.datetime,
    owner: str | None = None,
    close_period: str | None = None,
    forecast_category: str | None = None,
    stalled_days: int | None = None,
    search: str | None = None,
) -> int:
    """How many open deals :func:`list_deals` pages through with the same filters."""
    filters = PipelineFilters(owner, close_period, forecast_category, stalled_days, search)
    statement = (
        select(func.count())
        .select_from(Opportunity)
        .where(*_open_conditions(session, filters, today, now))
    )
    return int(session.scalar(statement) or 0)


#: The Pipeline list for the UI (filters: ``today``, ``now`` plus those of :func:`list_deals`).
DEAL_LIST: PagedList[DealRow] = PagedList(list_deals, count_deals)
