"""What the app offers for a quote (``quote_actions``, a rule: Hypothesis) and who decides on it,
what awaits a manager's approval, where sent quotes go."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.services.quote_review import (
    QUOTE_ACTIONS,
    QuoteSubject,
    awaiting_my_approval,
    awaiting_my_approval_count,
    load_quote_subject,
    profile_sent_quotes_folder,
    quote_actions,
)
from sfa_desktop.services.quote_writing import NewLine, new_quote, submit_quote
from sfa_desktop.store import quote_numbers
from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import MetaKey, set_meta
from sfa_desktop.store.models.customers import Account
from sfa_desktop.store.models.reference import PriceList, PriceListItem, Product, User

DAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, tzinfo=dt.UTC)
STATUSES = ("draft", "pending_approval", "approved", "sent", "accepted", "rejected", "expired")


@st.composite
def subjects(draw: st.DrawFn) -> QuoteSubject:
    status = draw(st.sampled_from(STATUSES))
    lapsed = status in ("pending_approval", "approved", "sent") and draw(st.booleans())
    return QuoteSubject(
        id="q",
        number="Q-AGA-2026-0001",
        revision=draw(st.integers(1, 5)),
        account_id="a",
        status=status,
        shown_status="expired" if lapsed else status,
        owner_id="rep",
        is_mine=draw(st.booleans()),
        decides=draw(st.booleans()),
        revised=draw(st.booleans()),
    )


@given(subjects())
def test_only_the_actions_that_fit_are_offered(subject: QuoteSubject) -> None:
    actions = quote_actions(subject)
    shown = subject.shown_status
    assert actions <= set(QUOTE_ACTIONS)
    if {"approve", "return"} & actions:
        assert shown == "pending_approval" and subject.decides
    if "withdraw" in actions:
        assert subject.status == "pending_approval" and subject.is_mine
    if "send" in actions:
        assert shown == "approved"
    if {"accept", "reject"} & actions:
        assert shown == "sent" and not subject.revised
    if "revise" in actions:  # the services' rule reads the stored status
        assert subject.status in ("approved", "sent", "rejected", "expired")
        assert not subject.revised
    if shown == "expired":
        assert actions <= {"revise", "withdraw"}  # never sent, accepted or approved
    if not (subject.is_mine or subject.decides):
        assert not actions  # someone else's quote, not below me: nothing to do
    if subject.decides and shown == "pending_approval":
        assert {"approve", "return"} <= actions


def test_nothing_without_a_quote() -> None:
    assert quote_actions(None) == frozenset()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-quote-review"), accounts=40, today=DAY)


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


def _pending_quote(demo: Database, discount: str) -> tuple[str, str, str]:
    """A quote of the demo rep over their limit, submitted: (its id, the rep, their manager)."""
    with demo.session() as session:
        ctx = load_edit_context(session, now=lambda: NOW)
        rep = session.get(User, ctx.user_id)
        assert rep is not None and rep.manager_id is not None
        quote_numbers.add_blocks(session, rep_code=rep.rep_code, blocks=[(DAY.year, 901, 950)])
        price_list = session.scalars(
            select(PriceList).where(PriceList.active.is_(True)).order_by(PriceList.name)
        ).first()
        assert price_list is not None
        skus = session.scalars(
            select(Product.sku)
            .join(PriceListItem, PriceListItem.product_id == Product.id)
            .where(
                PriceListItem.price_list_id == price_list.id,
                Product.kind == "product",
                Product.active.is_(True),
            )
            .order_by(Product.sku)
            .limit(3)
        ).all()
        account = session.scalars(
            select(Account).where(Account.owner_id == rep.id).order_by(Account.id)
        ).first()
        assert account is not None
        discounts = ["9.5", discount, "2"]  # the largest is not the last, nor the longest text
        quote_id = new_quote(
            session,
            ctx,
            account_id=account.id,
            price_list_id=price_list.id,
            lines=[
                NewLine(sku, Decimal(1), Decimal(d)) for sku, d in zip(skus, discounts, strict=True)
            ],
            today=DAY,
        )
        assert submit_quote(session, ctx, quote_id) == "pending_approval"
        return quote_id, rep.id, rep.manager_id


def _as(demo: Database, user_id: str) -> None:
    with demo.session() as session:
        set_meta(session, MetaKey.USER_ID, user_id)


def test_who_decides_and_what_awaits_them(demo: Database) -> None:
    quote_id, rep_id, manager_id = _pending_quote(demo, "30")
    with demo.session() as session:
        mine = load_quote_subject(session, quote_id, DAY)
        before = awaiting_my_approval_count(session, today=DAY)
        admin_id = session.scalar(select(User.id).where(User.role == "admin"))
        colleague = session.scalar(
            select(User.id).where(User.role == "rep", User.id != rep_id).order_by(User.id)
        )
    assert mine is not None and mine.is_mine and not mine.decides
    assert quote_actions(mine) == {"withdraw"}
    assert before == 0  # a rep has nobody to approve

    _as(demo, manager_id)
    with demo.session() as session:
        subject = load_quote_subject(session, quote_id, DAY)
        rows = awaiting_my_approval(session, today=DAY)
        count = awaiting_my_approval_count(session, today=DAY)
        lapsed = load_quote_subject(session, quote_id, DAY + dt.timedelta(days=400))
    assert subject is not None and subject.decides and not subject.is_mine
    assert quote_actions(subject) == {"approve", "return"}
    ours = next(row for row in rows if row.id == quote_id)
    assert ours.max_discount_pct == Decimal(30)
    assert count == len(rows) and count >= 1
    assert lapsed is not None and lapsed.shown_status == "expired"
    assert quote_actions(lapsed) == frozenset()  # expired while pending: nothing to approve

    assert admin_id is not None and colleague is not None
    _as(demo, admin_id)
    with demo.session() as session:
        subject = load_quote_subject(session, quote_id, DAY)
        assert subject is not None and subject.decides
        assert quote_id in {row.id for row in awaiting_my_approval(session, today=DAY)}
    _as(demo, colleague)
    with demo.session() as session:
        subject = load_quote_subject(session, quote_id, DAY)
        assert subject is not None and not subject.decides and not subject.is_mine
        assert quote_actions(subject) == frozenset()
        assert awaiting_my_approval(session, today=DAY) == []


def test_sent_quotes_go_to_the_profile_folder(demo: Database) -> None:
    with demo.session() as session:
        assert profile_sent_quotes_folder(session) == demo.path.parent.resolve() / "sent-quotes"
