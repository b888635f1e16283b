"""Cross-sell suggestions and the next best action on a real demo database: the cached
co-purchase tables against a from-scratch count, the one-click quote, consent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import pytest
from demo.profiles import build_demo_file, open_demo_copy
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sfa_desktop.domain.cross_sell import MIN_PAIR_CUSTOMERS
from sfa_desktop.domain.next_action import ELECTRONIC_CHANNELS
from sfa_desktop.services import cross_sell
from sfa_desktop.services.account_advice import (
    high_value_accounts,
    load_account_advice,
    next_actions,
    quote_with_product,
)
from sfa_desktop.services.advice_text import next_action_text, suggestion_reason
from sfa_desktop.services.editing import load_edit_context
from sfa_desktop.store import quote_numbers
from sfa_desktop.store.database import Database
from sfa_desktop.store.models.customers import Account, Contact
from sfa_desktop.store.models.reference import Product, User
from sfa_desktop.store.models.sales import Quote, QuoteLine
from sfa_desktop.store.models.sync_state import OutboxEntry

DEMO_DAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_file(tmp_path_factory.mktemp("demo-advice"), accounts=150, today=DEMO_DAY)


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    yield from open_demo_copy(demo_file, tmp_path)


@pytest.fixture
def session(demo: Database) -> Iterator[Session]:
    with demo.session() as session:
        yield session


def _baskets(session: Session) -> dict[str, set[str]]:
    """Every account's products on accepted quotes, counted the plain way."""
    rows = session.execute(
        select(Quote.account_id, QuoteLine.product_id)
        .join(QuoteLine, QuoteLine.quote_id == Quote.id)
        .where(
            Quote.status == "accepted",
            Quote.deleted_at.is_(None),
            QuoteLine.deleted_at.is_(None),
            QuoteLine.optional.is_(False),
            QuoteLine.product_id.is_not(None),
        )
    )
    baskets: dict[str, set[str]] = {}
    for account_id, product_id in rows:
        if product_id is not None:
            baskets.setdefault(account_id, set()).add(product_id)
    return baskets


def _check_against_scratch(session: Session, model: cross_sell.CoPurchaseModel) -> None:
    baskets = _baskets(session)
    assert {a: set(b) for a, b in model.baskets.items()} == baskets
    pairs: dict[tuple[str, str], int] = {}
    for basket in baskets.values():
        for pair in combinations(sorted(basket), 2):
            pairs[pair] = pairs.get(pair, 0) + 1
    kept = {pair: n for pair, n in pairs.items() if n >= MIN_PAIR_CUSTOMERS}
    assert dict(model.by_product.pairs) == kept
    assert model.by_product.customers == len(baskets)


def test_the_demo_teaches_real_co_purchase_rules(session: Session) -> None:
    model = cross_sell.co_purchase_model(session)
    _check_against_scratch(session, model)
    assert len(model.by_product.pairs) >= 10
    with_rules = [
        account
        for account in model.baskets
        if any(s.is_rule for s in cross_sell.account_suggestions(session, account))
    ]
    assert len(with_rules) >= len(model.baskets) * 3 // 4


def test_suggestions_never_offer_what_the_account_bought(session: Session) -> None:
    model = cross_sell.co_purchase_model(session)
    for account, bought in model.baskets.items():
        suggestions = cross_sell.account_suggestions(session, account)
        assert len(suggestions) <= cross_sell.SUGGESTION_LIMIT
        offered = [s.product.id for s in suggestions]
        assert len(offered) == len(set(offered))
        assert not set(offered) & bought
        for suggestion in suggestions:
            assert suggestion.product.active
            if suggestion.kind == "cross_sell":
                assert suggestion.because in bought
                assert suggestion.confidence is not None and 0 < suggestion.confidence <= 1


def test_the_cache_follows_the_data(session: Session) -> None:
    first = cross_sell.co_purchase_model(session)
    assert cross_sell.co_purchase_model(session) is first  # nothing changed: kept
    sent = session.scalars(select(Quote).where(Quote.status == "sent").order_by(Quote.id)).first()
    assert sent is not None
    session.execute(
        update(Quote)
        .where(Quote.id == sent.id)
        .values(status="accepted", updated_at=NOW + dt.timedelta(days=1))
    )
    second = cross_sell.co_purchase_model(session)
    assert second is not first
    assert second.version != first.version
    _check_against_scratch(session, second)
    assert second.by_product == cross_sell.build_model(session).by_product


def test_the_reason_reads_like_the_issue(session: Session) -> None:
    model = cross_sell.co_purchase_model(session)
    account = next(
        a
        for a in sorted(model.baskets)
        if any(s.kind == "cross_sell" for s in cross_sell.account_suggestions(session, a))
    )
    advice = load_account_advice(session, account, now=NOW)
    assert advice is not None
    rule = next(s for s in advice.suggestions if s.kind == "cross_sell")
    reason = suggestion_reason(advice, rule)
    share = round(float(rule.confidence or 0) * 100)
    assert reason.startswith(f"{share}% of customers who buy")
    assert f"also buy {rule.product.name} — lift " in reason
    assert reason.endswith(f"{rule.customers} customers")


def test_one_click_makes_a_draft_quote_with_the_product(session: Session) -> None:
    context = load_edit_context(session, now=lambda: NOW)
    me = session.get(User, context.user_id)
    assert me is not None
    quote_numbers.add_blocks(session, rep_code=me.rep_code, blocks=[(DEMO_DAY.year, 901, 950)])
    model = cross_sell.co_purchase_model(session)
    account = sorted(model.baskets)[0]
    product_id = cross_sell.account_suggestions(session, account)[0].product.id
    quote_id = quote_with_product(session, context, account, product_id, DEMO_DAY)
    quote = session.get(Quote, quote_id)
    assert quote is not None
    assert (quote.account_id, quote.status, quote.owner_id) == (account, "draft", me.id)
    lines = session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote_id)).all()
    assert [(line.product_id, line.quantity) for line in lines] == [(product_id, Decimal(1))]
    product = session.get(Product, product_id)
    assert product is not None and lines[0].description == product.name
    queued = session.scalars(select(OutboxEntry.record_id)).all()
    assert quote_id in queued and lines[0].id in queued


def test_an_expiring_quote_is_the_next_action(session: Session) -> None:
    quote = session.scalars(
        select(Quote).where(Quote.status == "sent", Quote.contact_id.is_not(None)).limit(1)
    ).one()
    session.execute(
        update(Quote)
        .where(Quote.id == quote.id)
        .values(valid_until=DEMO_DAY + dt.timedelta(days=3))
    )
    advice = load_account_advice(session, quote.account_id, now=NOW)
    assert advice is not None and advice.next_action is not None
    action = advice.next_action
    assert (action.kind, action.subject, action.days) == ("quote_expiring", quote.number, 3)
    assert action.contact is not None and action.contact.id == quote.contact_id
    assert next_action_text(action).endswith(f"quote {quote.number} expires in 3 days")


def test_no_cross_sell_email_without_consent(session: Session) -> None:
    session.execute(update(Contact).values(preferred_channel="email", marketing_consent=False))
    session.execute(
        update(Quote).where(Quote.status.in_(("sent", "approved"))).values(status="draft")
    )
    model = cross_sell.co_purchase_model(session)
    seen = 0
    for account in sorted(model.baskets):
        advice = load_account_advice(session, account, now=NOW)
        assert advice is not None
        action = advice.next_action
        if action is not None and action.marketing:
            seen += 1
            assert action.channel not in ELECTRONIC_CHANNELS
    assert seen > 0


def test_high_value_accounts_are_the_pareto_a_of_what_they_won(session: Session) -> None:
    found = high_value_accounts(session)
    assert found
    assert high_value_accounts(session) is found  # cached until the won deals change


def test_an_account_not_here_has_no_advice(session: Session) -> None:
    assert load_account_advice(session, "no-such-account", now=NOW) is None


def test_a_list_gets_the_same_actions_as_each_account_alone(session: Session) -> None:
    """Today's batch (one query per kind for all the accounts) agrees with the account page's
    one-account read, for every account of the demo, deleted and unknown ids skipped."""
    ids = list(session.scalars(select(Account.id).order_by(Account.name, Account.id)))
    gone = ids[3]
    session.execute(update(Account).where(Account.id == gone).values(deleted_at=NOW))
    wanted = ["no-such-account", *ids]
    alone = {}
    for account_id in wanted:
        advice = load_account_advice(session, account_id, now=NOW)
        if advice is not None and advice.next_action is not None:
            alone[account_id] = advice.next_action
    together = next_actions(session, wanted, now=NOW, limit=len(wanted))
    assert gone not in together and "no-such-account" not in together
    assert len(together) > 20
    assert together == alone
    assert next_actions(session, wanted, now=NOW, limit=5) == {
        k: v for k, v in alone.items() if k in wanted[:5]
    }
