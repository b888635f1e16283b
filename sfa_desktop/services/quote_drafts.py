"""The quote editor's data: a quote as an editable draft and the product search (saving it is
:mod:`.quote_draft_saving`).

* :func:`open_quote_draft` — an existing quote as a :class:`QuoteDraft` (header and lines, unit
  prices in major units) with what the editor needs to show it: the owner's discount limit,
  the price lists to choose from, the account's contacts and opportunities
  (:class:`DraftSetup`).
* :func:`new_quote_draft` — the same for a quote not saved yet, with the defaults of
  :func:`.quote_writing.quote_defaults` (price list, dates, terms).
* :func:`search_products` — active products priced in a price list whose SKU, name or family
  matches what the rep types, each with its price in that list and its tax rate: one indexed,
  limited query over the synced catalog (offline).
* :func:`.quote_draft_saving.save_quote_draft` — creates the quote (through :func:`.quote_writing.new_quote`) or
  updates an editable one, diffing its lines: new lines are created, changed ones updated
  (one ``set`` per changed field), removed ones deleted, positions renumbered 0, 1, 2…; all
  through :mod:`.editing` (validated, queued for sync) in one savepoint, so a refusal leaves
  nothing behind.

The totals are never computed here: the editor applies
:func:`sync_server.protocol.quote_totals.quote_totals` to the draft's lines (a
:class:`DraftLine` is a ``TotalsLine``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from sfa_desktop.domain.errors import DomainError, ValidationError, ValidationErrors
from sfa_desktop.store.collation import COLLATION, name_key
from sfa_desktop.store.errors import RecordNotFound
from sfa_desktop.store.models.customers import Account, Contact
from sfa_desktop.store.models.reference import PriceList, PriceListItem, Product, User
from sfa_desktop.store.models.sales import Opportunity, Quote, QuoteLine
from sync_server.protocol.authorities import QUOTE_EDITABLE_STATUSES
from sync_server.protocol.quote_totals import LineKind, minor_unit_digits

from .quote_writing import company_quote_defaults, quote_defaults

__all__ = [
    "PRODUCT_SEARCH_LIMIT",
    "AccountChoices",
    "Choice",
    "DraftHeader",
    "DraftLine",
    "DraftSetup",
    "PriceListChoice",
    "ProductChoice",
    "QuoteDraft",
    "account_choices",
    "new_quote_draft",
    "open_quote_draft",
    "reprice_lines",
    "search_products",
]

#: how many products the picker lists at most
PRODUCT_SEARCH_LIMIT = 20
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class DraftLine:
    """One line of a draft; ``unit_price`` in major units (12.5 is 12.50 €). ``id`` is the
    stored line's, None for a line not saved yet."""

    kind: LineKind = "item"
    description: str = ""
    quantity: Decimal = Decimal(1)
    unit_price: Decimal = _ZERO
    discount_pct: Decimal = _ZERO
    tax_rate_pct: Decimal = _ZERO
    optional: bool = False
    product_id: str | None = None
    sku: str | None = None
    id: str | None = None


@dataclass(frozen=True, slots=True)
class DraftHeader:
    """The quote's header as the editor edits it (the currency follows the price list)."""

    account_id: str | None
    price_list_id: str | None
    currency: str
    contact_id: str | None = None
    opportunity_id: str | None = None
    issue_date: dt.date | None = None
    valid_until: dt.date | None = None
    terms: str | None = None
    customer_note: str | None = None


@dataclass(frozen=True, slots=True)
class QuoteDraft:
    """A quote being edited: its header and lines; ``quote_id`` None until it is saved."""

    header: DraftHeader
    lines: tuple[DraftLine, ...] = ()
    quote_id: str | None = None
    number: str | None = None
    revision: int = 1
    status: str = "draft"
    owner_id: str | None = None

    @property
    def editable(self) -> bool:
        """Draft or pending approval: past that the quote is frozen (revise it to change it)."""
        return self.status in QUOTE_EDITABLE_STATUSES


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class PriceListChoice:
    id: str
    name: str
    currency: str


@dataclass(frozen=True, slots=True)
class AccountChoices:
    """The contacts and open or won opportunities of one account, for the header's lists."""

    account_label: str
    contacts: tuple[Choice, ...]
    opportunities: tuple[Choice, ...]


@dataclass(frozen=True, slots=True)
class DraftSetup:
    """What the editor reads once when it opens."""

    draft: QuoteDraft
    #: the quote owner's discount limit in % (0 when unknown: no discount allowed)
    discount_limit_pct: Decimal
    price_lists: tuple[PriceListChoice, ...]
    account: AccountChoices | None = None


@dataclass(frozen=True, slots=True)
class ProductChoice:
    """A product the picker lists, priced in the chosen price list (major units)."""

    id: str
    sku: str
    name: str
    family: str | None
    unit_price: Decimal
    tax_rate_pct: Decimal
    currency: str

    def as_line(self) -> DraftLine:
        """A new item line of one unit of this product."""
        return DraftLine(
            kind="item",
            description=self.name,
            quantity=Decimal(1),
            unit_price=self.unit_price,
            tax_rate_pct=self.tax_rate_pct,
            product_id=self.id,
            sku=self.sku,
        )


# --- reading ----------------------------------------------------------------------------------


def major_amount(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-minor_unit_digits(currency))


def minor_amount(amount: Decimal, currency: str, field_name: str) -> int:
    scaled = amount.scaleb(minor_unit_digits(currency))
    if scaled != scaled.to_integral_value():
        raise ValidationError("invalid_number", field=field_name, params={"value": str(amount)})
    return int(scaled)


def _discount_limit(session: Session, user_id: str | None) -> Decimal:
    user = session.get(User, user_id) if user_id else None
    if user is None or user.discount_limit_pct is None:
        return _ZERO
    return Decimal(user.discount_limit_pct)


def _price_lists(session: Session, keep: str | None) -> tuple[PriceListChoice, ...]:
    """The active price lists, plus ``keep`` (the quote's own) even if no longer active."""
    condition: ColumnElement[bool] = PriceList.active.is_(True)
    if keep is not None:
        condition = or_(condition, PriceList.id == keep)
    rows = session.scalars(
        select(PriceList)
        .where(PriceList.deleted_at.is_(None), condition)
        .order_by(PriceList.name.collate(COLLATION))
    )
    return tuple(PriceListChoice(row.id, row.name, row.currency) for row in rows)


def account_choices(session: Session, account_id: str) -> AccountChoices | None:
    """The account's name, contacts and opportunities (None for an account not here)."""
    account = session.get(Account, account_id)
    if account is None or account.deleted_at is not None:
        return None
    contacts = session.scalars(
        select(Contact)
        .where(Contact.account_id == account_id, Contact.deleted_at.is_(None))
        .order_by(name_key(Contact.first_name), name_key(Contact.last_name), Contact.id)
    )
    opportunities = session.scalars(
        select(Opportunity)
        .where(
            Opportunity.account_id == account_id,
            Opportunity.deleted_at.is_(None),
            Opportunity.stage != "closed_lost",
        )
        .order_by(Opportunity.name.collate(COLLATION), Opportunity.id)
    )
    label = f"{account.name} · {account.city}" if account.city else account.name
    return AccountChoices(
        account_label=label,
        contacts=tuple(
            Choice(c.id, " ".join(p for p in (c.first_name, c.last_name) if p)) for c in contacts
        ),
        opportunities=tuple(Choice(o.id, o.name) for o in opportunities),
    )


def open_quote_draft(session: Session, quote_id: str) -> DraftSetup:
    """The stored quote as a draft; :class:`RecordNotFound` for a quote that is not here."""
    # the editing service writes through SQL: read fresh rows, never the session's cache
    quote = session.get(Quote, quote_id, populate_existing=True)
    if quote is None or quote.deleted_at is not None:
        raise RecordNotFound("quote", quote_id)
    rows = session.execute(
        select(QuoteLine, Product.sku)
        .join(Product, Product.id == QuoteLine.product_id, isouter=True)
        .where(QuoteLine.quote_id == quote_id, QuoteLine.deleted_at.is_(None))
        .order_by(QuoteLine.position, QuoteLine.id)
        .execution_options(populate_existing=True)
    ).all()
    lines = tuple(
        DraftLine(
            kind=line.kind,  # type: ignore[arg-type]
            description=line.description,
            quantity=line.quantity,
            unit_price=major_amount(line.unit_price, quote.currency),
            discount_pct=line.discount_pct,
            tax_rate_pct=line.tax_rate_pct,
            optional=bool(line.optional),
            product_id=line.product_id,
            sku=sku,
            id=line.id,
        )
        for line, sku in rows
    )
    header = DraftHeader(
        account_id=quote.account_id,
        price_list_id=quote.price_list_id,
        currency=quote.currency,
        contact_id=quote.contact_id,
        opportunity_id=quote.opportunity_id,
        issue_date=quote.issue_date,
        valid_until=quote.valid_until,
        terms=quote.terms,
        customer_note=quote.customer_note,
    )
    draft = QuoteDraft(
        header=header,
        lines=lines,
        quote_id=quote.id,
        number=quote.number,
        revision=quote.revision,
        status=quote.status,
        owner_id=quote.owner_id,
    )
    return DraftSetup(
        draft=draft,
        discount_limit_pct=_discount_limit(session, quote.owner_id),
        price_lists=_price_lists(session, quote.price_list_id),
        account=account_choices(session, quote.account_id),
    )


def new_quote_draft(
    session: Session,
    user_id: str | None,
    today: dt.date,
    *,
    account_id: str | None = None,
    opportunity_id: str | None = None,
) -> DraftSetup:
    """A draft not saved yet, for ``account_id`` (and ``opportunity_id``) when given, with the
    defaults of :func:`.quote_writing.quote_defaults`. Without an account, or when the account
    has no default price list, the price list is left for the rep to choose."""
    lists = _price_lists(session, None)
    choices = account_choices(session, account_id) if account_id else None
    price_list = _default_price_list(session, lists, account_id)
    valid_until, terms = company_quote_defaults(session, today)
    header = DraftHeader(
        account_id=account_id if choices is not None else None,
        price_list_id=price_list.id if price_list else None,
        currency=price_list.currency if price_list else "EUR",
        opportunity_id=opportunity_id if choices is not None else None,
        issue_date=today,
        valid_until=valid_until,
        terms=terms,
    )
    return DraftSetup(
        draft=QuoteDraft(header=header, owner_id=user_id),
        discount_limit_pct=_discount_limit(session, user_id),
        price_lists=lists,
        account=choices,
    )


def _default_price_list(
    session: Session, lists: Sequence[PriceListChoice], account_id: str | None
) -> PriceListChoice | None:
    """The price list :func:`.quote_writing.quote_defaults` picks, None when the rep must
    choose (several active and none used before for the account)."""
    try:
        chosen = quote_defaults(session, account_id or "", None, dt.date.min).price_list
    except DomainError:
        return None
    return next((choice for choice in lists if choice.id == chosen.id), None)


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_products(
    session: Session, price_list_id: str, text: str, *, limit: int = PRODUCT_SEARCH_LIMIT
) -> list[ProductChoice]:
    """Active products priced in ``price_list_id`` whose SKU, name or family contains
    ``text`` (case-insensitive), SKU matches first: an exact SKU, then SKUs starting with the
    text, then the rest by name. At most ``limit``; one query over the price list's items
    (indexed by price list) joined to the products."""
    needle = text.strip()
    price_list = session.get(PriceList, price_list_id)
    if price_list is None or not needle:
        return []
    pattern = _like_pattern(needle)
    lowered = func.lower(Product.sku)
    statement = (
        select(Product, PriceListItem.unit_price)
        .join(PriceListItem, PriceListItem.product_id == Product.id)
        .where(
            PriceListItem.price_list_id == price_list_id,
            PriceListItem.deleted_at.is_(None),
            Product.deleted_at.is_(None),
            Product.active.is_(True),
            or_(
                Product.sku.ilike(pattern, escape="\\"),
                Product.name.ilike(pattern, escape="\\"),
                Product.family.ilike(pattern, escape="\\"),
            ),
        )
        .order_by(
            (lowered == needle.lower()).desc(),
            lowered.startswith(needle.lower(), autoescape=True).desc(),
            Product.name,
            Product.sku,
        )
        .limit(limit)
    )
    currency = price_list.currency
    return [
        ProductChoice(
            id=product.id,
            sku=product.sku,
            name=product.name,
            family=product.family,
            unit_price=major_amount(unit_price, currency),
            tax_rate_pct=product.tax_rate_pct,
            currency=currency,
        )
        for product, unit_price in session.execute(statement)
    ]


def reprice_lines(
    session: Session, price_list_id: str, lines: Sequence[DraftLine]
) -> tuple[tuple[DraftLine, ...], str]:
    """``lines`` with the unit prices of ``price_list_id`` (for a new price list), and its
    currency; raises :class:`ValidationErrors` ``not_in_price_list`` for products it does not
    price."""
    price_list = session.get(PriceList, price_list_id)
    if price_list is None or price_list.deleted_at is not None:
        raise DomainError(
            "unknown_reference",
            field="price_list_id",
            params={"entity": "price_list", "value": price_list_id},
        )
    prices = list_prices(session, price_list_id, (line.product_id for line in lines))
    problems: list[ValidationError] = []
    repriced: list[DraftLine] = []
    for index, line in enumerate(lines):
        if line.kind != "item" or line.product_id is None:
            repriced.append(line)
            continue
        minor = prices.get(line.product_id)
        if minor is None:
            problems.append(not_priced(index, line, price_list.name))
            continue
        repriced.append(replace(line, unit_price=major_amount(minor, price_list.currency)))
    if problems:
        raise ValidationErrors(problems)
    return tuple(repriced), price_list.currency


def list_prices(
    session: Session, price_list_id: str, product_ids: Iterable[str | None]
) -> dict[str, int]:
    wanted = sorted({pid for pid in product_ids if pid is not None})
    if not wanted:
        return {}
    rows = session.execute(
        select(PriceListItem.product_id, PriceListItem.unit_price).where(
            PriceListItem.price_list_id == price_list_id,
            PriceListItem.product_id.in_(wanted),
            PriceListItem.deleted_at.is_(None),
        )
    )
    return {product_id: unit_price for product_id, unit_price in rows}


def line_field(index: int) -> str:
    """The field name a line's problems carry ("line 3", counting from 1)."""
    return f"line {index + 1}"


def not_priced(index: int, line: DraftLine, price_list: str) -> ValidationError:
    return ValidationError(
        "not_in_price_list",
        field=line_field(index),
        params={"sku": line.sku or line.description, "price_list": price_list},
    )
