"""Creating and submitting quotes offline: the one way the quote editor and ``sfa quote``
write them.

:func:`new_quote` makes a draft with its lines in the caller's transaction, every record
through :func:`.editing.create_record` (validated by the shared rules, queued in the outbox),
so a refused quote leaves nothing behind once the caller rolls back. Defaults, per issue 10:

* price list: the one given, else the only active one, else the one of the account's latest
  quote (when still active); currency from the price list;
* issue date today, valid until today + the company's ``quote_validity_days`` (30 without a
  company record), terms from the company's ``default_terms``;
* each line by SKU: description from the product, unit price from the price list's item,
  tax rate from the product; quantity > 0, discount 0–100 %.

:func:`submit_quote` moves a draft on: to ``approved`` at once when every item line's discount
is within the owner's limit (self-approval, which the shared rules allow), else to
``pending_approval`` for the owner's manager.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError, ValidationError, ValidationErrors
from sfa_desktop.store.errors import RecordNotFound
from sfa_desktop.store.models.customers import Account, Contact
from sfa_desktop.store.models.reference import Company, PriceList, PriceListItem, Product
from sfa_desktop.store.models.sales import Quote, QuoteLine
from sfa_desktop.store.repositories.records import get_record
from sync_server.protocol.authority import Writer, discounts_within_limit

from .editing import EditContext, create_record, update_record
from .quote_numbers import next_quote_number
from .write_authority import LocalRuleContext

__all__ = [
    "DEFAULT_VALIDITY_DAYS",
    "HEADER_FIELDS",
    "NewLine",
    "QuoteDefaults",
    "company_quote_defaults",
    "new_quote",
    "quote_defaults",
    "submit_quote",
    "valid_until_from",
]

#: how long a quote is valid when the company record does not say
DEFAULT_VALIDITY_DAYS = 30
_HUNDRED = Decimal(100)
#: the header fields a caller of :func:`new_quote` may choose over the defaults
HEADER_FIELDS = frozenset(
    {"opportunity_id", "issue_date", "valid_until", "terms", "customer_note", "notes"}
)


@dataclass(frozen=True, slots=True)
class QuoteDefaults:
    """What a new quote of an account starts with (see the module docstring)."""

    price_list: PriceList
    issue_date: dt.date
    valid_until: dt.date
    terms: str | None

    @property
    def currency(self) -> str:
        return self.price_list.currency


def quote_defaults(
    session: Session, account_id: str, price_list_id: str | None, today: dt.date
) -> QuoteDefaults:
    """The price list (the one given, the only active one or the account's last used), dates
    and terms of a new quote; :class:`DomainError` ``unknown_reference`` or
    ``price_list_required`` when there is no price list to use."""
    price_list = _price_list(session, account_id, price_list_id)
    valid_until, terms = company_quote_defaults(session, today)
    return QuoteDefaults(
        price_list=price_list, issue_date=today, valid_until=valid_until, terms=terms
    )


def company_quote_defaults(session: Session, today: dt.date) -> tuple[dt.date, str | None]:
    """The valid-until date of a quote issued ``today`` (the company's ``quote_validity_days``,
    else :data:`DEFAULT_VALIDITY_DAYS`) and the company's default terms."""
    company = _company(session)
    terms = (company.default_terms or None) if company is not None else None
    return valid_until_from(session, today), terms


@dataclass(frozen=True, slots=True)
class NewLine:
    """One item line of a new quote: a product by SKU, how many, and the discount in %."""

    sku: str
    quantity: Decimal
    discount_pct: Decimal = Decimal(0)


def new_quote(
    session: Session,
    ctx: EditContext,
    *,
    account_id: str,
    contact_id: str | None = None,
    price_list_id: str | None = None,
    lines: Sequence[NewLine],
    today: dt.date,
    header: Mapping[str, Any] | None = None,
) -> str:
    """Create a draft quote of the current user with ``lines``; returns its id.

    ``header`` holds the :data:`HEADER_FIELDS` the caller chose over the defaults (the quote
    editor: opportunity, dates, terms, note to the customer); a ``None`` there keeps the
    default.

    Raises :class:`DomainError` (``unknown_reference`` for the account, contact or price
    list, ``contact_of_other_account``, ``price_list_required``, ``no_current_user``),
    :class:`ValidationErrors` for the lines (``unknown_sku``, ``product_inactive``,
    ``not_in_price_list``, ``quantity_not_positive``, ``out_of_range``) or
    :class:`QuoteNumberUnavailable`; the caller rolls back.
    """
    owner_id = ctx.user_id
    if owner_id is None:
        raise DomainError("no_current_user")
    account = session.get(Account, account_id)
    if account is None or account.deleted_at is not None:
        raise _unknown("account", "account_id", account_id)
    if contact_id is not None:
        contact = session.get(Contact, contact_id)
        if contact is None or contact.deleted_at is not None:
            raise _unknown("contact", "contact_id", contact_id)
        if contact.account_id != account_id:
            raise DomainError("contact_of_other_account", field="contact_id")
    defaults = quote_defaults(session, account_id, price_list_id, today)
    price_list = defaults.price_list
    priced = _priced_lines(session, price_list, lines)
    chosen = dict(header or {})
    unknown = sorted(set(chosen) - HEADER_FIELDS)
    if unknown:
        raise DomainError("unknown_field", field=unknown[0], params={"value": unknown[0]})
    values: dict[str, Any] = {
        "account_id": account_id,
        "contact_id": contact_id,
        "owner_id": owner_id,
        "status": "draft",
        "currency": defaults.currency,
        "price_list_id": price_list.id,
        "issue_date": defaults.issue_date,
        "valid_until": defaults.valid_until,
        "terms": defaults.terms,
    }
    values.update({name: value for name, value in chosen.items() if value is not None})
    # a line the shared rules refuse takes the quote and its number back too
    with session.begin_nested():
        values["number"] = next_quote_number(session, owner_id, today)
        quote_id = create_record(
            session, ctx, "quote", {k: v for k, v in values.items() if v is not None}
        )
        for position, line in enumerate(priced):
            create_record(
                session, ctx, "quote_line", {**line, "quote_id": quote_id, "position": position}
            )
    return quote_id


def _company(session: Session) -> Company | None:
    return session.scalars(select(Company).where(Company.deleted_at.is_(None))).first()


def valid_until_from(session: Session, issue_date: dt.date) -> dt.date:
    """The valid-until date of a quote issued on ``issue_date``: the company's
    ``quote_validity_days`` later (:data:`DEFAULT_VALIDITY_DAYS` without a company record)."""
    company = _company(session)
    validity = company.quote_validity_days if company and company.quote_validity_days else None
    return issue_date + dt.timedelta(days=validity or DEFAULT_VALIDITY_DAYS)


def _unknown(entity: str, field: str, value: str) -> DomainError:
    return DomainError("unknown_reference", field=field, params={"entity": entity, "value": value})


def _price_list(session: Session, account_id: str, price_list_id: str | None) -> PriceList:
    if price_list_id is not None:
        chosen = session.get(PriceList, price_list_id)
        if chosen is None or chosen.deleted_at is not None or not chosen.active:
            raise _unknown("price_list", "price_list_id", price_list_id)
        return chosen
    active = session.scalars(
        select(PriceList).where(PriceList.deleted_at.is_(None), PriceList.active.is_(True))
    ).all()
    if len(active) == 1:
        return active[0]
    last_used = session.scalars(
        select(Quote.price_list_id)
        .where(
            Quote.account_id == account_id,
            Quote.deleted_at.is_(None),
            Quote.price_list_id.is_not(None),
        )
        .order_by(Quote.issue_date.desc(), Quote.created_at.desc())
        .limit(1)
    ).first()
    for candidate in active:
        if candidate.id == last_used:
            return candidate
    raise DomainError("price_list_required", field="price_list_id")


def _priced_lines(
    session: Session, price_list: PriceList, lines: Sequence[NewLine]
) -> list[dict[str, Any]]:
    """The field values of each line, or every problem of every line at once."""
    problems: list[ValidationError] = []
    priced: list[dict[str, Any]] = []
    for index, line in enumerate(lines):
        field = f"line {index + 1}"
        if line.quantity <= 0:
            problems.append(
                ValidationError(
                    "quantity_not_positive", field=field, params={"value": line.quantity}
                )
            )
        if not Decimal(0) <= line.discount_pct <= _HUNDRED:
            problems.append(
                ValidationError("out_of_range", field=field, params={"min": 0, "max": 100})
            )
        product = session.scalars(
            select(Product).where(Product.sku == line.sku, Product.deleted_at.is_(None))
        ).first()
        if product is None:
            problems.append(ValidationError("unknown_sku", field=field, params={"sku": line.sku}))
            continue
        if not product.active:
            problems.append(
                ValidationError("product_inactive", field=field, params={"sku": line.sku})
            )
            continue
        item = session.scalars(
            select(PriceListItem).where(
                PriceListItem.price_list_id == price_list.id,
                PriceListItem.product_id == product.id,
                PriceListItem.deleted_at.is_(None),
            )
        ).first()
        if item is None:
            problems.append(
                ValidationError(
                    "not_in_price_list",
                    field=field,
                    params={"sku": line.sku, "price_list": price_list.name},
                )
            )
            continue
        priced.append(
            {
                "product_id": product.id,
                "description": product.name,
                "quantity": line.quantity,
                "unit_price": item.unit_price,
                "discount_pct": line.discount_pct,
                "tax_rate_pct": product.tax_rate_pct,
                "kind": "item",
            }
        )
    if problems:
        raise ValidationErrors(problems)
    return priced


def submit_quote(session: Session, ctx: EditContext, quote_id: str) -> str:
    """Submit a draft: ``approved`` when every discount is within the owner's limit, else
    ``pending_approval``; returns the new status.

    Raises :class:`DomainError` ``quote_not_draft`` or ``quote_without_lines``, and
    :class:`RecordNotFound` for a quote that is not here.
    """
    quote = get_record(session, "quote", quote_id)
    if quote is None or quote["deleted_at"] is not None:
        raise RecordNotFound("quote", quote_id)
    if quote["status"] != "draft":
        raise DomainError("quote_not_draft", params={"status": quote["status"]})
    has_items = session.scalars(
        select(QuoteLine.id).where(
            QuoteLine.quote_id == quote_id,
            QuoteLine.deleted_at.is_(None),
            QuoteLine.kind == "item",
        )
    ).first()
    if has_items is None:
        raise DomainError("quote_without_lines")
    writer = Writer(ctx.user_id or "", False, False)
    within = discounts_within_limit(writer, quote, LocalRuleContext(session))
    status = "approved" if within else "pending_approval"
    update_record(session, ctx, "quote", quote_id, {"status": status})
    return status
