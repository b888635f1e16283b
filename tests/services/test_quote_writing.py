"""Making and submitting quotes offline (issue 10): defaults, prices, errors, self-approval."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError, ValidationErrors
from sfa_desktop.services.editing import EditContext, load_edit_context, update_record
from sfa_desktop.services.quote_numbers import QuoteNumberUnavailable
from sfa_desktop.services.quote_writing import (
    DEFAULT_VALIDITY_DAYS,
    NewLine,
    new_quote,
    submit_quote,
)
from sfa_desktop.services.quotes import quote_detail
from sfa_desktop.services.write_authority import LocalRuleContext
from sfa_desktop.store import quote_numbers
from sfa_desktop.store.database import Database
from sfa_desktop.store.models.customers import Account, Contact
from sfa_desktop.store.models.quote_numbers import QuoteNumberBlock
from sfa_desktop.store.models.reference import Company, PriceList, PriceListItem, Product, User
from sfa_desktop.store.models.sales import Quote, QuoteLine
from sfa_desktop.store.models.sync_state import OutboxEntry
from sfa_desktop.store.repositories.records import bulk_insert
from sync_server.protocol.authorities import QUOTE_AUTHORITY
from sync_server.protocol.authority import Writer, check_write
from sync_server.protocol.quote_totals import LineAmounts, minor_unit_digits, quote_totals

DEMO_DAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(
        tmp_path_factory.mktemp("demo-quote-writing"), accounts=40, today=DEMO_DAY
    )


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


@pytest.fixture
def session(demo: Database) -> Iterator[Session]:
    with demo.session() as session:
        yield session


def _me(session: Session, ctx: EditContext) -> User:
    assert ctx.user_id is not None
    user = session.get(User, ctx.user_id)
    assert user is not None
    return user


def _never_synced(session: Session) -> None:
    """The demo profile without the quote numbers the demo leases itself."""
    quote_numbers.forget_numbers(session)


@pytest.fixture
def ctx(session: Session) -> EditContext:
    """The demo rep, with a block of leased numbers (as after a first sync)."""
    _never_synced(session)
    context = load_edit_context(session, now=lambda: NOW)
    me = _me(session, context)
    quote_numbers.add_blocks(session, rep_code=me.rep_code, blocks=[(DEMO_DAY.year, 901, 950)])
    return context


def _account(session: Session) -> Account:
    account = session.scalars(
        select(Account).where(Account.deleted_at.is_(None)).order_by(Account.id)
    ).first()
    assert account is not None
    return account


def _general_list(session: Session) -> PriceList:
    found = session.scalars(
        select(PriceList)
        .where(PriceList.active.is_(True), PriceList.currency == "EUR")
        .order_by(PriceList.name)
    ).first()
    assert found is not None
    return found


def _skus(session: Session, count: int) -> list[Product]:
    products = session.scalars(
        select(Product)
        .where(Product.active.is_(True), Product.kind == "product")
        .order_by(Product.sku)
    ).all()
    return list(products[:count])


def _counts(session: Session) -> tuple[int, ...]:
    """Quotes, lines, outbox entries, and the quote numbers still free."""
    return (
        session.scalar(select(func.count()).select_from(Quote)) or 0,
        session.scalar(select(func.count()).select_from(QuoteLine)) or 0,
        session.scalar(select(func.count()).select_from(OutboxEntry)) or 0,
        session.scalar(select(func.sum(QuoteNumberBlock.last_seq - QuoteNumberBlock.next_seq)))
        or 0,
    )


def _line_amounts(session: Session, quote: Quote) -> list[LineAmounts]:
    lines = session.scalars(
        select(QuoteLine).where(QuoteLine.quote_id == quote.id).order_by(QuoteLine.position)
    )
    digits = minor_unit_digits(quote.currency)
    return [
        LineAmounts(
            kind="item",
            quantity=line.quantity,
            unit_price=Decimal(line.unit_price).scaleb(-digits),
            discount_pct=line.discount_pct,
            tax_rate_pct=line.tax_rate_pct,
            optional=False,
        )
        for line in lines
    ]


def test_a_new_quote_takes_prices_taxes_and_defaults(session: Session, ctx: EditContext) -> None:
    account, price_list = _account(session), _general_list(session)
    products = _skus(session, 3)
    lines = [
        NewLine(products[0].sku, Decimal("2")),
        NewLine(products[1].sku, Decimal("1.5"), Decimal("7.5")),
        NewLine(products[2].sku, Decimal("3"), Decimal("10")),
    ]
    before = _counts(session)
    quote_id = new_quote(
        session,
        ctx,
        account_id=account.id,
        price_list_id=price_list.id,
        lines=lines,
        today=DEMO_DAY,
    )
    quote = session.get(Quote, quote_id)
    assert quote is not None
    me = _me(session, ctx)
    assert quote.number == f"Q-{me.rep_code}-{DEMO_DAY.year}-0901"
    assert (quote.owner_id, quote.status, quote.revision) == (me.id, "draft", 1)
    assert (quote.currency, quote.price_list_id) == (price_list.currency, price_list.id)
    assert quote.issue_date == DEMO_DAY
    assert quote.valid_until == DEMO_DAY + dt.timedelta(days=DEFAULT_VALIDITY_DAYS)
    stored = session.scalars(
        select(QuoteLine).where(QuoteLine.quote_id == quote_id).order_by(QuoteLine.position)
    ).all()
    assert [line.position for line in stored] == [0, 1, 2]
    for line, product, asked in zip(stored, products, lines, strict=True):
        item = session.scalars(
            select(PriceListItem).where(
                PriceListItem.price_list_id == price_list.id,
                PriceListItem.product_id == product.id,
            )
        ).one()
        assert (line.product_id, line.description) == (product.id, product.name)
        assert line.unit_price == item.unit_price
        assert line.tax_rate_pct == product.tax_rate_pct
        assert (line.quantity, line.discount_pct) == (asked.quantity, asked.discount_pct)
    detail = quote_detail(session, quote_id, DEMO_DAY)
    assert detail is not None
    assert detail.totals == quote_totals(_line_amounts(session, quote), quote.currency)
    assert detail.totals.total > 0
    after = _counts(session)
    assert tuple(a - b for a, b in zip(after, before, strict=True)) == (1, 3, 4, -1)
    creates = session.scalars(
        select(OutboxEntry.entity).where(OutboxEntry.op == "create").order_by(OutboxEntry.seq)
    ).all()
    assert creates[-4:] == ["quote", "quote_line", "quote_line", "quote_line"]


def test_the_company_settings_give_validity_and_terms(session: Session, ctx: EditContext) -> None:
    company = {
        "id": "00000000-0000-4000-8000-00000000c0de",
        "name": "Suministros Demo S.L.",
        "country": "ES",
        "default_terms": "Pago a 30 días.",
        "quote_validity_days": 45,
        "created_at": NOW,
        "updated_at": NOW,
    }
    session.execute(delete(Company))  # the demo's letterhead, replaced by these settings
    bulk_insert(session, "company", [company])
    quote_id = new_quote(
        session,
        ctx,
        account_id=_account(session).id,
        price_list_id=_general_list(session).id,
        lines=[],
        today=DEMO_DAY,
    )
    quote = session.get(Quote, quote_id)
    assert quote is not None
    assert quote.valid_until == DEMO_DAY + dt.timedelta(days=45)
    assert quote.terms == "Pago a 30 días."


def test_the_price_list_defaults_to_the_accounts_last(session: Session, ctx: EditContext) -> None:
    active = session.scalars(select(PriceList).where(PriceList.active.is_(True))).all()
    assert len(active) > 1
    fresh = session.scalars(
        select(Account).where(~Account.id.in_(select(Quote.account_id))).order_by(Account.id)
    ).first()
    assert fresh is not None
    with pytest.raises(DomainError) as refused:
        new_quote(session, ctx, account_id=fresh.id, lines=[], today=DEMO_DAY)
    assert refused.value.code == "price_list_required"
    chosen = active[-1]
    new_quote(session, ctx, account_id=fresh.id, price_list_id=chosen.id, lines=[], today=DEMO_DAY)
    again = new_quote(session, ctx, account_id=fresh.id, lines=[], today=DEMO_DAY)
    quote = session.get(Quote, again)
    assert quote is not None
    assert (quote.price_list_id, quote.currency) == (chosen.id, chosen.currency)


def _codes(error: DomainError) -> list[str]:
    if isinstance(error, ValidationErrors):
        return [e.code for e in error.errors]
    return [error.code]


@pytest.mark.parametrize(
    ("change", "codes"),
    [
        ({"account_id": "00000000-0000-4000-8000-000000000000"}, ["unknown_reference"]),
        ({"lines": [NewLine("NO-SUCH-SKU", Decimal(1))]}, ["unknown_sku"]),
        ({"lines": [NewLine("{sku}", Decimal(0))]}, ["quantity_not_positive"]),
        ({"lines": [NewLine("{sku}", Decimal(-2))]}, ["quantity_not_positive"]),
        ({"lines": [NewLine("{sku}", Decimal(1), Decimal(101))]}, ["out_of_range"]),
        # refused by the shared field rules once the quote itself is written: taken back too
        ({"lines": [NewLine("{sku}", Decimal("1E+30"))]}, ["out_of_range"]),
        (
            {"lines": [NewLine("NOPE", Decimal(1)), NewLine("{sku}", Decimal(0))]},
            ["unknown_sku", "quantity_not_positive"],
        ),
    ],
)
def test_a_refused_quote_writes_nothing(
    session: Session, ctx: EditContext, change: dict[str, Any], codes: list[str]
) -> None:
    sku = _skus(session, 1)[0].sku
    arguments: dict[str, Any] = {
        "account_id": _account(session).id,
        "price_list_id": _general_list(session).id,
        "lines": [NewLine(sku, Decimal(1))],
        **change,
    }
    arguments["lines"] = [
        NewLine(line.sku.format(sku=sku), line.quantity, line.discount_pct)
        for line in arguments["lines"]
    ]
    before = _counts(session)
    with pytest.raises(DomainError) as refused:
        new_quote(session, ctx, today=DEMO_DAY, **arguments)
    assert _codes(refused.value) == codes
    assert _counts(session) == before


def test_a_product_missing_from_the_price_list_is_refused(
    session: Session, ctx: EditContext
) -> None:
    price_list = _general_list(session)
    product = _skus(session, 1)[0]
    session.query(PriceListItem).filter(
        PriceListItem.price_list_id == price_list.id, PriceListItem.product_id == product.id
    ).delete()
    with pytest.raises(ValidationErrors) as refused:
        new_quote(
            session,
            ctx,
            account_id=_account(session).id,
            price_list_id=price_list.id,
            lines=[NewLine(product.sku, Decimal(1))],
            today=DEMO_DAY,
        )
    assert _codes(refused.value) == ["not_in_price_list"]


def test_a_contact_of_another_account_is_refused(session: Session, ctx: EditContext) -> None:
    account = _account(session)
    other = session.scalars(select(Contact).where(Contact.account_id != account.id)).first()
    assert other is not None
    with pytest.raises(DomainError) as refused:
        new_quote(
            session,
            ctx,
            account_id=account.id,
            contact_id=other.id,
            price_list_id=_general_list(session).id,
            lines=[],
            today=DEMO_DAY,
        )
    assert refused.value.code == "contact_of_other_account"


def test_the_demo_profile_numbers_quotes_offline_as_built(session: Session) -> None:
    """The demo leases itself numbers after its own: a new quote takes the next one."""
    context = load_edit_context(session, now=lambda: NOW)
    me = _me(session, context)
    highest = quote_numbers.highest_seq(session, rep_code=me.rep_code, year=DEMO_DAY.year)
    quote_id = new_quote(
        session,
        context,
        account_id=_account(session).id,
        price_list_id=_general_list(session).id,
        lines=[NewLine(_skus(session, 1)[0].sku, Decimal(1))],
        today=DEMO_DAY,
    )
    quote = session.get(Quote, quote_id)
    assert quote is not None
    assert quote.number == f"Q-{me.rep_code}-{DEMO_DAY.year}-{highest + 1:04d}"
    same = session.scalars(select(func.count()).where(Quote.number == quote.number)).one()
    assert same == 1


def test_no_number_before_the_first_sync(session: Session) -> None:
    _never_synced(session)
    context = load_edit_context(session, now=lambda: NOW)
    with pytest.raises(QuoteNumberUnavailable):
        new_quote(
            session,
            context,
            account_id=_account(session).id,
            price_list_id=_general_list(session).id,
            lines=[],
            today=DEMO_DAY,
        )


def _quote_with(session: Session, ctx: EditContext, *discounts: str) -> str:
    products = _skus(session, len(discounts))
    lines = [
        NewLine(product.sku, Decimal(1), Decimal(discount))
        for product, discount in zip(products, discounts, strict=True)
    ]
    return new_quote(
        session,
        ctx,
        account_id=_account(session).id,
        price_list_id=_general_list(session).id,
        lines=lines,
        today=DEMO_DAY,
    )


def test_within_the_limit_the_quote_is_approved_at_once(session: Session, ctx: EditContext) -> None:
    limit = _me(session, ctx).discount_limit_pct
    quote_id = _quote_with(session, ctx, "0", str(limit))
    assert submit_quote(session, ctx, quote_id) == "approved"
    quote = session.get(Quote, quote_id)
    assert quote is not None and quote.status == "approved"
    sets = session.scalars(
        select(OutboxEntry.field).where(OutboxEntry.record_id == quote_id, OutboxEntry.op == "set")
    ).all()
    assert sets == ["status"]


def test_over_the_limit_the_quote_asks_for_approval(session: Session, ctx: EditContext) -> None:
    limit = _me(session, ctx).discount_limit_pct
    quote_id = _quote_with(session, ctx, "0", str(limit + Decimal("0.5")))
    assert submit_quote(session, ctx, quote_id) == "pending_approval"
    # the shared rules agree: the rep may not approve it themselves
    with pytest.raises(ValidationErrors) as refused:
        update_record(session, ctx, "quote", quote_id, {"status": "approved"})
    assert _codes(refused.value) == ["forbidden_transition"]


def test_the_server_rules_accept_the_self_approval(session: Session, ctx: EditContext) -> None:
    quote_id = _quote_with(session, ctx, "5")
    quote = {"id": quote_id, "owner_id": ctx.user_id, "status": "draft"}
    check_write(
        QUOTE_AUTHORITY,
        Writer(ctx.user_id, False, False),
        name="status",
        value="approved",
        before=quote,
        after={**quote, "status": "approved"},
        context=LocalRuleContext(session),
        entity="quote",
    )
    assert submit_quote(session, ctx, quote_id) == "approved"


def test_only_a_draft_with_lines_is_submitted(session: Session, ctx: EditContext) -> None:
    empty = _quote_with(session, ctx)
    with pytest.raises(DomainError) as refused:
        submit_quote(session, ctx, empty)
    assert refused.value.code == "quote_without_lines"
    quote_id = _quote_with(session, ctx, "1")
    submit_quote(session, ctx, quote_id)
    with pytest.raises(DomainError) as again:
        submit_quote(session, ctx, quote_id)
    assert again.value.code == "quote_not_draft"
