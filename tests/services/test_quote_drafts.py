"""The quote editor's service (issue 10): drafts, the product search, saving by diffing lines."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError, ValidationErrors
from sfa_desktop.services.editing import EditContext, load_edit_context, update_record
from sfa_desktop.services.quote_draft_saving import save_quote_draft
from sfa_desktop.services.quote_drafts import (
    DraftLine,
    QuoteDraft,
    new_quote_draft,
    open_quote_draft,
    reprice_lines,
    search_products,
)
from sfa_desktop.services.quotes import quote_detail
from sfa_desktop.store import quote_numbers
from sfa_desktop.store.database import Database
from sfa_desktop.store.models.customers import Account
from sfa_desktop.store.models.reference import PriceList, PriceListItem, Product, User
from sfa_desktop.store.models.sales import Opportunity, Quote, QuoteLine
from sfa_desktop.store.models.sync_state import OutboxEntry
from sync_server.protocol.quote_totals import quote_totals

DEMO_DAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(
        tmp_path_factory.mktemp("demo-quote-drafts"), accounts=40, today=DEMO_DAY
    )


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


@pytest.fixture
def session(demo: Database) -> Iterator[Session]:
    with demo.session() as session:
        yield session


@pytest.fixture
def ctx(session: Session) -> EditContext:
    """The demo rep, with a block of leased numbers (as after a first sync)."""
    context = load_edit_context(session, now=lambda: NOW)
    assert context.user_id is not None
    me = session.get(User, context.user_id)
    assert me is not None
    quote_numbers.add_blocks(session, rep_code=me.rep_code, blocks=[(DEMO_DAY.year, 901, 950)])
    return context


def _account(session: Session) -> Account:
    account = session.scalars(
        select(Account).where(Account.deleted_at.is_(None)).order_by(Account.id)
    ).first()
    assert account is not None
    return account


def _price_list(session: Session) -> PriceList:
    found = session.scalars(
        select(PriceList)
        .where(PriceList.active.is_(True), PriceList.currency == "EUR")
        .order_by(PriceList.name)
    ).first()
    assert found is not None
    return found


def _priced_product(session: Session, price_list: PriceList, offset: int = 0) -> Product:
    product = session.scalars(
        select(Product)
        .join(PriceListItem, PriceListItem.product_id == Product.id)
        .where(
            PriceListItem.price_list_id == price_list.id,
            Product.active.is_(True),
            Product.deleted_at.is_(None),
        )
        .order_by(Product.sku)
        .offset(offset)
    ).first()
    assert product is not None
    return product


def _counts(session: Session) -> tuple[int, int, int]:
    return (
        session.scalar(select(func.count()).select_from(Quote)) or 0,
        session.scalar(select(func.count()).select_from(QuoteLine)) or 0,
        session.scalar(select(func.count()).select_from(OutboxEntry)) or 0,
    )


def _new_draft(session: Session, ctx: EditContext) -> QuoteDraft:
    setup = new_quote_draft(session, ctx.user_id, DEMO_DAY, account_id=_account(session).id)
    header = dataclasses.replace(setup.draft.header, price_list_id=_price_list(session).id)
    return dataclasses.replace(setup.draft, header=header)


def _item(session: Session, price_list: PriceList, offset: int, **changes: object) -> DraftLine:
    product = _priced_product(session, price_list, offset)
    [choice] = [
        c for c in search_products(session, price_list.id, product.sku) if c.id == product.id
    ]
    return dataclasses.replace(choice.as_line(), **changes)  # type: ignore[arg-type]


def test_the_search_finds_by_sku_name_and_family_with_the_list_price(session: Session) -> None:
    price_list = _price_list(session)
    product = _priced_product(session, price_list)
    by_sku = search_products(session, price_list.id, product.sku.lower())
    assert by_sku[0].id == product.id  # the exact SKU first
    item = session.scalars(
        select(PriceListItem).where(
            PriceListItem.price_list_id == price_list.id, PriceListItem.product_id == product.id
        )
    ).one()
    assert by_sku[0].unit_price == Decimal(item.unit_price).scaleb(-2)
    assert by_sku[0].tax_rate_pct == product.tax_rate_pct
    word = product.name.split()[0]
    assert product.id in {c.id for c in search_products(session, price_list.id, word, limit=500)}
    if product.family:
        by_family = search_products(session, price_list.id, product.family, limit=500)
        assert product.id in {c.id for c in by_family}
    assert len(search_products(session, price_list.id, "a", limit=5)) <= 5
    assert search_products(session, price_list.id, "   ") == []
    assert search_products(session, price_list.id, "%") == []  # a wildcard is a literal


def test_a_new_draft_has_the_defaults(session: Session, ctx: EditContext) -> None:
    account = _account(session)
    opportunity = session.scalars(
        select(Opportunity).where(Opportunity.account_id == account.id)
    ).first()
    setup = new_quote_draft(
        session,
        ctx.user_id,
        DEMO_DAY,
        account_id=account.id,
        opportunity_id=opportunity.id if opportunity else None,
    )
    header = setup.draft.header
    assert header.account_id == account.id and header.issue_date == DEMO_DAY
    assert header.valid_until is not None and header.valid_until > DEMO_DAY
    assert setup.price_lists and setup.account is not None
    assert setup.draft.editable and setup.draft.quote_id is None
    me = session.get(User, ctx.user_id)
    assert me is not None and setup.discount_limit_pct == me.discount_limit_pct


def test_save_creates_then_diffs_the_lines(session: Session, ctx: EditContext) -> None:
    price_list = _price_list(session)
    lines = (
        DraftLine(kind="section", description="Hardware"),
        _item(session, price_list, 0, quantity=Decimal(2)),
        _item(session, price_list, 1, discount_pct=Decimal(5)),
        DraftLine(kind="text", description="Delivery within a week"),
        _item(session, price_list, 2, optional=True),
    )
    draft = dataclasses.replace(_new_draft(session, ctx), lines=lines)
    quote_id = save_quote_draft(session, ctx, draft, DEMO_DAY)

    saved = open_quote_draft(session, quote_id).draft
    assert [line.kind for line in saved.lines] == ["section", "item", "item", "text", "item"]
    assert [line.optional for line in saved.lines] == [False, False, False, False, True]
    stored = session.scalars(
        select(QuoteLine).where(QuoteLine.quote_id == quote_id).order_by(QuoteLine.position)
    ).all()
    assert [line.position for line in stored] == [0, 1, 2, 3, 4]
    detail = quote_detail(session, quote_id, DEMO_DAY)
    assert detail is not None
    assert detail.totals == quote_totals(saved.lines, saved.header.currency)

    # reorder, change one, drop one, add one: ids kept, one delete, positions renumbered
    section, first, second, text, optional = saved.lines
    before = session.scalar(select(func.count()).select_from(OutboxEntry)) or 0
    edited = (
        section,
        dataclasses.replace(second, quantity=Decimal(3)),
        first,
        optional,
        _item(session, price_list, 3),
    )
    assert save_quote_draft(session, ctx, dataclasses.replace(saved, lines=edited), DEMO_DAY)
    again = open_quote_draft(session, quote_id).draft
    assert [line.id for line in again.lines[:4]] == [section.id, second.id, first.id, optional.id]
    assert again.lines[1].quantity == 3 and again.lines[4].id is not None
    text_row = session.get(QuoteLine, text.id, populate_existing=True)
    assert text_row is not None and text_row.deleted_at is not None  # a tombstone, synced
    outbox = session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq).offset(before)).all()
    assert sum(entry.op == "delete" for entry in outbox) == 1
    assert sum(entry.op == "create" for entry in outbox) == 1
    # nothing else changed on an unchanged save: no new outbox entries
    count = session.scalar(select(func.count()).select_from(OutboxEntry))
    save_quote_draft(session, ctx, again, DEMO_DAY)
    assert session.scalar(select(func.count()).select_from(OutboxEntry)) == count


def test_bad_lines_are_all_reported_and_nothing_is_written(
    session: Session, ctx: EditContext
) -> None:
    price_list = _price_list(session)
    lines = (
        _item(session, price_list, 0, quantity=Decimal(0)),
        DraftLine(kind="text", description="  "),
        _item(session, price_list, 1, discount_pct=Decimal(120)),
    )
    before = _counts(session)
    with pytest.raises(ValidationErrors) as caught:
        save_quote_draft(
            session, ctx, dataclasses.replace(_new_draft(session, ctx), lines=lines), DEMO_DAY
        )
    assert [(e.code, e.field) for e in caught.value.errors] == [
        ("quantity_not_positive", "line 1"),
        ("required", "line 2"),
        ("out_of_range", "line 3"),
    ]
    assert _counts(session) == before


def test_a_refusal_halfway_leaves_nothing(session: Session, ctx: EditContext) -> None:
    """A product the price list does not price is refused after the header is checked: the
    quote, its number and its lines all roll back."""
    price_list = _price_list(session)
    other = session.scalars(
        select(Product).where(
            Product.id.not_in(
                select(PriceListItem.product_id).where(PriceListItem.price_list_id == price_list.id)
            )
        )
    ).first()
    good = _item(session, price_list, 0)
    stray = DraftLine(description="Not sold here", product_id=other.id if other else "x" * 36)
    before = _counts(session)
    with pytest.raises(ValidationErrors) as caught:
        save_quote_draft(
            session,
            ctx,
            dataclasses.replace(_new_draft(session, ctx), lines=(good, stray)),
            DEMO_DAY,
        )
    assert caught.value.errors[0].code == "not_in_price_list"
    assert _counts(session) == before


def test_an_opportunity_of_another_account_is_refused(session: Session, ctx: EditContext) -> None:
    draft = _new_draft(session, ctx)
    stranger = session.scalars(
        select(Opportunity).where(Opportunity.account_id != draft.header.account_id)
    ).first()
    assert stranger is not None
    header = dataclasses.replace(draft.header, opportunity_id=stranger.id)
    before = _counts(session)
    with pytest.raises(DomainError) as caught:
        save_quote_draft(session, ctx, dataclasses.replace(draft, header=header), DEMO_DAY)
    assert caught.value.code == "opportunity_of_other_account"
    assert _counts(session) == before


def test_a_frozen_quote_is_refused(session: Session, ctx: EditContext) -> None:
    price_list = _price_list(session)
    draft = dataclasses.replace(_new_draft(session, ctx), lines=(_item(session, price_list, 0),))
    quote_id = save_quote_draft(session, ctx, draft, DEMO_DAY)
    update_record(session, ctx, "quote", quote_id, {"status": "approved"})
    saved = open_quote_draft(session, quote_id).draft
    assert not saved.editable
    before = _counts(session)
    changed = dataclasses.replace(
        saved, lines=(dataclasses.replace(saved.lines[0], quantity=Decimal(9)),)
    )
    with pytest.raises(DomainError) as caught:
        save_quote_draft(session, ctx, changed, DEMO_DAY)
    assert caught.value.code == "quote_frozen"
    assert _counts(session) == before


def test_reprice_takes_the_new_lists_prices(session: Session) -> None:
    lists = session.scalars(
        select(PriceList).where(PriceList.deleted_at.is_(None)).order_by(PriceList.name)
    ).all()
    first = lists[0]
    line = _item(session, first, 0)
    for other in lists[1:]:
        try:
            [repriced], currency = reprice_lines(session, other.id, [line])
        except ValidationErrors as refused:
            assert refused.errors[0].code == "not_in_price_list"
            continue
        item = session.scalars(
            select(PriceListItem).where(
                PriceListItem.price_list_id == other.id,
                PriceListItem.product_id == line.product_id,
            )
        ).one()
        assert repriced.unit_price.scaleb(2) == item.unit_price and currency == other.currency
    assert reprice_lines(session, first.id, [line]) == ((line,), first.currency)


def _comparable(lines: Sequence[DraftLine]) -> list[tuple[object, ...]]:
    return [
        (line.kind, line.description, line.quantity, line.discount_pct, line.optional)
        for line in lines
    ]


_new_lines = st.lists(
    st.one_of(
        st.builds(
            lambda kind, word: DraftLine(kind=kind, description=word),
            st.sampled_from(["section", "text"]),
            st.sampled_from(["Equipos", "Servicios", "Nota"]),
        ),
        st.tuples(
            st.integers(0, 5),
            st.decimals(1, 50, places=1),
            st.decimals(0, 30, places=0),
            st.booleans(),
        ),
    ),
    max_size=5,
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_edit_of_the_lines_round_trips(
    session: Session, ctx: EditContext, data: st.DataObject
) -> None:
    """Whatever lines are kept, moved, changed, dropped or added, the saved quote reads back as
    edited: kept lines keep their ids, dropped ones are tombstones, positions follow the order,
    and the stored totals are the rule's totals of the edited lines."""
    price_list = _price_list(session)
    pool = [_item(session, price_list, offset) for offset in range(6)]

    def realize(drawn: list[object]) -> list[DraftLine]:
        lines = []
        for entry in drawn:
            if isinstance(entry, DraftLine):
                lines.append(entry)
                continue
            index, quantity, discount, optional = entry  # type: ignore[misc]
            lines.append(
                dataclasses.replace(
                    pool[index], quantity=quantity, discount_pct=discount, optional=optional
                )
            )
        return lines

    first = realize(data.draw(_new_lines.filter(bool), label="first lines"))
    draft = dataclasses.replace(_new_draft(session, ctx), lines=tuple(first))
    quote_id = save_quote_draft(session, ctx, draft, DEMO_DAY)
    saved = open_quote_draft(session, quote_id).draft
    assert _comparable(saved.lines) == _comparable(first)

    kept = data.draw(st.permutations(saved.lines), label="order")
    kept = kept[: data.draw(st.integers(0, len(kept)), label="kept")]
    changed = [
        dataclasses.replace(line, quantity=line.quantity + 1) if line.kind == "item" else line
        for line in kept
    ]
    edited = list(changed)
    for new in realize(data.draw(_new_lines, label="added")):
        edited.insert(data.draw(st.integers(0, len(edited)), label="at"), new)
    save_quote_draft(session, ctx, dataclasses.replace(saved, lines=tuple(edited)), DEMO_DAY)

    again = open_quote_draft(session, quote_id).draft
    assert _comparable(again.lines) == _comparable(edited)
    assert [line.id for line in again.lines if line.id in {k.id for k in kept}] == [
        line.id for line in kept
    ]
    positions = session.scalars(
        select(QuoteLine.position)
        .where(QuoteLine.quote_id == quote_id, QuoteLine.deleted_at.is_(None))
        .order_by(QuoteLine.position)
    ).all()
    assert list(positions) == list(range(len(edited)))
    dropped = {line.id for line in saved.lines} - {line.id for line in kept}
    for line_id in dropped:
        row = session.get(QuoteLine, line_id, populate_existing=True)
        assert row is not None and row.deleted_at is not None
    detail = quote_detail(session, quote_id, DEMO_DAY)
    assert detail is not None and detail.totals == quote_totals(edited, "EUR")
