"""Quotes made through the services on a copy of the demo profile, for the approval UI tests.

:func:`prepare_quotes` has the demo rep make (on :data:`~.fixed_clock.TODAY`): two quotes with
a discount above their limit, submitted (pending approval); one within it (approved at once);
one sent, linked to an opportunity whose amount differs from the quote's. :func:`sign_in_as`
switches the profile's user (the rep, or their manager).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.services.editing import EditContext, load_edit_context, update_record
from sfa_desktop.services.quote_sending import send_quote
from sfa_desktop.services.quote_writing import NewLine, new_quote, submit_quote
from sfa_desktop.store import quote_numbers
from sfa_desktop.store.database import Database
from sfa_desktop.store.meta import MetaKey, set_meta
from sfa_desktop.store.models.customers import Account, Contact
from sfa_desktop.store.models.reference import PriceList, PriceListItem, Product, User
from sfa_desktop.store.models.sales import Opportunity, Quote

from .fixed_clock import NOW, TODAY

#: An hour after the fixed clock's "now": when the sample quotes were made.
MADE_AT = NOW - dt.timedelta(hours=1)


@dataclass(frozen=True)
class SampleQuotes:
    rep_id: str
    manager_id: str
    manager_name: str
    #: the rep's quotes awaiting the manager's approval, in the order made
    pending: tuple[str, ...]
    approved: str
    sent: str
    opportunity_id: str
    account_id: str
    contact_email: str


def _price_list(session: Session) -> tuple[PriceList, list[str]]:
    price_list = session.scalars(
        select(PriceList)
        .where(PriceList.active.is_(True), PriceList.currency == "EUR")
        .order_by(PriceList.name)
    ).first()
    assert price_list is not None
    skus = session.scalars(
        select(Product.sku)
        .join(PriceListItem, PriceListItem.product_id == Product.id)
        .where(
            PriceListItem.price_list_id == price_list.id,
            Product.active.is_(True),
            Product.kind == "product",
        )
        .order_by(Product.sku)
        .limit(2)
    ).all()
    assert len(skus) == 2
    return price_list, list(skus)


def _account_with_contact(session: Session, owner_id: str) -> tuple[Account, Contact]:
    found = session.execute(
        select(Account, Contact)
        .join(Contact, Contact.account_id == Account.id)
        .join(Opportunity, Opportunity.account_id == Account.id)
        .where(
            Account.owner_id == owner_id,
            Account.deleted_at.is_(None),
            Contact.deleted_at.is_(None),
            Contact.email.is_not(None),
            Opportunity.deleted_at.is_(None),
            Opportunity.stage.not_in(("closed_won", "closed_lost")),
        )
        .order_by(Account.name, Contact.id)
    ).first()
    assert found is not None, "the demo has an account of the rep with a contact and a deal"
    return found[0], found[1]


def _quote(
    session: Session,
    ctx: EditContext,
    account: Account,
    contact: Contact,
    price_list: PriceList,
    skus: list[str],
    discount: str,
) -> str:
    lines = [NewLine(sku, Decimal(2), Decimal(discount)) for sku in skus]
    return new_quote(
        session,
        ctx,
        account_id=account.id,
        contact_id=contact.id,
        price_list_id=price_list.id,
        lines=lines,
        today=TODAY,
    )


def prepare_quotes(database: Database, folder: Path) -> SampleQuotes:
    """Make the sample quotes as the demo rep (the profile's user); ``folder`` takes the sent
    quote's files."""
    with database.session() as session:
        ctx = load_edit_context(session, now=lambda: MADE_AT)
        assert ctx.user_id is not None
        rep = session.get(User, ctx.user_id)
        assert rep is not None and rep.manager_id is not None
        manager = session.get(User, rep.manager_id)
        assert manager is not None
        quote_numbers.add_blocks(session, rep_code=rep.rep_code, blocks=[(TODAY.year, 901, 950)])
        price_list, skus = _price_list(session)
        account, contact = _account_with_contact(session, rep.id)
        over = str(rep.discount_limit_pct + 15)
        pending = []
        for _ in range(2):
            quote_id = _quote(session, ctx, account, contact, price_list, skus, over)
            assert submit_quote(session, ctx, quote_id) == "pending_approval"
            pending.append(quote_id)
        approved = _quote(session, ctx, account, contact, price_list, skus, "0")
        assert submit_quote(session, ctx, approved) == "approved"
        sent = _quote(session, ctx, account, contact, price_list, skus, "0")
        opportunity = session.scalars(
            select(Opportunity)
            .where(
                Opportunity.account_id == account.id,
                Opportunity.deleted_at.is_(None),
                Opportunity.stage.not_in(("closed_won", "closed_lost")),
            )
            .order_by(Opportunity.id)
        ).first()
        assert opportunity is not None
        update_record(session, ctx, "quote", sent, {"opportunity_id": opportunity.id})
        update_record(session, ctx, "opportunity", opportunity.id, {"amount": 123_456_00})
        assert submit_quote(session, ctx, sent) == "approved"
        send_quote(session, ctx, sent, folder=folder, now=MADE_AT)
        return SampleQuotes(
            rep_id=rep.id,
            manager_id=manager.id,
            manager_name=manager.name,
            pending=tuple(pending),
            approved=approved,
            sent=sent,
            opportunity_id=opportunity.id,
            account_id=account.id,
            contact_email=str(contact.email),
        )


def sign_in_as(database: Database, user_id: str) -> None:
    """Make ``user_id`` the profile's user (as a sync sign-in would)."""
    with database.session() as session:
        set_meta(session, MetaKey.USER_ID, user_id)


def quote_values(database: Database, quote_id: str) -> dict[str, object]:
    with database.session() as session:
        quote = session.get(Quote, quote_id)
        assert quote is not None
        return {
            "status": quote.status,
            "number": quote.number,
            "revision": quote.revision,
            "approved_by_id": quote.approved_by_id,
            "decision_note": quote.decision_note,
            "rejection_reason": quote.rejection_reason,
            "sent_at": quote.sent_at,
            "pdf_sha256": quote.pdf_sha256,
            "previous_quote_id": quote.previous_quote_id,
        }


def opportunity_values(database: Database, opportunity_id: str) -> tuple[str, int]:
    with database.session() as session:
        opportunity = session.get(Opportunity, opportunity_id)
        assert opportunity is not None
        return opportunity.stage, opportunity.amount
