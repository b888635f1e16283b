"""Everything the account page shows, read in one call (one database task in the UI).

:func:`load_account_page` returns the account's key facts with its owner's name, its
contacts, open opportunities and open quotes, the last done and next planned visit (today's
still planned visits count, earlier or later than now), the
visit due date by cadence, the account's value (:mod:`sfa_desktop.domain.customer_value`) and
the first page of its timeline (:mod:`.timeline`). Every query is an index lookup on the
account id (contacts, opportunities, quotes, visits by status); the timeline sorts the
account's own rows only. Benchmark: ``tests/bench/bench_account_page.py``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from sfa_desktop.domain.cadence import is_overdue, next_visit_due
from sfa_desktop.domain.customer_value import account_value
from sfa_desktop.domain.localized_numbers import round_half_up
from sfa_desktop.domain.money import Money, currency_precision
from sync_server.protocol.catalog import ACCOUNT, STAGE_DEFAULT_PROBABILITY
from sync_server.protocol.quote_totals import LineAmounts, minor_unit_digits, quote_totals

from ..collation import COLLATION, name_key
from ..models import Account, Contact, Opportunity, Quote, QuoteLine, User, Visit
from ..types import parse_utc
from .timeline import TIMELINE_PAGE_SIZE, TimelinePage, load_timeline

OPEN_QUOTE_STATUSES = ("draft", "pending_approval", "approved", "sent")
CLOSED_STAGES = ("closed_won", "closed_lost")
WON_WINDOW_DAYS = 365

_a: Table = Account.__table__  # type: ignore[assignment]
_u: Table = User.__table__  # type: ignore[assignment]
_c: Table = Contact.__table__  # type: ignore[assignment]
_o: Table = Opportunity.__table__  # type: ignore[assignment]
_q: Table = Quote.__table__  # type: ignore[assignment]
_ql: Table = QuoteLine.__table__  # type: ignore[assignment]
_v: Table = Visit.__table__  # type: ignore[assignment]


@dataclass(frozen=True)
class ContactSummary:
    id: str
    first_name: str
    last_name: str | None
    job_title: str | None
    purchase_role: str | None
    email: str | None
    phone: str | None
    mobile: str | None
    preferred_channel: str | None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


@dataclass(frozen=True)
class OpportunitySummary:
    id: str
    name: str
    stage: str
    amount: int
    currency: str
    probability: int | None
    expected_close_date: dt.date | None


@dataclass(frozen=True)
class QuoteSummary:
    id: str
    number: str
    revision: int
    status: str
    currency: str
    #: the subtotal before tax by the one totals rule (optional items apart; minor units)
    net_amount: int
    issue_date: dt.date | None
    valid_until: dt.date | None
    #: the status to show: ``"expired"`` once valid-until has passed (set by the services)
    shown_status: str | None = None


@dataclass(frozen=True)
class PlannedVisit:
    id: str
    kind: str
    subject: str | None
    planned_start: dt.datetime


@dataclass(frozen=True)
class AccountValue:
    """Won in the last 12 months + half the weighted open pipeline, in ``currency``."""

    amount: Decimal
    currency: str


@dataclass(frozen=True)
class AccountPage:
    #: the account's catalog fields and common fields, plus ``owner_name`` (``None`` if unknown)
    account: dict[str, Any]
    contacts: list[ContactSummary]
    open_opportunities: list[OpportunitySummary]
    open_quotes: list[QuoteSummary]
    last_visit: dt.datetime | None
    next_visit: PlannedVisit | None
    #: the day the next visit is due by cadence (``None`` without a cadence)
    visit_due: dt.date | None
    overdue: bool
    value: AccountValue | None
    timeline: TimelinePage
    #: what the account is worth and why (the value model, its tiers); set by the service
    #: :func:`sfa_desktop.services.account_page.load_account_page`
    worth: Any = None

    @property
    def account_id(self) -> str:
        return str(self.account["id"])

    @property
    def name(self) -> str:
        return str(self.account["name"])


def load_account_page(
    session: Session,
    account_id: str,
    *,
    timeline_limit: int = TIMELINE_PAGE_SIZE,
    now: dt.datetime | None = None,
    timeline_kind: str | None = None,
) -> AccountPage | None:
    """The account page of a live account, or ``None`` if there is no such account (its
    timeline narrowed to ``timeline_kind`` when given)."""
    now = now or dt.datetime.now(dt.UTC)
    account = _account(session, account_id)
    if account is None:
        return None
    today = now.astimezone().date()
    last_visit = _last_done_visit(session, account_id)
    planned = _earliest_planned(session, account_id, after=None)
    due = next_visit_due(
        last_visit.date() if last_visit else None,
        account["visit_cadence_days"],
        created=account["created_at"].date(),
    )
    opportunities = _opportunities(session, account_id)
    return AccountPage(
        account=account,
        contacts=_contacts(session, account_id),
        open_opportunities=[o for o in opportunities if o.stage not in CLOSED_STAGES],
        open_quotes=_open_quotes(session, account_id),
        last_visit=last_visit,
        next_visit=_earliest_planned(session, account_id, after=_start_of_day(now)),
        visit_due=due,
        overdue=is_overdue(due, planned.planned_start.date() if planned else None, today),
        value=_value(opportunities, today),
        timeline=load_timeline(
            session, account_id, now=now, limit=timeline_limit, kind=timeline_kind
        ),
    )


def _account(session: Session, account_id: str) -> dict[str, Any] | None:
    columns = [_a.c[name] for name in ("id", "created_at", "updated_at", "deleted_at")]
    columns += [_a.c[name] for name in ACCOUNT.field_names]
    query = (
        select(*columns, _u.c.name.label("owner_name"))
        .select_from(_a.outerjoin(_u, _u.c.id == _a.c.owner_id))
        .where(_a.c.id == account_id, _a.c.deleted_at.is_(None))
    )
    row = session.execute(query).one_or_none()
    return dict(row._mapping) if row is not None else None


def _contacts(session: Session, account_id: str) -> list[ContactSummary]:
    query = (
        select(
            _c.c.id,
            _c.c.first_name,
            _c.c.last_name,
            _c.c.job_title,
            _c.c.purchase_role,
            _c.c.email,
            _c.c.phone,
            _c.c.mobile,
            _c.c.preferred_channel,
        )
        .where(_c.c.account_id == account_id, _c.c.deleted_at.is_(None))
        .order_by(name_key(_c.c.last_name), name_key(_c.c.first_name), _c.c.id)
    )
    return [ContactSummary(**row._mapping) for row in session.execute(query)]


def _opportunities(session: Session, account_id: str) -> list[OpportunitySummary]:
    query = (
        select(
            _o.c.id,
            _o.c.name,
            _o.c.stage,
            _o.c.amount,
            _o.c.currency,
            _o.c.probability,
            _o.c.expected_close_date,
        )
        .where(_o.c.account_id == account_id, _o.c.deleted_at.is_(None))
        .order_by(_o.c.expected_close_date, _o.c.name.collate(COLLATION), _o.c.id)
    )
    return [OpportunitySummary(**row._mapping) for row in session.execute(query)]


def _open_quotes(session: Session, account_id: str) -> list[QuoteSummary]:
    quotes = session.execute(
        select(
            _q.c.id,
            _q.c.number,
            _q.c.revision,
            _q.c.status,
            _q.c.currency,
            _q.c.issue_date,
            _q.c.valid_until,
        )
        .where(
            _q.c.account_id == account_id,
            _q.c.deleted_at.is_(None),
            _q.c.status.in_(OPEN_QUOTE_STATUSES),
        )
        .order_by(_q.c.issue_date.desc(), _q.c.number.desc())
    ).all()
    if not quotes:
        return []
    lines = session.execute(
        select(
            _ql.c.quote_id,
            _ql.c.kind,
            _ql.c.quantity,
            _ql.c.unit_price,
            _ql.c.discount_pct,
            _ql.c.tax_rate_pct,
            _ql.c.optional,
        )
        .where(_ql.c.quote_id.in_([quote.id for quote in quotes]), _ql.c.deleted_at.is_(None))
        .order_by(_ql.c.quote_id, _ql.c.position, _ql.c.id)
    ).all()
    by_quote: dict[str, list[Any]] = {}
    for line in lines:
        by_quote.setdefault(line.quote_id, []).append(line)
    return [
        QuoteSummary(
            **quote._mapping, net_amount=_net_minor(by_quote.get(quote.id, []), quote.currency)
        )
        for quote in quotes
    ]


def _net_minor(lines: list[Any], currency: str) -> int:
    """The quote's subtotal before tax by the one totals rule (optional items not counted),
    in minor units."""
    digits = minor_unit_digits(currency)
    amounts = [
        LineAmounts(
            kind=line.kind,
            quantity=Decimal(line.quantity),
            unit_price=Decimal(line.unit_price).scaleb(-digits),
            discount_pct=Decimal(line.discount_pct),
            tax_rate_pct=Decimal(line.tax_rate_pct),
            optional=bool(line.optional),
        )
        for line in lines
    ]
    return int(quote_totals(amounts, currency).subtotal.scaleb(digits))


def _last_done_visit(session: Session, account_id: str) -> dt.datetime | None:
    done_at = func.max(func.coalesce(_v.c.checked_in_at, _v.c.planned_start))
    stored = session.execute(
        select(done_at).where(
            _v.c.account_id == account_id, _v.c.status == "done", _v.c.deleted_at.is_(None)
        )
    ).scalar()
    return _utc(stored)


def _earliest_planned(
    session: Session, account_id: str, *, after: dt.datetime | None
) -> PlannedVisit | None:
    conditions = [
        _v.c.account_id == account_id,
        _v.c.status == "planned",
        _v.c.deleted_at.is_(None),
        _v.c.planned_start.is_not(None),
    ]
    if after is not None:
        conditions.append(_v.c.planned_start >= after)
    row = session.execute(
        select(_v.c.id, _v.c.kind, _v.c.subject, _v.c.planned_start)
        .where(*conditions)
        .order_by(_v.c.planned_start)
        .limit(1)
    ).one_or_none()
    return PlannedVisit(**row._mapping) if row is not None else None


def _start_of_day(now: dt.datetime) -> dt.datetime:
    """Midnight of ``now``'s local day: today's visits still planned, earlier or later than
    ``now``, are the next visit."""
    local = now.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(dt.UTC)


def _value(opportunities: list[OpportunitySummary], today: dt.date) -> AccountValue | None:
    """The value in the currency most of the account's opportunities use."""
    if not opportunities:
        return None
    currency = Counter(o.currency for o in opportunities).most_common(1)[0][0]
    since = today - dt.timedelta(days=WON_WINDOW_DAYS)
    won = Decimal(0)
    pipeline = Decimal(0)
    for opportunity in opportunities:
        if opportunity.currency != currency:
            continue
        amount = Money.from_minor(opportunity.amount, currency).amount
        if opportunity.stage == "closed_won":
            closed = opportunity.expected_close_date
            if closed is None or closed >= since:
                won += amount
        elif opportunity.stage != "closed_lost":
            probability = opportunity.probability
            if probability is None:
                probability = STAGE_DEFAULT_PROBABILITY.get(opportunity.stage, 0)
            pipeline += amount * probability / 100
    value = account_value(won, pipeline)
    return AccountValue(round_half_up(value, currency_precision(currency)), currency)


def _utc(stored: Any) -> dt.datetime | None:
    if stored is None:
        return None
    if isinstance(stored, dt.datetime):
        return stored
    return parse_utc(str(stored))
